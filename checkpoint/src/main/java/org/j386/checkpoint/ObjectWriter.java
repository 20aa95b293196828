package org.j386.checkpoint;

import org.j386.kernel.Kernel;
import org.j386.kernel.Task;
import org.j386.kernel.fs.EpollFile;
import org.j386.kernel.fs.EventFd;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.fs.Pipe;
import org.j386.kernel.fs.SignalFd;
import org.j386.kernel.fs.TimerFd;
import org.j386.kernel.fs.UnixSocket;
import org.j386.kernel.tty.Tty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the objects of record types 30–39: event descriptors, epoll interest lists, socket
 * pairs with their queued data, unlinked host files' contents, the console's terminal state
 * and shared fs contexts. Each object is written once, before the FILE record that names it.
 */
final class ObjectWriter {
    /** Writes (once) the FILE record of an open file and gives its id. */
    interface Files_ {
        int fileId(OpenFile f) throws IOException;
    }

    private final Map<Object, Integer> ids = new IdentityHashMap<>();
    private final Set<OpenFile> open;
    private int next = 1;

    /** @param open the files held by descriptors of the checkpointed tasks (the epoll watches kept) */
    ObjectWriter(Set<OpenFile> open) {
        this.open = open;
    }

    Set<OpenFile> open() { return open; }

    /** The FILE kind of the objects written here, 0 for others, −1 for such objects that cannot be saved (yet). */
    static int kind(OpenFile f) {
        if (f instanceof EventFd) return Image.FILE_EVENTFD;
        if (f instanceof TimerFd) return Image.FILE_TIMERFD;
        if (f instanceof SignalFd) return Image.FILE_SIGNALFD;
        if (f instanceof UnixSocket) return Image.FILE_SOCKET;
        if (f instanceof EpollFile e) {
            for (EpollFile.WatchState w : e.watchList()) if (w.file() instanceof EpollFile) return -1; // nested epoll: not yet
            return Image.FILE_EPOLL;
        }
        if (Pipe.fifoPath(f) != null) return Image.FILE_FIFO;
        if (f.hostPath() != null && f.seekable() && !f.isDirectory() && !Files.exists(f.hostPath(), LinkOption.NOFOLLOW_LINKS))
            return f.readable() ? Image.FILE_UNLINKED : -1; // its contents are read back through it
        return 0;
    }

    private int id(Object o) {
        return ids.computeIfAbsent(o, x -> next++);
    }

    /** The object records {@code f} (of {@code kind}) needs before its FILE record; gives the id the FILE names (0: none). */
    int write(RecordWriter w, OpenFile f, int kind, Files_ files) throws IOException {
        switch (kind) {
            case Image.FILE_EVENTFD -> {
                EventFd e = (EventFd) f;
                int id = id(f);
                w.begin(Image.EVENTFD).u32(id).u64(e.count()).u32(e.semaphore() ? 1 : 0).end();
                return id;
            }
            case Image.FILE_TIMERFD -> {
                TimerFd t = (TimerFd) f;
                long[] s = t.state();
                int id = id(f);
                w.begin(Image.TIMERFD).u32(id).u32(t.clockId).u64(s[0]).u64(s[1]).u64(s[2]).end();
                return id;
            }
            case Image.FILE_SIGNALFD -> {
                int id = id(f);
                w.begin(Image.SIGNALFD).u32(id).u64(((SignalFd) f).mask).end();
                return id;
            }
            case Image.FILE_EPOLL -> {
                List<EpollFile.WatchState> watches = ((EpollFile) f).watchList();
                watches.removeIf(x -> !open.contains(x.file())); // watches of closed files are gone
                int[] fileIds = new int[watches.size()];
                for (int i = 0; i < fileIds.length; i++) fileIds[i] = files.fileId(watches.get(i).file());
                int id = id(f);
                w.begin(Image.EPOLL).u32(id).u32(watches.size());
                for (int i = 0; i < fileIds.length; i++) {
                    EpollFile.WatchState x = watches.get(i);
                    w.u32(x.fd()).u32(fileIds[i]).u32(x.events()).u64(x.data()).u32(x.disabled() ? 1 : 0);
                }
                w.end();
                return id;
            }
            case Image.FILE_SOCKET -> {
                UnixSocket s = (UnixSocket) f;
                int in = sockbuf(w, s.type, s.inBuffer()), out = sockbuf(w, s.type, s.outBuffer());
                int id = id(f);
                w.begin(Image.SOCKET).u32(id).u32(s.type).u32(in).u32(out).u32(s.shutdownState()).end();
                return id;
            }
            case Image.FILE_UNLINKED -> {
                int id = id(f);
                byte[] chunk = new byte[Image.TMPFS_CHUNK];
                long size = 0;
                for (int n; (n = f.pread(chunk, 0, chunk.length, size)) > 0; ) size += n;
                w.begin(Image.UNLINKED).u32(id).u64(size).end();
                for (long off = 0; off < size; ) {
                    int n = f.pread(chunk, 0, (int) Math.min(chunk.length, size - off), off);
                    if (n <= 0) throw new IOException(f.path() + ": shrank while it was saved");
                    w.begin(Image.UNLINKED_DATA).u32(id).u64(off).u32(n).bytes(chunk, 0, n).end();
                    off += n;
                }
                return id;
            }
            default -> {
                return 0;
            }
        }
    }

    private int sockbuf(RecordWriter w, int type, Object buffer) throws IOException {
        Integer have = ids.get(buffer);
        if (have != null) return have;
        int id = id(buffer);
        List<byte[]> data = UnixSocket.queued(buffer);
        w.begin(Image.SOCKBUF).u32(id).u32(type).u32(UnixSocket.bufferFlags(buffer)).u32(data.size());
        for (byte[] b : data) w.u32(b.length).bytes(b, 0, b.length);
        w.end();
        return id;
    }

    /** The console's terminal state, when the console is a terminal; its session only when that is in the image. */
    static void writeTty(RecordWriter w, Kernel k, Collection<Task> set) throws IOException {
        Tty t = k.console;
        if (t == null) return;
        var tm = t.termios;
        Tty.Input in = t.input();
        boolean session = false, group = false;
        for (Task x : set) {
            if (x.sid == t.sid) session = true;
            if (x.sid == t.sid && x.pgid == t.fgPgrp) group = true;
        }
        int sid = session ? t.sid : 0, fg = group ? t.fgPgrp : 0;
        w.begin(Image.TTY).u32(tm.iflag).u32(tm.oflag).u32(tm.cflag).u32(tm.lflag).u32(tm.line).bytes(tm.cc, 0, 19)
                .u32(tm.rows).u32(tm.cols).u32(sid).u32(fg).u32(in.lines().size());
        for (byte[] l : in.lines()) w.u32(l.length).bytes(l, 0, l.length);
        w.u32(in.edit().length).bytes(in.edit(), 0, in.edit().length).u32(in.raw().length).bytes(in.raw(), 0, in.raw().length).end();
    }

    /** After a live TASK: the id of its fs context when another task of the set shares it (CLONE_FS). */
    void writeFs(RecordWriter w, Task t, Collection<Task> set) throws IOException {
        for (Task o : set) {
            if (o != t && o.fs == t.fs && !o.exited && o.state != Task.State.ZOMBIE) {
                w.begin(Image.FS).u32(id(t.fs)).end();
                return;
            }
        }
    }
}
