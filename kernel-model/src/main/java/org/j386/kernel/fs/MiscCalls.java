package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** Less common file calls: sync, advice, locks, preallocation, in-kernel copies, chroot, fchmodat2. */
final class MiscCalls {
    private static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private final FileSyscalls fs;

    MiscCalls(FileSyscalls fs) { this.fs = fs; }

    void register(SyscallTable t) {
        t.register(36, "sync", "", (k, a, b, c, d, e, p) -> 0);
        t.register(344, "syncfs", "d", (k, fd, b, c, d, e, p) -> { k.files.get(fd); return 0; });
        t.register(143, "flock", "dx", (k, fd, op, c, d, e, p) -> flock(k, fd, op));
        t.register(250, "fadvise64", "ddddd", (k, fd, lo, hi, len, adv, p) -> fadvise(k, fd, len, adv));
        t.register(272, "fadvise64_64", "dddddd", (k, fd, lo, hi, llo, lhi, adv) -> fadvise(k, fd, FileSyscalls.offset64(llo, lhi), adv));
        t.register(225, "readahead", "dddd", (k, fd, lo, hi, n, e, p) -> readahead(k, fd));
        t.register(324, "fallocate", "dxdddd", (k, fd, mode, olo, ohi, llo, lhi) ->
                fallocate(k, fd, mode, FileSyscalls.offset64(olo, ohi), FileSyscalls.offset64(llo, lhi)));
        t.register(187, "sendfile", "ddpd", (k, out, in, off, n, e, p) -> sendfile(k, out, in, off, n, false));
        t.register(239, "sendfile64", "ddpd", (k, out, in, off, n, e, p) -> sendfile(k, out, in, off, n, true));
        t.register(377, "copy_file_range", "dpdpdx", (k, in, offIn, out, offOut, n, fl) -> copyFileRange(k, in, offIn, out, offOut, n, fl));
        t.register(61, "chroot", "s", (k, path, b, c, d, e, p) -> chroot(k, path));
        t.register(452, "fchmodat2", "dsox", (k, dfd, path, mode, fl, e, p) -> fchmodat2(k, dfd, path, mode, fl));
    }

