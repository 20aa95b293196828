package org.j386.kernel.ipc;

import org.j386.kernel.WaitQueue;

/**
 * A SysV semaphore set: the values, the pid of the last operation on each, and struct
 * semid_ds's times. Tasks blocked in semop sleep on {@link #waiters} and re-run their
 * operation when any value changes.
 */
public final class SemSet extends IpcObject {
    public static final int SEMVMX = 32767;

    public final int[] val;
    public final int[] pid;
    public long otime;
    public final WaitQueue waiters = new WaitQueue();

    public SemSet(int nsems) {
        this.val = new int[nsems];
        this.pid = new int[nsems];
    }

    public int nsems() { return val.length; }
}
