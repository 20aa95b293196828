package org.j386.checkpoint;

import org.j386.kernel.Kernel;
import org.j386.kernel.Task;
import org.j386.kernel.fs.FdTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * restart(2) of a tree image inside a running guest (the series' mktree, done by the kernel):
 * the caller becomes the image's root process, keeping its own pid, parent, process group and
 * session; every other task is recreated with its original pid, its parent (the root's pid
 * mapped to the caller's), and its process group and session: those led by a task of the
 * image keep their numbers, the root's and any outside the image become the caller's. All
 * pids must be free (no task, no process group or session uses them), else the restart is
 * refused (EBUSY) before anything changes. Credentials follow {@link Creds}; a caller that is
 * not root also cannot get higher resource limits than its own. The new tasks join the
 * caller's freezer cgroup, and with RESTART_FROZEN every restored task stays frozen until
 * thawed (through the cgroup, or the host's thaw).
 */
final class TreeRestart {
    private TreeRestart() {}

    /** Why the tree cannot be restarted here, or null: the checks that precede any change. */
    static String refusal(Kernel k, Task caller, ImageData img) {
        int rootPid = img.root.task.pid;
        if (img.ipc.hasIpcState()) return "the image holds namespaces or SysV IPC objects, which would land in this running machine's";
        for (ImageData.TaskImage ti : img.tasks) {
            int pid = ti.task.pid;
            if (ti == img.root) continue;
            if (ti.task.tgid == rootPid) return "task " + pid + " is a thread of the root process; restart(2) makes the caller the root, which has no threads";
            Task other = k.tasks.get(pid);
            if (other != null) return "pid " + pid + " is in use (process " + other.tgid + ", " + other.comm + (other.exited ? ", exited" : "") + ")";
            for (Task t : k.tasks.values()) {
                if (t.pgid == pid || t.sid == pid) return "pid " + pid + " is in use as the " + (t.pgid == pid ? "process group" : "session") + " of task " + t.pid;
            }
        }
        return null;
    }

    /**
     * Rebuilds the tree around the caller (on the CPU, inside its system call). Refusal was
     * checked; a failure from here on (memory, a file that cannot be reopened) removes every
     * task made so far and throws: the caller, whose old image is gone, must then be killed.
     */
    static void restore(Kernel k, Task caller, ImageData img, boolean frozen) throws Restorer.RestoreException {
        ImageData.TaskImage rootImg = img.root;
        int rootPid = rootImg.task.pid, rootPgid = rootImg.task.pgid, rootSid = rootImg.task.sid;
        Map<Integer, ImageData.TaskImage> inImage = new HashMap<>();
        for (ImageData.TaskImage ti : img.tasks) inImage.put(ti.task.pid, ti);
        Creds creds = Creds.of(caller);
        long[] maxLimits = caller.rlimMax.clone();
        boolean root = caller.euid == 0;

        caller.files.closeAll();
        caller.files = new FdTable();
        k.freshImage(caller);
        Map<Integer, Task> byPid = new HashMap<>();
        byPid.put(rootPid, caller);
        List<Task> made = new ArrayList<>();
        try {
            for (ImageData.TaskImage ti : img.tasks) {
                if (ti == rootImg) continue;
                ImageData.TaskRec tr = ti.task;
                int pgid = tr.pgid == rootPgid || !inImage.containsKey(tr.pgid) || tr.pgid == rootPid ? caller.pgid : tr.pgid;
                int sid = tr.sid == rootSid || !inImage.containsKey(tr.sid) || tr.sid == rootPid ? caller.sid : tr.sid;
                Task t = k.restoredTask(tr.pid, tr.tgid, pgid, sid);
                t.cgroup = caller.cgroup;
                t.ctty = sid == caller.sid ? caller.ctty : null;
                made.add(t);
                byPid.put(tr.pid, t);
            }
            Restorer.Shared shared = new Restorer.Shared(k, img);
            for (ImageData.TaskImage ti : img.tasks) {
                Task t = byPid.get(ti.task.pid);
                if (ti != rootImg) {
                    Task leader = byPid.get(ti.task.tgid);
                    Task parent = t == leader ? byPid.get(ti.task.ppid) : leader.parent;
                    t.parent = parent;
                    t.ppid = parent.tgid;
                    if (t == leader) parent.children.add(t);
                }
                Task leader = byPid.get(ti.task.tgid);
                Restorer.fillTask(k, t, ti, leader, shared, creds);
                if (!root) {
                    for (int i = 0; i < maxLimits.length; i++) {
                        t.rlimMax[i] = Long.compareUnsigned(t.rlimMax[i], maxLimits[i]) > 0 ? maxLimits[i] : t.rlimMax[i];
                        t.rlimCur[i] = Long.compareUnsigned(t.rlimCur[i], t.rlimMax[i]) > 0 ? t.rlimMax[i] : t.rlimCur[i];
                    }
                }
            }
            shared.ipc.finish();
            shared.objects.finish();
        } catch (Restorer.RestoreException | RuntimeException e) {
            java.util.Set<FdTable> closed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Task t : made) discard(k, t, closed);
            if (e instanceof Restorer.RestoreException r) throw r;
            throw new Restorer.RestoreException("cannot restore: " + e);
        }
        Restorer.restoreCpu(k, rootImg.cpu);
        List<Task> all = new ArrayList<>(made);
        all.add(caller);
        keepRemainingTimes(k, img, all);
        if (frozen) k.freezer.freeze(all);
    }

    /**
     * The machine's clock runs on (it is not set back to the image's): deadlines saved on the
     * monotonic clock (sleeps, ITIMER_REAL, POSIX timers on the monotonic and realtime clocks)
     * move by the time between the checkpoint and now, so each keeps the time it had left.
     * Deadlines on CPU clocks count the task's own CPU time, which the image restores.
     */
    static void keepRemainingTimes(Kernel k, ImageData img, List<Task> tasks) {
        long delta = k.clock.monotonicNanos() - (img.header.icount * org.j386.kernel.VirtualClock.NS_PER_INSTRUCTION + img.header.skippedNanos);
        for (Task t : tasks) {
            if (t.sleepDeadline != 0) t.sleepDeadline += delta;
            if (t.realTimerDeadline != 0) t.realTimerDeadline += delta;
            if (t.timers == null) continue;
            for (org.j386.kernel.PosixTimer pt : t.timers.values())
                if (pt.deadline != 0 && pt.base == org.j386.kernel.PosixTimer.ON_MONOTONIC) pt.deadline += delta;
        }
    }

    /** A task of a restart that failed half-way: gone without a trace (no zombie, no exit signal). */
    private static void discard(Kernel k, Task t, java.util.Set<FdTable> closed) {
        k.tasks.remove(t.pid);
        if (t.parent != null) t.parent.children.remove(t);
        t.exited = true;
        t.state = Task.State.ZOMBIE;
        if (t.files != null && closed.add(t.files)) t.files.closeAll();
        if (t.mm != null && --t.mm.users == 0) t.mm.destroy();
        t.mm = null;
    }
}
