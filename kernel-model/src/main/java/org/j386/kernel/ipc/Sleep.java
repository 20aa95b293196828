package org.j386.kernel.ipc;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.WaitQueue;

/**
 * How semop, msgsnd and msgrcv sleep: the task parks on the object's wait queue with
 * {@link Task#ipcWait} naming the object and re-runs the call when woken. A re-run that finds
 * the object removed returns EIDRM; a handler interrupts the sleep with EINTR (these calls are
 * never restarted after a handler, whatever SA_RESTART says).
 */
final class Sleep {
    private Sleep() {}

    /** At the start of a call that may block. */
    static void resume(Task t) {
        if (!t.inRestart) { // a fresh call, not the re-run of one that slept
            t.ipcWait = null;
            t.sleepDeadline = 0;
            return;
        }
        IpcObject w = t.ipcWait;
        if (w != null && w.removed) {
            done(t);
            throw new SyscallException(Errno.EIDRM);
        }
    }

    /** The call returns (result or error): no more sleeping state. */
    static void done(Task t) {
        t.ipcWait = null;
        t.sleepDeadline = 0;
    }

    static BlockedException block(Task t, IpcObject o, WaitQueue q) {
        t.ipcWait = o;
        t.interruptOnly = true;
        return new BlockedException(q);
    }
}
