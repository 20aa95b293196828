package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** pipe and pipe2. */
final class PipeCalls {
    /** pipefs inode numbers, per kernel so that runs are reproducible. */
    private int nextIno = 5000;

    void register(SyscallTable t) {
        t.register(42, "pipe", "p", (task, a, b, c, d, e, f) -> pipe(task, a, 0));
        t.register(331, "pipe2", "px", (task, a, b, c, d, e, f) -> pipe(task, a, b));
    }

    private int pipe(Task t, int fdsAddr, int flags) {
        if ((flags & ~(Flags.O_NONBLOCK | Flags.O_CLOEXEC | 040000 /* O_DIRECT */)) != 0) throw new SyscallException(Errno.EINVAL);
        t.mem.writeLong(fdsAddr, t.mem.readLong(fdsAddr)); // EFAULT before any descriptor exists
        OpenFile[] ends = Pipe.create(nextIno++, flags & Flags.O_NONBLOCK);
        boolean cloexec = (flags & Flags.O_CLOEXEC) != 0;
        int r = t.files.allocate(ends[0], cloexec);
        int w;
        try {
            w = t.files.allocate(ends[1], cloexec);
        } catch (SyscallException e) {
            t.files.close(r);
            ends[1].put();
            throw e;
        }
        t.mem.writeInt(fdsAddr, r);
        t.mem.writeInt(fdsAddr + 4, w);
        return 0;
    }
}
