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
    /** /proc/sys/fs/pipe-max-size: the largest F_SETPIPE_SZ an unprivileged task may ask for. */
    public static final int MAX_CAPACITY = 1 << 20;

    byte[] ring = new byte[DEFAULT_CAPACITY];
    private int head;
    int count;
    int readers, writers;
    /** A FIFO read end reports POLLHUP only once a writer has come and gone (pipe(2) always has had one). */
    boolean hadWriter = true;
    final int ino;
    final org.j386.kernel.WaitQueue readWait = new org.j386.kernel.WaitQueue();
    final org.j386.kernel.WaitQueue writeWait = new org.j386.kernel.WaitQueue();

    /** @param ino the inode number fstat and /proc show (a FIFO's own, or pipefs's next) */
    Pipe(int ino) { this.ino = ino; }

    /** Creates the two ends; {@code extraFlags} is O_NONBLOCK and/or O_CLOEXEC-free status flags. */
    public static OpenFile[] create(int ino, int extraFlags) {
        Pipe p = new Pipe(ino);
        return new OpenFile[] {new End(p, Flags.O_RDONLY | extraFlags), new End(p, Flags.O_WRONLY | extraFlags)};
    }

    /** F_SETPIPE_SZ: a power-of-two number of pages at least {@code size}; EBUSY if the data would not fit. */
    int setCapacity(int size) {
        if (size < 0 || size > MAX_CAPACITY) throw new SyscallException(size < 0 ? Errno.EINVAL : Errno.EPERM);
        int cap = 4096;
        while (cap < size) cap <<= 1;
        if (cap < count) throw new SyscallException(Errno.EBUSY);
        byte[] n = new byte[cap];
        for (int i = 0; i < count; i++) n[i] = ring[(head + i) % ring.length];
        ring = n;
        head = 0;
        writeWait.wakeAll();
        return cap;
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

    /** Copies up to {@code len} buffered bytes without taking them (MSG_PEEK on a socket). */
    int peek(byte[] b, int off, int len) {
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) b[off + i] = ring[(head + i) % ring.length];
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
            if (writable()) pipe.writers++;
        }

        int capacity() { return pipe.ring.length; }

        int setCapacity(int size) { return pipe.setCapacity(size); }

        Pipe pipe() { return pipe; }

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

        /** FIONREAD: the bytes waiting in the pipe (on either end, as Linux answers). */
        @Override
        public int ioctl(org.j386.kernel.Task t, int cmd, int arg) {
            if (cmd != Ioctls.FIONREAD) throw new SyscallException(Errno.ENOTTY);
            t.mem.writeInt(arg, pipe.count);
            return 0;
        }

        @Override
        public int pollEvents() {
            int ev = 0;
            if (readable()) {
                ev |= pipe.count > 0 ? POLLIN | POLLRDNORM : 0;
                if (pipe.writers == 0 && pipe.hadWriter) ev |= POLLHUP;
            }
            if (writable()) {
                if (pipe.readers == 0) ev |= POLLOUT | POLLWRNORM | POLLERR;
                else if (pipe.ring.length - pipe.count >= 4096) ev |= POLLOUT | POLLWRNORM;
            }
            return ev;
        }

        @Override
        public void pollWait(org.j386.kernel.Task t) {
            pipe.readWait.add(t);
            pipe.writeWait.add(t);
        }

        @Override
        public Stat stat() {
            if (fifo != null) return fifo.stat();
            return Stat.synthetic(Stat.makedev(0, 13), pipe.ino, Flags.S_IFIFO | 0600, 0, 4096);
        }

        /** The FIFO inode this end was opened through, or null for pipe(2). */
        FifoInode fifo;
        String fifoPath;

        @Override public String path() { return fifoPath; }

        @Override public Object lockKey() { return fifo != null ? fifo : this; }

        @Override
        protected void release() {
            if (readable()) pipe.readers--;
            if (writable()) pipe.writers--;
            if (fifo != null) fifo.closed();
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

    /** A new pipe (inode {@code ino}) holding {@code data}, grown past the default capacity if it must be, without ends yet. */
    public static Pipe withContents(byte[] data, int ino) {
        Pipe p = new Pipe(ino);
        if (data.length > MAX_CAPACITY) throw new IllegalArgumentException("pipe data too long");
        if (data.length > p.ring.length) p.ring = new byte[Integer.highestOneBit(data.length - 1) << 1];
        System.arraycopy(data, 0, p.ring, 0, data.length);
        p.count = data.length;
        return p;
    }

    /** The path a FIFO end was opened by, or null for a pipe(2) end or anything else. */
    public static String fifoPath(OpenFile f) { return f instanceof End e && e.fifo != null ? e.fifoPath : null; }

    /** A new end of this pipe with {@code flags} (O_RDONLY or O_WRONLY plus status flags). */
    public OpenFile openEnd(int flags) { return new End(this, flags); }
}
