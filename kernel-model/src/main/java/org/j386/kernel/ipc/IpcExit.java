package org.j386.kernel.ipc;

import org.j386.kernel.Kernel;
import org.j386.kernel.Task;

/** What a process's end (or its leaving an IPC namespace) does to SysV IPC. */
public final class IpcExit {
    private IpcExit() {}

    /** Exit: SEM_UNDO is applied, and an IPC namespace nobody is left in loses its objects. */
    public static void exit(Kernel k, Task t) {
        SemOps.exitSem(k, t);
        leave(k, t, t.ipcNs);
    }

    /**
     * {@code t} no longer uses {@code ns} (exit, unshare): when no other live task does, as
     * Linux's free_ipcs, every segment is removed (its memory goes with the last detach),
     * every set and queue too. The first namespace lives as long as the machine.
     */
    public static void leave(Kernel k, Task t, IpcNamespace ns) {
        if (ns == null || ns == k.initialIpc) return;
        for (Task o : k.tasks.values()) if (o != t && !o.exited && o.ipcNs == ns) return;
        for (ShmSegment s : new java.util.ArrayList<>(ns.shm.byIndex.values())) s.markDestroyed();
        for (SemSet s : new java.util.ArrayList<>(ns.sem.byIndex.values())) SemOps.remove(s);
        for (MsgQueue q : new java.util.ArrayList<>(ns.msg.byIndex.values())) q.remove();
    }
}
