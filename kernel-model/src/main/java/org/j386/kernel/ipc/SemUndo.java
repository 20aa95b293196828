package org.j386.kernel.ipc;

import java.util.TreeMap;

/**
 * A process's SEM_UNDO adjustments (Linux's sem_undo_list): per semaphore set id of
 * {@link #ns}, the amount to add to each semaphore when the process exits. Threads made with
 * CLONE_SYSVSEM share one list; fork starts with none.
 */
public final class SemUndo {
    public final IpcNamespace ns;
    /** semid to per-semaphore adjustment. */
    public final TreeMap<Integer, int[]> adjust = new TreeMap<>();

    public SemUndo(IpcNamespace ns) {
        this.ns = ns;
    }
}
