package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.PosixTimer;
import org.j386.kernel.SigInfo;
import org.j386.kernel.Signals;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

import java.util.TreeMap;

/** POSIX timers: timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete (and the time64 forms). */
public final class TimerSyscalls {
    static final int TIMER_ABSTIME = 1;
    /** Linux's per-process limit is RLIMIT_SIGPENDING; a fixed bound keeps a runaway guest in check. */
    static final int MAX_TIMERS = 32768;
    private final Kernel k;

    public TimerSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(259, "timer_create", "dpp", this::create);
        t.register(260, "timer_settime", "dxpp", (task, a, b, c, d, e, f) -> settime(task, a, b, c, d, false));
        t.register(409, "timer_settime64", "dxpp", (task, a, b, c, d, e, f) -> settime(task, a, b, c, d, true));
        t.register(261, "timer_gettime", "dp", (task, a, b, c, d, e, f) -> gettime(task, a, b, false));
        t.register(408, "timer_gettime64", "dp", (task, a, b, c, d, e, f) -> gettime(task, a, b, true));
        t.register(262, "timer_getoverrun", "d", (task, a, b, c, d, e, f) -> find(task, a).overrun);
        t.register(263, "timer_delete", "d", this::delete);
    }

    private Task leader(Task t) {
        return k.tasks.getOrDefault(t.tgid, t);
    }

    private PosixTimer find(Task t, int id) {
        TreeMap<Integer, PosixTimer> m = leader(t).timers;
        PosixTimer pt = m == null ? null : m.get(id);
        if (pt == null) throw new SyscallException(Errno.EINVAL);
        return pt;
    }

    private int create(Task t, int clockId, int sevp, int idAddr, int d, int e, int f) {
        int base;
        int cpuTid = t.pid;
        if (clockId < 0) { // a dynamic CPU clock: only the caller's own process and threads
            Task owner = TimeSyscalls.cpuClockOwner(k, t, clockId);
            if (owner.tgid != t.tgid) throw new SyscallException(Errno.EINVAL);
            boolean thread = (clockId & TimeSyscalls.CPUCLOCK_PERTHREAD) != 0;
            base = thread ? PosixTimer.ON_THREAD_CPU : PosixTimer.ON_PROCESS_CPU;
            cpuTid = owner.pid;
        } else switch (clockId) {
            case TimeSyscalls.CLOCK_REALTIME, TimeSyscalls.CLOCK_MONOTONIC, TimeSyscalls.CLOCK_BOOTTIME, TimeSyscalls.CLOCK_TAI -> base = PosixTimer.ON_MONOTONIC;
            case TimeSyscalls.CLOCK_PROCESS_CPUTIME_ID -> base = PosixTimer.ON_PROCESS_CPU;
            case TimeSyscalls.CLOCK_THREAD_CPUTIME_ID -> base = PosixTimer.ON_THREAD_CPU;
            case TimeSyscalls.CLOCK_REALTIME_ALARM, TimeSyscalls.CLOCK_BOOTTIME_ALARM -> throw new SyscallException(Errno.EPERM);
            default -> throw new SyscallException(Errno.EINVAL);
        }
        Task leader = leader(t);
        if (leader.timers == null) leader.timers = new TreeMap<>();
        if (leader.timers.size() >= MAX_TIMERS) throw new SyscallException(Errno.EAGAIN);
        int id = 0;
        while (leader.timers.containsKey(id)) id++;
        int notify = PosixTimer.SIGEV_SIGNAL, signo = Signals.SIGALRM, value = id, tid = t.pid;
        if (sevp != 0) {
            value = t.mem.readInt(sevp);
            signo = t.mem.readInt(sevp + 4);
            notify = t.mem.readInt(sevp + 8);
            int target = t.mem.readInt(sevp + 12);
            if (notify == PosixTimer.SIGEV_THREAD_ID) {
                Task x = k.tasks.get(target);
                if (x == null || x.tgid != t.tgid || x.exited) throw new SyscallException(Errno.EINVAL);
                tid = target;
            } else if (notify != PosixTimer.SIGEV_SIGNAL && notify != PosixTimer.SIGEV_NONE) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (notify != PosixTimer.SIGEV_NONE && (signo < 1 || signo > Signals.NSIG)) throw new SyscallException(Errno.EINVAL);
        }
        t.mem.writeInt(idAddr, id);
        leader.timers.put(id, new PosixTimer(id, clockId, base, notify, signo, value, tid, cpuTid));
        return 0;
    }

    /** The timer's clock now, ns, on the scale its deadline uses. */
    private long clockNow(Task t, PosixTimer pt) {
        return switch (pt.base) {
            case PosixTimer.ON_PROCESS_CPU -> k.processCpuNanos(t);
            case PosixTimer.ON_THREAD_CPU -> {
                Task x = k.tasks.get(pt.clockTid);
                yield x == null ? 0 : k.taskCpuNanos(x);
            }
            default -> k.clock.monotonicNanos();
        };
    }

    private int settime(Task t, int id, int flags, int newAddr, int oldAddr, boolean time64) {
        PosixTimer pt = find(t, id);
        long interval = read(t, newAddr, time64), value = read(t, newAddr + (time64 ? 16 : 8), time64);
        if (oldAddr != 0) writeCurrent(t, pt, oldAddr, time64);
        long now = clockNow(t, pt);
        if (value == 0) {
            pt.deadline = 0;
        } else if ((flags & TIMER_ABSTIME) != 0) {
            long v = value;
            if (pt.clockId == TimeSyscalls.CLOCK_REALTIME || pt.clockId == TimeSyscalls.CLOCK_TAI)
                v -= k.clock.realtimeNanos() - k.clock.monotonicNanos(); // wall time to monotonic
            pt.deadline = Math.max(v, 1);
        } else {
            pt.deadline = now + value;
        }
        pt.interval = pt.deadline == 0 ? 0 : interval;
        pt.overrun = 0;
        return 0;
    }

    private int gettime(Task t, int id, int addr, boolean time64) {
        writeCurrent(t, find(t, id), addr, time64);
        return 0;
    }

    /** itimerspec: it_interval, then it_value (time left; 0 when disarmed). */
    private void writeCurrent(Task t, PosixTimer pt, int addr, boolean time64) {
        long left = pt.deadline == 0 ? 0 : Math.max(1, pt.deadline - clockNow(t, pt));
        if (time64) {
            TimeSyscalls.writeTimespec64(t, addr, pt.interval);
            TimeSyscalls.writeTimespec64(t, addr + 16, left);
        } else {
            TimeSyscalls.writeTimespec32(t, addr, pt.interval);
            TimeSyscalls.writeTimespec32(t, addr + 8, left);
        }
    }

    private static long read(Task t, int addr, boolean time64) {
        return time64 ? TimeSyscalls.readTimespec64(t, addr) : TimeSyscalls.readTimespec32(t, addr);
    }

    private int delete(Task t, int id, int b, int c, int d, int e, int f) {
        PosixTimer pt = find(t, id);
        leader(t).timers.remove(id);
        // a notification still queued goes with the timer
        for (Task x : k.tasks.values()) {
            if (x.tgid != t.tgid || pt.signo <= 0) continue;
            for (org.j386.kernel.SigPending set : new org.j386.kernel.SigPending[] {x.signals.pending, x.signals.shared}) {
                SigInfo q = set.find(pt.signo, i -> i.code() == SigInfo.SI_TIMER && i.pid() == pt.id);
                if (q != null) set.remove(q);
            }
        }
        return 0;
    }
}
