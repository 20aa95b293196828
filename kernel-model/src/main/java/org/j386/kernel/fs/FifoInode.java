package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.WaitQueue;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A named pipe (mkfifo) in tmpfs. Its {@link Pipe} exists while the FIFO is open (or an open
 * waits). Linux open semantics: O_RDONLY waits for a writer, O_WRONLY for a reader; with
 * O_NONBLOCK a read open succeeds at once and a write open without a reader fails with ENXIO;
 * O_RDWR never waits. An open that waits counts as a partner for the other side, and it is
 * satisfied once a partner has opened since it began (even if that partner has closed again).
 */
final class FifoInode extends Inode {
    private final TmpFs fs;
    private Pipe pipe;
    /** Opens so far of each side: a waiter is satisfied once the other side's count has moved. */
    private long readOpens, writeOpens;
    private final Map<Task, Long> waitingReaders = new HashMap<>(), waitingWriters = new HashMap<>();
    private final WaitQueue openWait = new WaitQueue();

    FifoInode(TmpFs fs, int perm) {
        super(fs.dev, fs.newIno(), Flags.S_IFIFO | (perm & 07777));
        this.fs = fs;
    }

    @Override
    boolean setMode(int m) {
        mode = (mode & Flags.S_IFMT) | (m & 07777);
        return true;
    }

    private static boolean anyWaiting(Map<Task, Long> waiting) {
        for (Iterator<Task> it = waiting.keySet().iterator(); it.hasNext(); ) {
            Task w = it.next();
            if (w.exited || !w.inRestart) it.remove();
        }
        return !waiting.isEmpty();
    }

    /** Waits (by restart) until the other side has opened since this task began to wait. */
    private void awaitPartner(Task t, Map<Task, Long> waiting, long partnerOpens) {
        Long since = waiting.get(t);
        if (since != null && t.inRestart && partnerOpens != since) {
            waiting.remove(t);
            return;
        }
        waiting.put(t, partnerOpens);
        throw new BlockedException(openWait);
    }

    @Override
    OpenFile open(Task t, String path, int flags) {
        if (pipe == null) {
            pipe = new Pipe((int) ino);
            pipe.hadWriter = false;
        }
        int acc = flags & Flags.O_ACCMODE;
        boolean nonBlock = (flags & Flags.O_NONBLOCK) != 0;
        if (acc == Flags.O_RDONLY) {
            if (pipe.writers == 0 && !nonBlock && !anyWaiting(waitingWriters)) awaitPartner(t, waitingReaders, writeOpens);
            else if (pipe.writers == 0 && !nonBlock) waitingReaders.remove(t);
            readOpens++;
        } else if (acc == Flags.O_WRONLY) {
            if (pipe.readers == 0 && !anyWaiting(waitingReaders)) {
                if (nonBlock) {
                    closed();
                    throw new SyscallException(Errno.ENXIO);
                }
                awaitPartner(t, waitingWriters, readOpens);
            } else {
                waitingWriters.remove(t);
            }
            writeOpens++;
            pipe.hadWriter = true;
        } else {
            readOpens++;
            writeOpens++;
            pipe.hadWriter = true;
        }
        openWait.wakeAll();
        Pipe.End e = new Pipe.End(pipe, flags);
        e.fifo = this;
        e.fifoPath = path;
        atime = fs.now();
        return e;
    }

    /** An end was closed (or an open failed): the pipe and its data go when nobody has it open or waits. */
    void closed() {
        if (pipe != null && pipe.readers == 0 && pipe.writers == 0
                && !anyWaiting(waitingReaders) && !anyWaiting(waitingWriters)) pipe = null;
    }
}
