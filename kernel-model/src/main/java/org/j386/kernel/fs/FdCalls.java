package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** Descriptor-level calls: close, dup*, fcntl, ioctl, close_range, fsync. */
final class FdCalls {
    private final FileSyscalls fs;

    FdCalls(FileSyscalls fs) { this.fs = fs; }

    void register(SyscallTable t) {
        t.register(6, "close", "d", (k, fd, b, c, d, e, p) -> close(k, fd));
        t.register(41, "dup", "d", (k, fd, b, c, d, e, p) -> k.files.dup(fd, 0, false));
        t.register(63, "dup2", "dd", (k, o, n, c, d, e, p) -> dup2(k, o, n));
        t.register(330, "dup3", "ddx", (k, o, n, fl, d, e, p) -> dup3(k, o, n, fl));
        t.register(55, "fcntl", "ddx", (k, fd, cmd, arg, d, e, p) -> fcntl(k, fd, cmd, arg));
        t.register(221, "fcntl64", "ddx", (k, fd, cmd, arg, d, e, p) -> fcntl(k, fd, cmd, arg));
        t.register(54, "ioctl", "dxx", (k, fd, cmd, arg, d, e, p) -> ioctl(k, fd, cmd, arg));
        t.register(436, "close_range", "ddx", (k, a, b, fl, d, e, p) -> closeRange(k, a, b, fl));
        t.register(118, "fsync", "d", (k, fd, b, c, d, e, p) -> sync(k, fd));
        t.register(148, "fdatasync", "d", (k, fd, b, c, d, e, p) -> sync(k, fd));
    }

    static int close(Task t, int fd) {
        t.files.close(fd);
        return 0;
    }

    static int dup2(Task t, int oldFd, int newFd) {
        if (oldFd == newFd) {
            t.files.get(oldFd);
            return newFd;
        }
        return t.files.dupTo(oldFd, newFd, false);
    }

    static int dup3(Task t, int oldFd, int newFd, int flags) {
        if ((flags & ~Flags.O_CLOEXEC) != 0) throw new SyscallException(Errno.EINVAL);
        if (oldFd == newFd) throw new SyscallException(Errno.EINVAL);
        return t.files.dupTo(oldFd, newFd, (flags & Flags.O_CLOEXEC) != 0);
    }

    int fcntl(Task t, int fd, int cmd, int arg) {
        OpenFile f = t.files.get(fd);
        switch (cmd) {
            case Flags.F_DUPFD:
                return t.files.dup(fd, arg, false);
            case Flags.F_DUPFD_CLOEXEC:
                return t.files.dup(fd, arg, true);
            case Flags.F_GETFD:
                return t.files.closeOnExec(fd) ? Flags.FD_CLOEXEC : 0;
            case Flags.F_SETFD:
                t.files.setCloseOnExec(fd, (arg & Flags.FD_CLOEXEC) != 0);
                return 0;
            case Flags.F_GETFL:
                return f.flags();
            case Flags.F_SETFL:
                if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
                f.setStatusFlags(arg);
                return 0;
            case Flags.F_GETLK, Flags.F_SETLK, Flags.F_SETLKW:
            case Flags.F_GETLK64, Flags.F_SETLK64, Flags.F_SETLKW64,
                 Flags.F_OFD_GETLK, Flags.F_OFD_SETLK, Flags.F_OFD_SETLKW:
                return lock(t, f, cmd, arg);
            case Flags.F_GETPIPE_SZ:
                if (!(f instanceof Pipe.End p)) throw new SyscallException(Errno.EBADF);
                return p.capacity();
            case Flags.F_SETPIPE_SZ:
                if (!(f instanceof Pipe.End p)) throw new SyscallException(Errno.EBADF);
                return p.setCapacity(arg);
            case Flags.F_GETOWN, Flags.F_SETOWN, Flags.F_GETSIG, Flags.F_SETSIG:
                if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
                return 0;
            case Flags.F_GETLEASE:
                return Flags.F_UNLCK;
            default:
                throw new SyscallException(Errno.EINVAL);
        }
    }

