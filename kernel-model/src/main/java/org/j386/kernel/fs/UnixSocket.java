package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.WaitQueue;

import java.util.ArrayDeque;

/**
 * One end of a connected AF_UNIX socket pair (socketpair). SOCK_STREAM ends carry bytes over
 * a pipe per direction; SOCK_DGRAM and SOCK_SEQPACKET ends carry whole messages, each read
 * taking one (truncated to the buffer, MSG_TRUNC tells). shutdown closes a direction.
 */
public final class UnixSocket extends OpenFile {
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
    static final int BUFFER = 212992; // net.core.wmem_default: what SO_SNDBUF/SO_RCVBUF report

    /** A direction of a message socket pair: whole messages, bounded in total bytes. */
    static final class Messages {
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        int bytes;
        boolean writerGone, readerGone;
        final WaitQueue readWait = new WaitQueue(), writeWait = new WaitQueue();
    }

    public final int type;
    private final Pipe inPipe, outPipe;
    private final Messages inMsgs, outMsgs;
    private boolean shutRead, shutWrite;
    private final int ino;

    private UnixSocket(int type, Pipe in, Pipe out, Messages inM, Messages outM, int flags, int ino) {
        super(Flags.O_RDWR | flags);
        this.type = type;
        this.inPipe = in;
        this.outPipe = out;
        this.inMsgs = inM;
        this.outMsgs = outM;
        this.ino = ino;
        if (in != null) {
            in.readers++;
            out.writers++;
            out.hadWriter = true;
        }
    }

    /** The two connected ends. */
    public static UnixSocket[] pair(int type, int flags, int ino) {
        if (type == SOCK_STREAM) {
            Pipe a = new Pipe(ino), b = new Pipe(ino + 1);
            return new UnixSocket[] {new UnixSocket(type, a, b, null, null, flags, ino), new UnixSocket(type, b, a, null, null, flags, ino + 1)};
        }
        Messages a = new Messages(), b = new Messages();
        return new UnixSocket[] {new UnixSocket(type, null, null, a, b, flags, ino), new UnixSocket(type, null, null, b, a, flags, ino + 1)};
    }

    @Override
    public String path() { return "socket:[" + ino + "]"; }

    /** Whether the last {@link #receive} cut a message short (MSG_TRUNC), and that message's whole length. */
    public boolean truncated;
    public int messageLength;

    @Override
    public int read(byte[] b, int off, int len) {
        return receive(b, off, len, nonBlocking(), false);
    }

    /** recv: {@code peek} leaves the data queued (MSG_PEEK). */
    public int receive(byte[] b, int off, int len, boolean nonBlocking, boolean peek) {
        truncated = false;
        if (inPipe != null) {
            if (shutRead) return 0;
            if (peek) {
                int n = inPipe.peek(b, off, len);
                if (n > 0 || inPipe.writers == 0) return n;
                if (nonBlocking) throw new SyscallException(Errno.EAGAIN);
                throw new BlockedException(inPipe.readWait);
            }
            return inPipe.read(b, off, len, nonBlocking);
        }
        byte[] m = inMsgs.queue.peekFirst();
        if (m == null) {
            if (shutRead || inMsgs.writerGone) return 0;
            if (nonBlocking) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(inMsgs.readWait);
        }
        int n = Math.min(len, m.length);
        System.arraycopy(m, 0, b, off, n);
        truncated = n < m.length;
        messageLength = m.length;
        if (!peek) {
            inMsgs.queue.pollFirst();
            inMsgs.bytes -= m.length;
            inMsgs.writeWait.wakeAll();
        }
        return n;
    }

    @Override
    public int write(byte[] b, int off, int len) {
        return send(b, off, len, nonBlocking());
    }

    public int send(byte[] b, int off, int len, boolean nonBlocking) {
        if (shutWrite) throw new SyscallException(Errno.EPIPE);
        if (outPipe != null) return outPipe.write(b, off, len, nonBlocking);
        if (outMsgs.readerGone) throw new SyscallException(type == SOCK_DGRAM ? Errno.ECONNREFUSED : Errno.EPIPE);
        if (len > BUFFER - 32) throw new SyscallException(Errno.EMSGSIZE);
        if (outMsgs.bytes + len > BUFFER) {
            if (nonBlocking) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(outMsgs.writeWait);
        }
        outMsgs.queue.addLast(java.util.Arrays.copyOfRange(b, off, off + len));
        outMsgs.bytes += len;
        outMsgs.readWait.wakeAll();
        return len;
    }

    /** shutdown(how): 0 reading, 1 writing, 2 both. */
    public void shutdown(int how) {
        if (how < 0 || how > 2) throw new SyscallException(Errno.EINVAL);
        if (how != 1 && !shutRead) {
            shutRead = true;
            if (inPipe != null) { inPipe.readers--; inPipe.writeWait.wakeAll(); } else { inMsgs.readerGone = true; inMsgs.writeWait.wakeAll(); }
        }
        if (how != 0 && !shutWrite) {
            shutWrite = true;
            if (outPipe != null) { outPipe.writers--; outPipe.readWait.wakeAll(); } else { outMsgs.writerGone = true; outMsgs.readWait.wakeAll(); }
        }
    }

