package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** stat family, statx, statfs family, getdents. */
final class StatCalls {
    private static final int STAT = 0, STAT64 = 1;
    private final FileSyscalls fs;

    StatCalls(FileSyscalls fs) { this.fs = fs; }

    void register(SyscallTable t) {
        final int cwd = Flags.AT_FDCWD;
        t.register(106, "stat", "sp", (k, path, b, c, d, e, p) -> stat(k, cwd, path, b, 0, STAT));
        t.register(107, "lstat", "sp", (k, path, b, c, d, e, p) -> stat(k, cwd, path, b, Flags.AT_SYMLINK_NOFOLLOW, STAT));
        t.register(108, "fstat", "dp", (k, fd, b, c, d, e, p) -> fstat(k, fd, b, STAT));
        t.register(195, "stat64", "sp", (k, path, b, c, d, e, p) -> stat(k, cwd, path, b, 0, STAT64));
        t.register(196, "lstat64", "sp", (k, path, b, c, d, e, p) -> stat(k, cwd, path, b, Flags.AT_SYMLINK_NOFOLLOW, STAT64));
        t.register(197, "fstat64", "dp", (k, fd, b, c, d, e, p) -> fstat(k, fd, b, STAT64));
        t.register(300, "fstatat64", "dspx", (k, dfd, path, b, fl, e, p) -> fstatat(k, dfd, path, b, fl));
        t.register(383, "statx", "dsxxp", (k, dfd, path, fl, mask, b, p) -> statx(k, dfd, path, fl, mask, b));
        t.register(99, "statfs", "sp", (k, path, b, c, d, e, p) -> statfs(k, path, StatfsInfo.STATFS_SIZE, b));
        t.register(100, "fstatfs", "dp", (k, fd, b, c, d, e, p) -> fstatfs(k, fd, StatfsInfo.STATFS_SIZE, b));
        t.register(268, "statfs64", "sdp", (k, path, sz, b, d, e, p) -> statfs(k, path, sz, b));
        t.register(269, "fstatfs64", "ddp", (k, fd, sz, b, d, e, p) -> fstatfs(k, fd, sz, b));
        t.register(141, "getdents", "dpd", (k, fd, b, n, d, e, p) -> getdents(k, fd, b, n, false));
        t.register(220, "getdents64", "dpd", (k, fd, b, n, d, e, p) -> getdents(k, fd, b, n, true));
    }

    private static byte[] encode(Stat s, int kind) {
        return kind == STAT64 ? StatCodec.stat64(s) : StatCodec.oldStat(s);
    }

    int stat(Task t, int dirfd, int pathAddr, int buf, int flags, int kind) {
        Node n = fs.lookupAt(t, dirfd, pathAddr, (flags & Flags.AT_SYMLINK_NOFOLLOW) != 0 ? Vfs.NOFOLLOW : Vfs.FOLLOW, false);
        t.mem.write(buf, encode(n.requireExists().stat(), kind));
        return 0;
    }

    int fstat(Task t, int fd, int buf, int kind) {
        t.mem.write(buf, encode(t.files.get(fd).stat(), kind));
        return 0;
    }

    /** The attributes an *at stat call names: the path, or with AT_EMPTY_PATH and "" the dirfd itself. */
    private Stat statAt(Task t, int dirfd, int pathAddr, int flags) {
        boolean emptyOk = (flags & Flags.AT_EMPTY_PATH) != 0;
        int mode = (flags & Flags.AT_SYMLINK_NOFOLLOW) != 0 ? Vfs.NOFOLLOW : Vfs.FOLLOW;
        Node n = pathAddr == 0 && emptyOk ? null : fs.lookupAt(t, dirfd, pathAddr, mode, emptyOk);
        if (n != null) return n.requireExists().stat();
        if (dirfd == Flags.AT_FDCWD) return fs.lookup(t, dirfd, ".", Vfs.FOLLOW).stat();
        return t.files.get(dirfd).stat();
    }

    int fstatat(Task t, int dirfd, int pathAddr, int buf, int flags) {
        if ((flags & ~(Flags.AT_SYMLINK_NOFOLLOW | Flags.AT_EMPTY_PATH | Flags.AT_NO_AUTOMOUNT)) != 0)
            throw new SyscallException(Errno.EINVAL);
        t.mem.write(buf, StatCodec.stat64(statAt(t, dirfd, pathAddr, flags)));
        return 0;
    }

