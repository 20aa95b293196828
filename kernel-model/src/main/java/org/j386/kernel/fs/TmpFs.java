package org.j386.kernel.fs;

import java.util.function.LongSupplier;

/**
 * One tmpfs instance: an in-memory tree of {@link MemDir}, {@link MemFile}, {@link MemSymlink}
 * and {@link FifoInode}. Inode numbers are handed out in creation order and never reused, so
 * they are stable for the life of the mount; st_dev is the mount's own anonymous device.
 */
final class TmpFs {
    final long dev;
    final LongSupplier clock;
    final MemDir root;
    private long nextIno = 1;

    TmpFs(long dev, LongSupplier clock, int rootMode) {
        this.dev = dev;
        this.clock = clock;
        this.root = new MemDir(this, rootMode, null);
    }

    long newIno() { return nextIno++; }

    long now() { return clock.getAsLong(); }

    /** Sets owner and times of a new inode. */
    <T extends Inode> T init(T i, int uid, int gid) {
        i.uid = uid;
        i.gid = gid;
        i.atime = i.mtime = i.ctime = now();
        if (!i.isDir()) i.nlink = 0;     // MemDir.add counts the first name
        return i;
    }
}
