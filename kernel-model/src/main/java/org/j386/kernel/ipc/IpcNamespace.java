package org.j386.kernel.ipc;

import org.j386.kernel.Kernel;

/**
 * An IPC namespace: its shared memory segments, semaphore sets and message queues, and the
 * limits of /proc/sys/kernel/{shm*,sem,msg*} (Linux's defaults). unshare and clone with
 * CLONE_NEWIPC give a task a new, empty one.
 */
public final class IpcNamespace {
    public final Kernel kernel;
    public final IpcIds<ShmSegment> shm = new IpcIds<>();
    public final IpcIds<SemSet> sem = new IpcIds<>();
    public final IpcIds<MsgQueue> msg = new IpcIds<>();

    /** shmmax (bytes), shmall (pages), shmmni; shm pages in use. */
    public long shmMax = 0xffffffffL - (1L << 24), shmAll = 0xffffffffL - (1L << 24);
    public int shmMni = 4096;
    public long shmTotPages;
    /** kernel.sem: SEMMSL, SEMMNS, SEMOPM, SEMMNI. */
    public int semMsl = 32000, semMns = 1024000000, semOpm = 500, semMni = 32000;
    /** msgmax, msgmnb, msgmni. */
    public int msgMax = 8192, msgMnb = 16384, msgMni = 32000;

    /**
     * Kernel memory the SysV objects of every namespace may take together (semaphore arrays,
     * queued messages, segments' frame tables): an eighth of guest RAM. Past it the call fails
     * with ENOMEM, as Linux when its allocation fails, instead of the emulator running out of heap.
     */
    public final Budget budget;

    /** Bytes charged and the limit, one for the whole machine. */
    public static final class Budget {
        public long used;
        public final long limit;

        Budget(long limit) {
            this.limit = limit;
        }

        void charge(long bytes) {
            if (used + bytes > limit) throw new org.j386.kernel.SyscallException(org.j386.kernel.Errno.ENOMEM);
            used += bytes;
        }

        void release(long bytes) {
            used -= bytes;
        }
    }

    /** Bookkeeping bytes of an object, charged besides its payload. */
    static final int OBJECT_BYTES = 64, MESSAGE_BYTES = 48;

    public IpcNamespace(Kernel kernel) {
        this.kernel = kernel;
        this.budget = kernel.initialIpc != null ? kernel.initialIpc.budget : new Budget(kernel.ram.size() / 8);
    }

    /** Seconds since the epoch on the guest's clock (the *time fields). */
    long now() {
        return kernel.clock.realtimeNanos() / 1_000_000_000L;
    }

    /** The process id (tgid) of the task on the CPU, or 0. */
    int currentPid() {
        return kernel.current != null ? kernel.current.tgid : 0;
    }
}
