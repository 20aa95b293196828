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
    public long pending;
    public int altStackBase, altStackSize, altStackFlags = 2; // SS_DISABLE
    /** siginfo of each pending signal. */
    public final SigInfo[] pendingInfo = new SigInfo[Signals.NSIG + 1];

    public static final int SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000,
            SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000, SA_RESTORER = 0x04000000;
}
