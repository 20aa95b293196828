package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

/**
 * A pipe: a bounded byte ring shared by a read end and a write end. Until the kernel has a
 * scheduler, a task can only meet a pipe it holds both ends of, so an operation that would
 * block forever (read of an empty pipe with a writer, write to a full pipe) answers EAGAIN
 * instead of hanging the machine.
 */
public final class Pipe {
    public static final int DEFAULT_CAPACITY = 65536;
    private static int nextIno = 5000;

    private final byte[] ring = new byte[DEFAULT_CAPACITY];
    private int head, count;
    int readers, writers;
    final int ino = nextIno++;

    /** Creates the two ends; {@code extraFlags} is O_NONBLOCK and/or O_CLOEXEC-free status flags. */
    public static OpenFile[] create(int extraFlags) {
        Pipe p = new Pipe();
        return new OpenFile[] {new End(p, Flags.O_RDONLY | extraFlags), new End(p, Flags.O_WRONLY | extraFlags)};
    }

    int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (count == 0) {
            if (writers == 0) return 0;
            throw new SyscallException(Errno.EAGAIN);
        }
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) b[off + i] = ring[(head + i) % ring.length];
        head = (head + n) % ring.length;
        count -= n;
        return n;
    }

    int write(byte[] b, int off, int len) {
        if (readers == 0) throw new SyscallException(Errno.EPIPE);
        if (len == 0) return 0;
        int room = ring.length - count;
        // writes of up to PIPE_BUF (4096) bytes are atomic: all or nothing
        if (room == 0 || (len <= 4096 && room < len)) throw new SyscallException(Errno.EAGAIN);
        int n = Math.min(len, room);
        int tail = (head + count) % ring.length;
        for (int i = 0; i < n; i++) ring[(tail + i) % ring.length] = b[off + i];
        count += n;
        return n;
    }

    /** One end of a pipe. */
    static final class End extends OpenFile {
        private final Pipe pipe;

        End(Pipe pipe, int flags) {
            super(flags);
            this.pipe = pipe;
            if (readable()) pipe.readers++;
            else pipe.writers++;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!readable()) throw new SyscallException(Errno.EBADF);
            return pipe.read(b, off, len);
        }

        @Override
        public int write(byte[] b, int off, int len) {
            if (!writable()) throw new SyscallException(Errno.EBADF);
            return pipe.write(b, off, len);
        }

        @Override
        public int available() { return pipe.count; }

        @Override
        public Stat stat() {
            return Stat.synthetic(Stat.makedev(0, 13), pipe.ino, Flags.S_IFIFO | 0600, 0, 4096);
        }

        @Override
        protected void release() {
            if (readable()) pipe.readers--;
            else pipe.writers--;
        }
    }
}
