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
    /** Bytes of file data the mount may hold (Linux's default: half the RAM) and holds now. */
    final long limit;
    private long used;
    /** Inodes the mount may have (Linux's default: one per two pages of RAM, here one per 4 KiB of the limit) and has. */
    private final long maxInodes;
    private long inodes;

    TmpFs(long dev, LongSupplier clock, int rootMode) { this(dev, clock, rootMode, Long.MAX_VALUE); }

    TmpFs(long dev, LongSupplier clock, int rootMode, long limit) {
        this.limit = limit;
        this.maxInodes = limit == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(64, limit / 4096);
        this.dev = dev;
        this.clock = clock;
        this.root = new MemDir(this, rootMode, null);
    }

    /** The number of a new inode; ENOSPC when the mount has all the inodes it may have. */
    long newIno() {
        if (inodes >= maxInodes) throw new org.j386.kernel.SyscallException(org.j386.kernel.Errno.ENOSPC);
        inodes++;
        return nextIno++;
    }

    /** An inode is gone (no names, nothing holds it). */
    void inodeGone() { inodes = Math.max(0, inodes - 1); }

    /** Accounts {@code delta} bytes of file data; ENOSPC when the mount is full. */
    void charge(long delta) {
        if (delta > 0 && used + delta > limit) throw new org.j386.kernel.SyscallException(org.j386.kernel.Errno.ENOSPC);
        used = Math.max(0, used + delta);
    }

    StatfsInfo statfs() {
        StatfsInfo i = StatfsInfo.synthetic(StatfsInfo.TMPFS_MAGIC);
        if (limit != Long.MAX_VALUE) {
            i.blocks = limit / i.bsize;
            i.bfree = i.bavail = Math.max(0, limit - used) / i.bsize;
            i.files = maxInodes;
            i.ffree = Math.max(0, maxInodes - inodes);
        }
        return i;
    }

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
