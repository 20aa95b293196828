package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.util.ArrayList;

/**
 * An open directory. Entries are ".", "..", then the directory's entries; the file position is
 * an index into that list and is also the d_off cookie, so lseek(fd, 0, SEEK_SET) rewinds and
 * a read from position 0 lists the directory again.
 */
abstract class DirFile extends OpenFile {
    /** One directory entry as getdents reports it. */
    record Entry(String name, long ino, int type) {}

    private ArrayList<Entry> entries;

    DirFile(int flags) { super(flags); }

    @Override public boolean isDirectory() { return true; }

    @Override public int read(byte[] b, int off, int len) { throw new SyscallException(Errno.EISDIR); }

    @Override public int pread(byte[] b, int off, int len, long at) { throw new SyscallException(Errno.EISDIR); }

    @Override public int write(byte[] b, int off, int len) { throw new SyscallException(Errno.EISDIR); }

    @Override public void sync() {}

    @Override
    public long seek(long offset, int whence) {
        long r = switch (whence) {
            case Flags.SEEK_SET -> offset;
            case Flags.SEEK_CUR -> pos + offset;
            default -> throw new SyscallException(Errno.EINVAL);
        };
        if (r < 0) throw new SyscallException(Errno.EINVAL);
        pos = r;
        return r;
    }

    /** The entry at the file position, or null at the end; a read from position 0 re-lists the directory. */
    Entry entry(long index) {
        if (entries == null || index == 0) entries = list();
        return index < entries.size() ? entries.get((int) index) : null;
    }

    void setPosition(long p) { pos = p; }

    /** ".", "..", then the entries, as they are now. */
    abstract ArrayList<Entry> list();
}
