package org.j386.checkpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded records of event descriptors, socket pairs, unlinked host files, the console's
 * terminal state and shared fs contexts (record types 30–39, docs/image-format.md), as
 * {@link ObjectDecoder} validated them.
 */
public final class ObjectData {
    public record EventFdRec(long count, boolean semaphore) {}

    public record TimerFdRec(int clockId, long deadline, long interval, long expirations) {}

    public record Watch(int fd, int fileId, int events, long data, boolean disabled) {}

    /** One direction of a socket pair: its socket type, flags (1 writer gone, 2 reader gone) and queued data. */
    public record SockBuf(int type, int flags, List<byte[]> data) {}

    public record SocketRec(int type, int recvBuf, int sendBuf, int shutdown) {}

    /** The console's terminal: termios fields, window size, session and foreground group, unread input. */
    public static final class TtyRec {
        public int iflag, oflag, cflag, lflag, line, rows, cols, sid, fgPgrp;
        public final byte[] cc = new byte[19];
        public final List<byte[]> lines = new ArrayList<>();
        public byte[] edit, raw;
    }

    public final Map<Integer, EventFdRec> eventfds = new HashMap<>();
    public final Map<Integer, TimerFdRec> timerfds = new HashMap<>();
    public final Map<Integer, Long> signalfds = new HashMap<>();
    public final Map<Integer, List<Watch>> epolls = new HashMap<>();
    public final Map<Integer, SockBuf> sockbufs = new HashMap<>();
    public final Map<Integer, SocketRec> sockets = new HashMap<>();
    /** Unlinked host files' contents by id; {@link #unlinkedFill} counts the bytes the data records have filled. */
    public final Map<Integer, byte[]> unlinked = new HashMap<>();
    final Map<Integer, Long> unlinkedFill = new HashMap<>();
    final Map<Integer, java.io.ByteArrayOutputStream> unlinkedData = new HashMap<>();
    /** (kind, object id) pairs already named by a FILE record. */
    final java.util.Set<Long> named = new java.util.HashSet<>();
    public TtyRec tty;
    /** Task pid to the id of the fs context (cwd, root, umask) it shares with other tasks (CLONE_FS). */
    public final Map<Integer, Integer> fsIds = new HashMap<>();
}
