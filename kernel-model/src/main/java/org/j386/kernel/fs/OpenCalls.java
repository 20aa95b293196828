package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/** open, openat, creat. */
final class OpenCalls {
    private final FileSyscalls fs;

    OpenCalls(FileSyscalls fs) { this.fs = fs; }

    void register(SyscallTable t) {
        t.register(5, "open", "sxo", (k, path, fl, mode, d, e, p) -> open(k, Flags.AT_FDCWD, path, fl, mode));
        t.register(8, "creat", "so", (k, path, mode, c, d, e, p) ->
                open(k, Flags.AT_FDCWD, path, Flags.O_CREAT | Flags.O_WRONLY | Flags.O_TRUNC, mode));
        t.register(295, "openat", "dsxo", (k, dfd, path, fl, mode, e, p) -> open(k, dfd, path, fl, mode));
    }

    int open(Task t, int dirfd, int pathAddr, int flags, int mode) {
        String path = t.mem.readPath(pathAddr);
        if (path.isEmpty()) throw new SyscallException(Errno.ENOENT);
        OpenFile f = openFile(t, dirfd, path, flags, mode);
        return t.files.allocate(f, (flags & Flags.O_CLOEXEC) != 0);
    }

    /** The open file for an open(2) of {@code path}; the caller installs it. */
    OpenFile openFile(Task t, int dirfd, String path, int flags, int mode) {
        if ((flags & Flags.O_TMPFILE) == Flags.O_TMPFILE) throw new SyscallException(Errno.EOPNOTSUPP);
        boolean pathOnly = (flags & Flags.O_PATH) != 0;
        if (pathOnly) flags &= Flags.O_PATH | Flags.O_DIRECTORY | Flags.O_NOFOLLOW | Flags.O_CLOEXEC;
        boolean creat = (flags & Flags.O_CREAT) != 0;
        boolean excl = creat && (flags & Flags.O_EXCL) != 0;
        if (creat && (flags & Flags.O_DIRECTORY) != 0) throw new SyscallException(Errno.EINVAL);
        int acc = flags & Flags.O_ACCMODE;
        boolean follow = (flags & Flags.O_NOFOLLOW) == 0 && !excl;
        Node n = fs.lookup(t, dirfd, path, follow ? Vfs.FOLLOW : Vfs.NOFOLLOW);

        if (!n.exists()) {
            if (!creat) throw new SyscallException(Errno.ENOENT);
            if (n.trailingSlash || n.lastType != Node.LAST_NORM) throw new SyscallException(Errno.EISDIR);
            n.requireCreatable();
            if (n.dir != null) return createInKernel(t, n, flags, mode);
            return create(t, n, flags, mode);
        }
        if (excl) throw new SyscallException(Errno.EEXIST);
        if (n.isSymlink()) {            // only reached with O_NOFOLLOW
            if (pathOnly) return new PathFile(n, flags);
            throw new SyscallException(Errno.ELOOP);
        }
        boolean dir = n.isDir();
        if ((flags & Flags.O_DIRECTORY) != 0 && !dir) throw new SyscallException(Errno.ENOTDIR);
        if (pathOnly) return new PathFile(n, flags);
        if (n.inode != null) return openInode(t, n, flags);
        if (dir) {
            if (acc != Flags.O_RDONLY || creat || (flags & Flags.O_TRUNC) != 0)
                throw new SyscallException(Errno.EISDIR);
            return new HostDirectory(fs.vfs, n, flags);
        }
        if (!n.isRegular()) {
            if (n.attrs.isOther() && hostType(n.host) == Flags.S_IFIFO) {
                boolean r = acc != Flags.O_WRONLY, w = acc != Flags.O_RDONLY;
                if ((r && !Files.isReadable(n.host)) || (w && !Files.isWritable(n.host))) throw new SyscallException(Errno.EACCES);
                OpenFile f = fs.hostFifos.at(n.host).open(t, n.guestPath, flags);
                f.locks = fs.locks;
                return f;
            }
            // Sockets and device nodes of the host are not opened: they could block or escape the sandbox.
            throw new SyscallException(n.attrs.isOther() && hostType(n.host) == Flags.S_IFSOCK ? Errno.ENXIO : Errno.EACCES);
        }
        HostFile f = openRegular(n.host, n.guestPath, flags, false);
        f.locks = fs.locks;
        return f;
    }

