package org.j386.devices;

import org.j386.mmu.IoBus;

/**
 * The POST diagnostic ports: 0x80 (the classic PC checkpoint port) and 0x190. Every value
 * written is passed to a listener and remembered as the last POST code; reading the port
 * returns the last byte written, as the checkpoint latch on many boards does.
 */
public final class PostPort implements IoBus.Port {
    public static final int PORT_80 = 0x80, PORT_190 = 0x190;

    /** Receives each POST write. */
    public interface Listener {
        void post(int port, int size, int value, long instructions);
    }

    private final Listener listener;
    private final java.util.function.LongSupplier clock;
    private int last = -1;
    private int lastSize = 1;
    private long count;

    /** @param clock instructions retired, for the log */
    public PostPort(Listener listener, java.util.function.LongSupplier clock) {
        this.listener = listener;
        this.clock = clock;
    }

    public void attach(IoBus io) {
        io.register(PORT_80, 1, this);
        io.register(PORT_190, 1, this);
    }

    /** The last POST code written, or -1 when there was none. */
    public int last() { return last; }

    /** Width in bytes of the last write (1 for an OUT of AL). */
    public int lastSize() { return lastSize; }

    /** POST writes so far. */
    public long count() { return count; }

    /** Formats a code at its write width: 0x5A, 0x1234. */
    public static String format(int value, int size) {
        return String.format("0x%0" + (size * 2) + "X", size == 4 ? value : value & ((1 << (size * 8)) - 1));
    }

    @Override
    public int in(int port, int size) {
        int b = last < 0 ? 0xff : last & 0xff;
        return size == 1 ? b : size == 2 ? 0xff00 | b : 0xffffff00 | b;
    }

    @Override
    public void out(int port, int size, int value) {
        last = size == 4 ? value : value & ((1 << (size * 8)) - 1);
        lastSize = size;
        count++;
        if (listener != null) listener.post(port, size, last, clock.getAsLong());
    }
}
