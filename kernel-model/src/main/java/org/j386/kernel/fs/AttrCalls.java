package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/** Working directory, umask, access, mode, owner, size and times of files. */
final class AttrCalls {
    private final FileSyscalls fs;

    AttrCalls(FileSyscalls fs) { this.fs = fs; }

    void register(SyscallTable t) {
        final int cwd = Flags.AT_FDCWD;
        t.register(12, "chdir", "s", (k, path, b, c, d, e, p) -> chdir(k, path));
        t.register(133, "fchdir", "d", (k, fd, b, c, d, e, p) -> fchdir(k, fd));
        t.register(183, "getcwd", "pd", (k, b, sz, c, d, e, p) -> getcwd(k, b, sz));
        t.register(60, "umask", "o", (k, m, b, c, d, e, p) -> umask(k, m));
        t.register(33, "access", "so", (k, path, m, c, d, e, p) -> access(k, cwd, path, m, 0));
        t.register(307, "faccessat", "dso", (k, dfd, path, m, d, e, p) -> access(k, dfd, path, m, 0));
        t.register(439, "faccessat2", "dsox", (k, dfd, path, m, fl, e, p) -> access(k, dfd, path, m, fl));
        t.register(15, "chmod", "so", (k, path, m, c, d, e, p) -> chmod(k, cwd, path, m));
        t.register(306, "fchmodat", "dso", (k, dfd, path, m, d, e, p) -> chmod(k, dfd, path, m));
        t.register(94, "fchmod", "do", (k, fd, m, c, d, e, p) -> fchmod(k, fd, m));
        t.register(182, "chown", "sdd", (k, path, u, g, d, e, p) -> chown(k, cwd, path, 0));
        t.register(16, "lchown", "sdd", (k, path, u, g, d, e, p) -> chown(k, cwd, path, Flags.AT_SYMLINK_NOFOLLOW));
        t.register(212, "chown32", "sdd", (k, path, u, g, d, e, p) -> chown(k, cwd, path, 0));
        t.register(198, "lchown32", "sdd", (k, path, u, g, d, e, p) -> chown(k, cwd, path, Flags.AT_SYMLINK_NOFOLLOW));
        t.register(298, "fchownat", "dsddx", (k, dfd, path, u, g, fl, p) -> chown(k, dfd, path, fl));
        t.register(95, "fchown", "ddd", (k, fd, u, g, d, e, p) -> fchown(k, fd));
        t.register(207, "fchown32", "ddd", (k, fd, u, g, d, e, p) -> fchown(k, fd));
        t.register(92, "truncate", "sd", (k, path, len, c, d, e, p) -> truncate(k, path, len));
        t.register(193, "truncate64", "sdd", (k, path, lo, hi, d, e, p) -> truncate(k, path, FileSyscalls.offset64(lo, hi)));
        t.register(93, "ftruncate", "dd", (k, fd, len, c, d, e, p) -> ftruncate(k, fd, len));
        t.register(194, "ftruncate64", "ddd", (k, fd, lo, hi, d, e, p) -> ftruncate(k, fd, FileSyscalls.offset64(lo, hi)));
        t.register(320, "utimensat", "dspx", (k, dfd, path, ts, fl, e, p) -> utimensat(k, dfd, path, ts, fl, false));
        t.register(412, "utimensat_time64", "dspx", (k, dfd, path, ts, fl, e, p) -> utimensat(k, dfd, path, ts, fl, true));
        t.register(271, "utimes", "sp", (k, path, tv, c, d, e, p) -> utimes(k, cwd, path, tv));
        t.register(299, "futimesat", "dsp", (k, dfd, path, tv, d, e, p) -> utimes(k, dfd, path, tv));
        t.register(30, "utime", "sp", (k, path, ub, c, d, e, p) -> utime(k, path, ub));
    }

    int chdir(Task t, int pathAddr) {
        Node n = fs.lookupAt(t, Flags.AT_FDCWD, pathAddr, Vfs.FOLLOW, false).requireExists();
        if (!n.isDir()) throw new SyscallException(Errno.ENOTDIR);
        if (n.onHost() && !Files.isExecutable(n.host)) throw new SyscallException(Errno.EACCES);
        if (n.inode != null) Perm.check(t, n.inode, Perm.X);
        t.fs.setCwd(n.guestPath);
        return 0;
    }

    int fchdir(Task t, int fd) {
        OpenFile f = t.files.get(fd);
        if (!f.isDirectory()) throw new SyscallException(Errno.ENOTDIR);
        t.fs.setCwd(f.path());
        return 0;
    }

    int getcwd(Task t, int buf, int size) {
        if (!fs.vfs.resolveCanonical(t.fs.cwd()).isDir()) throw new SyscallException(Errno.ENOENT); // gone
        byte[] path = Names.bytes(t.fs.cwdForGetcwd());
        int len = path.length + 1;
        if (Integer.toUnsignedLong(size) < len) throw new SyscallException(Errno.ERANGE);
        byte[] out = java.util.Arrays.copyOf(path, len);
        t.mem.write(buf, out, 0, len);
        return len;
    }

