package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

/** An open procfs file: its text generated at open time, then read, pread and lseek'ed like a file. */
final class SnapshotFile extends OpenFile {
    private final byte[] data;
    private final Inode inode;
    private final String guestPath;

    SnapshotFile(byte[] data, Inode inode, String guestPath, int flags) {
        super(flags);
        this.data = data;
        this.inode = inode;
        this.guestPath = guestPath;
    }

    @Override public boolean seekable() { return true; }

    @Override public String path() { return guestPath; }

    @Override public Object lockKey() { return inode; }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = pread(b, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pread(byte[] b, int off, int len, long at) {
        if (at >= data.length) return 0;
        int n = (int) Math.min(len, data.length - at);
        System.arraycopy(data, (int) at, b, off, n);
        return n;
    }

    @Override public int write(byte[] b, int off, int len) { throw new SyscallException(Errno.EACCES); }

    /** seq_file files seek with SEEK_SET and SEEK_CUR only. */
    @Override
    public long seek(long offset, int whence) {
        if (whence != Flags.SEEK_SET && whence != Flags.SEEK_CUR) throw new SyscallException(Errno.EINVAL);
        return seekIn(offset, whence, data.length);
    }

    @Override public Stat stat() { return inode.stat(); }

    @Override StatfsInfo statfs() { return StatfsInfo.synthetic(Mounts.magicOf(inode.dev)); }
}
