package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.util.Arrays;

/** A tmpfs regular file: its bytes in memory. Open descriptions keep it alive after unlink. */
final class MemFile extends Inode {
    /** Largest tmpfs file the model keeps (a Java array). */
    static final long MAX_SIZE = Integer.MAX_VALUE - 8;
    final TmpFs fs;
    private byte[] data = new byte[0];
    private int size;
    /** Open descriptions of the file: its bytes are freed when it has neither these nor names. */
    int opens;
    private boolean freed;

    MemFile(TmpFs fs, int perm) {
        super(fs.dev, fs.newIno(), Flags.S_IFREG | (perm & 07777));
        this.fs = fs;
    }

    @Override long size() { return size; }

    @Override StatfsInfo statfs() { return fs.statfs(); }

    /** Frees the bytes of a file nothing names or holds open. */
    void freeIfGone() {
        if (nlink > 0 || opens > 0 || freed) return;
        freed = true;
        fs.inodeGone();
        fs.charge(-size);
        data = new byte[0];
        size = 0;
    }

    @Override
    boolean setMode(int m) {
        mode = (mode & Flags.S_IFMT) | (m & 07777);
        return true;
    }

    @Override
    OpenFile open(Task t, String path, int flags) {
        if ((flags & Flags.O_TRUNC) != 0 && size > 0) truncate(0);   // Linux truncates even for O_RDONLY
        return new MemFileHandle(this, path, flags);
    }

    /** Sets the contents (restart). */
    void load(byte[] b) {
        fs.charge(b.length - size);
        data = b.clone();
        size = b.length;
    }

    /** A copy of the contents (execve, checkpoint). */
    byte[] bytes() { return Arrays.copyOf(data, size); }

    int read(byte[] b, int off, int len, long at) {
        if (at >= size) return 0;
        int n = (int) Math.min(len, size - at);
        System.arraycopy(data, (int) at, b, off, n);
        atime = fs.now();
        return n;
    }

    int write(byte[] b, int off, int len, long at) {
        if (at + len > MAX_SIZE) {
            if (at >= MAX_SIZE) throw new SyscallException(Errno.EFBIG);
            len = (int) (MAX_SIZE - at);
        }
        int end = (int) (at + len);
        if (end > size) fs.charge(end - size);
        ensure(end);
        System.arraycopy(b, off, data, (int) at, len);
        if (end > size) size = end;
        mtime = ctime = fs.now();
        return len;
    }

    void truncate(long length) {
        if (length > MAX_SIZE) throw new SyscallException(Errno.EFBIG);
        int n = (int) length;
        fs.charge((long) n - size);
        if (n < size) Arrays.fill(data, n, size, (byte) 0);
        else ensure(n);
        size = n;
        mtime = ctime = fs.now();
    }

    private void ensure(int end) {
        if (end <= data.length) return;
        long grown = Math.min((long) data.length * 2, data.length + (16L << 20));   // at most 16 MiB over
        data = Arrays.copyOf(data, (int) Math.min(MAX_SIZE, Math.max(end, Math.max(4096, grown))));
    }
}
