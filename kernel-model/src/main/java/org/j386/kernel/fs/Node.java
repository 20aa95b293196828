package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** The result of a path walk: an existing object or the place where one would be created. */
final class Node {
    static final int LAST_NORM = 0, LAST_DOT = 1, LAST_DOTDOT = 2, LAST_ROOT = 3;

    /** Canonical guest path from the top of the VFS ("/" for the top), including the last name. */
    final String guestPath;
    /** Host path: never outside the VFS root, last component never a followed symlink. */
    final Path host;
    /** Last component (guest bytes); empty for ".", ".." and "/". */
    final String name;
    /** lstat of the host object; null when it does not exist (or is in-kernel). */
    final BasicFileAttributes attrs;
    /** Non-null for an in-kernel device node. */
    final Device device;
    /** The synthesized /dev when the host root has none. */
    final boolean virtualDir;
    final int lastType;
    final boolean trailingSlash;
    /** The last name has no host spelling (not UTF-8): it cannot exist and cannot be created. */
    final boolean badName;

    Node(String guestPath, Path host, String name, BasicFileAttributes attrs, Device device,
         boolean virtualDir, int lastType, boolean trailingSlash, boolean badName) {
        this.guestPath = guestPath;
        this.host = host;
        this.name = name;
        this.attrs = attrs;
        this.device = device;
        this.virtualDir = virtualDir;
        this.lastType = lastType;
        this.trailingSlash = trailingSlash;
        this.badName = badName;
    }

    boolean exists() { return attrs != null || device != null || virtualDir; }

    boolean isDir() { return virtualDir || (attrs != null && attrs.isDirectory()); }

    boolean isSymlink() { return attrs != null && attrs.isSymbolicLink(); }

    boolean isRegular() { return attrs != null && attrs.isRegularFile(); }

    /** A host object that can be modified (not in-kernel). */
    boolean onHost() { return device == null && !virtualDir; }

    Node requireExists() {
        if (!exists()) throw new SyscallException(Errno.ENOENT);
        return this;
    }

    /** Where a new entry would go: fails if the name cannot be created. */
    Node requireCreatable() {
        if (badName) throw new SyscallException(Errno.EINVAL);
        if (!onHost() || host == null) throw new SyscallException(Errno.EACCES);
        return this;
    }

    Stat stat() {
        if (device != null) return device.stat();
        if (virtualDir) return Stat.synthetic(Device.DEVTMPFS_DEV, 1, Flags.S_IFDIR | 0755, 0, 4096);
        requireExists();
        return Stat.ofHost(host);
    }

    String parentGuestPath() {
        int i = guestPath.lastIndexOf('/');
        return i <= 0 ? "/" : guestPath.substring(0, i);
    }
}