    int statx(Task t, int dirfd, int pathAddr, int flags, int mask, int buf) {
        if ((flags & ~(Flags.AT_SYMLINK_NOFOLLOW | Flags.AT_EMPTY_PATH | Flags.AT_NO_AUTOMOUNT | Flags.AT_STATX_SYNC_TYPE)) != 0
                || (flags & Flags.AT_STATX_SYNC_TYPE) == Flags.AT_STATX_SYNC_TYPE
                || (mask & StatCodec.STATX__RESERVED) != 0)
            throw new SyscallException(Errno.EINVAL);
        t.mem.write(buf, StatCodec.statx(statAt(t, dirfd, pathAddr, flags), mask));
        return 0;
    }

    private static byte[] encodeStatfs(StatfsInfo i, int size) {
        return size == StatfsInfo.STATFS64_SIZE ? i.statfs64() : i.statfs();
    }

    int statfs(Task t, int pathAddr, int size, int buf) {
        if (size != StatfsInfo.STATFS_SIZE && size != StatfsInfo.STATFS64_SIZE) throw new SyscallException(Errno.EINVAL);
        Node n = fs.lookupAt(t, Flags.AT_FDCWD, pathAddr, Vfs.FOLLOW, false).requireExists();
        StatfsInfo i = n.inode != null ? n.inode.statfs()
                : n.onHost() ? StatfsInfo.ofHost(n.host) : StatfsInfo.synthetic(StatfsInfo.TMPFS_MAGIC);
        t.mem.write(buf, encodeStatfs(i, size));
        return 0;
    }

    int fstatfs(Task t, int fd, int size, int buf) {
        if (size != StatfsInfo.STATFS_SIZE && size != StatfsInfo.STATFS64_SIZE) throw new SyscallException(Errno.EINVAL);
        OpenFile f = t.files.get(fd);
        StatfsInfo i;
        if (f.hostPath() != null) i = StatfsInfo.ofHost(f.hostPath());
        else if (f.statfs() != null) i = f.statfs();
        else if (f instanceof ConsoleFile c) i = StatfsInfo.synthetic(c.isTty() ? StatfsInfo.DEVPTS_MAGIC : StatfsInfo.PIPEFS_MAGIC);
        else i = StatfsInfo.synthetic(StatfsInfo.TMPFS_MAGIC);
        t.mem.write(buf, encodeStatfs(i, size));
        return 0;
    }

    /**
     * linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name, NUL, 8-byte aligned.
     * linux_dirent: u32 ino, u32 off, u16 reclen, name, NUL, type in the last byte, 4-byte aligned.
     */
    int getdents(Task t, int fd, int dirp, int count, boolean is64) {
        OpenFile f = t.files.get(fd);
        if (f.pathOnly()) throw new SyscallException(Errno.EBADF);
        if (!(f instanceof DirFile d)) throw new SyscallException(Errno.ENOTDIR);
        long cap = Integer.toUnsignedLong(count);
        FileSyscalls.checkUser(dirp, cap);
        ByteBuffer b = ByteBuffer.wrap(fs.buf).order(ByteOrder.LITTLE_ENDIAN);
        int limit = (int) Math.min(cap, fs.buf.length);
        int used = 0;
        long index = d.position();
        for (DirFile.Entry e = d.entry(index); e != null; e = d.entry(index)) {
            int nameLen = e.name().length();
            int reclen = is64 ? (19 + nameLen + 1 + 7) & ~7 : (10 + nameLen + 2 + 3) & ~3;
            if (used + reclen > limit) break;
            if (!is64 && (e.ino() >>> 32) != 0) {
                if (used == 0) throw new SyscallException(Errno.EOVERFLOW);
                break;
            }
            java.util.Arrays.fill(fs.buf, used, used + reclen, (byte) 0);
            if (is64) {
                b.putLong(used, e.ino());
                b.putLong(used + 8, index + 1);
                b.putShort(used + 16, (short) reclen);
                b.put(used + 18, (byte) e.type());
                putName(e.name(), used + 19);
            } else {
                b.putInt(used, (int) e.ino());
                b.putInt(used + 4, (int) (index + 1));
                b.putShort(used + 8, (short) reclen);
                putName(e.name(), used + 10);
                b.put(used + reclen - 1, (byte) e.type());
            }
            used += reclen;
            index++;
        }
        if (used == 0 && d.entry(index) != null) throw new SyscallException(Errno.EINVAL);
        t.mem.write(dirp, fs.buf, 0, used);
        d.setPosition(index);
        return used;
    }

    private void putName(String name, int at) {
        for (int i = 0; i < name.length(); i++) fs.buf[at + i] = (byte) name.charAt(i);
    }
}
