package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/** read, write and their vector and positional forms; lseek. */
final class IoCalls {
    private static final int UIO_MAXIOV = 1024;
    private final FileSyscalls fs;
    private final byte[] buf;

    IoCalls(FileSyscalls fs) {
        this.fs = fs;
        this.buf = fs.buf;
    }

    void register(SyscallTable t) {
        t.register(3, "read", "dpd", (k, fd, b, n, a, e, p) -> read(k, fd, b, n));
        t.register(4, "write", "dpd", (k, fd, b, n, a, e, p) -> write(k, fd, b, n));
        t.register(145, "readv", "dpd", (k, fd, iov, n, a, e, p) -> readv(k, fd, iov, n, -1));
        t.register(146, "writev", "dpd", (k, fd, iov, n, a, e, p) -> writev(k, fd, iov, n, -1));
        t.register(180, "pread64", "dpddd", (k, fd, b, n, lo, hi, p) -> pread(k, fd, b, n, FileSyscalls.offset64(lo, hi)));
        t.register(181, "pwrite64", "dpddd", (k, fd, b, n, lo, hi, p) -> pwrite(k, fd, b, n, FileSyscalls.offset64(lo, hi)));
        t.register(333, "preadv", "dpddd", (k, fd, iov, n, lo, hi, p) -> preadv(k, fd, iov, n, FileSyscalls.offset64(lo, hi)));
        t.register(334, "pwritev", "dpddd", (k, fd, iov, n, lo, hi, p) -> pwritev(k, fd, iov, n, FileSyscalls.offset64(lo, hi)));
        t.register(19, "lseek", "ddd", (k, fd, off, wh, a, e, p) -> lseek(k, fd, off, wh));
        t.register(140, "_llseek", "dddpd", (k, fd, hi, lo, res, wh, p) -> llseek(k, fd, hi, lo, res, wh));
    }

    private static OpenFile readableFile(Task t, int fd) {
        OpenFile f = t.files.get(fd);
        if (!f.readable()) throw new SyscallException(Errno.EBADF);
        return f;
    }

    private static OpenFile writableFile(Task t, int fd) {
        OpenFile f = t.files.get(fd);
        if (!f.writable()) throw new SyscallException(Errno.EBADF);
        return f;
    }

    int read(Task t, int fd, int addr, int count) {
        OpenFile f = readableFile(t, fd);
        long n = Integer.toUnsignedLong(count);
        FileSyscalls.checkUser(addr, n);
        return readInto(t, f, addr, (int) Math.min(n, Flags.MAX_RW_COUNT), -1);
    }

    int write(Task t, int fd, int addr, int count) {
        OpenFile f = writableFile(t, fd);
        long n = Integer.toUnsignedLong(count);
        FileSyscalls.checkUser(addr, n);
        return writeFrom(t, f, addr, (int) Math.min(n, Flags.MAX_RW_COUNT), -1);
    }

    int pread(Task t, int fd, int addr, int count, long at) {
        if (at < 0) throw new SyscallException(Errno.EINVAL);
        OpenFile f = readableFile(t, fd);
        long n = Integer.toUnsignedLong(count);
        FileSyscalls.checkUser(addr, n);
        return readInto(t, f, addr, (int) Math.min(n, Flags.MAX_RW_COUNT), at);
    }

    int pwrite(Task t, int fd, int addr, int count, long at) {
        if (at < 0) throw new SyscallException(Errno.EINVAL);
        OpenFile f = writableFile(t, fd);
        long n = Integer.toUnsignedLong(count);
        FileSyscalls.checkUser(addr, n);
        return writeFrom(t, f, addr, (int) Math.min(n, Flags.MAX_RW_COUNT), at);
    }

    /**
     * Moves up to {@code len} bytes from the file to user memory through the bounce buffer;
     * {@code at} is the position for pread, -1 for the file position. A fault or error after
     * some bytes moved ends the call with the count so far, as Linux does.
     */
    private int readInto(Task t, OpenFile f, int addr, int len, long at) {
        if (f.seekable()) fs.pageCache.beforeRead(f);
        int done = 0;
        do {
            int chunk = Math.min(len - done, buf.length);
            int n;
            try {
                n = at < 0 ? f.read(buf, 0, chunk) : f.pread(buf, 0, chunk, at + done);
                if (n > 0) t.mem.write(addr + done, buf, 0, n);
            } catch (SyscallException e) {
                if (done > 0) return done;
                throw e;
            }
            done += n;
            if (n < chunk || !f.seekable()) break;
        } while (done < len);
        return done;
    }