    private OpenFile openInode(Task t, Node n, int flags) {
        int acc = flags & Flags.O_ACCMODE;
        Inode i = n.inode;
        if (i.isDir()) {
            if (acc != Flags.O_RDONLY || (flags & (Flags.O_CREAT | Flags.O_TRUNC)) != 0) throw new SyscallException(Errno.EISDIR);
            long parentIno = i.ino;
            try {
                if (!n.guestPath.equals("/")) parentIno = fs.vfs.resolveCanonical(n.parentGuestPath()).stat().ino;
            } catch (SyscallException ignored) {
                // keep our own
            }
            return new InodeDirFile(i, n.guestPath, parentIno, t, flags);
        }
        if (i instanceof MemFile || i instanceof FifoInode) {
            boolean wantsWrite = acc != Flags.O_RDONLY || (flags & Flags.O_TRUNC) != 0;
            Perm.check(t, i, (acc != Flags.O_WRONLY ? Perm.R : 0) | (wantsWrite ? Perm.W : 0));
        }
        OpenFile f = i.open(t, n.guestPath, flags);
        f.locks = fs.locks;
        return f;
    }

    /** O_CREAT of a new name in tmpfs. */
    private OpenFile createInKernel(Task t, Node n, int flags, int mode) {
        MemDir d = n.memDir();
        MemFile file = d.fs.init(new MemFile(d.fs, mode & ~t.fs.umask()), t.fsuid, t.fsgid);
        d.add(n.name, file);
        OpenFile f = file.open(t, n.guestPath, flags & ~Flags.O_TRUNC);
        f.locks = fs.locks;
        return f;
    }

    /** The S_IFMT bits of a host file, or 0. */
    static int hostType(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode & Flags.S_IFMT;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private OpenFile create(Task t, Node n, int flags, int mode) {
        HostFile f;
        try {
            f = openRegular(n.host, n.guestPath, flags, true);
        } catch (SyscallException e) {
            // Created by someone else between the lookup and here: without O_EXCL open it as it is.
            if (e.errno != Errno.EEXIST || (flags & Flags.O_EXCL) != 0) throw e;
            f = openRegular(n.host, n.guestPath, flags, false);
            f.locks = fs.locks;
            return f;
        }
        f.locks = fs.locks;
        try {
            Files.setAttribute(n.host, "unix:mode", mode & 07777 & ~t.fs.umask(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            f.put();
            throw HostErrors.of(e);
        }
        return f;
    }

    static HostFile openRegular(Path host, String guestPath, int flags, boolean createNew) {
        int acc = flags & Flags.O_ACCMODE;
        Set<OpenOption> opts = new HashSet<>();
        opts.add(LinkOption.NOFOLLOW_LINKS);
        if (acc != Flags.O_WRONLY) opts.add(StandardOpenOption.READ);
        if (acc != Flags.O_RDONLY) opts.add(StandardOpenOption.WRITE);
        if (createNew) opts.add(StandardOpenOption.CREATE_NEW);
        boolean trunc = (flags & Flags.O_TRUNC) != 0 && !createNew;
        if (trunc && acc != Flags.O_RDONLY) opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        if ((flags & Flags.O_SYNC) == Flags.O_SYNC) opts.add(StandardOpenOption.SYNC);
        else if ((flags & Flags.O_DSYNC) != 0) opts.add(StandardOpenOption.DSYNC);
        try {
            FileChannel ch = FileChannel.open(host, opts);
            if (trunc && acc == Flags.O_RDONLY) {
                // Linux truncates even for O_RDONLY (given write permission).
                try (FileChannel w = FileChannel.open(host, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    w.truncate(0);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
            }
            return new HostFile(ch, guestPath, host, flags);
        } catch (FileAlreadyExistsException e) {
            if (createNew) throw new SyscallException(Errno.EEXIST);
            throw HostErrors.of(e);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }
}
