package org.j386.kernel.sys;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.fs.EpollFile;
import org.j386.kernel.fs.EventFd;
import org.j386.kernel.fs.Flags;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.fs.SignalFd;
import org.j386.kernel.fs.TimerFd;

import java.util.List;

/** The event descriptors: epoll, eventfd, timerfd and signalfd. */
public final class EventSyscalls {
    static final int EFD_SEMAPHORE = 1;
    static final int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
    private final Kernel k;
    /** Inode numbers of anonymous inodes, per kernel so that runs repeat. */
    private int nextIno = 9000;

    public EventSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(254, "epoll_create", "d", (task, a, b, c, d, e, f) -> {
            if (a <= 0) throw new SyscallException(Errno.EINVAL);
            return install(task, new EpollFile(0, nextIno++), 0); });
        t.register(329, "epoll_create1", "x", (task, a, b, c, d, e, f) -> {
            if ((a & ~Flags.O_CLOEXEC) != 0) throw new SyscallException(Errno.EINVAL);
            return install(task, new EpollFile(0, nextIno++), a); });
        t.register(255, "epoll_ctl", "dddp", this::epollCtl);
        t.register(256, "epoll_wait", "dpdd", (task, a, b, c, d, e, f) -> epollWait(task, a, b, c, d < 0 ? -1 : d * 1_000_000L));
        t.register(319, "epoll_pwait", "dpddpd", (task, a, b, c, d, e, f) -> {
            long timeout = d < 0 ? -1 : d * 1_000_000L;
            if (e == 0) return epollWait(task, a, b, c, timeout);
            if (f != 8) throw new SyscallException(Errno.EINVAL);
            return PollSyscalls.withMask(task, task.mem.readLong(e), () -> epollWait(task, a, b, c, timeout)); });
        t.register(323, "eventfd", "d", (task, a, b, c, d, e, f) -> install(task, new EventFd(a & 0xffffffffL, false, 0, nextIno++), 0));
        t.register(328, "eventfd2", "dx", (task, a, b, c, d, e, f) -> {
            if ((b & ~(EFD_SEMAPHORE | Flags.O_CLOEXEC | Flags.O_NONBLOCK)) != 0) throw new SyscallException(Errno.EINVAL);
            return install(task, new EventFd(a & 0xffffffffL, (b & EFD_SEMAPHORE) != 0, b & Flags.O_NONBLOCK, nextIno++), b); });
        t.register(322, "timerfd_create", "dx", this::timerfdCreate);
        t.register(325, "timerfd_settime", "dxpp", (task, a, b, c, d, e, f) -> timerfdSet(task, a, b, c, d, false));
        t.register(411, "timerfd_settime64", "dxpp", (task, a, b, c, d, e, f) -> timerfdSet(task, a, b, c, d, true));
        t.register(326, "timerfd_gettime", "dp", (task, a, b, c, d, e, f) -> timerfdGet(task, a, b, false));
        t.register(410, "timerfd_gettime64", "dp", (task, a, b, c, d, e, f) -> timerfdGet(task, a, b, true));
        t.register(321, "signalfd", "dpd", (task, a, b, c, d, e, f) -> signalfd(task, a, b, c, 0));
        t.register(327, "signalfd4", "dpdx", this::signalfd);
    }

    private static int install(Task t, OpenFile f, int flags) {
        return t.files.allocate(f, (flags & Flags.O_CLOEXEC) != 0);
    }

    private <T> T fileOf(Task t, int fd, Class<T> kind) {
        OpenFile f = t.files.get(fd);
        if (!kind.isInstance(f)) throw new SyscallException(Errno.EINVAL);
        return kind.cast(f);
    }

    private int epollCtl(Task t, int epfd, int op, int fd, int eventAddr, int e, int f) {
        EpollFile ep = fileOf(t, epfd, EpollFile.class);
        OpenFile target = t.files.get(fd);
        int events = 0;
        long data = 0;
        if (op != EpollFile.CTL_DEL) {
            events = t.mem.readInt(eventAddr);
            data = t.mem.readLong(eventAddr + 4); // struct epoll_event is packed on i386: 12 bytes
        }
        ep.ctl(op, fd, target, events, data);
        return 0;
    }

    private int epollWait(Task t, int epfd, int eventsAddr, int max, long timeoutNs) {
        if (max <= 0 || max > Integer.MAX_VALUE / 12) throw new SyscallException(Errno.EINVAL);
        EpollFile ep = fileOf(t, epfd, EpollFile.class);
        List<long[]> ready = ep.ready(t, max);
        if (!ready.isEmpty() || timeoutNs == 0) {
            for (int i = 0; i < ready.size(); i++) {
                t.mem.writeInt(eventsAddr + 12 * i, (int) ready.get(i)[0]);
                t.mem.writeLong(eventsAddr + 12 * i + 4, ready.get(i)[1]);
            }
            t.sleepDeadline = 0;
            return ready.size();
        }
        if (t.sleepDeadline != 0 && k.clock.monotonicNanos() >= t.sleepDeadline) {
            t.sleepDeadline = 0;
            return 0;
        }
        if (t.sleepDeadline == 0 && timeoutNs > 0) t.sleepDeadline = k.clock.monotonicNanos() + timeoutNs;
        ep.pollWait(t);
        t.interruptOnly = true; // epoll_wait is never restarted after a handler: EINTR
        throw new BlockedException(null);
    }

    private int timerfdCreate(Task t, int clockId, int flags, int c, int d, int e, int f) {
        if ((flags & ~(Flags.O_CLOEXEC | Flags.O_NONBLOCK)) != 0) throw new SyscallException(Errno.EINVAL);
        switch (clockId) {
            case TimeSyscalls.CLOCK_REALTIME, TimeSyscalls.CLOCK_MONOTONIC, TimeSyscalls.CLOCK_BOOTTIME -> { }
            case TimeSyscalls.CLOCK_REALTIME_ALARM, TimeSyscalls.CLOCK_BOOTTIME_ALARM -> throw new SyscallException(Errno.EPERM);
            default -> throw new SyscallException(Errno.EINVAL);
        }
        return install(t, new TimerFd(clockId, k.clock::monotonicNanos, () -> k.current, flags & Flags.O_NONBLOCK, nextIno++), flags);
    }

    private int timerfdSet(Task t, int fd, int flags, int newAddr, int oldAddr, boolean time64) {
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) throw new SyscallException(Errno.EINVAL);
        TimerFd tf = fileOf(t, fd, TimerFd.class);
        long interval = time64 ? TimeSyscalls.readTimespec64(t, newAddr) : TimeSyscalls.readTimespec32(t, newAddr);
        long value = time64 ? TimeSyscalls.readTimespec64(t, newAddr + 16) : TimeSyscalls.readTimespec32(t, newAddr + 8);
        if (oldAddr != 0) writeItimerspec(t, oldAddr, tf.current(), time64);
        long deadline = 0;
        if (value != 0) {
            long mono = k.clock.monotonicNanos();
            if ((flags & TFD_TIMER_ABSTIME) != 0) {
                deadline = tf.clockId == TimeSyscalls.CLOCK_REALTIME ? value - (k.clock.realtimeNanos() - mono) : value;
                deadline = Math.max(deadline, 1);
            } else {
                deadline = mono + value;
            }
        }
        tf.set(deadline, interval);
        return 0;
    }

    private int timerfdGet(Task t, int fd, int addr, boolean time64) {
        writeItimerspec(t, addr, fileOf(t, fd, TimerFd.class).current(), time64);
        return 0;
    }

    /** itimerspec: interval first, then the time left. */
    private static void writeItimerspec(Task t, int addr, long[] leftAndInterval, boolean time64) {
        if (time64) {
            TimeSyscalls.writeTimespec64(t, addr, leftAndInterval[1]);
            TimeSyscalls.writeTimespec64(t, addr + 16, leftAndInterval[0]);
        } else {
            TimeSyscalls.writeTimespec32(t, addr, leftAndInterval[1]);
            TimeSyscalls.writeTimespec32(t, addr + 8, leftAndInterval[0]);
        }
    }

    private int signalfd(Task t, int fd, int maskAddr, int size, int flags, int e, int f) {
        return signalfd(t, fd, maskAddr, size, flags);
    }

    private int signalfd(Task t, int fd, int maskAddr, int size, int flags) {
        if (size != 8 || (flags & ~(Flags.O_CLOEXEC | Flags.O_NONBLOCK)) != 0) throw new SyscallException(Errno.EINVAL);
        long mask = t.mem.readLong(maskAddr) & ~org.j386.kernel.Signals.UNBLOCKABLE;
        if (fd != -1) {
            fileOf(t, fd, SignalFd.class).mask = mask;
            return fd;
        }
        return install(t, new SignalFd(mask, () -> k.current, flags & Flags.O_NONBLOCK, nextIno++), flags);
    }
}
