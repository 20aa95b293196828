package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** Descriptor-level calls: close, dup*, fcntl, ioctl, close_range, fsync. */
final class FdCalls {
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

    static int fcntl(Task t, int fd, int cmd, int arg) {
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
                return lock(t, f, cmd, arg, false);
            case Flags.F_GETLK64, Flags.F_SETLK64, Flags.F_SETLKW64,
                 Flags.F_OFD_GETLK, Flags.F_OFD_SETLK, Flags.F_OFD_SETLKW:
                return lock(t, f, cmd, arg, true);
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
     * Record locks: one process per machine so far, so every lock is granted and F_GETLK
     * reports the range unlocked. struct flock is {s16 type, s16 whence, s32 start, s32 len,
     * s32 pid}; flock64 has s64 start and len (4-byte aligned on i386).
     */
    private static int lock(Task t, OpenFile f, int cmd, int arg, boolean is64) {
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        int type = (short) t.mem.readWord(arg);
        int whence = (short) t.mem.readWord(arg + 2);
        if (type != Flags.F_RDLCK && type != Flags.F_WRLCK && type != Flags.F_UNLCK)
            throw new SyscallException(Errno.EINVAL);
        if (whence < Flags.SEEK_SET || whence > Flags.SEEK_END) throw new SyscallException(Errno.EINVAL);
        boolean get = cmd == Flags.F_GETLK || cmd == Flags.F_GETLK64 || cmd == Flags.F_OFD_GETLK;
        if (get) {
            if (type == Flags.F_UNLCK) throw new SyscallException(Errno.EINVAL);
            t.mem.writeWord(arg, Flags.F_UNLCK);
            return 0;
        }
        if (type == Flags.F_RDLCK && !f.readable()) throw new SyscallException(Errno.EBADF);
        if (type == Flags.F_WRLCK && !f.writable()) throw new SyscallException(Errno.EBADF);
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
                if (f instanceof HostFile || f instanceof ConsoleFile) {
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