    @Override
    protected void release() {
        shutdown(2);
    }

    @Override
    public int available() {
        if (inPipe != null) return inPipe.count;
        byte[] m = inMsgs.queue.peekFirst();
        return m == null ? 0 : m.length;
    }

    @Override
    public int pollEvents() {
        int ev = 0;
        boolean peerWriteGone = inPipe != null ? inPipe.writers == 0 : inMsgs.writerGone;
        boolean data = inPipe != null ? inPipe.count > 0 : !inMsgs.queue.isEmpty();
        if (data || shutRead || peerWriteGone) ev |= POLLIN | POLLRDNORM;
        if (peerWriteGone) ev |= POLLRDHUP;
        boolean peerReadGone = outPipe != null ? outPipe.readers == 0 : outMsgs.readerGone;
        if (peerWriteGone && (peerReadGone || shutWrite)) ev |= POLLHUP;
        if (!shutWrite && !peerReadGone) {
            boolean room = outPipe != null ? outPipe.ring.length - outPipe.count >= 4096 : outMsgs.bytes < BUFFER;
            if (room) ev |= POLLOUT | POLLWRNORM;
        } else if (peerReadGone) {
            ev |= POLLOUT | POLLWRNORM | POLLERR;
        }
        return ev;
    }

    static final int POLLRDHUP = 0x2000;

    @Override
    public void pollWait(Task t) {
        if (inPipe != null) {
            inPipe.readWait.add(t);
            outPipe.writeWait.add(t);
        } else {
            inMsgs.readWait.add(t);
            outMsgs.writeWait.add(t);
        }
    }

    @Override
    public Stat stat() { return Stat.synthetic(Stat.makedev(0, 8), ino, Flags.S_IFSOCK | 0777, 0, 4096); }

    // ---- for checkpoint/restart (org.j386.checkpoint) ----

    /** The direction this end receives from (shared with the peer, where it is the sending one). */
    public Object inBuffer() { return inPipe != null ? inPipe : inMsgs; }

    /** The direction this end sends into. */
    public Object outBuffer() { return outPipe != null ? outPipe : outMsgs; }

    /** shutdown state: 1 reading shut, 2 writing shut. */
    public int shutdownState() { return (shutRead ? 1 : 0) | (shutWrite ? 2 : 0); }

    /** Flags of a message direction: 1 its writer is gone, 2 its reader is gone (0 for a stream, whose ends count). */
    public static int bufferFlags(Object buffer) {
        return buffer instanceof Messages m ? (m.writerGone ? 1 : 0) | (m.readerGone ? 2 : 0) : 0;
    }

    /** The data queued in a direction, oldest first: the bytes of a stream as one array (none if empty), or one array per message. */
    public static java.util.List<byte[]> queued(Object buffer) {
        if (buffer instanceof Messages m) {
            java.util.List<byte[]> out = new java.util.ArrayList<>();
            for (byte[] b : m.queue) out.add(b.clone());
            return out;
        }
        byte[] b = ((Pipe) buffer).buffered();
        return b.length == 0 ? java.util.List.of() : java.util.List.of(b);
    }

    /** A direction rebuilt from {@link #queued} and {@link #bufferFlags}, without ends yet; null if the data does not fit. */
    public static Object restoreBuffer(int type, java.util.List<byte[]> data, int flags, int ino) {
        if (type == SOCK_STREAM) {
            int n = 0;
            for (byte[] b : data) n += b.length;
            if (n > Pipe.MAX_CAPACITY) return null;
            byte[] all = new byte[n];
            n = 0;
            for (byte[] b : data) { System.arraycopy(b, 0, all, n, b.length); n += b.length; }
            return Pipe.withContents(all, ino);
        }
        Messages m = new Messages();
        for (byte[] b : data) {
            m.queue.addLast(b.clone());
            m.bytes += b.length;
        }
        if (m.bytes > BUFFER) return null;
        m.writerGone = (flags & 1) != 0;
        m.readerGone = (flags & 2) != 0;
        return m;
    }

    /** An end rebuilt on restored directions, with its shutdown state put back. */
    public static UnixSocket restoreEnd(int type, Object in, Object out, int flags, int shutdown, int ino) {
        UnixSocket s = type == SOCK_STREAM
                ? new UnixSocket(type, (Pipe) in, (Pipe) out, null, null, flags, ino)
                : new UnixSocket(type, null, null, (Messages) in, (Messages) out, flags, ino);
        s.flags = flags; // the saved status flags, O_RDWR included
        if (s.inPipe != null) {
            if ((shutdown & 1) != 0) s.shutdown(0);
            if ((shutdown & 2) != 0) s.shutdown(1);
        } else {
            s.shutRead = (shutdown & 1) != 0; // the directions' flags were restored with them
            s.shutWrite = (shutdown & 2) != 0;
        }
        return s;
    }
}
