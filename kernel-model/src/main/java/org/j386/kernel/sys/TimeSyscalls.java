package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.VirtualClock;

/** Clocks and sleeps over the {@link VirtualClock}. */
public final class TimeSyscalls {
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
            CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
            CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;
    static final long NS = 1_000_000_000L;

    private final Kernel k;

    public TimeSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(265, "clock_gettime", "dp", (task, a, b, c, d, e, f) -> { writeTimespec32(task, b, now(task, a)); return 0; });
        t.register(403, "clock_gettime64", "dp", (task, a, b, c, d, e, f) -> { writeTimespec64(task, b, now(task, a)); return 0; });
        t.register(266, "clock_getres", "dp", (task, a, b, c, d, e, f) -> { now(task, a); if (b != 0) writeTimespec32(task, b, 1); return 0; });
        t.register(406, "clock_getres_time64", "dp", (task, a, b, c, d, e, f) -> { now(task, a); if (b != 0) writeTimespec64(task, b, 1); return 0; });
        t.register(78, "gettimeofday", "pp", this::gettimeofday);
        t.register(13, "time", "p", (task, a, b, c, d, e, f) -> {
            int secs = (int) (k.clock.realtimeNanos() / NS);
            if (a != 0) task.mem.writeInt(a, secs);
            return secs; });
        t.register(162, "nanosleep", "pp", (task, a, b, c, d, e, f) -> sleep(task, task.sleepDeadline != 0 ? 0 : readTimespec32(task, a)));
        t.register(267, "clock_nanosleep", "dxpp", (task, a, b, c, d, e, f) -> clockNanosleep(task, a, b, readTimespec32(task, c), d, false));
        t.register(407, "clock_nanosleep_time64", "dxpp", (task, a, b, c, d, e, f) -> clockNanosleep(task, a, b, readTimespec64(task, c), d, true));
        t.register(43, "times", "p", this::times);
        t.register(77, "getrusage", "dp", this::getrusage);
    }

    /** The reading of clock {@code id} in nanoseconds, as task {@code t} sees it. */
    long now(Task t, int id) {
        VirtualClock c = k.clock;
        if (id < 0) {
            Task x = cpuClockOwner(k, t, id);
            return (id & CPUCLOCK_PERTHREAD) != 0 ? k.taskCpuNanos(x) : k.processCpuNanos(x);
        }
        switch (id) {
            case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_REALTIME_ALARM: case CLOCK_TAI:
                return c.realtimeNanos();
            case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM:
                return c.monotonicNanos();
            case CLOCK_PROCESS_CPUTIME_ID:
                return k.processCpuNanos(t);
            case CLOCK_THREAD_CPUTIME_ID:
                return k.taskCpuNanos(t);
            default:
                throw new SyscallException(Errno.EINVAL);
        }
    }

    /**
     * A dynamic CPU clock id, as clock_getcpuclockid and glibc's timer_create make them:
     * ~pid << 3 | per-thread bit 4 | clock kind (0 PROF, 1 VIRT, 2 SCHED; all the same CPU
     * time here); pid 0 is the caller. Returns the task (or process) it names.
     */
    static Task cpuClockOwner(Kernel k, Task t, int id) {
        if ((id & 3) == 3) throw new SyscallException(Errno.EINVAL);
        int pid = ~(id >> 3);
        Task x = pid == 0 ? t : k.tasks.get(pid);
        if (x == null || x.exited) throw new SyscallException(Errno.EINVAL);
        if ((id & CPUCLOCK_PERTHREAD) == 0 && x.pid != x.tgid) throw new SyscallException(Errno.EINVAL);
        return x;
    }

    static final int CPUCLOCK_PERTHREAD = 4;

    static void writeTimespec32(Task t, int addr, long ns) {
        t.mem.writeInt(addr, (int) Math.floorDiv(ns, NS));
        t.mem.writeInt(addr + 4, (int) Math.floorMod(ns, NS));
    }

    static void writeTimespec64(Task t, int addr, long ns) {
        t.mem.writeLong(addr, Math.floorDiv(ns, NS));
        t.mem.writeLong(addr + 8, Math.floorMod(ns, NS));
    }

    static long readTimespec32(Task t, int addr) {
        long sec = t.mem.readInt(addr), nsec = t.mem.readInt(addr + 4);
        if (nsec < 0 || nsec >= NS || sec < 0) throw new SyscallException(Errno.EINVAL);
        return sec * NS + nsec;
    }

    static long readTimespec64(Task t, int addr) {
        long sec = t.mem.readLong(addr), nsec = t.mem.readInt(addr + 8);
        if (nsec < 0 || nsec >= NS || sec < 0) throw new SyscallException(Errno.EINVAL);
        return sec > Long.MAX_VALUE / NS ? Long.MAX_VALUE : sec * NS + nsec;
    }

    private int gettimeofday(Task t, int tv, int tz, int c, int d, int e, int f) {
        long ns = k.clock.realtimeNanos();
        if (tv != 0) {
            t.mem.writeInt(tv, (int) (ns / NS));
            t.mem.writeInt(tv + 4, (int) (ns % NS / 1000));
        }
        if (tz != 0) {
            t.mem.writeInt(tz, 0);
            t.mem.writeInt(tz + 4, 0);
        }
        return 0;
    }

    /**
     * A sleep: the task blocks until the virtual clock reaches its deadline (the scheduler
     * jumps time forward when nothing else can run). The call is re-executed on wake-up,
     * which finds the deadline passed and returns.
     */
    private int sleep(Task t, long ns) {
        if (t.sleepDeadline != 0) {
            if (k.clock.monotonicNanos() >= t.sleepDeadline) {
                t.sleepDeadline = 0;
                return 0;
            }
            throw new org.j386.kernel.BlockedException(null);
        }
        if (ns <= 0) return 0;
        t.sleepDeadline = k.clock.monotonicNanos() + ns;
        throw new org.j386.kernel.BlockedException(null);
    }

    private int clockNanosleep(Task t, int clock, int flags, long ns, int rem, boolean time64) {
        if (clock == CLOCK_THREAD_CPUTIME_ID) throw new SyscallException(Errno.EINVAL);
        if (t.sleepDeadline != 0) return sleep(t, 0);
        long current = now(t, clock);
        long delta = (flags & 1) != 0 ? ns - current : ns; // TIMER_ABSTIME
        return sleep(t, delta);
    }

    private int times(Task t, int addr, int b, int c, int d, int e, int f) {
        long ticks = k.processCpuNanos(t) / (NS / 100);
        if (addr != 0) {
            t.mem.writeInt(addr, (int) ticks);
            t.mem.writeInt(addr + 4, 0);
            t.mem.writeInt(addr + 8, 0);
            t.mem.writeInt(addr + 12, 0);
        }
        return (int) (k.clock.monotonicNanos() / (NS / 100));
    }

    private int getrusage(Task t, int who, int addr, int c, int d, int e, int f) {
        if (who != 0 && who != -1 && who != 1) throw new SyscallException(Errno.EINVAL);
        byte[] zero = new byte[72];
        t.mem.write(addr, zero);
        if (who != -1) {
            long us = (who == 1 ? k.taskCpuNanos(t) : k.processCpuNanos(t)) / 1000;
            t.mem.writeInt(addr, (int) (us / 1_000_000));
            t.mem.writeInt(addr + 4, (int) (us % 1_000_000));
        }
        return 0;
    }
}
