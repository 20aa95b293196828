package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A regular host file open through a FileChannel. O_APPEND is done here, not by the channel, so F_SETFL can toggle it. */
final class HostFile extends OpenFile {
    private final FileChannel ch;
    private final String guestPath;
    private final Path host;

    HostFile(FileChannel ch, String guestPath, Path host, int flags) {
        super(flags);
        this.ch = ch;
        this.guestPath = guestPath;
        this.host = host;
    }

    @Override public boolean seekable() { return true; }

    @Override public String path() { return guestPath; }

    @Override public Path hostPath() { return host; }

    /** Host files are locked by identity (st_dev, st_ino), so every path and open of a file shares its locks. */
    record Key(long dev, long ino) {}

    static Object key(Path host) {
        try {
            Stat s = Stat.ofHost(host);
            return new Key(s.dev, s.ino);
        } catch (SyscallException e) {
            return host;
        }
    }

    private Object key;

    @Override
    public Object lockKey() {
        if (key == null) key = key(host);
        return key;
    }

    @Override
    protected void release() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // close(2) of a regular file has nothing useful to report here
        }
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = pread(b, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pread(byte[] b, int off, int len, long at) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            int total = 0;
            while (bb.hasRemaining()) {
                int n = ch.read(bb, at + total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    @Override
    public int write(byte[] b, int off, int len) {
        try {
            if ((flags & Flags.O_APPEND) != 0) pos = ch.size();
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        int n = pwrite(b, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pwrite(byte[] b, int off, int len, long at) {
        try {
            // Linux pwrite on an O_APPEND file appends whatever the offset says.
            if ((flags & Flags.O_APPEND) != 0) at = ch.size();
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            int total = 0;
            while (bb.hasRemaining()) total += ch.write(bb, at + total);
            return total;
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    @Override
    public long seek(long offset, int whence) {
        try {
            return seekIn(offset, whence, ch.size());
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    @Override
    public Stat stat() { return Stat.ofHost(host); }

    @Override
    public void truncate(long length) {
        try {
            long size = ch.size();
            if (length < size) ch.truncate(length);
            else if (length > size) ch.write(ByteBuffer.wrap(new byte[1]), length - 1); // extends, sparse
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    @Override
    public void sync() {
        try {
            ch.force(true);
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    @Override
    public int available() {
        try {
            long n = ch.size() - pos;
            return (int) Math.max(0, Math.min(n, Integer.MAX_VALUE));
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    @Override
    public int ioctl(Task t, int cmd, int arg) {
        if (cmd == Ioctls.FIGETBSZ) {
            t.mem.writeInt(arg, 4096);
            return 0;
        }
        return super.ioctl(t, cmd, arg);
    }

    FileChannel channel() { return ch; }
}
