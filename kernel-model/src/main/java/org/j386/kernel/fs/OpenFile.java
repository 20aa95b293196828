package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.nio.file.Path;

/**
 * An open file description (Linux struct file): status flags, offset and a reference count
 * shared by every descriptor dup'ed or inherited from it. Defaults give the answers Linux
 * gives for a file type that lacks an operation.
 */
public abstract class OpenFile {
    /** Access mode and status flags, as F_GETFL reports them. */
    protected int flags;
    protected long pos;
    private int refs = 1;

    protected OpenFile(int flags) {
        this.flags = flags & ~(Flags.O_CREAT | Flags.O_EXCL | Flags.O_NOCTTY | Flags.O_TRUNC | Flags.O_CLOEXEC);
    }

    public int flags() { return flags; }

    /** F_SETFL: only the changeable status flags move. */
    public void setStatusFlags(int newFlags) {
        flags = (flags & ~Flags.SETFL_MASK) | (newFlags & Flags.SETFL_MASK);
    }

    public boolean pathOnly() { return (flags & Flags.O_PATH) != 0; }

    public boolean readable() {
        int acc = flags & Flags.O_ACCMODE;
        return !pathOnly() && (acc == Flags.O_RDONLY || acc == Flags.O_RDWR);
    }

    public boolean writable() {
        int acc = flags & Flags.O_ACCMODE;
        return !pathOnly() && (acc == Flags.O_WRONLY || acc == Flags.O_RDWR);
    }

    public boolean nonBlocking() { return (flags & Flags.O_NONBLOCK) != 0; }

    public long position() { return pos; }

    /** Canonical guest path of the file, or null when it has none (console). */
    public String path() { return null; }

    /** Host path, or null for in-kernel files. */
    public Path hostPath() { return null; }

    public boolean isDirectory() { return false; }

    /** Whether a large read may be served by several calls without blocking (files, not streams). */
    public boolean seekable() { return false; }

    // ---- reference counting (dup, fork, close) -----------------------------------------

    public final void get() { refs++; }

    public final void put() {
        if (--refs == 0) release();
    }

    public final int refs() { return refs; }

    /** Called when the last descriptor is closed. */
    protected void release() {}

    // ---- operations ---------------------------------------------------------------------

    /** Reads at the file position and advances it; returns the count, 0 at end of file. */
    public int read(byte[] b, int off, int len) { throw new SyscallException(Errno.EINVAL); }

    public int write(byte[] b, int off, int len) { throw new SyscallException(Errno.EINVAL); }

    /** Positional read; the file position is unchanged. */
    public int pread(byte[] b, int off, int len, long at) { throw new SyscallException(Errno.ESPIPE); }

    public int pwrite(byte[] b, int off, int len, long at) { throw new SyscallException(Errno.ESPIPE); }

    public long seek(long offset, int whence) { throw new SyscallException(Errno.ESPIPE); }

    public abstract Stat stat();

    /** File-type ioctls; FIOCLEX and friends are handled by the caller. */
    public int ioctl(Task t, int cmd, int arg) { throw new SyscallException(Errno.ENOTTY); }

    public void truncate(long length) { throw new SyscallException(Errno.EINVAL); }

    public void sync() { throw new SyscallException(Errno.EINVAL); }

    public static final int POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32,
            POLLRDNORM = 0x40, POLLWRNORM = 0x100;

    /**
     * Readiness for poll/select. Files and devices never block, so the default is readable
     * and writable as the open mode allows.
     */
    public int pollEvents() {
        return (readable() ? POLLIN | POLLRDNORM : 0) | (writable() ? POLLOUT | POLLWRNORM : 0);
    }

    /** Puts a polling task on the wait queues that a change of {@link #pollEvents} wakes (nothing for files that never block). */
    public void pollWait(Task t) {}

    /** Bytes readable without blocking (FIONREAD). */
    public int available() { throw new SyscallException(Errno.ENOTTY); }

    /** The object record locks and flock locks are keyed on: the file, not the description. */
    public Object lockKey() { return this; }

    /** utimensat/futimens of an in-kernel file (ns since the epoch, InodeTimes.OMIT: unchanged); host files are changed by path. */
    public void setTimes(long atimeNs, long mtimeNs, long nowNs) {}

    /** fchmod of an in-kernel file; false when it has no mode to change. */
    public boolean chmod(int mode) { return false; }

    /** fstatfs of an in-kernel file, or null (host files and consoles are answered by the caller). */
    StatfsInfo statfs() { return null; }

    /** The lock table, once the file has been opened by path or locked. */
    FileLocks locks;

    /** Called when a descriptor referring to this file is closed (not only the last one): POSIX locks go. */
    public final void descriptorClosed() {
        if (locks != null) locks.closed(this);
    }

    /** Common lseek arithmetic for files with a size. */
    protected final long seekIn(long offset, int whence, long size) {
        long base = switch (whence) {
            case Flags.SEEK_SET -> 0;
            case Flags.SEEK_CUR -> pos;
            case Flags.SEEK_END -> size;
            case Flags.SEEK_DATA -> {
                if (offset < 0 || offset >= size) throw new SyscallException(Errno.ENXIO);
                yield 0;
            }
            case Flags.SEEK_HOLE -> {
                if (offset < 0 || offset >= size) throw new SyscallException(Errno.ENXIO);
                offset = size;
                yield 0;
            }
            default -> throw new SyscallException(Errno.EINVAL);
        };
        long r = base + offset;
        if ((offset > 0 && r < base) || r < 0) throw new SyscallException(Errno.EINVAL);
        pos = r;
        return r;
    }
}