    /** flock: a shared or exclusive lock of the open file description; a conflicting request sleeps (EWOULDBLOCK with LOCK_NB). */
    int flock(Task t, int fd, int op) {
        OpenFile f = t.files.get(fd);
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        int kind = op & ~LOCK_NB;
        if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) throw new SyscallException(Errno.EINVAL);
        FileLocks locks = fs.locks;
        Object key = f.lockKey();
        if (kind == LOCK_UN) {
            locks.flockSet(key, f, false, true);
            return 0;
        }
        boolean ex = kind == LOCK_EX;
        if (locks.flockConflict(key, f, ex)) {
            // Linux drops a held lock before trying the conversion, even with LOCK_NB
            locks.flockSet(key, f, false, true);
            if ((op & LOCK_NB) != 0) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(locks.waiters);
        }
        locks.flockSet(key, f, ex, false);
        f.locks = locks;
        return 0;
    }

    int fadvise(Task t, int fd, long len, int advice) {
        OpenFile f = t.files.get(fd);
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        if (f instanceof ConsoleFile) throw new SyscallException(Errno.ESPIPE);
        if (advice < 0 || advice > 5 || len < 0) throw new SyscallException(Errno.EINVAL);
        return 0;
    }

    int readahead(Task t, int fd) {
        OpenFile f = t.files.get(fd);
        if (!f.readable()) throw new SyscallException(Errno.EBADF);
        if (!(f instanceof HostFile)) throw new SyscallException(Errno.EINVAL);
        return 0;
    }

    int fallocate(Task t, int fd, int mode, long offset, long len) {
        if (offset < 0 || len <= 0) throw new SyscallException(Errno.EINVAL);
        OpenFile f = t.files.get(fd);
        if (!f.writable()) throw new SyscallException(Errno.EBADF);
        if (f instanceof ConsoleFile) throw new SyscallException(Errno.ESPIPE);
        if (f.isDirectory()) throw new SyscallException(Errno.EISDIR);
        if (!(f instanceof HostFile || f instanceof MemFileHandle)) throw new SyscallException(Errno.ENODEV);
        if ((mode & ~FALLOC_FL_KEEP_SIZE) != 0) throw new SyscallException(Errno.EOPNOTSUPP);
        long end = offset + len;
        if (end < 0) throw new SyscallException(Errno.EFBIG);
        if ((mode & FALLOC_FL_KEEP_SIZE) == 0 && end > f.stat().size) f.truncate(end);
        return 0;
    }

    /** sendfile: from a seekable input (at *offset, or its position) to any writable output, through the bounce buffer. */
    int sendfile(Task t, int outFd, int inFd, int offAddr, int count, boolean off64) {
        OpenFile in = t.files.get(inFd);
        OpenFile out = t.files.get(outFd);
        if (!in.readable() || !out.writable()) throw new SyscallException(Errno.EBADF);
        if (!in.seekable() || (out.flags() & Flags.O_APPEND) != 0) throw new SyscallException(Errno.EINVAL);
        long pos = offAddr == 0 ? in.position() : off64 ? t.mem.readLong(offAddr) : t.mem.readInt(offAddr);
        if (pos < 0) throw new SyscallException(Errno.EINVAL);
        int done = copy(in, pos, out, -1, Integer.toUnsignedLong(count));
        if (offAddr == 0) in.seek(pos + done, Flags.SEEK_SET);
        else if (off64) t.mem.writeLong(offAddr, pos + done);
        else t.mem.writeInt(offAddr, (int) (pos + done));
        return done;
    }

    int copyFileRange(Task t, int inFd, int offIn, int outFd, int offOut, int count, int flags) {
        if (flags != 0) throw new SyscallException(Errno.EINVAL);
        OpenFile in = t.files.get(inFd);
        OpenFile out = t.files.get(outFd);
        if (!in.readable() || !out.writable() || (out.flags() & Flags.O_APPEND) != 0) throw new SyscallException(Errno.EBADF);
        if (in.isDirectory() || out.isDirectory()) throw new SyscallException(Errno.EISDIR);
        if (!(in instanceof HostFile || in instanceof MemFileHandle) || !(out instanceof HostFile || out instanceof MemFileHandle))
            throw new SyscallException(Errno.EINVAL);
        long pin = offIn == 0 ? in.position() : t.mem.readLong(offIn);
        long pout = offOut == 0 ? out.position() : t.mem.readLong(offOut);
        long len = Integer.toUnsignedLong(count);
        if (pin < 0 || pout < 0) throw new SyscallException(Errno.EINVAL);
        if (in.lockKey().equals(out.lockKey()) && pin < pout + len && pout < pin + len) throw new SyscallException(Errno.EINVAL);
        int done = copy(in, pin, out, pout, len);
        if (offIn == 0) in.seek(pin + done, Flags.SEEK_SET);
        else t.mem.writeLong(offIn, pin + done);
        if (offOut == 0) out.seek(pout + done, Flags.SEEK_SET);
        else t.mem.writeLong(offOut, pout + done);
        return done;
    }

    /** Copies up to {@code len} bytes from {@code in} at {@code pin} to {@code out} (at {@code pout}, or its position when -1). */
    private int copy(OpenFile in, long pin, OpenFile out, long pout, long len) {
        byte[] buf = fs.buf;
        len = Math.min(len, Flags.MAX_RW_COUNT);
        int done = 0;
        while (done < len) {
            int n;
            try {
                n = in.pread(buf, 0, (int) Math.min(buf.length, len - done), pin + done);
                if (n <= 0) break;
                int w = pout < 0 ? out.write(buf, 0, n) : out.pwrite(buf, 0, n, pout + done);
                done += w;
                if (w < n) break;
            } catch (SyscallException e) {
                if (done > 0) break;
                throw e;
            }
        }
        return done;
    }

    int chroot(Task t, int pathAddr) {
        Node n = fs.lookupAt(t, Flags.AT_FDCWD, pathAddr, Vfs.FOLLOW, false).requireExists();
        if (!n.isDir()) throw new SyscallException(Errno.ENOTDIR);
        if (t.euid != 0) throw new SyscallException(Errno.EPERM);
        t.fs.setRoot(n.guestPath);
        return 0;
    }

    int fchmodat2(Task t, int dirfd, int pathAddr, int mode, int flags) {
        if ((flags & ~(Flags.AT_SYMLINK_NOFOLLOW | Flags.AT_EMPTY_PATH)) != 0) throw new SyscallException(Errno.EINVAL);
        boolean emptyOk = (flags & Flags.AT_EMPTY_PATH) != 0;
        Node n = fs.lookupAt(t, dirfd, pathAddr, (flags & Flags.AT_SYMLINK_NOFOLLOW) != 0 ? Vfs.NOFOLLOW : Vfs.FOLLOW, emptyOk);
        if (n == null) {
            if (dirfd == Flags.AT_FDCWD) n = fs.lookup(t, dirfd, ".", Vfs.FOLLOW);
            else return new AttrCalls(fs).fchmod(t, dirfd, mode);
        }
        n.requireExists();
        if (n.isSymlink()) throw new SyscallException(Errno.EOPNOTSUPP);
        if (n.inode != null) {
            if (!n.inode.setMode(mode)) throw new SyscallException(Errno.EPERM);
            return 0;
        }
        if (!n.onHost()) throw new SyscallException(Errno.EPERM);
        AttrCalls.setMode(n.host, mode);
        return 0;
    }
}
