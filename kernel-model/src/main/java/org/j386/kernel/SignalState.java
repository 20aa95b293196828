package org.j386.kernel;

/**
 * A task's signal dispositions (struct k_sigaction per signal), blocked mask and alternate
 * stack, as recorded by rt_sigaction, rt_sigprocmask and sigaltstack.
 */
public final class SignalState {
    /**
     * Handler address per signal (0 = SIG_DFL, 1 = SIG_IGN), index 1..64, with its flags,
     * restorer and mask. Threads created with CLONE_SIGHAND share these four arrays.
     */
    public int[] handler = new int[Signals.NSIG + 1];
    public int[] flags = new int[Signals.NSIG + 1];
    public int[] restorer = new int[Signals.NSIG + 1];
    public long[] mask = new long[Signals.NSIG + 1];

    /** Shares the dispositions of {@code other} (CLONE_SIGHAND). */
    public void shareHandlers(SignalState other) {
        handler = other.handler;
        flags = other.flags;
        restorer = other.restorer;
        mask = other.mask;
    }
    public long blocked;
    /** Signals sent to this thread (tkill, tgkill, faults, SIGPIPE). */
    public final SigPending pending = new SigPending();
    /** Signals sent to the process: one set shared by all its threads (CLONE_THREAD). */
    public SigPending shared = new SigPending();
    public int altStackBase, altStackSize, altStackFlags = 2; // SS_DISABLE

    /** Drops every pending instance of the signals in {@code set}, the thread's own and its process's. */
    public void discard(long set) {
        pending.discard(set);
        shared.discard(set);
    }

    /** Every signal pending for this thread, its own and its process's. */
    public long pendingMask() {
        return pending.mask() | shared.mask();
    }

    public static final int SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000,
            SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000, SA_RESTORER = 0x04000000;
}
