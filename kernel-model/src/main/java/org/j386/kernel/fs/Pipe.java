package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

/**
 * A pipe: a bounded byte ring shared by a read end and a write end. A read of an empty pipe
 * that still has writers, or a write that does not fit, sleeps the task (EAGAIN with
 * O_NONBLOCK); PIPE_BUF (4096) bytes or fewer are written atomically.
 */
public final class Pipe {
    public static final int DEFAULT_CAPACITY = 65536;
    private static int nextIno = 5000;

    private final byte[] ring = new byte[DEFAULT_CAPACITY];
    private int head, count;
    int readers, writers;
    final int ino = nextIno++;
    private final org.j386.kernel.WaitQueue readWait = new org.j386.kernel.WaitQueue();
    private final org.j386.kernel.WaitQueue writeWait = new org.j386.kernel.WaitQueue();

    /** Creates the two ends; {@code extraFlags} is O_NONBLOCK and/or O_CLOEXEC-free status flags. */
    public static OpenFile[] create(int extraFlags) {
        Pipe p = new Pipe();
        return new OpenFile[] {new End(p, Flags.O_RDONLY | extraFlags), new End(p, Flags.O_WRONLY | extraFlags)};
    }

    int read(byte[] b, int off, int len, boolean nonBlocking) {
        if (len == 0) return 0;
        if (count == 0) {
            if (writers == 0) return 0;
            if (nonBlocking) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(readWait);
        }
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) b[off + i] = ring[(head + i) % ring.length];
        head = (head + n) % ring.length;
        count -= n;
        writeWait.wakeAll();
        return n;
    }

    int write(byte[] b, int off, int len, boolean nonBlocking) {
        if (readers == 0) throw new SyscallException(Errno.EPIPE);
        if (len == 0) return 0;
        int room = ring.length - count;
        // writes of up to PIPE_BUF (4096) bytes are atomic: all or nothing
        if (room == 0 || (len <= 4096 && room < len)) {
            if (nonBlocking) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(writeWait);
        }
        int n = Math.min(len, room);
        int tail = (head + count) % ring.length;
        for (int i = 0; i < n; i++) ring[(tail + i) % ring.length] = b[off + i];
        count += n;
        readWait.wakeAll();
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
            return pipe.read(b, off, len, nonBlocking());
        }

        @Override
        public int write(byte[] b, int off, int len) {
            if (!writable()) throw new SyscallException(Errno.EBADF);
            return pipe.write(b, off, len, nonBlocking());
        }

        @Override
        public int available() { return pipe.count; }

        @Override
        public int pollEvents() {
            if (readable()) {
                int ev = pipe.count > 0 ? POLLIN | POLLRDNORM : 0;
                return pipe.writers == 0 ? ev | POLLHUP : ev;
            }
            if (pipe.readers == 0) return POLLOUT | POLLWRNORM | POLLERR;
            return pipe.ring.length - pipe.count >= 4096 ? POLLOUT | POLLWRNORM : 0;
        }

        @Override
        public void pollWait(org.j386.kernel.Task t) {
            pipe.readWait.add(t);
            pipe.writeWait.add(t);
        }

        @Override
        public Stat stat() {
            return Stat.synthetic(Stat.makedev(0, 13), pipe.ino, Flags.S_IFIFO | 0600, 0, 4096);
        }

        @Override
        protected void release() {
            if (readable()) pipe.readers--;
            else pipe.writers--;
            pipe.readWait.wakeAll();
            pipe.writeWait.wakeAll();
        }
    }

    // ---- for checkpoint/restart (org.j386.checkpoint) ----

    /** The pipe behind {@code f}, or null when it is not a pipe end. */
    public static Pipe of(OpenFile f) { return f instanceof End e ? e.pipe : null; }

    /** A copy of the bytes in flight, oldest first. */
    public byte[] buffered() {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) out[i] = ring[(head + i) % ring.length];
        return out;
    }

    /** A new pipe holding {@code data} (at most its capacity), without ends yet. */
    public static Pipe withContents(byte[] data) {
        Pipe p = new Pipe();
        if (data.length > p.ring.length) throw new IllegalArgumentException("pipe data too long");
        System.arraycopy(data, 0, p.ring, 0, data.length);
        p.count = data.length;
        return p;
    }

    /** A new end of this pipe with {@code flags} (O_RDONLY or O_WRONLY plus status flags). */
    public OpenFile openEnd(int flags) { return new End(this, flags); }
}
