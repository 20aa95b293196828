package org.j386.kernel;

/** What the kernel knows about a signal it raises: the siginfo fields and, for faults, the trap. */
public record SigInfo(int signo, int code, int addr, int pid, int uid, int trapno, int err, int cr2, int status) {
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_TKILL = -6, SI_TIMER = -2, SI_QUEUE = -1;
    /** SIGCHLD codes: how the child changed. */
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, ILL_ILLOPN = 2, FPE_INTDIV = 1, FPE_FLTINV = 7,
            TRAP_BRKPT = 1, TRAP_TRACE = 2, BUS_ADRALN = 1;

    /** A signal sent by kill/tkill/tgkill. */
    public static SigInfo user(int signo, int code, int pid, int uid) {
        return new SigInfo(signo, code, 0, pid, uid, 0, 0, 0, 0);
    }

    /** A signal caused by a processor exception. */
    public static SigInfo fault(int signo, int code, int addr, int trapno, int err, int cr2) {
        return new SigInfo(signo, code, addr, 0, 0, trapno, err, cr2, 0);
    }

    /** SIGCHLD to a parent: {@code code} is CLD_*, {@code status} the exit code or signal. */
    public static SigInfo child(int code, int pid, int uid, int status) {
        return new SigInfo(Signals.SIGCHLD, code, 0, pid, uid, 0, 0, 0, status);
    }

    /**
     * A POSIX timer's expiry (SI_TIMER): the record's pid, uid and status fields carry the
     * timer id, the overrun count and the sigevent value.
     */
    public static SigInfo timer(int signo, int timerId, int overrun, int value) {
        return new SigInfo(signo, SI_TIMER, 0, timerId, overrun, 0, 0, 0, value);
    }

    /** sigqueue (rt_sigqueueinfo): the sender's code, pid and uid, and the value it sent (kept in status). */
    public static SigInfo queued(int signo, int code, int pid, int uid, int value) {
        return new SigInfo(signo, code, 0, pid, uid, 0, 0, 0, value);
    }

    /** The 128-byte i386 siginfo_t. */
    public byte[] encode() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, signo).putInt(4, 0).putInt(8, code);
        if (code == SI_USER || code == SI_TKILL) {
            b.putInt(12, pid).putInt(16, uid);
        } else if (code == SI_QUEUE || (code < 0 && code != SI_TIMER && code != SI_TKILL)) {
            b.putInt(12, pid).putInt(16, uid).putInt(20, status); // si_pid, si_uid, si_value
        } else if (code == SI_TIMER) {
            b.putInt(12, pid).putInt(16, uid).putInt(20, status); // si_tid, si_overrun, si_value
        } else if (signo == Signals.SIGCHLD && code >= CLD_EXITED && code <= CLD_CONTINUED) {
            b.putInt(12, pid).putInt(16, uid).putInt(20, status); // si_utime, si_stime: 0
        } else {
            b.putInt(12, addr);
        }
        return b.array();
    }
}
