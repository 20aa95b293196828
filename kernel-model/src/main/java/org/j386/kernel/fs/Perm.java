package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

/** Permission checks on in-kernel inodes by the task's fs uid/gid (root passes, except execute without any x bit). */
final class Perm {
    static final int R = 4, W = 2, X = 1;

    private Perm() {}

    static boolean allowed(Task t, Inode i, int want) {
        if (t == null) return true;
        if (t.fsuid == 0) return (want & X) == 0 || (i.mode & 0111) != 0 || i.isDir();
        int bits;
        if (t.fsuid == i.uid) bits = (i.mode >> 6) & 7;
        else if (t.fsgid == i.gid || contains(t.groups, i.gid)) bits = (i.mode >> 3) & 7;
        else bits = i.mode & 7;
        return (bits & want) == want;
    }

    static void check(Task t, Inode i, int want) {
        if (!allowed(t, i, want)) throw new SyscallException(Errno.EACCES);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