    private int writeFrom(Task t, OpenFile f, int addr, int len, long at) {
        boolean cached = f.seekable();
        if (cached) fs.pageCache.beforeWrite(f);
        int done = 0;
        do {
            int chunk = Math.min(len - done, buf.length);
            int n;
            try {
                t.mem.read(addr + done, buf, 0, chunk);
                n = at < 0 ? f.write(buf, 0, chunk) : f.pwrite(buf, 0, chunk, at + done);
                if (cached && n > 0) fs.pageCache.afterWrite(f, at < 0 ? f.position() - n : at + done, n); // shared mappings see it
            } catch (SyscallException e) {
                if (done > 0) return done;
                throw e;
            } catch (BlockedException e) {
                // A restart would write the first chunks again: report what went (a short write).
                if (done > 0) return done;
                throw e;
            }
            done += n;
            if (n < chunk) break;
        } while (done < len);
        return done;
    }

    /** Reads and checks an iovec array: {base, len} pairs; lengths clamp to MAX_RW_COUNT in total. */
    private static int[] iovecs(Task t, int iov, int count) {
        if (count < 0 || count > UIO_MAXIOV) throw new SyscallException(Errno.EINVAL);
        int[] v = new int[count * 2];
        long total = 0;
        for (int i = 0; i < count; i++) {
            int base = t.mem.readInt(iov + 8 * i);
            int len = t.mem.readInt(iov + 8 * i + 4);
            if (len < 0) throw new SyscallException(Errno.EINVAL);
            FileSyscalls.checkUser(base, len);
            if (len > Flags.MAX_RW_COUNT - total) len = (int) (Flags.MAX_RW_COUNT - total);
            total += len;
            v[2 * i] = base;
            v[2 * i + 1] = len;
        }
        return v;
    }

    int readv(Task t, int fd, int iov, int count, long at) {
        OpenFile f = readableFile(t, fd);
        int[] v = iovecs(t, iov, count);
        long done = 0;
        for (int i = 0; i < count; i++) {
            int len = v[2 * i + 1];
            if (len == 0) continue;
            int n;
            try {
                n = readInto(t, f, v[2 * i], len, at < 0 ? -1 : at + done);
            } catch (SyscallException e) {
                if (done > 0) break;
                throw e;
            }
            done += n;
            if (n < len) break;
            if (!f.seekable() && f instanceof ConsoleFile c && c.available() <= 0) break; // do not block for the next segment
        }
        return (int) done;
    }

    int writev(Task t, int fd, int iov, int count, long at) {
        OpenFile f = writableFile(t, fd);
        int[] v = iovecs(t, iov, count);
        long done = 0;
        for (int i = 0; i < count; i++) {
            int len = v[2 * i + 1];
            if (len == 0) continue;
            int n;
            try {
                n = writeFrom(t, f, v[2 * i], len, at < 0 ? -1 : at + done);
            } catch (SyscallException | BlockedException e) {
                if (done > 0) break;
                throw e;
            }
            done += n;
            if (n < len) break;
        }
        return (int) done;
    }

    int preadv(Task t, int fd, int iov, int count, long at) {
        if (at < 0) throw new SyscallException(Errno.EINVAL);
        OpenFile f = readableFile(t, fd);
        if (!f.seekable() && !f.isDirectory()) throw new SyscallException(Errno.ESPIPE);
        return readv(t, fd, iov, count, at);
    }

    int pwritev(Task t, int fd, int iov, int count, long at) {
        if (at < 0) throw new SyscallException(Errno.EINVAL);
        OpenFile f = writableFile(t, fd);
        if (!f.seekable()) throw new SyscallException(Errno.ESPIPE);
        return writev(t, fd, iov, count, at);
    }

    int lseek(Task t, int fd, int offset, int whence) {
        OpenFile f = t.files.get(fd);
        if (whence < 0 || whence > Flags.SEEK_HOLE) throw new SyscallException(Errno.EINVAL);
        long r = f.seek(offset, whence);
        if (r != (int) r) throw new SyscallException(Errno.EOVERFLOW);
        return (int) r;
    }

    int llseek(Task t, int fd, int hi, int lo, int result, int whence) {
        OpenFile f = t.files.get(fd);
        if (whence < 0 || whence > Flags.SEEK_HOLE) throw new SyscallException(Errno.EINVAL);
        long r = f.seek(FileSyscalls.offset64(lo, hi), whence);
        t.mem.writeLong(result, r);
        return 0;
    }
}