    int umask(Task t, int mask) {
        int old = t.fs.umask();
        t.fs.setUmask(mask);
        return old;
    }

    int access(Task t, int dirfd, int pathAddr, int mode, int flags) {
        if ((mode & ~7) != 0) throw new SyscallException(Errno.EINVAL);
        if ((flags & ~(Flags.AT_EACCESS | Flags.AT_SYMLINK_NOFOLLOW | Flags.AT_EMPTY_PATH)) != 0)
            throw new SyscallException(Errno.EINVAL);
        Node n = target(t, dirfd, pathAddr, flags);
        Path host = n == null ? t.files.get(dirfd).hostPath() : n.onHost() ? n.host : null;
        if (n != null) n.requireExists();
        if (mode == Flags.F_OK) return 0;
        if (n != null && n.inode != null) {
            if (!n.inode.isSymlink()) Perm.check(t, n.inode, mode);
            return 0;
        }
        if (host == null) {            // in-kernel files: read-write, not executable
            if ((mode & Flags.X_OK) != 0) throw new SyscallException(Errno.EACCES);
            return 0;
        }
        if (n != null && n.isSymlink()) return 0;
        boolean ok = ((mode & Flags.R_OK) == 0 || Files.isReadable(host))
                && ((mode & Flags.W_OK) == 0 || Files.isWritable(host))
                && ((mode & Flags.X_OK) == 0 || Files.isExecutable(host));
        if (!ok) throw new SyscallException(Errno.EACCES);
        return 0;
    }

    /** The node an *at call with AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH flags names; null for the dirfd itself. */
    private Node target(Task t, int dirfd, int pathAddr, int flags) {
        int mode = (flags & Flags.AT_SYMLINK_NOFOLLOW) != 0 ? Vfs.NOFOLLOW : Vfs.FOLLOW;
        Node n = fs.lookupAt(t, dirfd, pathAddr, mode, (flags & Flags.AT_EMPTY_PATH) != 0);
        if (n == null && dirfd == Flags.AT_FDCWD) return fs.lookup(t, dirfd, ".", Vfs.FOLLOW);
        return n;
    }

    int chmod(Task t, int dirfd, int pathAddr, int mode) {
        Node n = fs.lookupAt(t, dirfd, pathAddr, Vfs.FOLLOW, false).requireExists();
        if (n.inode != null) {
            if (!n.inode.setMode(mode)) throw new SyscallException(Errno.EPERM);
            n.inode.ctime = fs.nowNanos();
            return 0;
        }
        if (!n.onHost()) throw new SyscallException(Errno.EPERM);
        setMode(n.host, mode);
        return 0;
    }

    int fchmod(Task t, int fd, int mode) {
        OpenFile f = t.files.get(fd);
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        if (f.hostPath() == null) {     // in-kernel; console or device: nothing on the host to change
            f.chmod(mode);
            return 0;
        }
        setMode(f.hostPath(), mode);
        return 0;
    }

