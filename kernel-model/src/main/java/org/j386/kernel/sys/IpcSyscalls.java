package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.ipc.IpcLayout;
import org.j386.kernel.ipc.MsgOps;
import org.j386.kernel.ipc.SemOps;
import org.j386.kernel.ipc.ShmOps;

/**
 * SysV IPC's two i386 entry points: the ipc() multiplexer (117) that older libcs use, and
 * the direct system calls of Linux 5.1 (semget..msgctl, 393-402, and semtimedop_time64).
 * The direct *ctl calls always use the 64-bit layouts and, as Linux, refuse a command with
 * IPC_64 set (EINVAL); through ipc() the flag selects the layout. The work is done by the ipc
 * package's objects.
 */
public final class IpcSyscalls {
    static final int SEMOP = 1, SEMGET = 2, SEMCTL = 3, SEMTIMEDOP = 4, MSGSND = 11, MSGRCV = 12, MSGGET = 13,
            MSGCTL = 14, SHMAT = 21, SHMDT = 22, SHMGET = 23, SHMCTL = 24;
    private static final long NS = 1_000_000_000L;

    private final Kernel k;
    private final ShmOps shm;
    private final SemOps sem;
    private final MsgOps msg = new MsgOps();

    public IpcSyscalls(Kernel k) {
        this.k = k;
        this.shm = new ShmOps(k);
        this.sem = new SemOps(k);
    }

    public void register(SyscallTable t) {
        t.register(117, "ipc", "dddxpx", this::ipc);
        t.register(393, "semget", "xdo", (task, a, b, c, d, e, f) -> sem.semget(task, a, b, c));
        t.register(394, "semctl", "dddx", (task, a, b, c, d, e, f) -> sem.semctl(task, a, b, c, d, true));
        t.register(395, "shmget", "xdo", (task, a, b, c, d, e, f) -> shm.shmget(task, a, b & 0xffffffffL, c));
        t.register(396, "shmctl", "ddp", (task, a, b, c, d, e, f) -> shm.shmctl(task, a, b, c, true));
        t.register(397, "shmat", "dpo", (task, a, b, c, d, e, f) -> (int) shm.shmat(task, a, b & 0xffffffffL, c));
        t.register(398, "shmdt", "p", (task, a, b, c, d, e, f) -> shm.shmdt(task, a & 0xffffffffL));
        t.register(399, "msgget", "xo", (task, a, b, c, d, e, f) -> msg.msgget(task, a, b));
        t.register(400, "msgsnd", "dpdo", (task, a, b, c, d, e, f) -> msg.msgsnd(task, a, b, c, d));
        t.register(401, "msgrcv", "dpddo", (task, a, b, c, d, e, f) -> msg.msgrcv(task, a, b, c, d, e));
        t.register(402, "msgctl", "ddp", (task, a, b, c, d, e, f) -> msg.msgctl(task, a, b, c, true));
        t.register(420, "semtimedop_time64", "dpdp", (task, a, b, c, d, e, f) -> semtimedop(task, a, b, c, d, true));
    }

    private int semtimedop(Task t, int id, int sops, int nsops, int timeout, boolean time64) {
        long ns = -1;
        if (timeout != 0) { // relative; a re-run keeps the deadline its first try set
            long sec = time64 ? t.mem.readLong(timeout) : t.mem.readInt(timeout);
            long nsec = t.mem.readInt(timeout + (time64 ? 8 : 4));
            if (sec < 0 || nsec < 0 || nsec >= NS) throw new SyscallException(Errno.EINVAL);
            ns = sec >= Long.MAX_VALUE / (2 * NS) ? Long.MAX_VALUE / 2 : sec * NS + nsec;
        }
        return sem.semtimedop(t, id, sops, nsops, ns);
    }

    /**
     * ipc(call, first, second, third, ptr, fifth). The version in the call's top 16 bits
     * matters for msgrcv (0: ptr points at {msgp, msgtyp}) and shmat (1: the iBCS form, refused).
     * IPC_64 in a *ctl command selects the 64-bit layouts.
     */
    private int ipc(Task t, int call, int first, int second, int third, int ptr, int fifth) {
        int version = call >>> 16;
        switch (call & 0xffff) {
            case SEMOP:
                return sem.semtimedop(t, first, ptr, second, -1);
            case SEMTIMEDOP:
                return semtimedop(t, first, ptr, second, fifth, false);
            case SEMGET:
                return sem.semget(t, first, second, third);
            case SEMCTL: {
                if (ptr == 0) throw new SyscallException(Errno.EINVAL);
                int arg = t.mem.readInt(ptr);
                return sem.semctl(t, first, second, third & ~IpcLayout.IPC_64, arg, (third & IpcLayout.IPC_64) != 0);
            }
            case MSGSND:
                return msg.msgsnd(t, first, ptr, second, third);
            case MSGRCV: {
                if (version == 0) {
                    if (ptr == 0) throw new SyscallException(Errno.EINVAL);
                    int msgp = t.mem.readInt(ptr), msgtyp = t.mem.readInt(ptr + 4);
                    return msg.msgrcv(t, first, msgp, second, msgtyp, third);
                }
                return msg.msgrcv(t, first, ptr, second, fifth, third);
            }
            case MSGGET:
                return msg.msgget(t, first, second);
            case MSGCTL:
                return msg.msgctl(t, first, second & ~IpcLayout.IPC_64, ptr, (second & IpcLayout.IPC_64) != 0);
            case SHMAT: {
                if (version == 1) throw new SyscallException(Errno.EINVAL);
                long addr = shm.shmat(t, first, ptr & 0xffffffffL, second);
                t.mem.writeInt(third, (int) addr);
                return 0;
            }
            case SHMDT:
                return shm.shmdt(t, ptr & 0xffffffffL);
            case SHMGET:
                return shm.shmget(t, first, second & 0xffffffffL, third);
            case SHMCTL:
                return shm.shmctl(t, first, second & ~IpcLayout.IPC_64, ptr, (second & IpcLayout.IPC_64) != 0);
            default:
                throw new SyscallException(Errno.ENOSYS);
        }
    }
}
