package org.j386.kernel.sys;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** Waiting for signals and the real-time interval timer: pause, sigsuspend, alarm, setitimer, getitimer. */
public final class WaitSignalSyscalls {
    static final long NS = 1_000_000_000L;
    static final long UNBLOCKABLE = (1L << 8) | (1L << 18);

    private final Kernel k;

    public WaitSignalSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(29, "pause", "", (task, a, b, c, d, e, f) -> suspend(task, task.signals.blocked));
        t.register(179, "rt_sigsuspend", "pd", (task, a, b, c, d, e, f) -> {
            if (b != 8) throw new SyscallException(Errno.EINVAL);
            return suspend(task, task.mem.readLong(a));
        });
        t.register(72, "sigsuspend", "xxx", (task, a, b, c, d, e, f) ->
                suspend(task, (task.signals.blocked & ~0xffffffffL) | (c & 0xffffffffL)));
        t.register(27, "alarm", "d", this::alarm);
        t.register(104, "setitimer", "dpp", this::setitimer);
        t.register(105, "getitimer", "dp", (task, a, b, c, d, e, f) -> {
            checkWhich(a);
            writeItimerval(task, b, a == 0 ? task.realTimerInterval : 0, a == 0 ? remaining(task) : 0);
            return 0;
        });
    }

    /**
     * Sleeps with {@code mask} blocked until a signal is delivered; always ends in EINTR (the
     * kernel's delivery path turns the parked call into EINTR and restores the old mask after
     * the handler).
     */
    private int suspend(Task t, long mask) {
        if (t.suspendSavedMask == -1) t.suspendSavedMask = t.signals.blocked;
        t.signals.blocked = mask & ~UNBLOCKABLE;
        t.interruptOnly = true;
        throw new BlockedException(null);
    }

    private long remaining(Task t) {
        if (t.realTimerDeadline == 0) return 0;
        return Math.max(1000, t.realTimerDeadline - k.clock.monotonicNanos());
    }

    private int alarm(Task t, int seconds, int b, int c, int d, int e, int f) {
        long left = remaining(t);
        long secs = seconds & 0xffffffffL;
        t.realTimerInterval = 0;
        t.realTimerDeadline = secs == 0 ? 0 : k.clock.monotonicNanos() + secs * NS;
        // the old alarm's remaining seconds, rounded to nearest, and at least 1 if it was armed
        return left == 0 ? 0 : (int) Math.max(1, (left + NS / 2) / NS);
    }

    private static void checkWhich(int which) {
        if (which < 0 || which > 2) throw new SyscallException(Errno.EINVAL);
    }

    private int setitimer(Task t, int which, int newAddr, int oldAddr, int d, int e, int f) {
        checkWhich(which);
        long interval = 0, value = 0;
        if (newAddr != 0) {
            interval = timeval(t, newAddr);
            value = timeval(t, newAddr + 8);
        }
        if (oldAddr != 0) writeItimerval(t, oldAddr, which == 0 ? t.realTimerInterval : 0, which == 0 ? remaining(t) : 0);
        if (which != 0) return 0; // ITIMER_VIRTUAL/PROF are accepted; they fire with the per-process CPU clock work
        t.realTimerInterval = interval;
        t.realTimerDeadline = value == 0 ? 0 : k.clock.monotonicNanos() + value;
        return 0;
    }

    private static long timeval(Task t, int addr) {
        long sec = t.mem.readInt(addr), usec = t.mem.readInt(addr + 4);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) throw new SyscallException(Errno.EINVAL);
        return sec * NS + usec * 1000;
    }

    private static void writeItimerval(Task t, int addr, long interval, long value) {
        t.mem.writeInt(addr, (int) (interval / NS));
        t.mem.writeInt(addr + 4, (int) (interval % NS / 1000));
        t.mem.writeInt(addr + 8, (int) (value / NS));
        t.mem.writeInt(addr + 12, (int) ((value % NS + 999) / 1000));
    }
}
