package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The result of a path walk: an existing object or the place where one would be created. The
 * object is either on the host ({@link #host}, {@link #attrs}) or in-kernel ({@link #inode});
 * a missing name is in a host directory or in the in-kernel directory {@link #dir}.
 */
final class Node {
    static final int LAST_NORM = 0, LAST_DOT = 1, LAST_DOTDOT = 2, LAST_ROOT = 3;

    /** Canonical guest path from the top of the VFS ("/" for the top), including the last name. */
    final String guestPath;
    /** Host path: never outside the VFS root, last component never a followed symlink; null in-kernel. */
    final Path host;
    /** Last component (guest bytes); empty for ".", ".." and "/". */
    final String name;
    /** lstat of the host object; null when it does not exist or is in-kernel. */
    final BasicFileAttributes attrs;
    /** The in-kernel object (tmpfs, procfs, devfs), or null. */
    final Inode inode;
    /** The in-kernel directory the last name is in, or null when that directory is on the host (or for a mount root). */
    final Inode dir;
    final int lastType;
    final boolean trailingSlash;
    /** The last name has no host spelling (not UTF-8): it cannot exist and cannot be created. */
    final boolean badName;

    Node(String guestPath, Path host, String name, BasicFileAttributes attrs, Inode inode, Inode dir,
         int lastType, boolean trailingSlash, boolean badName) {
        this.guestPath = guestPath;
        this.host = host;
        this.name = name;
        this.attrs = attrs;
        this.inode = inode;
        this.dir = dir;
        this.lastType = lastType;
        this.trailingSlash = trailingSlash;
        this.badName = badName;
    }

    boolean exists() { return attrs != null || inode != null; }

    boolean isDir() { return inode != null ? inode.isDir() : attrs != null && attrs.isDirectory(); }

    boolean isSymlink() { return inode != null ? inode.isSymlink() : attrs != null && attrs.isSymbolicLink(); }

    boolean isRegular() { return inode != null ? inode.isRegular() : attrs != null && attrs.isRegularFile(); }

    /** A host object (or host creation spot), as opposed to an in-kernel one. */
    boolean onHost() { return inode == null && dir == null && host != null; }

    /** In-kernel: an inode or a missing name in an in-kernel directory. */
    boolean inKernel() { return inode != null || dir != null; }

    Node requireExists() {
        if (!exists()) throw new SyscallException(Errno.ENOENT);
        return this;
    }

    /** Where a new entry would go: fails if the name cannot be created. */
    Node requireCreatable() {
        if (dir != null) {
            if (dir.writable() == null) throw new SyscallException(dir instanceof MemDir ? Errno.ENOENT : Errno.EACCES);
            return this;
        }
        if (badName) throw new SyscallException(Errno.EINVAL);
        if (!onHost()) throw new SyscallException(Errno.EACCES);
        return this;
    }

    /** The tmpfs directory the last name is in: the name can be created, removed or renamed there. */
    MemDir memDir() {
        if (dir == null) return null;
        MemDir d = dir.writable();
        if (d == null) throw new SyscallException(dir instanceof MemDir ? Errno.ENOENT : Errno.EACCES);
        return d;
    }

    Stat stat() {
        if (inode != null) return inode.stat();
        requireExists();
        return Stat.ofHost(host);
    }

    String parentGuestPath() {
        int i = guestPath.lastIndexOf('/');
        return i <= 0 ? "/" : guestPath.substring(0, i);
    }
}
