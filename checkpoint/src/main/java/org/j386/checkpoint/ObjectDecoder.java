package org.j386.checkpoint;

import org.j386.checkpoint.ImageReader.Payload;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates records 30–39 and the FILE kinds 10–16 that name them
 * (docs/image-format.md): every id, count, length and reference is checked here, so a
 * restart only ever sees consistent objects.
 */
final class ObjectDecoder {
    private ObjectDecoder() {}

    /** SO_SNDBUF of a socket pair: the most a message direction holds, and 32 bytes less the largest message. */
    static final int SOCKET_BUFFER = 212992;
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7;

    private static int newId(Payload p, Map<Integer, ?> seen, String what) throws ImageException {
        int id = p.u32();
        if (id <= 0 || seen.containsKey(id)) throw p.bad(what + " id " + id + " is zero or defined twice");
        return id;
    }

    static void decode(ImageData d, int type, Payload p, ImageData.TaskImage task) throws ImageException {
        ObjectData o = d.objects;
        switch (type) {
            case Image.EVENTFD -> {
                int id = newId(p, o.eventfds, "EVENTFD");
                long count = p.u64();
                int sem = p.u32();
                if (count == -1L) throw p.bad("eventfd counter 0xffffffffffffffff is above the largest (2^64 - 2)");
                if (sem != 0 && sem != 1) throw p.bad("EFD_SEMAPHORE flag " + sem);
                o.eventfds.put(id, new ObjectData.EventFdRec(count, sem == 1));
            }
            case Image.TIMERFD -> {
                int id = newId(p, o.timerfds, "TIMERFD");
                int clock = p.u32();
                long deadline = p.u64(), interval = p.u64(), expirations = p.u64();
                if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME) throw p.bad("timerfd clock " + clock);
                if (deadline < 0 || interval < 0 || expirations < 0) throw p.bad("negative timerfd value");
                if (deadline == 0 && interval != 0) throw p.bad("a disarmed timerfd with an interval");
                o.timerfds.put(id, new ObjectData.TimerFdRec(clock, deadline, interval, expirations));
            }
            case Image.SIGNALFD -> {
                int id = newId(p, o.signalfds, "SIGNALFD");
                o.signalfds.put(id, p.u64());
            }
            case Image.EPOLL -> {
                int id = newId(p, o.epolls, "EPOLL");
                int n = p.u32();
                if (n < 0 || n > 65536) throw p.bad("epoll interest list of " + (n & 0xffffffffL) + " entries");
                List<ObjectData.Watch> list = new ArrayList<>();
                Set<Integer> fds = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    int fd = p.u32(), file = p.u32(), events = p.u32();
                    long data = p.u64();
                    int disabled = p.u32();
                    if (fd < 0 || fd >= 65536 || !fds.add(fd)) throw p.bad("epoll watch on descriptor " + fd + " (out of range or twice)");
                    ImageData.FileRec f = d.files.get(file);
                    if (f == null) throw p.bad("epoll watch on descriptor " + fd + " names file " + file + ", not defined before");
                    if (f.kind == Image.FILE_EPOLL) throw p.bad("epoll watch on another epoll instance");
                    if (disabled != 0 && disabled != 1) throw p.bad("epoll watch disabled flag " + disabled);
                    list.add(new ObjectData.Watch(fd, file, events, data, disabled == 1));
                }
                o.epolls.put(id, list);
            }
            case Image.SOCKBUF -> {
                int id = newId(p, o.sockbufs, "SOCKBUF");
                int stype = socketType(p), flags = p.u32(), n = p.u32();
                boolean stream = stype == 1;
                if (stream ? flags != 0 : (flags & ~3) != 0) throw p.bad("socket buffer flags " + flags);
                if (n < 0 || n > (stream ? 1 : SOCKET_BUFFER)) throw p.bad("socket buffer of " + (n & 0xffffffffL) + " chunks");
                List<byte[]> data = new ArrayList<>();
                long total = 0;
                for (int i = 0; i < n; i++) {
                    int len = p.u32();
                    if (len < (stream ? 1 : 0) || len > (stream ? Image.MAX_PIPE_BYTES : SOCKET_BUFFER - 32))
                        throw p.bad("socket buffer chunk of " + (len & 0xffffffffL) + " bytes");
                    total += len;
                    if (total > (stream ? Image.MAX_PIPE_BYTES : SOCKET_BUFFER)) throw p.bad("socket buffer holds more than it can");
                    data.add(p.bytes(len));
                }
                o.sockbufs.put(id, new ObjectData.SockBuf(stype, flags, data));
            }
            case Image.SOCKET -> {
                int id = newId(p, o.sockets, "SOCKET");
                int stype = socketType(p), in = p.u32(), out = p.u32(), shut = p.u32();
                ObjectData.SockBuf bi = o.sockbufs.get(in), bo = o.sockbufs.get(out);
                if (bi == null || bo == null) throw p.bad("socket names undefined SOCKBUF " + (bi == null ? in : out));
                if (in == out) throw p.bad("socket receives from and sends into the same SOCKBUF " + in);
                if (bi.type() != stype || bo.type() != stype) throw p.bad("socket of type " + stype + " on buffers of another type");
                if ((shut & ~3) != 0) throw p.bad("socket shutdown state " + shut);
                o.sockets.put(id, new ObjectData.SocketRec(stype, in, out, shut));
            }
            case Image.UNLINKED -> {
                int id = newId(p, o.unlinkedFill, "UNLINKED");
                long size = p.u64();
                if (size < 0 || size > Integer.MAX_VALUE - 8) throw p.bad("unlinked file of " + size + " bytes");
                o.unlinkedFill.put(id, size);
                o.unlinkedData.put(id, new ByteArrayOutputStream());
            }
            case Image.UNLINKED_DATA -> {
                int id = p.u32();
                long off = p.u64();
                int n = p.u32();
                ByteArrayOutputStream b = o.unlinkedData.get(id);
                if (b == null) throw p.bad("data for undefined UNLINKED " + id);
                if (o.unlinked.containsKey(id)) throw p.bad("data for UNLINKED " + id + " after a FILE named it");
                if (n < 1 || n > Image.TMPFS_CHUNK || off != b.size() || off + n > o.unlinkedFill.get(id))
                    throw p.bad("unlinked file data " + off + "+" + n + " for UNLINKED " + id);
                b.writeBytes(p.bytes(n));
            }
            case Image.TTY -> {
                if (o.tty != null) throw p.bad("second TTY record");
                ObjectData.TtyRec t = new ObjectData.TtyRec();
                t.iflag = p.u32(); t.oflag = p.u32(); t.cflag = p.u32(); t.lflag = p.u32(); t.line = p.u32();
                System.arraycopy(p.bytes(19), 0, t.cc, 0, 19);
                t.rows = p.u32(); t.cols = p.u32(); t.sid = p.u32(); t.fgPgrp = p.u32();
                if (t.line < 0 || t.line > 255) throw p.bad("line discipline " + t.line);
                if (t.rows < 0 || t.rows > 65535 || t.cols < 0 || t.cols > 65535) throw p.bad("window size " + t.rows + "x" + t.cols);
                if (t.sid < 0 || t.sid > 4194304 || t.fgPgrp < 0 || t.fgPgrp > 4194304) throw p.bad("terminal session " + t.sid + " or group " + t.fgPgrp);
                if (t.sid == 0 && t.fgPgrp != 0) throw p.bad("a foreground group without a session");
                int n = p.u32();
                if (n < 0 || n > 65536) throw p.bad("typed input of " + (n & 0xffffffffL) + " lines");
                long total = 0;
                for (int i = 0; i < n; i++) {
                    int len = p.u32();
                    if (len < 0 || len > 4096) throw p.bad("typed line of " + (len & 0xffffffffL) + " bytes");
                    total += len;
                    if (total > 65536) throw p.bad("more than 65536 bytes of typed input");
                    t.lines.add(p.bytes(len));
                }
                int e = p.u32();
                if (e < 0 || e > 4095) throw p.bad("line being edited of " + (e & 0xffffffffL) + " bytes");
                t.edit = p.bytes(e);
                int r = p.u32();
                if (r < 0 || r > 65536) throw p.bad("raw input of " + (r & 0xffffffffL) + " bytes");
                t.raw = p.bytes(r);
                o.tty = t;
            }
            case Image.FS -> {
                int id = p.u32();
                if (id <= 0) throw p.bad("FS id " + id);
                if (o.fsIds.put(task.task.pid, id) != null) throw p.bad("second FS record for task " + task.task.pid);
            }
            default -> throw p.bad("unknown record type");
        }
    }

    private static int socketType(Payload p) throws ImageException {
        int t = p.u32();
        if (t != 1 && t != 2 && t != 5) throw p.bad("socket type " + t + " (want 1 stream, 2 datagram or 5 seqpacket)");
        return t;
    }

    /** A FILE record of kind 10–16: its object is defined before it and named by no other FILE. */
    static void checkFile(ImageData d, ImageData.FileRec f, Payload p) throws ImageException {
        ObjectData o = d.objects;
        if (f.kind > Image.FILE_UNLINKED) throw p.bad("file kind " + f.kind);
        int acc = f.flags & 3;
        if (acc == 3) throw p.bad("access mode 3");
        if (f.pos < 0) throw p.bad("negative file position");
        if (f.kind != Image.FILE_FIFO && f.pipeId != 0) throw p.bad("only a pipe or FIFO end names a PIPE");
        if (f.kind == Image.FILE_FIFO || f.kind == Image.FILE_UNLINKED) {
            if (!f.path.startsWith("/")) throw p.bad("file path '" + f.path + "' is not absolute");
        } else if (!f.path.isEmpty()) {
            throw p.bad("an anonymous file with path '" + f.path + "'");
        }
        if (f.kind != Image.FILE_UNLINKED && f.pos != 0) throw p.bad("a position on a file that has none");
        Map<Integer, ?> objects = switch (f.kind) {
            case Image.FILE_EVENTFD -> o.eventfds;
            case Image.FILE_TIMERFD -> o.timerfds;
            case Image.FILE_SIGNALFD -> o.signalfds;
            case Image.FILE_EPOLL -> o.epolls;
            case Image.FILE_SOCKET -> o.sockets;
            case Image.FILE_UNLINKED -> o.unlinkedFill;
            default -> null;
        };
        if (objects == null) {
            if (f.consoleIndex != 0) throw p.bad("a FIFO end names object " + f.consoleIndex);
            if (!d.pipes.containsKey(f.pipeId)) throw p.bad("FIFO end names undefined PIPE " + f.pipeId);
            return;
        }
        if (!objects.containsKey(f.consoleIndex)) throw p.bad("file names undefined " + Image.typeName(recordOf(f.kind)) + " " + f.consoleIndex);
        if (!o.named.add(f.kind * 0x1_0000_0000L + f.consoleIndex)) throw p.bad(Image.typeName(recordOf(f.kind)) + " " + f.consoleIndex + " is named by two FILE records");
        if ((f.kind == Image.FILE_EPOLL || f.kind == Image.FILE_EVENTFD || f.kind == Image.FILE_TIMERFD || f.kind == Image.FILE_SIGNALFD
                || f.kind == Image.FILE_SOCKET) && acc != 2) throw p.bad("an event descriptor or socket not opened read-write");
        if (f.kind == Image.FILE_UNLINKED) {
            if (acc == 1) throw p.bad("an unlinked file opened write-only");
            ByteArrayOutputStream b = o.unlinkedData.get(f.consoleIndex);
            if (b.size() != o.unlinkedFill.get(f.consoleIndex))
                throw p.bad("unlinked file " + f.consoleIndex + " has " + b.size() + " of its " + o.unlinkedFill.get(f.consoleIndex) + " bytes");
            o.unlinked.put(f.consoleIndex, b.toByteArray());
        }
    }

    private static int recordOf(int kind) {
        return switch (kind) {
            case Image.FILE_EVENTFD -> Image.EVENTFD;
            case Image.FILE_TIMERFD -> Image.TIMERFD;
            case Image.FILE_SIGNALFD -> Image.SIGNALFD;
            case Image.FILE_EPOLL -> Image.EPOLL;
            case Image.FILE_SOCKET -> Image.SOCKET;
            default -> Image.UNLINKED;
        };
    }

    /** Whole-image checks: the terminal's session and group exist, tasks sharing an fs context agree on it. */
    static void check(ImageData d, Payload tail) throws ImageException {
        ObjectData o = d.objects;
        for (var e : o.unlinkedFill.keySet())
            if (!o.unlinked.containsKey(e)) throw tail.bad("UNLINKED " + e + " is named by no FILE record");
        if (o.tty != null && o.tty.sid != 0) {
            boolean session = false, group = o.tty.fgPgrp == 0;
            for (ImageData.TaskImage t : d.tasks) {
                if (t.task.sid == o.tty.sid) session = true;
                if (t.task.pgid == o.tty.fgPgrp && t.task.sid == o.tty.sid) group = true;
            }
            if (!session) throw tail.bad("the terminal's session " + o.tty.sid + " has no task in the image");
            if (!group) throw tail.bad("the terminal's foreground group " + o.tty.fgPgrp + " is not in its session");
        }
        Map<Integer, ImageData.TaskRec> byFs = new HashMap<>();
        for (ImageData.TaskImage t : d.tasks) {
            Integer id = o.fsIds.get(t.task.pid);
            if (id == null) continue;
            ImageData.TaskRec first = byFs.putIfAbsent(id, t.task);
            if (first != null && (first.umask != t.task.umask || !first.cwd.equals(t.task.cwd) || !first.root.equals(t.task.root)))
                throw tail.bad("tasks " + first.pid + " and " + t.task.pid + " share FS " + id + " but not its cwd, root and umask");
        }
    }
}
