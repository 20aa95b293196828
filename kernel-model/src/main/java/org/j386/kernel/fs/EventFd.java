package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.WaitQueue;

/** eventfd: a 64-bit counter that writes add to and reads take (all of it, or 1 with EFD_SEMAPHORE). */
public final class EventFd extends OpenFile {
    /** The largest count: a write that would pass it waits. */
    static final long MAX = 0xfffffffffffffffeL;
    private long count;
    private final boolean semaphore;
    private final WaitQueue readers = new WaitQueue(), writers = new WaitQueue();
    private final int ino;

    public EventFd(long initial, boolean semaphore, int flags, int ino) {
        super(Flags.O_RDWR | flags);
        this.count = initial;
        this.semaphore = semaphore;
        this.ino = ino;
    }

    @Override
    public String path() { return "anon_inode:[eventfd]"; }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len < 8) throw new SyscallException(Errno.EINVAL);
        if (count == 0) {
            if (nonBlocking()) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(readers);
        }
        long v = semaphore ? 1 : count;
        count -= v;
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
        writers.wakeAll();
        return 8;
    }

    @Override
    public int write(byte[] b, int off, int len) {
        if (len < 8) throw new SyscallException(Errno.EINVAL);
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (b[off + i] & 0xffL) << (8 * i);
        if (v == -1L) throw new SyscallException(Errno.EINVAL);
        if (Long.compareUnsigned(v, MAX - count) > 0) {
            if (nonBlocking()) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(writers);
        }
        count += v;
        if (v != 0) readers.wakeAll();
        return 8;
    }

    @Override
    public int pollEvents() {
        return (count != 0 ? POLLIN | POLLRDNORM : 0) | (Long.compareUnsigned(count, MAX) < 0 ? POLLOUT | POLLWRNORM : 0);
    }

    @Override
    public void pollWait(Task t) {
        readers.add(t);
        writers.add(t);
    }

    @Override
    public int available() { return 8; }

    @Override
    public Stat stat() { return Stat.synthetic(Stat.makedev(0, 14), ino, 0600, 0, 4096); }

    // ---- for checkpoint/restart (org.j386.checkpoint) ----

    /** The counter. */
    public long count() { return count; }

    /** Whether it was made with EFD_SEMAPHORE. */
    public boolean semaphore() { return semaphore; }
}
