package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * An epoll instance: an interest list of descriptors with their events and user data, asked
 * for readiness through the same per-file poll hooks poll(2) uses. Readiness is level
 * triggered; EPOLLET is accepted and treated as level (a program written for edge triggering
 * reads until EAGAIN, which works the same), EPOLLONESHOT disables a watch after one report.
 */
public final class EpollFile extends OpenFile {
    public static final int EPOLLIN = 1, EPOLLPRI = 2, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 0x10,
            EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    public static final int CTL_ADD = 1, CTL_DEL = 2, CTL_MOD = 3;

    /** One watched descriptor. */
    static final class Watch {
        final int fd;
        final OpenFile file;
        int events;
        long data;
        boolean disabled;

        Watch(int fd, OpenFile file, int events, long data) {
            this.fd = fd;
            this.file = file;
            this.events = events;
            this.data = data;
        }
    }

    private final LinkedHashMap<Integer, Watch> watches = new LinkedHashMap<>();
    private final int ino;

    public EpollFile(int flags, int ino) {
        super(Flags.O_RDWR | flags);
        this.ino = ino;
    }

    @Override
    public String path() { return "anon_inode:[eventpoll]"; }

    /** epoll_ctl on descriptor {@code fd}, which is {@code file} in the caller's table. */
    public void ctl(int op, int fd, OpenFile file, int events, long data) {
        if (file == this) throw new SyscallException(Errno.EINVAL);
        if (file.seekable() || file.isDirectory()) throw new SyscallException(Errno.EPERM); // files cannot be polled
        Watch w = watches.get(fd);
        if (w != null && w.file != file) { // the descriptor was closed and reused: the old watch is gone
            watches.remove(fd);
            w = null;
        }
        switch (op) {
            case CTL_ADD -> {
                if (w != null) throw new SyscallException(Errno.EEXIST);
                watches.put(fd, new Watch(fd, file, events, data));
            }
            case CTL_MOD -> {
                if (w == null) throw new SyscallException(Errno.ENOENT);
                w.events = events;
                w.data = data;
                w.disabled = false;
            }
            case CTL_DEL -> {
                if (w == null) throw new SyscallException(Errno.ENOENT);
                watches.remove(fd);
            }
            default -> throw new SyscallException(Errno.EINVAL);
        }
    }

    /** Ready watches as (events, data) pairs, at most {@code max}; watches of closed descriptors are dropped. */
    public List<long[]> ready(Task t, int max) {
        List<long[]> out = new ArrayList<>();
        for (Iterator<Watch> it = watches.values().iterator(); it.hasNext() && out.size() < max; ) {
            Watch w = it.next();
            if (t.files.peek(w.fd) != w.file) {
                it.remove();
                continue;
            }
            if (w.disabled) continue;
            int mask = w.file.pollEvents() & (w.events | EPOLLERR | EPOLLHUP);
            if (mask == 0) continue;
            out.add(new long[] {mask, w.data});
            if ((w.events & EPOLLONESHOT) != 0) w.disabled = true;
        }
        return out;
    }

    @Override
    public int pollEvents() {
        for (Watch w : watches.values()) {
            if (!w.disabled && (w.file.pollEvents() & (w.events | EPOLLERR | EPOLLHUP)) != 0) return POLLIN | POLLRDNORM;
        }
        return 0;
    }

    @Override
    public void pollWait(Task t) {
        for (Watch w : watches.values()) w.file.pollWait(t);
    }

    @Override
    public Stat stat() { return Stat.synthetic(Stat.makedev(0, 14), ino, 0600, 0, 4096); }

    // ---- for checkpoint/restart (org.j386.checkpoint) ----

    /** One entry of the interest list as saved: descriptor, target file, events, user data, disabled by EPOLLONESHOT. */
    public record WatchState(int fd, OpenFile file, int events, long data, boolean disabled) {}

    /** The interest list, in insertion order. */
    public List<WatchState> watchList() {
        List<WatchState> out = new ArrayList<>();
        for (Watch w : watches.values()) out.add(new WatchState(w.fd, w.file, w.events, w.data, w.disabled));
        return out;
    }

    /** Adds a saved watch back (after restart). */
    public void restoreWatch(WatchState s) {
        Watch w = new Watch(s.fd(), s.file(), s.events(), s.data());
        w.disabled = s.disabled();
        watches.put(s.fd(), w);
    }
}
