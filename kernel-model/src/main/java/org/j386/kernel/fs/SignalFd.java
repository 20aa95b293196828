package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SigInfo;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.util.function.Supplier;

/**
 * signalfd: reading takes pending signals of the mask (the reader's own, then its process's)
 * as 128-byte signalfd_siginfo records, instead of running handlers. The signals are normally
 * blocked; a reader with nothing pending sleeps, and a signal of the mask wakes it.
 */
public final class SignalFd extends OpenFile {
    public long mask;
    private final Supplier<Task> caller;
    private final int ino;

    public SignalFd(long mask, Supplier<Task> caller, int flags, int ino) {
        super(Flags.O_RDWR | flags);
        this.mask = mask;
        this.caller = caller;
        this.ino = ino;
    }

    @Override
    public String path() { return "anon_inode:[signalfd]"; }


    @Override
    public int read(byte[] b, int off, int len) {
        if (len < 128) throw new SyscallException(Errno.EINVAL);
        Task t = caller.get();
        int n = 0;
        while (n + 128 <= len) {
            int sig = Kernel.nextSignal(t, mask);
            if (sig == 0) break;
            encode(Kernel.takeSignal(t, sig), b, off + n);
            n += 128;
        }
        if (n > 0) {
            t.sigwaitMask = 0;
            return n;
        }
        if (nonBlocking()) throw new SyscallException(Errno.EAGAIN);
        t.sigwaitMask = mask; // a signal of the mask wakes the reader although blocked
        throw new BlockedException(null);
    }

    /** struct signalfd_siginfo: signo, errno, code, pid, uid, fd, tid, band, overrun, trapno, status, int, ptr, ..., addr. */
    private static void encode(SigInfo i, byte[] b, int at) {
        java.util.Arrays.fill(b, at, at + 128, (byte) 0);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, at, 128).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] si = i.encode(); // the kernel's siginfo: signo 0, errno 4, code 8, then the union at 12
        java.nio.ByteBuffer s = java.nio.ByteBuffer.wrap(si).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, i.signo()).putInt(8, i.code());
        int code = i.code();
        if (code == SigInfo.SI_TIMER) {
            bb.putInt(24, i.pid()).putInt(32, i.uid()).putInt(44, i.status()); // ssi_tid (timer id), ssi_overrun, ssi_int
        } else if (i.signo() == org.j386.kernel.Signals.SIGCHLD && code >= SigInfo.CLD_EXITED && code <= SigInfo.CLD_CONTINUED) {
            bb.putInt(12, i.pid()).putInt(16, i.uid()).putInt(40, i.status());
        } else if (code <= 0 || code == SigInfo.SI_KERNEL && i.pid() != 0) {
            bb.putInt(12, s.getInt(12)).putInt(16, s.getInt(16)).putInt(44, s.getInt(20)); // pid, uid, sigval int
        } else {
            bb.putInt(36, i.trapno()).putLong(72, i.addr() & 0xffffffffL);
        }
    }

    @Override
    public int pollEvents() {
        return (caller.get().signals.pendingMask() & mask) != 0 ? POLLIN | POLLRDNORM : 0;
    }

    @Override
    public void pollWait(Task t) {
        t.sigwaitMask |= mask;
    }

    @Override
    public Stat stat() { return Stat.synthetic(Stat.makedev(0, 14), ino, 0600, 0, 4096); }
}
