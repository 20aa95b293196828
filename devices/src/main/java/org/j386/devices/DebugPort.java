package org.j386.devices;

import org.j386.mmu.IoBus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The Bochs-style debug console on port 0xE9: every byte written goes to a host stream.
 * Reading the port returns 0xE9, the value firmware uses to detect that the port exists.
 */
public final class DebugPort implements IoBus.Port {
    public static final int PORT = 0xe9;

    private final OutputStream out;
    private long bytes;

    public DebugPort(OutputStream out) {
        this.out = out;
    }

    public void attach(IoBus io) {
        io.register(PORT, 1, this);
    }

    /** Bytes written so far. */
    public long bytes() { return bytes; }

    @Override
    public int in(int port, int size) {
        return size == 1 ? PORT : size == 2 ? 0xffe9 : 0xffffffe9;
    }

    @Override
    public void out(int port, int size, int value) {
        // a word or dword write to the port sends its low byte, like the one-byte port it is
        try {
            out.write(value & 0xff);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes++;
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
