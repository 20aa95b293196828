package org.j386.kernel;

/**
 * A POSIX per-process timer (timer_create). Its deadline is on its own clock: the monotonic
 * clock for CLOCK_MONOTONIC/BOOTTIME and (shifted by the boot epoch) CLOCK_REALTIME, or the
 * process's or one thread's CPU time. Plain fields, so a checkpoint can write it out.
 */
public final class PosixTimer {
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
    /** Which clock the deadline is on. */
    public static final int ON_MONOTONIC = 0, ON_PROCESS_CPU = 1, ON_THREAD_CPU = 2;

    public final int id;
    /** The clockid the guest gave (reported back as-is). */
    public final int clockId;
    public final int base;
    public final int notify, signo, value;
    /** SIGEV_THREAD_ID's target thread. */
    public final int tid;
    /** The thread whose CPU time a thread CPU-time timer counts. */
    public final int clockTid;
    /** Next expiry on the base clock, ns (0: disarmed), and the reload interval. */
    public long deadline, interval;
    /** Expirations folded into the notification still pending, and those of the last one delivered. */
    public int overrun;

    public PosixTimer(int id, int clockId, int base, int notify, int signo, int value, int tid, int clockTid) {
        this.id = id;
        this.clockId = clockId;
        this.base = base;
        this.notify = notify;
        this.signo = signo;
        this.value = value;
        this.tid = tid;
        this.clockTid = clockTid;
    }
}
