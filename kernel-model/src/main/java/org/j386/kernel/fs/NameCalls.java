package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Calls that change the name space: mkdir, mknod, unlink, rmdir, rename, link, symlink; and readlink. */
final class NameCalls {
    private final FileSyscalls fs;

    NameCalls(FileSyscalls fs) { this.fs = fs; }

    void register(SyscallTable t) {
        final int cwd = Flags.AT_FDCWD;
        t.register(39, "mkdir", "so", (k, path, mode, c, d, e, p) -> mkdir(k, cwd, path, mode));
        t.register(296, "mkdirat", "dso", (k, dfd, path, mode, d, e, p) -> mkdir(k, dfd, path, mode));
        t.register(14, "mknod", "sox", (k, path, mode, dev, d, e, p) -> mknod(k, cwd, path, mode));
        t.register(297, "mknodat", "dsox", (k, dfd, path, mode, dev, e, p) -> mknod(k, dfd, path, mode));
        t.register(10, "unlink", "s", (k, path, b, c, d, e, p) -> unlink(k, cwd, path));
        t.register(40, "rmdir", "s", (k, path, b, c, d, e, p) -> rmdir(k, cwd, path));
        t.register(301, "unlinkat", "dsx", (k, dfd, path, fl, d, e, p) -> unlinkat(k, dfd, path, fl));
        t.register(38, "rename", "ss", (k, o, n, c, d, e, p) -> rename(k, cwd, o, cwd, n, 0));
        t.register(302, "renameat", "dsds", (k, od, o, nd, n, e, p) -> rename(k, od, o, nd, n, 0));
        t.register(353, "renameat2", "dsdsx", (k, od, o, nd, n, fl, p) -> rename(k, od, o, nd, n, fl));
        t.register(9, "link", "ss", (k, o, n, c, d, e, p) -> link(k, cwd, o, cwd, n, 0));
        t.register(303, "linkat", "dsdsx", (k, od, o, nd, n, fl, p) -> link(k, od, o, nd, n, fl));
        t.register(83, "symlink", "ss", (k, tg, n, c, d, e, p) -> symlink(k, tg, cwd, n));
        t.register(304, "symlinkat", "sds", (k, tg, nd, n, d, e, p) -> symlink(k, tg, nd, n));
        t.register(85, "readlink", "spd", (k, path, b, sz, d, e, p) -> readlink(k, cwd, path, b, sz));
        t.register(305, "readlinkat", "dspd", (k, dfd, path, b, sz, e, p) -> readlink(k, dfd, path, b, sz));
    }

    /** The target of a create: must not exist; a trailing slash is only good for directories. */
    private Node createTarget(Task t, int dirfd, int pathAddr, boolean wantDir) {
        Node n = fs.lookupAt(t, dirfd, pathAddr, Vfs.PARENT, false);
        if (n.exists() || n.lastType != Node.LAST_NORM) throw new SyscallException(Errno.EEXIST);
        if (n.trailingSlash && !wantDir) throw new SyscallException(Errno.ENOENT);
        return n.requireCreatable();
    }

