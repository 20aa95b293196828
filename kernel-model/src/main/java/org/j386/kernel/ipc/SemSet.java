package org.j386.kernel.ipc;

import org.j386.kernel.WaitQueue;

/**
 * A SysV semaphore set: the values, the pid of the last operation on each, and struct
 * semid_ds's times. Tasks blocked in semop sleep on {@link #waiters} and re-run their
 * operation when any value changes.
 */
public final class SemSet extends IpcObject {
    public static final int SEMVMX = 32767;

    public final IpcNamespace ns;
    public final int[] val;
    public final int[] pid;
    public long otime;
    public final WaitQueue waiters = new WaitQueue();

    public SemSet(IpcNamespace ns, int nsems) {
        this.ns = ns;
        this.val = new int[nsems];
        this.pid = new int[nsems];
    }

    public int nsems() { return val.length; }

    /** What a set of {@code nsems} semaphores costs in kernel memory. */
    static long kernelBytes(int nsems) { return 8L * nsems + IpcNamespace.OBJECT_BYTES; }
}
