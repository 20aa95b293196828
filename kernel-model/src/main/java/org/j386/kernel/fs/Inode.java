package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.util.List;

/**
 * An in-kernel inode: an object of tmpfs, procfs or devfs (host files have no Inode; the host
 * keeps their attributes). Defaults are what Linux answers when a file type lacks an operation.
 */
abstract class Inode {
    /** st_dev of the file system the inode belongs to. */
    final long dev;
    final long ino;
    int mode;
    int nlink = 1;
    int uid, gid;
    /** Times, ns since the epoch. */
    long atime, mtime, ctime;

    Inode(long dev, long ino, int mode) {
        this.dev = dev;
        this.ino = ino;
        this.mode = mode;
    }

    final int type() { return mode & Flags.S_IFMT; }

    final boolean isDir() { return type() == Flags.S_IFDIR; }

    final boolean isSymlink() { return type() == Flags.S_IFLNK; }

    final boolean isRegular() { return type() == Flags.S_IFREG; }

    long size() { return 0; }

    long rdev() { return 0; }

    Stat stat() {
        Stat s = Stat.synthetic(dev, ino, mode, rdev(), 4096);
        s.nlink = nlink;
        s.uid = uid;
        s.gid = gid;
        s.size = size();
        s.blocks = ((s.size + 4095) >>> 12) << 3;
        s.atimeSec = Math.floorDiv(atime, 1_000_000_000L); s.atimeNsec = (int) Math.floorMod(atime, 1_000_000_000L);
        s.mtimeSec = Math.floorDiv(mtime, 1_000_000_000L); s.mtimeNsec = (int) Math.floorMod(mtime, 1_000_000_000L);
        s.ctimeSec = Math.floorDiv(ctime, 1_000_000_000L); s.ctimeNsec = (int) Math.floorMod(ctime, 1_000_000_000L);
        return s;
    }

    /** The entry {@code name} of this directory, or null; {@code t} may be null (kernel lookups). */
    Inode lookup(Task t, String name) { throw new SyscallException(Errno.ENOTDIR); }

    /** Appends the entries of this directory, without "." and "..". */
    void list(Task t, List<DirFile.Entry> out) { throw new SyscallException(Errno.ENOTDIR); }

    /** The directory whose entries the guest may change (tmpfs), or null: read-only. */
    MemDir writable() { return null; }

    /**
     * For a /proc "magic" link to an object without a path (a pipe, the console, a deleted
     * file): the object itself, which the walk uses instead of the link's text. Null: follow the text.
     */
    Inode jump(Task t) { return null; }

    /** The target text of a symlink. */
    String readlink(Task t) { throw new SyscallException(Errno.EINVAL); }

    /** Opens the inode (not a directory: the VFS opens those); {@code path} is its canonical guest path. */
    OpenFile open(Task t, String path, int flags) { throw new SyscallException(Errno.ENXIO); }

    /** statfs of the file system the inode is in. */
    StatfsInfo statfs() { return StatfsInfo.synthetic(Mounts.magicOf(dev)); }

    /** The mode bits chmod may change; false when the file system does not allow it (procfs, devfs). */
    boolean setMode(int m) { return false; }
}
