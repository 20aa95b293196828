package org.j386.devices;

import org.j386.mmu.IoBus;

/**
 * Channel 0 of the 8254 programmable interval timer (ports 0x40 and 0x43), the PC's system
 * timer on IRQ 0, clocked at 1.193182 MHz of virtual time. Modes 0 (interrupt on terminal
 * count, once) and 2/3 (rate generator and square wave: an interrupt every N ticks) with
 * lobyte, hibyte and lobyte/hibyte access and the counter latch. Channels 1 and 2 accept
 * their commands and read back 0.
 */
public final class Pit implements IoBus.Port {
    public static final long HZ = 1_193_182;

    private final java.util.function.LongSupplier nanos;
    private int reload;            // 1..65536
    private int mode;
    private int access = 3;        // 1 lobyte, 2 hibyte, 3 lobyte then hibyte
    private boolean writeHigh, readHigh;
    private int pendingLow;
    private int latch = -1;
    private boolean running;
    private long startTick;
    /** Tick of the next IRQ 0 edge, or Long.MAX_VALUE. */
    private long nextIrqTick = Long.MAX_VALUE;

    /** @param nanos the machine's virtual time in nanoseconds */
    public Pit(java.util.function.LongSupplier nanos) {
        this.nanos = nanos;
    }

    public void attach(IoBus io) {
        io.register(0x40, 4, this);
    }

    private long now() { return ticksAt(nanos.getAsLong()); }

    /** Timer ticks elapsed at virtual time {@code ns} (exact, no overflow). */
    static long ticksAt(long ns) {
        return (ns / 1_000_000_000L) * HZ + (ns % 1_000_000_000L) * HZ / 1_000_000_000L;
    }

    /** The first virtual nanosecond at which {@code t} ticks have elapsed. */
    static long nanosAt(long t) {
        return (t / HZ) * 1_000_000_000L + ((t % HZ) * 1_000_000_000L + HZ - 1) / HZ;
    }

    /** Virtual time of the next IRQ 0 edge, or Long.MAX_VALUE when the timer will not fire. */
    public long nextEventNanos() {
        return nextIrqTick == Long.MAX_VALUE ? Long.MAX_VALUE : nanosAt(nextIrqTick);
    }

    /** Raises IRQ 0 on {@code pic} for every edge due by now (at most one per call: edges coalesce, as they would on a busy PC). */
    public void update(Pic pic) {
        long t = now();
        if (t < nextIrqTick) return;
        pic.raise(0);
        if (mode == 2 || mode == 3) {
            long periods = (t - startTick) / reload + 1;
            nextIrqTick = startTick + periods * reload;
        } else {
            nextIrqTick = Long.MAX_VALUE;
        }
    }

    private int currentCount() {
        if (!running) return reload & 0xffff;
        long elapsed = now() - startTick;
        if (mode == 2 || mode == 3) return (int) (reload - elapsed % reload) & 0xffff;
        return (int) (reload - elapsed) & 0xffff; // mode 0 wraps past zero and keeps counting
    }

    @Override
    public int in(int port, int size) {
        if (port != 0x40) return port == 0x43 ? 0xff : 0;
        int v = latch >= 0 ? latch : currentCount();
        int b;
        if (access == 1) b = v & 0xff;
        else if (access == 2) b = v >>> 8;
        else {
            b = readHigh ? v >>> 8 : v & 0xff;
            readHigh = !readHigh;
            if (!readHigh) latch = -1;
            return b;
        }
        latch = -1;
        return b;
    }

    @Override
    public void out(int port, int size, int value) {
        value &= 0xff;
        if (port == 0x43) {
            if ((value >>> 6) != 0) return; // channels 1, 2 (and read-back): accepted, not modelled
            int rw = (value >>> 4) & 3;
            if (rw == 0) { latch = currentCount(); readHigh = false; return; }
            access = rw;
            mode = (value >>> 1) & 7;
            if (mode > 5) mode -= 4;
            writeHigh = readHigh = false;
            running = false;
            nextIrqTick = Long.MAX_VALUE;
            return;
        }
        if (port != 0x40) return;
        int count;
        if (access == 1) count = value;
        else if (access == 2) count = value << 8;
        else if (!writeHigh) { pendingLow = value; writeHigh = true; return; }
        else { count = pendingLow | value << 8; writeHigh = false; }
        reload = count == 0 ? 0x10000 : count;
        running = true;
        startTick = now();
        nextIrqTick = startTick + reload;
    }
}
