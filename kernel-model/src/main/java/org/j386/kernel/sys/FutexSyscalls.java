package org.j386.kernel.sys;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** futex: WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP, WAIT_BITSET, WAKE_BITSET (private or shared). */
public final class FutexSyscalls {
    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
            FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10, FUTEX_CLOCK_REALTIME = 256;

    private final Kernel k;

    public FutexSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(240, "futex", "pdxpxx", (task, a, b, c, d, e, f) -> futex(task, a, b, c, d, e, f, false));
        t.register(422, "futex_time64", "pdxpxx", (task, a, b, c, d, e, f) -> futex(task, a, b, c, d, e, f, true));
    }

    private int futex(Task t, int uaddr, int op, int val, int timeout, int uaddr2, int val3, boolean time64) {
        int cmd = op & 0x7f;
        if ((uaddr & 3) != 0) throw new SyscallException(Errno.EINVAL);
        switch (cmd) {
            case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
                int bitset = cmd == FUTEX_WAIT ? -1 : val3;
                if (bitset == 0) throw new SyscallException(Errno.EINVAL);
                if (t.futexWoken) { // the restart after a FUTEX_WAKE
                    t.futexWoken = false;
                    t.sleepDeadline = 0;
                    return 0;
                }
                if (t.sleepDeadline != 0) { // the restart after the timeout
                    if (k.clock.monotonicNanos() >= t.sleepDeadline) {
                        t.sleepDeadline = 0;
                        k.futexCancel(t);
                        throw new SyscallException(Errno.ETIMEDOUT);
                    }
                }
                long key = t.mem.phys(uaddr, false);
                if (t.mem.readInt(uaddr) != val) throw new SyscallException(Errno.EAGAIN);
                if (timeout != 0 && t.sleepDeadline == 0) {
                    long sec = time64 ? t.mem.readLong(timeout) : t.mem.readInt(timeout);
                    long nsec = t.mem.readInt(timeout + (time64 ? 8 : 4));
                    if (nsec < 0 || nsec >= 1_000_000_000L || sec < 0) throw new SyscallException(Errno.EINVAL);
                    long ns = sec * 1_000_000_000L + nsec;
                    // FUTEX_WAIT takes a relative timeout; the BITSET form an absolute one
                    long now = (op & FUTEX_CLOCK_REALTIME) != 0 ? k.clock.realtimeNanos() : k.clock.monotonicNanos();
                    long rel = cmd == FUTEX_WAIT ? ns : ns - now;
                    if (rel <= 0) throw new SyscallException(Errno.ETIMEDOUT);
                    t.sleepDeadline = k.clock.monotonicNanos() + rel;
                }
                k.futexAdd(t, key, bitset);
                throw new BlockedException(null);
            }
            case FUTEX_WAKE: case FUTEX_WAKE_BITSET: {
                int bitset = cmd == FUTEX_WAKE ? -1 : val3;
                if (bitset == 0) throw new SyscallException(Errno.EINVAL);
                return k.futexes.wake(k, t.mem.phys(uaddr, false), val, bitset);
            }
            case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: {
                if (cmd == FUTEX_CMP_REQUEUE && t.mem.readInt(uaddr) != val3) throw new SyscallException(Errno.EAGAIN);
                long from = t.mem.phys(uaddr, false), to = t.mem.phys(uaddr2, false);
                int woken = k.futexes.wake(k, from, val, -1);
                return woken + k.futexRequeue(from, to, timeout); // val2 travels in the timeout slot
            }
            case FUTEX_WAKE_OP: {
                int encoded = val3;
                int opCode = (encoded >>> 28) & 7, cmp = (encoded >>> 24) & 15;
                int oparg = (encoded << 8) >> 20, cmparg = (encoded << 20) >> 20;
                if (((encoded >>> 28) & 8) != 0) oparg = 1 << (oparg & 31);
                int old = t.mem.readInt(uaddr2);
                int nv;
                switch (opCode) {
                    case 0: nv = oparg; break;
                    case 1: nv = old + oparg; break;
                    case 2: nv = old | oparg; break;
                    case 3: nv = old & ~oparg; break;
                    case 4: nv = old ^ oparg; break;
                    default: throw new SyscallException(Errno.ENOSYS);
                }
                t.mem.writeInt(uaddr2, nv);
                int woken = k.futexes.wake(k, t.mem.phys(uaddr, false), val, -1);
                boolean c;
                switch (cmp) {
                    case 0: c = old == cmparg; break;
                    case 1: c = old != cmparg; break;
                    case 2: c = old < cmparg; break;
                    case 3: c = old <= cmparg; break;
                    case 4: c = old > cmparg; break;
                    case 5: c = old >= cmparg; break;
                    default: throw new SyscallException(Errno.ENOSYS);
                }
                if (c) woken += k.futexes.wake(k, t.mem.phys(uaddr2, false), timeout, -1);
                return woken;
            }
            default:
                throw new SyscallException(Errno.ENOSYS);
        }
    }
}
