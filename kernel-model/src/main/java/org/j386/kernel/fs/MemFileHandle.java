package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

/** An open tmpfs regular file. It holds the inode, so the file stays usable after unlink. */
final class MemFileHandle extends OpenFile {
    final MemFile file;
    private final String guestPath;

    MemFileHandle(MemFile file, String guestPath, int flags) {
        super(flags);
        this.file = file;
        this.guestPath = guestPath;
        file.opens++;
    }

    @Override public boolean seekable() { return true; }

    @Override public String path() { return file.nlink == 0 ? guestPath + " (deleted)" : guestPath; }

    @Override public Object lockKey() { return file; }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = file.read(b, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pread(byte[] b, int off, int len, long at) { return file.read(b, off, len, at); }

    @Override
    public int write(byte[] b, int off, int len) {
        if ((flags & Flags.O_APPEND) != 0) pos = file.size();
        int n = file.write(b, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pwrite(byte[] b, int off, int len, long at) {
        if ((flags & Flags.O_APPEND) != 0) at = file.size();
        return file.write(b, off, len, at);
    }

    @Override public long seek(long offset, int whence) { return seekIn(offset, whence, file.size()); }

    @Override public Stat stat() { return file.stat(); }

    @Override public void truncate(long length) { file.truncate(length); }

    @Override public void sync() {}

    @Override public int available() { return (int) Math.max(0, Math.min(file.size() - pos, Integer.MAX_VALUE)); }

    @Override
    public int ioctl(Task t, int cmd, int arg) {
        if (cmd == Ioctls.FIGETBSZ) {
            t.mem.writeInt(arg, 4096);
            return 0;
        }
        throw new SyscallException(Errno.ENOTTY);
    }

    @Override public void setTimes(long atimeNs, long mtimeNs, long nowNs) { InodeTimes.set(file, atimeNs, mtimeNs, nowNs); }

    @Override public boolean chmod(int mode) { return file.setMode(mode); }

    @Override public StatfsInfo statfs() { return file.fs.statfs(); }

    @Override
    protected void release() {
        file.opens--;
        file.freeIfGone();
    }
}