    int mkdir(Task t, int dirfd, int pathAddr, int mode) {
        Node n = fs.lookupAt(t, dirfd, pathAddr, Vfs.PARENT, false);
        if (n.dir instanceof CgroupFs.Dir g && !n.exists() && n.lastType == Node.LAST_NORM) {
            g.mkdir(t, n.name);     // a new freezer cgroup
            return 0;
        }
        n = createTarget(t, dirfd, pathAddr, true);
        if (n.dir != null) {
            MemDir d = n.memDir();
            d.add(n.name, d.fs.init(new MemDir(d.fs, mode & 01777 & ~t.fs.umask(), d), t.fsuid, t.fsgid));
            return 0;
        }
        try {
            Files.createDirectory(n.host);
            Files.setAttribute(n.host, "unix:mode", mode & 01777 & ~t.fs.umask(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        return 0;
    }

    int mknod(Task t, int dirfd, int pathAddr, int mode) {
        int type = mode & Flags.S_IFMT;
        switch (type) {
            case 0, Flags.S_IFREG, Flags.S_IFCHR, Flags.S_IFBLK, Flags.S_IFIFO, Flags.S_IFSOCK -> { }
            case Flags.S_IFDIR -> throw new SyscallException(Errno.EPERM);
            default -> throw new SyscallException(Errno.EINVAL);
        }
        Node n = createTarget(t, dirfd, pathAddr, false);
        if (type == Flags.S_IFCHR || type == Flags.S_IFBLK) throw new SyscallException(Errno.EPERM);
        if (n.dir != null) {
            MemDir d = n.memDir();
            int perm = mode & 07777 & ~t.fs.umask();
            Inode i = switch (type) {
                case Flags.S_IFIFO -> new FifoInode(d.fs, perm);
                case Flags.S_IFSOCK -> throw new SyscallException(Errno.EPERM);
                default -> new MemFile(d.fs, perm);
            };
            d.add(n.name, d.fs.init(i, t.fsuid, t.fsgid));
            return 0;
        }
        if (type == Flags.S_IFSOCK) throw new SyscallException(Errno.EPERM);  // sockets: not on the host root
        if (type == Flags.S_IFIFO) {
            HostFifos.create(n.host, mode & 07777 & ~t.fs.umask());
            return 0;
        }
        try {
            Files.createFile(n.host);
            Files.setAttribute(n.host, "unix:mode", mode & 07777 & ~t.fs.umask(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        return 0;
    }

    int unlinkat(Task t, int dirfd, int pathAddr, int flags) {
        if ((flags & ~Flags.AT_REMOVEDIR) != 0) throw new SyscallException(Errno.EINVAL);
        return (flags & Flags.AT_REMOVEDIR) != 0 ? rmdir(t, dirfd, pathAddr) : unlink(t, dirfd, pathAddr);
    }

    int unlink(Task t, int dirfd, int pathAddr) {
        Node n = fs.lookupAt(t, dirfd, pathAddr, Vfs.PARENT, false);
        if (n.lastType != Node.LAST_NORM) throw new SyscallException(Errno.EISDIR);
        n.requireExists();
        if (n.isDir()) throw new SyscallException(Errno.EISDIR);
        if (n.trailingSlash) throw new SyscallException(Errno.ENOTDIR);
        if (n.inKernel()) {
            if (n.dir == null) throw new SyscallException(Errno.EBUSY);
            n.memDir().remove(n.name);
            return 0;
        }
        if (!n.onHost()) throw new SyscallException(Errno.EACCES);
        delete(n.host);
        return 0;
    }

    int rmdir(Task t, int dirfd, int pathAddr) {
        Node n = fs.lookupAt(t, dirfd, pathAddr, Vfs.PARENT, false);
        switch (n.lastType) {
            case Node.LAST_DOT -> throw new SyscallException(Errno.EINVAL);
            case Node.LAST_DOTDOT -> throw new SyscallException(Errno.ENOTEMPTY);
            case Node.LAST_ROOT -> throw new SyscallException(Errno.EBUSY);
            default -> { }
        }
        n.requireExists();
        if (!n.isDir()) throw new SyscallException(Errno.ENOTDIR);
        if (n.guestPath.equals(t.fs.root())) throw new SyscallException(Errno.EBUSY);
        if (n.inKernel()) {
            if (n.dir == null) throw new SyscallException(Errno.EBUSY);     // a mount point
            if (n.dir instanceof CgroupFs.Dir g) {
                g.rmdir(t, n.name);
                return 0;
            }
            MemDir d = n.memDir();
            if (!(n.inode instanceof MemDir victim)) throw new SyscallException(Errno.EACCES);
            if (!victim.isEmpty()) throw new SyscallException(Errno.ENOTEMPTY);
            d.remove(n.name);
            return 0;
        }
        if (!n.onHost()) throw new SyscallException(Errno.EBUSY);
        delete(n.host);
        return 0;
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    int rename(Task t, int oldDir, int oldAddr, int newDir, int newAddr, int flags) {
        if ((flags & ~(Flags.RENAME_NOREPLACE | Flags.RENAME_EXCHANGE | Flags.RENAME_WHITEOUT)) != 0)
            throw new SyscallException(Errno.EINVAL);
        if ((flags & Flags.RENAME_EXCHANGE) != 0 && (flags & (Flags.RENAME_NOREPLACE | Flags.RENAME_WHITEOUT)) != 0)
            throw new SyscallException(Errno.EINVAL);
        if ((flags & Flags.RENAME_WHITEOUT) != 0) throw new SyscallException(Errno.EPERM);
        Node from = fs.lookupAt(t, oldDir, oldAddr, Vfs.PARENT, false);
        Node to = fs.lookupAt(t, newDir, newAddr, Vfs.PARENT, false);
        if (from.lastType != Node.LAST_NORM || to.lastType != Node.LAST_NORM) throw new SyscallException(Errno.EBUSY);
        from.requireExists();
        boolean exchange = (flags & Flags.RENAME_EXCHANGE) != 0;
        if (exchange) to.requireExists();
        if ((flags & Flags.RENAME_NOREPLACE) != 0 && to.exists()) throw new SyscallException(Errno.EEXIST);
        if (!from.isDir() && (from.trailingSlash || to.trailingSlash && !exchange)) throw new SyscallException(Errno.ENOTDIR);
        if (exchange && !to.isDir() && to.trailingSlash) throw new SyscallException(Errno.ENOTDIR);
        if (from.inKernel() || to.inKernel()) return renameInKernel(from, to, exchange);
        if (!from.onHost() || !to.onHost()) throw new SyscallException(from.onHost() == to.onHost() ? Errno.EACCES : Errno.EXDEV);
        if (to.badName) throw new SyscallException(Errno.EINVAL);
        try {
            if (exchange) {
                if (from.host.equals(to.host)) return 0;
                Path tmp = from.host.resolveSibling(".j386-exchange-" + System.nanoTime());
                Files.move(from.host, tmp, StandardCopyOption.ATOMIC_MOVE);
                Files.move(to.host, from.host, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, to.host, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(from.host, to.host, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        return 0;
    }

    /** rename within one tmpfs: entries move, inodes (and open files) stay. */
    private static int renameInKernel(Node from, Node to, boolean exchange) {
        if (!from.inKernel() || !to.inKernel()) throw new SyscallException(Errno.EXDEV);
        if (from.dir == null || to.dir == null) throw new SyscallException(Errno.EBUSY);    // a mount point
        MemDir fd = from.memDir(), td = to.memDir();
        if (fd.fs != td.fs) throw new SyscallException(Errno.EXDEV);
        Inode src = from.inode, dst = to.inode;
        if (src == dst) return 0;
        if (src instanceof MemDir sd && sd.isAncestorOf(td)) throw new SyscallException(Errno.EINVAL);
        if (exchange) {
            if (dst instanceof MemDir dd && dd.isAncestorOf(fd)) throw new SyscallException(Errno.EINVAL);
            fd.detach(from.name);
            td.detach(to.name);
            td.attach(to.name, src);
            fd.attach(from.name, dst);
            return 0;
        }
        if (dst != null) {
            if (src.isDir() && !dst.isDir()) throw new SyscallException(Errno.ENOTDIR);
            if (!src.isDir() && dst.isDir()) throw new SyscallException(Errno.EISDIR);
            if (dst instanceof MemDir dd && !dd.isEmpty()) throw new SyscallException(Errno.ENOTEMPTY);
            td.remove(to.name);
        }
        fd.detach(from.name);
        td.attach(to.name, src);
        return 0;
    }

    int link(Task t, int oldDir, int oldAddr, int newDir, int newAddr, int flags) {
        if ((flags & ~(Flags.AT_SYMLINK_FOLLOW | Flags.AT_EMPTY_PATH)) != 0) throw new SyscallException(Errno.EINVAL);
        // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: an empty name is then just missing.
        Node from = fs.lookupAt(t, oldDir, oldAddr, (flags & Flags.AT_SYMLINK_FOLLOW) != 0 ? Vfs.FOLLOW : Vfs.NOFOLLOW, false);
        from.requireExists();
        Node to = createTarget(t, newDir, newAddr, false);
        if (from.isDir()) throw new SyscallException(Errno.EPERM);
        if (from.inKernel() || to.inKernel()) {
            if (from.inode == null || to.dir == null || !(from.dir instanceof MemDir fd) || fd.fs != to.memDir().fs)
                throw new SyscallException(Errno.EXDEV);
            to.memDir().add(to.name, from.inode);
            return 0;
        }
        if (!from.onHost()) throw new SyscallException(Errno.EXDEV);
        try {
            Files.createLink(to.host, from.host);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        return 0;
    }

    int symlink(Task t, int targetAddr, int newDir, int newAddr) {
        String target = t.mem.readPath(targetAddr);
        if (target.isEmpty()) throw new SyscallException(Errno.ENOENT);
        Node n = createTarget(t, newDir, newAddr, false);
        if (n.dir != null) {
            MemDir d = n.memDir();
            d.add(n.name, d.fs.init(new MemSymlink(d.fs.dev, d.fs.newIno(), target), t.fsuid, t.fsgid));
            return 0;
        }
        String hostTarget = Names.toHost(target);
        if (hostTarget == null) throw new SyscallException(Errno.EINVAL);
        try {
            Files.createSymbolicLink(n.host, Path.of(hostTarget));
        } catch (InvalidPathException e) {
            throw new SyscallException(Errno.EINVAL);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        return 0;
    }

    int readlink(Task t, int dirfd, int pathAddr, int buf, int size) {
        if (size <= 0) throw new SyscallException(Errno.EINVAL);
        Node n = fs.lookupAt(t, dirfd, pathAddr, Vfs.NOFOLLOW, true);
        String text;
        if (n == null) {                // empty path: the O_PATH|O_NOFOLLOW descriptor dirfd itself
            OpenFile f = t.files.peek(dirfd);
            if (f instanceof PathFile pf && pf.node().inode != null) {
                if (!pf.node().inode.isSymlink()) throw new SyscallException(Errno.EINVAL);
                text = pf.node().inode.readlink(t);
            } else {
            if (!(f instanceof PathFile) || f.hostPath() == null) throw new SyscallException(Errno.ENOENT);
            if (!Files.isSymbolicLink(f.hostPath())) throw new SyscallException(Errno.EINVAL);
            text = Vfs.readLink(f.hostPath());
            }
        } else {
            n.requireExists();
            if (!n.isSymlink()) throw new SyscallException(Errno.EINVAL);
            text = n.inode != null ? n.inode.readlink(t) : Vfs.readLink(n.host);
        }
        byte[] b = Names.bytes(text);
        int len = Math.min(b.length, size);
        t.mem.write(buf, b, 0, len);
        return len;
    }
}
