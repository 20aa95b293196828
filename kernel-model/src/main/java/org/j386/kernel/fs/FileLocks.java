package org.j386.kernel.fs;

import org.j386.kernel.Kernel;
import org.j386.kernel.Task;
import org.j386.kernel.WaitQueue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * Advisory locks, per file ({@link OpenFile#lockKey}): POSIX record locks owned by a process
 * (fcntl F_SETLK; released when the process closes any descriptor of the file or exits), open
 * file description locks (F_OFD_SETLK) and flock locks, both owned by the open file description
 * and released when its last descriptor closes. A waiter sleeps on one queue and retries when
 * any lock is released.
 */
final class FileLocks {
    /** A byte range [start, end) of a file; end is Long.MAX_VALUE for "to end of file". */
    record Range(Object owner, int type, long start, long end, int pid) {
        boolean overlaps(long s, long e) { return start < e && s < end; }
    }

    /** An flock lock: shared or exclusive, owned by an open file description. */
    record Flock(OpenFile owner, boolean exclusive) {}

    private final Kernel kernel;
    private final HashMap<Object, List<Range>> ranges = new HashMap<>();
    private final HashMap<Object, List<Flock>> flocks = new HashMap<>();
    final WaitQueue waiters = new WaitQueue();
    /** Process (tgid) sleeping in F_SETLKW -> the process owning the lock it waits for. */
    private final HashMap<Integer, Integer> waitingFor = new HashMap<>();

    FileLocks(Kernel kernel) { this.kernel = kernel; }

    /** The process owner of POSIX locks taken by {@code t}. */
    static Object processOwner(Task t) { return t.tgid; }

    private boolean alive(Object owner) {
        if (owner instanceof Integer tgid) {
            Task leader = kernel.tasks.get(tgid);
            return leader != null && !leader.exited;
        }
        return ((OpenFile) owner).refs() > 0;
    }

    /** The first lock of another owner that a lock of {@code type} on [start, end) conflicts with, or null. */
    Range conflict(Object key, Object owner, int type, long start, long end) {
        List<Range> l = ranges.get(key);
        if (l == null) return null;
        for (Range r : l) {
            if (r.owner.equals(owner) || !r.overlaps(start, end)) continue;
            if (type == Flags.F_WRLCK || r.type == Flags.F_WRLCK) {
                if (alive(r.owner)) return r;
            }
        }
        return null;
    }

    /**
     * F_SETLKW is about to sleep on {@code holder}'s lock: EDEADLK (true) when {@code holder}
     * waits, directly or through others, for a lock of the caller's process; otherwise the wait
     * is recorded. Only process-owned (POSIX) locks are followed, as in Linux.
     */
    boolean wouldDeadlock(Task t, Object holder) {
        int me = t.tgid;
        Object o = holder;
        for (int hops = 0; hops < 10 && o instanceof Integer q; hops++) {
            if (q == me) return true;
            Task qt = kernel.tasks.get(q);
            if (qt == null || qt.exited || !qt.inRestart) break;     // not asleep in a system call: not waiting
            o = waitingFor.get(q);
        }
        if (holder instanceof Integer h) waitingFor.put(me, h);
        return false;
    }

    /** The caller's process is not waiting for a lock (any more). */
    void doneWaiting(Task t) { waitingFor.remove(t.tgid); }

    /** Sets (or with F_UNLCK clears) {@code owner}'s lock on [start, end), splitting what it had there. */
    void set(Object key, Object owner, int type, long start, long end, int pid) {
        List<Range> l = ranges.computeIfAbsent(key, k -> new ArrayList<>());
        List<Range> out = new ArrayList<>();
        boolean released = false;
        for (Range r : l) {
            if (!r.owner.equals(owner) || !r.overlaps(start, end)) {
                out.add(r);
                continue;
            }
            released = true;
            if (r.start < start) out.add(new Range(r.owner, r.type, r.start, start, r.pid));
            if (r.end > end) out.add(new Range(r.owner, r.type, end, r.end, r.pid));
        }
        if (type != Flags.F_UNLCK) out.add(new Range(owner, type, start, end, pid));
        out.sort((a, b) -> Long.compare(a.start, b.start));
        if (out.isEmpty()) ranges.remove(key);
        else ranges.put(key, out);
        if (released) waiters.wakeAll();
    }

    /** flock: whether {@code f} may take the lock now (after dropping its own lock). */
    boolean flockConflict(Object key, OpenFile f, boolean exclusive) {
        List<Flock> l = flocks.get(key);
        if (l == null) return false;
        for (Flock x : l) {
            if (x.owner == f || !alive(x.owner)) continue;
            if (exclusive || x.exclusive) return true;
        }
        return false;
    }

    /** flock: drops {@code f}'s lock, then takes the new one (unless {@code unlock}). */
    void flockSet(Object key, OpenFile f, boolean exclusive, boolean unlock) {
        List<Flock> l = flocks.computeIfAbsent(key, k -> new ArrayList<>());
        boolean had = l.removeIf(x -> x.owner == f);
        if (!unlock) l.add(new Flock(f, exclusive));
        if (l.isEmpty()) flocks.remove(key);
        if (had) waiters.wakeAll();
    }

    /**
     * A descriptor of {@code f} is being closed: the closing process's POSIX locks on the file
     * go; when it is the last descriptor, so do the description's flock and OFD locks. Locks
     * of processes that have exited are dropped too, and waiters retry.
     */
    void closed(OpenFile f) {
        if (ranges.isEmpty() && flocks.isEmpty()) return;      // the common case: nothing to look up
        Object key = f.lockKey();
        Task cur = kernel.current;
        boolean last = f.refs() <= 1;
        List<Range> l = ranges.get(key);
        if (l != null) {
            Object proc = cur != null ? processOwner(cur) : null;
            l.removeIf(r -> r.owner.equals(proc) || (last && r.owner == f) || !alive(r.owner));
            if (l.isEmpty()) ranges.remove(key);
        }
        List<Flock> fl = flocks.get(key);
        if (fl != null) {
            fl.removeIf(x -> (last && x.owner == f) || !alive(x.owner));
            if (fl.isEmpty()) flocks.remove(key);
        }
        waiters.wakeAll();
        purgeDead();
    }

    /** Drops the locks of owners that are gone (a process that exited while holding them). */
    private void purgeDead() {
        for (Iterator<List<Range>> it = ranges.values().iterator(); it.hasNext(); ) {
            List<Range> l = it.next();
            l.removeIf(r -> !alive(r.owner));
            if (l.isEmpty()) it.remove();
        }
    }
}
