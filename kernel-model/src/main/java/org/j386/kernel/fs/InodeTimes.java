package org.j386.kernel.fs;

/** utimensat on an in-kernel inode: Long.MIN_VALUE leaves a time unchanged (UTIME_OMIT). */
final class InodeTimes {
    static final long OMIT = Long.MIN_VALUE;

    private InodeTimes() {}

    static void set(Inode i, long atimeNs, long mtimeNs, long nowNs) {
        if (atimeNs != OMIT) i.atime = atimeNs;
        if (mtimeNs != OMIT) i.mtime = mtimeNs;
        i.ctime = nowNs;
    }
}
