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
 * O_RDWR never waits. An open that waits already counts as a reader or writer (as in Linux), and
 * it is satisfied once a partner has opened since it began (even if that partner closed again).
 */
final class FifoInode extends Inode {
    private final TmpFs fs;
    private Pipe pipe;
    /** Opens so far of each side: a waiter is satisfied once the other side's count has moved. */
    private long readOpens, writeOpens;
    /** An open that waits: its end already counts (as in Linux), and it returns once a partner came. */
    private record Pending(Pipe.End end, long since, boolean reader) {}
    private final Map<Task, Pending> waiting = new HashMap<>();
    private final WaitQueue openWait = new WaitQueue();

    /** For a FIFO on the host root: the host name that carries its attributes. */
    java.nio.file.Path host;

    @Override
    Stat stat() {
        if (host != null) {
            try {
                return Stat.ofHost(host);
            } catch (SyscallException e) {
                // unlinked on the host: our own identity
            }
        }
        return super.stat();
    }

    FifoInode(TmpFs fs, int perm) {
        super(fs.dev, fs.newIno(), Flags.S_IFIFO | (perm & 07777));
        this.fs = fs;
    }

    @Override
    boolean setMode(int m) {
        mode = (mode & Flags.S_IFMT) | (m & 07777);
        return true;
    }

    /** Drops the ends of waits that ended without the open (a signal, an exit). */
    private void prune() {
        for (Iterator<Map.Entry<Task, Pending>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Task, Pending> e = it.next();
            if (e.getKey().exited || !e.getKey().inRestart) {
                it.remove();
                e.getValue().end.put();
            }
        }
    }

    private Pipe.End end(String path, int flags) {
        Pipe.End e = new Pipe.End(pipe, flags);
        e.fifo = this;
        e.fifoPath = path;
        return e;
    }

    @Override
    OpenFile open(Task t, String path, int flags) {
        Pending pd = waiting.get(t);
        if (pd != null && t.inRestart) {             // the same open, run again after a wake-up
            if ((pd.reader ? writeOpens : readOpens) != pd.since) {
                waiting.remove(t);
                return pd.end;
            }
            throw new BlockedException(openWait);
        }
        prune();
        if (pipe == null) {
            pipe = new Pipe((int) ino);
            pipe.hadWriter = false;
        }
        int acc = flags & Flags.O_ACCMODE;
        boolean nonBlock = (flags & Flags.O_NONBLOCK) != 0;
        atime = fs.now();
        Pipe.End e;
        if (acc == Flags.O_RDONLY) {
            e = end(path, flags);
            readOpens++;
            openWait.wakeAll();
            if (pipe.writers == 0 && !nonBlock) {
                waiting.put(t, new Pending(e, writeOpens, true));
                throw new BlockedException(openWait);
            }
        } else if (acc == Flags.O_WRONLY) {
            if (pipe.readers == 0 && nonBlock) {
                closed();
                throw new SyscallException(Errno.ENXIO);
            }
            e = end(path, flags);
            writeOpens++;
            pipe.hadWriter = true;
            openWait.wakeAll();
            if (pipe.readers == 0) {
                waiting.put(t, new Pending(e, readOpens, false));
                throw new BlockedException(openWait);
            }
        } else {
            e = end(path, flags);
            readOpens++;
            writeOpens++;
            pipe.hadWriter = true;
            openWait.wakeAll();
        }
        return e;
    }

    /**
     * Restart: an end of the FIFO on the restored pipe {@code p}, without waiting for a
     * partner (the ends come back together). False when the FIFO is already open on another pipe.
     */
    OpenFile adopt(Pipe p, String path, int flags) {
        if (pipe != null && pipe != p) return null;
        pipe = p;
        Pipe.End e = end(path, flags);
        if (e.writable()) pipe.hadWriter = true;
        return e;
    }

    /** An end was closed (or an open failed): the pipe and its data go when nobody has it open or waits. */
    void closed() {
        if (pipe != null && pipe.readers == 0 && pipe.writers == 0) pipe = null;
    }
}