    static void setMode(Path host, int mode) {
        try {
            Files.setAttribute(host, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    /** Ownership is not modelled: a chown that finds its target succeeds without changing anything. */
    int chown(Task t, int dirfd, int pathAddr, int flags) {
        if ((flags & ~(Flags.AT_SYMLINK_NOFOLLOW | Flags.AT_EMPTY_PATH)) != 0) throw new SyscallException(Errno.EINVAL);
        Node n = target(t, dirfd, pathAddr, flags);
        if (n == null) fchown(t, dirfd);
        else n.requireExists();
        return 0;
    }

    int fchown(Task t, int fd) {
        if (t.files.get(fd).pathOnly()) throw new SyscallException(Errno.EBADF);
        return 0;
    }

    int truncate(Task t, int pathAddr, long length) {
        Node n = fs.lookupAt(t, Flags.AT_FDCWD, pathAddr, Vfs.FOLLOW, false);
        if (length < 0) throw new SyscallException(Errno.EINVAL);
        n.requireExists();
        if (n.isDir()) throw new SyscallException(Errno.EISDIR);
        if (!n.isRegular()) throw new SyscallException(Errno.EINVAL);
        if (n.inode instanceof MemFile mf) {
            Perm.check(t, mf, Perm.W);
            mf.truncate(length);
            return 0;
        }
        if (n.inode != null) throw new SyscallException(Errno.EACCES);
        try (FileChannel ch = FileChannel.open(n.host, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            setLength(ch, length);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        return 0;
    }

    int ftruncate(Task t, int fd, long length) {
        if (length < 0) throw new SyscallException(Errno.EINVAL);
        OpenFile f = t.files.get(fd);
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        if (!(f instanceof HostFile || f instanceof MemFileHandle) || !f.writable()) throw new SyscallException(Errno.EINVAL);
        f.truncate(length);
        return 0;
    }

    static void setLength(FileChannel ch, long length) throws IOException {
        long size = ch.size();
        if (length < size) ch.truncate(length);
        else if (length > size) ch.write(ByteBuffer.wrap(new byte[1]), length - 1);   // extends; the rest stays a hole
    }

    // ---- times ------------------------------------------------------------------------------

    int utimensat(Task t, int dirfd, int pathAddr, int times, int flags, boolean time64) {
        if ((flags & ~(Flags.AT_SYMLINK_NOFOLLOW | Flags.AT_EMPTY_PATH)) != 0) throw new SyscallException(Errno.EINVAL);
        FileTime atime, mtime;
        if (times == 0) {
            atime = mtime = now();
        } else {
            int size = time64 ? 16 : 8;
            long as = time64 ? t.mem.readLong(times) : t.mem.readInt(times);
            int an = t.mem.readInt(times + (time64 ? 8 : 4));
            long ms = time64 ? t.mem.readLong(times + size) : t.mem.readInt(times + size);
            int mn = t.mem.readInt(times + size + (time64 ? 8 : 4));
            if (an == Flags.UTIME_OMIT && mn == Flags.UTIME_OMIT) return 0;
            atime = time(as, an);
            mtime = time(ms, mn);
        }
        if (pathAddr == 0) {            // futimens(dirfd)
            if (dirfd == Flags.AT_FDCWD) throw new SyscallException(Errno.EFAULT);
            if ((flags & Flags.AT_SYMLINK_NOFOLLOW) != 0) throw new SyscallException(Errno.EINVAL);
            OpenFile f = t.files.get(dirfd);
            if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
            setTimes(f, atime, mtime);
            return 0;
        }
        Node n = target(t, dirfd, pathAddr, flags);
        if (n == null) setTimes(t.files.get(dirfd), atime, mtime);
        else setTimes(n.requireExists(), atime, mtime);
        return 0;
    }

    private FileTime now() { return FileTime.from(fs.nowNanos(), TimeUnit.NANOSECONDS); }

    /** A timespec: UTIME_NOW, UTIME_OMIT (null: unchanged) or a time. */
    private FileTime time(long sec, int nsec) {
        if (nsec == Flags.UTIME_NOW) return now();
        if (nsec == Flags.UTIME_OMIT) return null;
        if (nsec < 0 || nsec > 999_999_999) throw new SyscallException(Errno.EINVAL);
        return FileTime.from(java.time.Instant.ofEpochSecond(sec, nsec));
    }

    int utimes(Task t, int dirfd, int pathAddr, int tv) {
        FileTime atime, mtime;
        if (tv == 0) {
            atime = mtime = now();
        } else {
            atime = timeval(t.mem.readInt(tv), t.mem.readInt(tv + 4));
            mtime = timeval(t.mem.readInt(tv + 8), t.mem.readInt(tv + 12));
        }
        Node n = fs.lookupAt(t, dirfd, pathAddr, Vfs.FOLLOW, false).requireExists();
        setTimes(n, atime, mtime);
        return 0;
    }

    private static FileTime timeval(int sec, int usec) {
        if (usec < 0 || usec >= 1_000_000) throw new SyscallException(Errno.EINVAL);
        return FileTime.from(java.time.Instant.ofEpochSecond(sec, usec * 1000L));
    }

    int utime(Task t, int pathAddr, int buf) {
        FileTime atime, mtime;
        if (buf == 0) {
            atime = mtime = now();
        } else {
            atime = FileTime.from(t.mem.readInt(buf), TimeUnit.SECONDS);
            mtime = FileTime.from(t.mem.readInt(buf + 4), TimeUnit.SECONDS);
        }
        Node n = fs.lookupAt(t, Flags.AT_FDCWD, pathAddr, Vfs.FOLLOW, false).requireExists();
        setTimes(n, atime, mtime);
        return 0;
    }

    private void setTimes(Node n, FileTime atime, FileTime mtime) {
        if (n.inode != null) InodeTimes.set(n.inode, ns(atime), ns(mtime), fs.nowNanos());
        else setTimes(n.onHost() ? n.host : null, atime, mtime);
    }

    private void setTimes(OpenFile f, FileTime atime, FileTime mtime) {
        if (f.hostPath() != null) setTimes(f.hostPath(), atime, mtime);
        else f.setTimes(ns(atime), ns(mtime), fs.nowNanos());
    }

    private static long ns(FileTime t) {
        if (t == null) return InodeTimes.OMIT;
        java.time.Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** The host path is already resolved: it is a symlink only when the call asked not to follow. */
    private static void setTimes(Path host, FileTime atime, FileTime mtime) {
        if (host == null) return;       // in-kernel file: times are not kept
        try {
            Files.getFileAttributeView(host, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, atime, null);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }
}
