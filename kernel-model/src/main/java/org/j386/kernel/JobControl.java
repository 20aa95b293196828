package org.j386.kernel;

/**
 * Job control: a stop signal's default action stops every thread of the process until a
 * SIGCONT; the parent learns of both through SIGCHLD (CLD_STOPPED, CLD_CONTINUED, unless it
 * set SA_NOCLDSTOP) and wait4's WUNTRACED and WCONTINUED. A stopped task keeps its state
 * (blocked in a system call or not) and is simply not scheduled.
 */
public final class JobControl {
    static final int SA_NOCLDSTOP = 1;
    private final Kernel k;

    JobControl(Kernel k) {
        this.k = k;
    }

    /** Stops the process of {@code t} with {@code sig}; a stop of a stopped process changes nothing. */
    public void stop(Task t, int sig) {
        Task leader = k.tasks.getOrDefault(t.tgid, t);
        if (leader.exited || leader.stopped) return;
        for (Task o : k.tasks.values()) {
            if (o.tgid != t.tgid || o.exited) continue;
            o.stopped = true;
            o.signals.discard(1L << (Signals.SIGCONT - 1));
            if (o == k.current) k.cpu.stopRequested = true;
        }
        leader.stopSignal = sig;
        leader.stopUnreported = true;
        leader.continueUnreported = false;
        notifyParent(leader, SigInfo.CLD_STOPPED, sig);
    }

    /** SIGCONT was sent to the process of {@code t}: pending stop signals are dropped, and a stopped process resumes. */
    public void continued(Task t) {
        Task leader = k.tasks.getOrDefault(t.tgid, t);
        boolean wasStopped = leader.stopped;
        for (Task o : k.tasks.values()) {
            if (o.tgid != t.tgid) continue;
            o.signals.discard(STOP_SIGNALS);
            o.stopped = false;
        }
        if (!wasStopped || leader.exited) return;
        leader.stopUnreported = false;
        leader.continueUnreported = true;
        notifyParent(leader, SigInfo.CLD_CONTINUED, Signals.SIGCONT);
    }

    /** A stop signal was sent: a SIGCONT still pending is discarded. */
    public void dropPendingContinue(Task t) {
        for (Task o : k.tasks.values()) if (o.tgid == t.tgid) o.signals.discard(1L << (Signals.SIGCONT - 1));
    }

    /**
     * POSIX's orphaned process group: no member has a parent in another group of the same
     * session. Terminal stop signals to such a group are discarded, as nobody could continue it.
     */
    public boolean orphanedGroup(int pgid) {
        for (Task o : k.tasks.values()) {
            if (o.pgid != pgid || o.exited || o.pid != o.tgid) continue;
            Task p = o.parent;
            if (p != null && !p.exited && p.pgid != pgid && p.sid == o.sid) return false;
        }
        return true;
    }

    private void notifyParent(Task leader, int code, int sig) {
        Task p = leader.parent;
        if (p == null || p.exited) return;
        p.childExit.wakeAll();
        if ((p.signals.flags[Signals.SIGCHLD] & SA_NOCLDSTOP) != 0) return;
        k.sendProcessSignal(p, SigInfo.child(code, leader.tgid, leader.uid, sig));
    }

    private static final long STOP_SIGNALS = (1L << (Signals.SIGSTOP - 1)) | (1L << (Signals.SIGTSTP - 1))
            | (1L << (Signals.SIGTTIN - 1)) | (1L << (Signals.SIGTTOU - 1));
}
