package org.j386.kernel.sys;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SigInfo;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** Waiting for signals and the real-time interval timer: pause, sigsuspend, alarm, setitimer, getitimer. */
public final class WaitSignalSyscalls {
    static final long NS = 1_000_000_000L;

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
        t.register(177, "rt_sigtimedwait", "ppp", (task, a, b, c, d, e, f) -> sigtimedwait(task, a, b, c, d, false));
        t.register(421, "rt_sigtimedwait_time64", "ppp", (task, a, b, c, d, e, f) -> sigtimedwait(task, a, b, c, d, true));
        t.register(27, "alarm", "d", this::alarm);
        t.register(104, "setitimer", "dpp", this::setitimer);
        t.register(105, "getitimer", "dp", (task, a, b, c, d, e, f) -> {
            checkWhich(a);
            writeItimerval(task, b, interval(task, a), remaining(task, a));
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
        t.signals.blocked = mask & ~org.j386.kernel.Signals.UNBLOCKABLE;
        t.interruptOnly = true;
        throw new BlockedException(null);
    }

    /**
     * sigwaitinfo/sigtimedwait: takes the lowest pending signal of the set (the thread's own,
     * then the process's) without running its
     * handler; otherwise sleeps until one arrives, the timeout passes (EAGAIN) or another
     * signal's handler runs (EINTR).
     */
    private int sigtimedwait(Task t, int setAddr, int infoAddr, int timeoutAddr, int size, boolean time64) {
        if (size != 8) throw new SyscallException(Errno.EINVAL);
        long set = t.mem.readLong(setAddr) & ~org.j386.kernel.Signals.UNBLOCKABLE;
        int sig = Kernel.nextSignal(t, set);
        if (sig != 0) {
            SigInfo info = Kernel.takeSignal(t, sig);
            t.sigwaitMask = 0;
            t.sleepDeadline = 0;
            if (infoAddr != 0) t.mem.write(infoAddr, info.encode());
            return sig;
        }
        long now = k.clock.monotonicNanos();
        if (t.sleepDeadline != 0 && now >= t.sleepDeadline) {
            t.sleepDeadline = 0;
            t.sigwaitMask = 0;
            throw new SyscallException(Errno.EAGAIN);
        }
        if (timeoutAddr != 0 && t.sleepDeadline == 0) {
            long ns = time64 ? TimeSyscalls.readTimespec64(t, timeoutAddr) : TimeSyscalls.readTimespec32(t, timeoutAddr);
            if (ns == 0) throw new SyscallException(Errno.EAGAIN);
            t.sleepDeadline = now + ns;
        }
        t.sigwaitMask = set;
        t.interruptOnly = true;
        throw new BlockedException(null);
    }

    private long remaining(Task t) {
        return remaining(t, 0);
    }

    /** Time left on timer {@code which} (0 REAL, 1 VIRTUAL, 2 PROF) of the process, ns; 0 when disarmed. */
    private long remaining(Task t, int which) {
        Task p = leader(t);
        long deadline = which == 0 ? p.realTimerDeadline : which == 1 ? p.virtTimerDeadline : p.profTimerDeadline;
        if (deadline == 0) return 0;
        long now = which == 0 ? k.clock.monotonicNanos() : k.processCpuNanos(t);
        return Math.max(1000, deadline - now);
    }

    private long interval(Task t, int which) {
        Task p = leader(t);
        return which == 0 ? p.realTimerInterval : which == 1 ? p.virtTimerInterval : p.profTimerInterval;
    }

    /** Interval timers belong to the process: they live on the thread-group leader. */
    private Task leader(Task t) {
        Task l = k.tasks.get(t.tgid);
        return l != null ? l : t;
    }

    private int alarm(Task t, int seconds, int b, int c, int d, int e, int f) {
        long left = remaining(t);
        long secs = seconds & 0xffffffffL;
        Task p = leader(t);
        p.realTimerInterval = 0;
        p.realTimerDeadline = secs == 0 ? 0 : k.clock.monotonicNanos() + secs * NS;
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
        if (oldAddr != 0) writeItimerval(t, oldAddr, interval(t, which), remaining(t, which));
        if (newAddr == 0) return 0;
        Task p = leader(t);
        switch (which) {
            case 0:
                p.realTimerInterval = interval;
                p.realTimerDeadline = value == 0 ? 0 : k.clock.monotonicNanos() + value;
                break;
            case 1:
                p.virtTimerInterval = interval;
                p.virtTimerDeadline = value == 0 ? 0 : k.processCpuNanos(t) + value;
                break;
            default:
                p.profTimerInterval = interval;
                p.profTimerDeadline = value == 0 ? 0 : k.processCpuNanos(t) + value;
        }
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
