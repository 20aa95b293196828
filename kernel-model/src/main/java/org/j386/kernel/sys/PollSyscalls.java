package org.j386.kernel.sys;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.fs.OpenFile;

/**
 * poll, ppoll, select (_newselect) and pselect6. Nothing ready and time left: the task sleeps
 * on the wait queues of the polled files (and until its deadline) and re-runs the call when
 * woken, which then sees the new readiness.
 */
public final class PollSyscalls {
    private static final long NS = 1_000_000_000L;
    private final Kernel k;

    public PollSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(168, "poll", "pdd", (task, a, b, c, d, e, f) -> poll(task, a, b, c < 0 ? -1 : c * 1_000_000L));
        t.register(309, "ppoll", "pdppd", (task, a, b, c, d, e, f) -> ppoll(task, a, b, c, d, e, false));
        t.register(414, "ppoll_time64", "pdppd", (task, a, b, c, d, e, f) -> ppoll(task, a, b, c, d, e, true));
        t.register(142, "_newselect", "dpppp", (task, a, b, c, d, e, f) -> select(task, a, b, c, d, timeval(task, e)));
        t.register(308, "pselect6", "dppppp", (task, a, b, c, d, e, f) -> pselect(task, a, b, c, d, e, f, false));
        t.register(413, "pselect6_time64", "dppppp", (task, a, b, c, d, e, f) -> pselect(task, a, b, c, d, e, f, true));
    }

    private static long timeval(Task t, int addr) {
        if (addr == 0) return -1;
        long sec = t.mem.readInt(addr), usec = t.mem.readInt(addr + 4);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) throw new SyscallException(Errno.EINVAL);
        return sec * NS + usec * 1000;
    }

    private static long timespec(Task t, int addr, boolean time64) {
        if (addr == 0) return -1;
        long sec = time64 ? t.mem.readLong(addr) : t.mem.readInt(addr);
        long nsec = t.mem.readInt(addr + (time64 ? 8 : 4));
        if (sec < 0 || nsec < 0 || nsec >= NS) throw new SyscallException(Errno.EINVAL);
        return sec * NS + nsec;
    }

    /** The restart logic shared by every form: ready now, time is up, or sleep. */
    private int waitOrReturn(Task t, int ready, long timeoutNs, Runnable register) {
        if (ready > 0 || timeoutNs == 0) {
            t.sleepDeadline = 0;
            return ready;
        }
        if (t.sleepDeadline != 0 && k.clock.monotonicNanos() >= t.sleepDeadline) {
            t.sleepDeadline = 0;
            return 0;
        }
        if (t.sleepDeadline == 0 && timeoutNs > 0) t.sleepDeadline = k.clock.monotonicNanos() + timeoutNs;
        register.run();
        t.interruptOnly = true; // poll and select are never restarted after a handler: EINTR
        throw new BlockedException(null);
    }

    private int poll(Task t, int fds, int nfds, long timeoutNs) {
        if (nfds < 0 || nfds > t.rlimCur[Task.RLIMIT_NOFILE] && nfds > 1024) throw new SyscallException(Errno.EINVAL);
        int ready = 0;
        for (int i = 0; i < nfds; i++) {
            int at = fds + 8 * i;
            int fd = t.mem.readInt(at);
            int events = t.mem.readWord(at + 4);
            int revents = 0;
            if (fd >= 0) {
                OpenFile f = t.files.peek(fd);
                if (f == null) revents = OpenFile.POLLNVAL;
                else revents = f.pollEvents() & (events | OpenFile.POLLERR | OpenFile.POLLHUP | OpenFile.POLLNVAL);
            }
            t.mem.writeWord(at + 6, revents);
            if (revents != 0) ready++;
        }
        return waitOrReturn(t, ready, timeoutNs, () -> {
            for (int i = 0; i < nfds; i++) {
                int fd = t.mem.readInt(fds + 8 * i);
                OpenFile f = fd >= 0 ? t.files.peek(fd) : null;
                if (f != null) f.pollWait(t);
            }
        });
    }

    private int ppoll(Task t, int fds, int nfds, int tsAddr, int sigmask, int sigsetsize, boolean time64) {
        long timeout = timespec(t, tsAddr, time64);
        if (sigmask == 0) return poll(t, fds, nfds, timeout);
        if (sigsetsize != 8) throw new SyscallException(Errno.EINVAL);
        return withMask(t, t.mem.readLong(sigmask), () -> poll(t, fds, nfds, timeout));
    }

    /**
     * Runs a waiting call with a temporary signal mask, as ppoll and pselect6 do. While the
     * task sleeps the mask stays; a handler that interrupts the wait gets the old mask back
     * through its frame (as with sigsuspend); a normal return restores it here.
     */
    static int withMask(Task t, long mask, java.util.function.IntSupplier call) {
        if (t.suspendSavedMask == -1) t.suspendSavedMask = t.signals.blocked;
        t.signals.blocked = mask & ~org.j386.kernel.Signals.UNBLOCKABLE;
        int r;
        try {
            r = call.getAsInt();
        } catch (BlockedException b) {
            throw b;
        } catch (RuntimeException e) {
            restore(t);
            throw e;
        }
        restore(t);
        return r;
    }

    private static void restore(Task t) {
        if (t.suspendSavedMask != -1) t.signals.blocked = t.suspendSavedMask;
        t.suspendSavedMask = -1;
    }

    /** pselect6: the sixth argument points at {const sigset_t *ss; size_t ss_len}. */
    private int pselect(Task t, int nfds, int r, int w, int x, int ts, int sigArg, boolean time64) {
        long timeout = timespec(t, ts, time64);
        if (sigArg == 0) return select(t, nfds, r, w, x, timeout);
        int ss = t.mem.readInt(sigArg), len = t.mem.readInt(sigArg + 4);
        if (ss == 0) return select(t, nfds, r, w, x, timeout);
        if (len != 8) throw new SyscallException(Errno.EINVAL);
        return withMask(t, t.mem.readLong(ss), () -> select(t, nfds, r, w, x, timeout));
    }

    private int select(Task t, int nfds, int readAddr, int writeAddr, int exceptAddr, long timeoutNs) {
        if (nfds < 0 || nfds > 1024) throw new SyscallException(Errno.EINVAL);
        int words = (nfds + 31) / 32;
        int[] in = bits(t, readAddr, words), out = bits(t, writeAddr, words), ex = bits(t, exceptAddr, words);
        int[] rin = new int[words], rout = new int[words], rex = new int[words];
        int ready = 0;
        for (int fd = 0; fd < nfds; fd++) {
            int w = fd >>> 5, bit = 1 << (fd & 31);
            boolean wantR = (in[w] & bit) != 0, wantW = (out[w] & bit) != 0, wantE = (ex[w] & bit) != 0;
            if (!wantR && !wantW && !wantE) continue;
            OpenFile f = t.files.peek(fd);
            if (f == null) throw new SyscallException(Errno.EBADF);
            int ev = f.pollEvents();
            if (wantR && (ev & (OpenFile.POLLIN | OpenFile.POLLHUP | OpenFile.POLLERR)) != 0) { rin[w] |= bit; ready++; }
            if (wantW && (ev & (OpenFile.POLLOUT | OpenFile.POLLERR)) != 0) { rout[w] |= bit; ready++; }
            if (wantE && (ev & OpenFile.POLLPRI) != 0) { rex[w] |= bit; ready++; }
        }
        if (ready > 0 || timeoutNs == 0 || (t.sleepDeadline != 0 && k.clock.monotonicNanos() >= t.sleepDeadline)) {
            put(t, readAddr, rin);
            put(t, writeAddr, rout);
            put(t, exceptAddr, rex);
        }
        return waitOrReturn(t, ready, timeoutNs, () -> {
            for (int fd = 0; fd < nfds; fd++) {
                int w = fd >>> 5, bit = 1 << (fd & 31);
                if (((in[w] | out[w] | ex[w]) & bit) == 0) continue;
                OpenFile f = t.files.peek(fd);
                if (f != null) f.pollWait(t);
            }
        });
    }

    private static int[] bits(Task t, int addr, int words) {
        int[] b = new int[words];
        if (addr != 0) for (int i = 0; i < words; i++) b[i] = t.mem.readInt(addr + 4 * i);
        return b;
    }

    private static void put(Task t, int addr, int[] b) {
        if (addr != 0) for (int i = 0; i < b.length; i++) t.mem.writeInt(addr + 4 * i, b[i]);
    }
}
