package org.j386.kernel;

/**
 * Guest time. Time is virtual: it advances with retired instructions at a nominal
 * 1 GHz (one instruction = one nanosecond), plus whatever the guest sleeps, which jumps the
 * clock forward instead of waiting. CLOCK_REALTIME is the boot epoch (taken from the host
 * once at start, or fixed by configuration) plus that virtual time. The same program and
 * input therefore see the same clock readings on every run and every host.
 */
public final class VirtualClock {
    public static final long NS_PER_INSTRUCTION = 1;

    private final org.j386.cpu.Cpu cpu;
    private final long bootEpochNanos;
    /** Nanoseconds added by sleeps (virtual time jumps). */
    private long skipped;

    public VirtualClock(org.j386.cpu.Cpu cpu, long bootEpochNanos) {
        this.cpu = cpu;
        this.bootEpochNanos = bootEpochNanos;
    }

    /** Nanoseconds since boot (CLOCK_MONOTONIC, CLOCK_BOOTTIME). */
    public long monotonicNanos() {
        return cpu.icount * NS_PER_INSTRUCTION + skipped;
    }

    /** Nanoseconds since the epoch (CLOCK_REALTIME). */
    public long realtimeNanos() {
        return bootEpochNanos + monotonicNanos();
    }

    /** Jumps virtual time forward (a sleep with nothing else to run). */
    public void advance(long nanos) {
        if (nanos > 0) skipped += nanos;
    }

    public long skippedNanos() { return skipped; }

    public void setSkippedNanos(long n) { skipped = n; }
}
