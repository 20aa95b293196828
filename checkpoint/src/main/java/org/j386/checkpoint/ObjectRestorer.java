package org.j386.checkpoint;

import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rebuilds the objects of records 30–39 in a fresh kernel: event descriptors, epoll interest
 * lists (filled once every open file exists), socket pairs on their restored directions,
 * FIFO ends on their FIFOs, unlinked host files, and the console's terminal state.
 */
final class ObjectRestorer {
    private final Kernel k;
    private final ImageData img;
    private final Map<Integer, Object> sockbufs = new HashMap<>();
    private final List<Runnable> epollFills = new ArrayList<>();
    private List<String> epollProblems = new ArrayList<>();

    ObjectRestorer(Kernel k, ImageData img) {
        this.k = k;
        this.img = img;
    }

    /** The open file of a FILE record of kind 10–16; {@code pipe} gives the restored pipe of a PIPE id. */
    OpenFile open(Task t, ImageData.FileRec fr, Function<Integer, Pipe> pipe, Map<Integer, OpenFile> files) throws Restorer.RestoreException {
        ObjectData o = img.objects;
        int id = fr.consoleIndex, ino = 64000 + fr.id;
        switch (fr.kind) {
            case Image.FILE_FIFO -> {
                Pipe p = pipe.apply(fr.pipeId);
                OpenFile f = k.files().reopenFifo(t, fr.path, p, fr.flags);
                return f != null ? f : p.openEnd(fr.flags); // no FIFO by that name any more: its pipe, anonymous
            }
            case Image.FILE_EVENTFD -> {
                ObjectData.EventFdRec e = o.eventfds.get(id);
                return new EventFd(e.count(), e.semaphore(), fr.flags, ino);
            }
            case Image.FILE_TIMERFD -> {
                ObjectData.TimerFdRec r = o.timerfds.get(id);
                TimerFd f = new TimerFd(r.clockId(), k.clock::monotonicNanos, () -> k.current, fr.flags, ino);
                f.restoreState(r.deadline(), r.interval(), r.expirations());
                return f;
            }
            case Image.FILE_SIGNALFD -> {
                return new SignalFd(o.signalfds.get(id), () -> k.current, fr.flags, ino);
            }
            case Image.FILE_EPOLL -> {
                EpollFile e = new EpollFile(fr.flags, ino);
                for (ObjectData.Watch w : o.epolls.get(id)) {
                    epollFills.add(() -> {
                        OpenFile target = files.get(w.fileId());
                        if (target == null) epollProblems.add("epoll watch on descriptor " + w.fd() + ": file " + w.fileId() + " is held by no descriptor");
                        else e.restoreWatch(new EpollFile.WatchState(w.fd(), target, w.events(), w.data(), w.disabled()));
                    });
                }
                return e;
            }
            case Image.FILE_SOCKET -> {
                ObjectData.SocketRec s = o.sockets.get(id);
                Object in = sockbuf(s.recvBuf()), out = sockbuf(s.sendBuf());
                return UnixSocket.restoreEnd(s.type(), in, out, fr.flags, s.shutdown(), ino);
            }
            case Image.FILE_UNLINKED -> {
                return unlinked(fr, o.unlinked.get(id));
            }
            default -> throw new Restorer.RestoreException("file kind " + fr.kind);
        }
    }

    private Object sockbuf(int id) throws Restorer.RestoreException {
        Object b = sockbufs.get(id);
        if (b != null) return b;
        ObjectData.SockBuf r = img.objects.sockbufs.get(id);
        b = UnixSocket.restoreBuffer(r.type(), r.data(), r.flags(), 66000 + id);
        if (b == null) throw new Restorer.RestoreException("socket buffer " + id + " holds more than a socket can");
        sockbufs.put(id, b);
        return b;
    }

    /**
     * An unlinked host file: its contents go to a new host file next to where it was (or at
     * the top of the root), which is opened and unlinked at once.
     */
    private OpenFile unlinked(ImageData.FileRec fr, byte[] data) throws Restorer.RestoreException {
        Path root = k.config().root;
        Path dir = root.resolve(fr.path.substring(1)).normalize().getParent();
        if (dir == null || !dir.startsWith(root) || !Files.isDirectory(dir)) dir = root;
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".j386-unlinked-", "");
            Files.write(tmp, data);
            OpenFile f = k.files().openUnlinked(tmp, fr.path, fr.flags);
            if (fr.pos != 0) f.seek(fr.pos, 0);
            return f;
        } catch (IOException | SyscallException e) {
            throw new Restorer.RestoreException(fr.path + ": cannot recreate the unlinked file (" + e.getMessage() + ")");
        } finally {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing better to do: the open file keeps its contents either way
            }
        }
    }

    /** After every task's files: the epoll watches, then the terminal's state. */
    void finish() throws Restorer.RestoreException {
        for (Runnable r : epollFills) r.run();
        if (!epollProblems.isEmpty()) throw new Restorer.RestoreException(epollProblems.get(0));
        ObjectData.TtyRec r = img.objects.tty;
        Tty t = k.console;
        if (r == null || t == null) return;
        var tm = t.termios;
        tm.iflag = r.iflag; tm.oflag = r.oflag; tm.cflag = r.cflag; tm.lflag = r.lflag; tm.line = r.line;
        System.arraycopy(r.cc, 0, tm.cc, 0, 19);
        tm.rows = r.rows;
        tm.cols = r.cols;
        t.sid = r.sid;
        t.fgPgrp = r.fgPgrp;
        if (!t.restoreInput(new Tty.Input(r.lines, r.edit, r.raw))) throw new Restorer.RestoreException("the terminal's typed input does not fit");
    }
}
