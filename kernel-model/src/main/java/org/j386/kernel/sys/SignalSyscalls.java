package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SignalState;
import org.j386.kernel.Signals;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** rt_sigaction, sigaction, rt_sigprocmask, sigprocmask, sigaltstack: recorded dispositions and masks. */
public final class SignalSyscalls {

    private final Kernel k;

    public SignalSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(174, "rt_sigaction", "dppd", this::rtSigaction);
        t.register(67, "sigaction", "dpp", this::sigaction);
        t.register(175, "rt_sigprocmask", "dppd", this::rtSigprocmask);
        t.register(126, "sigprocmask", "dpp", this::sigprocmask);
        t.register(176, "rt_sigpending", "pd", (task, a, b, c, d, e, f) -> {
            if (b != 8) throw new SyscallException(Errno.EINVAL);
            task.mem.writeLong(a, task.signals.pendingMask() & task.signals.blocked);
            return 0; });
        t.register(186, "sigaltstack", "pp", this::sigaltstack);
        t.register(119, "sigreturn", "", (task, a, b, c, d, e, f) -> k.sigreturn(task, false));
        t.register(173, "rt_sigreturn", "", (task, a, b, c, d, e, f) -> k.sigreturn(task, true));
    }

    private static void checkSig(int sig) {
        if (sig < 1 || sig > Signals.NSIG) throw new SyscallException(Errno.EINVAL);
    }

    private int rtSigaction(Task t, int sig, int act, int oact, int sigsetsize, int e, int f) {
        if (sigsetsize != 8) throw new SyscallException(Errno.EINVAL);
        checkSig(sig);
        SignalState s = t.signals;
        int h = 0, fl = 0, rest = 0;
        long mask = 0;
        if (act != 0) {
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP) throw new SyscallException(Errno.EINVAL);
            h = t.mem.readInt(act);
            fl = t.mem.readInt(act + 4);
            rest = t.mem.readInt(act + 8);
            mask = t.mem.readLong(act + 12);
        }
        if (oact != 0) {
            t.mem.writeInt(oact, s.handler[sig]);
            t.mem.writeInt(oact + 4, s.flags[sig]);
            t.mem.writeInt(oact + 8, s.restorer[sig]);
            t.mem.writeLong(oact + 12, s.mask[sig]);
        }
        if (act != 0) set(t, sig, h, fl, rest, mask);
        return 0;
    }

    private int sigaction(Task t, int sig, int act, int oact, int d, int e, int f) {
        checkSig(sig);
        SignalState s = t.signals;
        int h = 0, fl = 0, rest = 0;
        long mask = 0;
        if (act != 0) {
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP) throw new SyscallException(Errno.EINVAL);
            h = t.mem.readInt(act);
            mask = t.mem.readInt(act + 4) & 0xffffffffL;
            fl = t.mem.readInt(act + 8);
            rest = t.mem.readInt(act + 12);
        }
        if (oact != 0) {
            t.mem.writeInt(oact, s.handler[sig]);
            t.mem.writeInt(oact + 4, (int) s.mask[sig]);
            t.mem.writeInt(oact + 8, s.flags[sig]);
            t.mem.writeInt(oact + 12, s.restorer[sig]);
        }
        if (act != 0) set(t, sig, h, fl, rest, mask);
        return 0;
    }

    private void set(Task t, int sig, int h, int fl, int rest, long mask) {
        SignalState s = t.signals;
        s.handler[sig] = h;
        s.flags[sig] = fl;
        s.restorer[sig] = rest;
        s.mask[sig] = mask & ~Signals.UNBLOCKABLE;
        discardIfIgnored(k, t, sig);
    }

    /** A signal whose action becomes "ignore" is no longer pending anywhere in the process (POSIX, Linux's do_sigaction). */
    static void discardIfIgnored(Kernel k, Task t, int sig) {
        int h = t.signals.handler[sig];
        if (h != Signals.SIG_IGN && !(h == Signals.SIG_DFL && Signals.ignoredByDefault(sig))) return;
        for (Task x : k.tasks.values()) if (x.tgid == t.tgid) x.signals.discard(1L << (sig - 1));
    }

    private int rtSigprocmask(Task t, int how, int set, int oset, int size, int e, int f) {
        if (size != 8) throw new SyscallException(Errno.EINVAL);
        long nset = set != 0 ? t.mem.readLong(set) : 0;
        return procmask(t, how, set != 0, nset, oset, true);
    }

    private int sigprocmask(Task t, int how, int set, int oset, int d, int e, int f) {
        long nset = set != 0 ? t.mem.readInt(set) & 0xffffffffL : 0;
        int r = procmask(t, how, set != 0, nset | (t.signals.blocked & ~0xffffffffL & (how == 2 ? -1L : 0)), oset, false);
        return r;
    }

    private static int procmask(Task t, int how, boolean hasSet, long nset, int oset, boolean wide) {
        SignalState s = t.signals;
        long old = s.blocked;
        if (hasSet) {
            switch (how) {
                case 0: s.blocked |= nset; break;           // SIG_BLOCK
                case 1: s.blocked &= ~nset; break;          // SIG_UNBLOCK
                case 2: s.blocked = nset; break;            // SIG_SETMASK
                default: throw new SyscallException(Errno.EINVAL);
            }
            s.blocked &= ~Signals.UNBLOCKABLE;
        }
        if (oset != 0) {
            if (wide) t.mem.writeLong(oset, old);
            else t.mem.writeInt(oset, (int) old);
        }
        return 0;
    }

    private int sigaltstack(Task t, int ss, int oss, int c, int d, int e, int f) {
        SignalState s = t.signals;
        if (oss != 0) {
            t.mem.writeInt(oss, s.altStackBase);
            t.mem.writeInt(oss + 4, s.altStackFlags);
            t.mem.writeInt(oss + 8, s.altStackSize);
        }
        if (ss != 0) {
            int base = t.mem.readInt(ss), flags = t.mem.readInt(ss + 4), size = t.mem.readInt(ss + 8);
            if (flags != 0 && flags != 2) throw new SyscallException(Errno.EINVAL);
            if (flags == 0 && Integer.compareUnsigned(size, 2048) < 0) throw new SyscallException(Errno.ENOMEM);
            s.altStackBase = flags == 2 ? 0 : base;
            s.altStackSize = flags == 2 ? 0 : size;
            s.altStackFlags = flags;
        }
        return 0;
    }
}
