package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SigInfo;
import org.j386.kernel.SigPending;
import org.j386.kernel.SignalState;
import org.j386.kernel.Signals;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/**
 * Scheduling parameters (one CPU, one policy that matters: the round robin in virtual time,
 * so nice values and policies are recorded and reported, not acted on), and the older and
 * queued forms of signal calls: signal, sigpending, sgetmask/ssetmask, rt_sigqueueinfo.
 */
public final class SchedSyscalls {
    static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5;
    static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;
    private final Kernel k;

    public SchedSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(96, "getpriority", "dd", this::getpriority);
        t.register(97, "setpriority", "ddd", this::setpriority);
        t.register(157, "sched_getscheduler", "d", (task, a, b, c, d, e, f) -> target(task, a).schedPolicy);
        t.register(156, "sched_setscheduler", "ddp", (task, a, b, c, d, e, f) -> setscheduler(task, a, b, c));
        t.register(155, "sched_getparam", "dp", (task, a, b, c, d, e, f) -> {
            Task x = target(task, a);
            task.mem.writeInt(b, x.schedPriority);
            return 0; });
        t.register(154, "sched_setparam", "dp", (task, a, b, c, d, e, f) -> setscheduler(task, a, -1, b));
        t.register(159, "sched_get_priority_max", "d", (task, a, b, c, d, e, f) -> priorityRange(a, true));
        t.register(160, "sched_get_priority_min", "d", (task, a, b, c, d, e, f) -> priorityRange(a, false));
        t.register(161, "sched_rr_get_interval", "dp", (task, a, b, c, d, e, f) -> {
            target(task, a);
            TimeSyscalls.writeTimespec32(task, b, 100_000_000L); // the default SCHED_RR timeslice, 100 ms
            return 0; });
        t.register(241, "sched_setaffinity", "ddp", (task, a, b, c, d, e, f) -> {
            target(task, a);
            if (b < 4) throw new SyscallException(Errno.EINVAL);
            if ((task.mem.readInt(c) & 1) == 0) throw new SyscallException(Errno.EINVAL); // CPU 0 is the only one
            return 0; });
        t.register(318, "getcpu", "ppp", (task, a, b, c, d, e, f) -> {
            if (a != 0) task.mem.writeInt(a, 0);
            if (b != 0) task.mem.writeInt(b, 0);
            return 0; });
        t.register(73, "sigpending", "p", (task, a, b, c, d, e, f) -> {
            task.mem.writeInt(a, (int) (task.signals.pendingMask() & task.signals.blocked));
            return 0; });
        t.register(68, "sgetmask", "", (task, a, b, c, d, e, f) -> (int) task.signals.blocked);
        t.register(69, "ssetmask", "x", (task, a, b, c, d, e, f) -> {
            int old = (int) task.signals.blocked;
            task.signals.blocked = (task.signals.blocked & ~0xffffffffL) | (a & 0xffffffffL) & ~Signals.UNBLOCKABLE;
            return old; });
        t.register(48, "signal", "dx", this::signal);
        t.register(178, "rt_sigqueueinfo", "ddp", (task, a, b, c, d, e, f) -> sigqueue(task, a, -1, b, c));
        t.register(335, "rt_tgsigqueueinfo", "dddp", (task, a, b, c, d, e, f) -> sigqueue(task, a, b, c, d));
    }


    private Task target(Task t, int pid) {
        if (pid < 0) throw new SyscallException(Errno.EINVAL);
        if (pid == 0) return t;
        Task x = k.tasks.get(pid);
        if (x == null || x.exited) throw new SyscallException(Errno.ESRCH);
        return x;
    }

    private java.util.List<Task> priorityTargets(Task t, int which, int who) {
        java.util.List<Task> out = new java.util.ArrayList<>();
        switch (which) {
            case PRIO_PROCESS -> {
                Task x = who == 0 ? t : k.tasks.get(who);
                if (x != null && !x.exited) out.add(x);
            }
            case PRIO_PGRP -> {
                int g = who == 0 ? t.pgid : who;
                for (Task x : k.tasks.values()) if (!x.exited && x.pgid == g) out.add(x);
            }
            case PRIO_USER -> {
                int u = who == 0 ? t.uid : who;
                for (Task x : k.tasks.values()) if (!x.exited && x.uid == u) out.add(x);
            }
            default -> throw new SyscallException(Errno.EINVAL);
        }
        return out;
    }

    /** The raw syscall returns 20 - nice (1..40), so that no success is negative; the C library converts. */
    private int getpriority(Task t, int which, int who, int c, int d, int e, int f) {
        java.util.List<Task> ts = priorityTargets(t, which, who);
        if (ts.isEmpty()) throw new SyscallException(Errno.ESRCH);
        int best = 40;
        for (Task x : ts) best = Math.min(best, x.nice);
        return 20 - best;
    }

    private int setpriority(Task t, int which, int who, int niceval, int d, int e, int f) {
        java.util.List<Task> ts = priorityTargets(t, which, who);
        if (ts.isEmpty()) throw new SyscallException(Errno.ESRCH);
        int nice = Math.max(-20, Math.min(19, niceval));
        for (Task x : ts) {
            if (t.euid != 0 && x.uid != t.euid && x.euid != t.euid) throw new SyscallException(Errno.EPERM);
            if (nice < x.nice && t.euid != 0) throw new SyscallException(Errno.EACCES); // raising priority needs CAP_SYS_NICE
        }
        for (Task x : ts) x.nice = nice;
        return 0;
    }

    private static int priorityRange(int policy, boolean max) {
        return switch (policy) {
            case SCHED_FIFO, SCHED_RR -> max ? 99 : 1;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE -> 0;
            default -> throw new SyscallException(Errno.EINVAL);
        };
    }

    /** policy -1: sched_setparam (keep the policy). */
    private int setscheduler(Task t, int pid, int policy, int paramAddr) {
        Task x = target(t, pid);
        if (paramAddr == 0) throw new SyscallException(Errno.EINVAL);
        int prio = t.mem.readInt(paramAddr);
        int p = policy == -1 ? x.schedPolicy : policy & ~0x40000000; // SCHED_RESET_ON_FORK
        int lo, hi;
        switch (p) {
            case SCHED_FIFO, SCHED_RR -> { lo = 1; hi = 99; }
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE -> { lo = 0; hi = 0; }
            default -> throw new SyscallException(Errno.EINVAL);
        }
        if (prio < lo || prio > hi) throw new SyscallException(Errno.EINVAL);
        if ((p == SCHED_FIFO || p == SCHED_RR) && t.euid != 0) throw new SyscallException(Errno.EPERM);
        x.schedPolicy = p;
        x.schedPriority = prio;
        return 0;
    }

    /** signal(2): System V semantics as Linux gives them: the handler is reset on delivery and the signal not blocked during it. */
    private int signal(Task t, int sig, int handler, int c, int d, int e, int f) {
        if (sig < 1 || sig > Signals.NSIG || sig == Signals.SIGKILL || sig == Signals.SIGSTOP) throw new SyscallException(Errno.EINVAL);
        SignalState s = t.signals;
        int old = s.handler[sig];
        s.handler[sig] = handler;
        s.flags[sig] = SignalState.SA_RESETHAND | SignalState.SA_NODEFER;
        s.mask[sig] = 0;
        s.restorer[sig] = 0;
        SignalSyscalls.discardIfIgnored(k, t, sig);
        return old;
    }

    /** rt_sigqueueinfo and rt_tgsigqueueinfo: the caller's siginfo; only the kernel may claim SI_USER or kernel codes for others. */
    private int sigqueue(Task t, int tgid, int tid, int sig, int infoAddr) {
        if (sig < 0 || sig > Signals.NSIG) throw new SyscallException(Errno.EINVAL);
        int code = t.mem.readInt(infoAddr + 8);
        int value = t.mem.readInt(infoAddr + 20);
        Task x = tid < 0 ? k.tasks.get(tgid) : k.tasks.get(tid);
        if (x == null || x.exited || (tid >= 0 && x.tgid != tgid) || (tid < 0 && x.pid != x.tgid)) throw new SyscallException(Errno.ESRCH);
        if ((code >= 0 || code == SigInfo.SI_TKILL) && x.tgid != t.tgid) throw new SyscallException(Errno.EPERM);
        if (t.euid != 0 && t.uid != x.uid && t.euid != x.uid) throw new SyscallException(Errno.EPERM);
        if (sig == 0) return 0;
        SigInfo info = SigInfo.queued(sig, code, t.tgid, t.uid, value);
        SigPending set = tid < 0 ? x.signals.shared : x.signals.pending;
        if (sig >= Signals.SIGRTMIN && set.count() >= x.rlimCur[Task.RLIMIT_SIGPENDING]) throw new SyscallException(Errno.EAGAIN);
        if (tid < 0) k.sendProcessSignal(x, info);
        else k.sendSignal(x, info);
        return 0;
    }
}