    /**
     * Record locks. struct flock is {s16 type, s16 whence, s32 start, s32 len, s32 pid}; flock64
     * (F_*LK64 and the OFD commands) has s64 start and len, 4-byte aligned on i386.
     */
    private int lock(Task t, OpenFile f, int cmd, int arg) {
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        boolean ofd = cmd == Flags.F_OFD_GETLK || cmd == Flags.F_OFD_SETLK || cmd == Flags.F_OFD_SETLKW;
        boolean is64 = ofd || cmd == Flags.F_GETLK64 || cmd == Flags.F_SETLK64 || cmd == Flags.F_SETLKW64;
        boolean get = cmd == Flags.F_GETLK || cmd == Flags.F_GETLK64 || cmd == Flags.F_OFD_GETLK;
        boolean wait = cmd == Flags.F_SETLKW || cmd == Flags.F_SETLKW64 || cmd == Flags.F_OFD_SETLKW;
        int type = (short) t.mem.readWord(arg);
        int whence = (short) t.mem.readWord(arg + 2);
        long start = is64 ? t.mem.readLong(arg + 4) : t.mem.readInt(arg + 4);
        long len = is64 ? t.mem.readLong(arg + 12) : t.mem.readInt(arg + 8);
        int pid = t.mem.readInt(arg + (is64 ? 20 : 12));
        if (type != Flags.F_RDLCK && type != Flags.F_WRLCK && type != Flags.F_UNLCK)
            throw new SyscallException(Errno.EINVAL);
        if (ofd && pid != 0) throw new SyscallException(Errno.EINVAL);
        long base = switch (whence) {
            case Flags.SEEK_SET -> 0;
            case Flags.SEEK_CUR -> f.position();
            case Flags.SEEK_END -> f.stat().size;
            default -> throw new SyscallException(Errno.EINVAL);
        };
        long s = base + start, e;
        if (len > 0) e = s + len;
        else if (len == 0) e = Long.MAX_VALUE;
        else {
            e = s;
            s += len;
        }
        if (s < 0 || e < s) throw new SyscallException(Errno.EINVAL);
        Object key = f.lockKey();
        Object owner = ofd ? f : FileLocks.processOwner(t);
        FileLocks locks = fs.locks;
        if (get) {
            if (type == Flags.F_UNLCK) throw new SyscallException(Errno.EINVAL);
            FileLocks.Range c = locks.conflict(key, owner, type, s, e);
            if (c == null) {
                t.mem.writeWord(arg, Flags.F_UNLCK);
                return 0;
            }
            long clen = c.end() == Long.MAX_VALUE ? 0 : c.end() - c.start();
            int cpid = c.owner() instanceof OpenFile ? -1 : c.pid();
            if (!is64 && (c.start() > Integer.MAX_VALUE || clen > Integer.MAX_VALUE)) throw new SyscallException(Errno.EOVERFLOW);
            t.mem.writeWord(arg, c.type());
            t.mem.writeWord(arg + 2, Flags.SEEK_SET);
            if (is64) {
                t.mem.writeLong(arg + 4, c.start());
                t.mem.writeLong(arg + 12, clen);
                t.mem.writeInt(arg + 20, cpid);
            } else {
                t.mem.writeInt(arg + 4, (int) c.start());
                t.mem.writeInt(arg + 8, (int) clen);
                t.mem.writeInt(arg + 12, cpid);
            }
            return 0;
        }
        if (type == Flags.F_RDLCK && !f.readable()) throw new SyscallException(Errno.EBADF);
        if (type == Flags.F_WRLCK && !f.writable()) throw new SyscallException(Errno.EBADF);
        FileLocks.Range c = type == Flags.F_UNLCK ? null : locks.conflict(key, owner, type, s, e);
        if (c != null) {
            if (!wait) throw new SyscallException(Errno.EAGAIN);
            if (!ofd && locks.wouldDeadlock(t, c.owner())) {
                locks.doneWaiting(t);
                throw new SyscallException(Errno.EDEADLK);
            }
            throw new BlockedException(locks.waiters);
        }
        if (wait) locks.doneWaiting(t);
        locks.set(key, owner, type, s, e, t.tgid);
        f.locks = locks;
        return 0;
    }

    static int ioctl(Task t, int fd, int cmd, int arg) {
        OpenFile f = t.files.get(fd);
        switch (cmd) {
            case Ioctls.FIOCLEX:
                t.files.setCloseOnExec(fd, true);
                return 0;
            case Ioctls.FIONCLEX:
                t.files.setCloseOnExec(fd, false);
                return 0;
            default:
                break;
        }
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        switch (cmd) {
            case Ioctls.FIONBIO: {
                int on = t.mem.readInt(arg);
                f.setStatusFlags(on != 0 ? f.flags() | Flags.O_NONBLOCK : f.flags() & ~Flags.O_NONBLOCK);
                return 0;
            }
            case Ioctls.FIOASYNC:
                t.mem.readInt(arg);
                return 0;
            case Ioctls.FIONREAD:
                if (f instanceof HostFile || f instanceof ConsoleFile || f instanceof MemFileHandle) {
                    int n = f.available();
                    t.mem.writeInt(arg, n);
                    return 0;
                }
                break;
            default:
                break;
        }
        return f.ioctl(t, cmd, arg);
    }

    static int closeRange(Task t, int first, int last, int flags) {
        if ((flags & ~(Flags.CLOSE_RANGE_UNSHARE | Flags.CLOSE_RANGE_CLOEXEC)) != 0)
            throw new SyscallException(Errno.EINVAL);
        if (Integer.compareUnsigned(first, last) > 0) throw new SyscallException(Errno.EINVAL);
        // CLOSE_RANGE_UNSHARE: a table shared by CLONE_FILES would be copied first (the task
        // core owns that sharing); for an unshared table it changes nothing.
        t.files.closeRange(first, last, (flags & Flags.CLOSE_RANGE_CLOEXEC) != 0);
        return 0;
    }

    static int sync(Task t, int fd) {
        OpenFile f = t.files.get(fd);
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        f.sync();
        return 0;
    }
}
