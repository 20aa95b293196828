package org.j386.checkpoint;

import org.j386.kernel.Errno;
import org.j386.kernel.Freezer;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * checkpoint(pid, fd, flags, logfd) of another process, from inside the guest (the series'
 * "external" checkpoint). The caller must first freeze the target: with CHECKPOINT_SUBTREE
 * the image holds the target process and every descendant (threads and zombies included),
 * without it the target process alone, which is refused (EINVAL) when it has children: the
 * series checkpoints a whole container unless CHECKPOINT_SUBTREE is given, and j386 has no
 * container below the whole guest, so a tree is only saved when the caller asks for a subtree.
 * The checks, in order, each failing with its errno, a line on logfd and an ERROR record in
 * the image, the targets untouched: ESRCH when no process has that pid; EPERM unless the
 * caller may ptrace every saved task (root, or real uid and gid equal to each task's real,
 * effective and saved ids); EBUSY when a saved task is not FROZEN (which includes a caller
 * inside the subtree); then everything Checkpointer refuses (EBUSY).
 */
final class ExternalCheckpoint {
    private ExternalCheckpoint() {}

    /** A refusal: the errno and the text that goes to logfd and into the image's ERROR record. */
    static final class Refused extends Exception {
        final int errno;

        Refused(int errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }
    }

    /** The tasks to save, after every check; throws Refused with the first reason. */
    static List<Task> select(Kernel k, Task caller, int pid, boolean subtree) throws Refused {
        Task target = k.tasks.get(pid);
        if (pid <= 0 || target == null || target.exited || target.state == Task.State.ZOMBIE)
            throw new Refused(Errno.ESRCH, "no such process " + pid);
        if (target.pid != target.tgid) throw new Refused(Errno.EINVAL, "pid " + pid + " is a thread; checkpoint its process " + target.tgid);
        Checkpointer c = new Checkpointer(k);
        List<Task> set;
        if (subtree) {
            set = c.subtree(target);
        } else {
            set = new ArrayList<>();
            for (Task t : k.tasks.values()) {
                if (t.tgid == target.tgid) set.add(t);
                else if (t.parent != null && t.parent.tgid == target.tgid)
                    throw new Refused(Errno.EINVAL, "pid " + pid + " has children (process " + t.tgid + "): checkpoint its tree with CHECKPOINT_SUBTREE");
            }
        }
        for (Task t : set) {
            if (!mayPtrace(caller, t)) throw new Refused(Errno.EPERM, "no permission to checkpoint task " + t.pid + " (uid " + t.uid + ")");
        }
        for (Task t : set) {
            if (t.exited || t.state == Task.State.ZOMBIE) continue;
            if (t == caller) throw new Refused(Errno.EBUSY, "the caller (task " + t.pid + ") is inside the tree it checkpoints");
            if (t.freezeState != Freezer.State.FROZEN)
                throw new Refused(Errno.EBUSY, "task " + t.pid + " is not frozen (freeze it in /sys/fs/cgroup/freezer first)");
        }
        String why = c.refusal(set, false);
        if (why != null) throw new Refused(Errno.EBUSY, why);
        return set;
    }

    /**
     * ptrace's attach rule, which the series applies to every task of an external checkpoint:
     * the caller is root (CAP_SYS_ADMIN / CAP_SYS_PTRACE) or its real uid and gid equal the
     * task's real, effective and saved ids. A zombie keeps the credentials it died with.
     */
    static boolean mayPtrace(Task caller, Task t) {
        if (caller.euid == 0) return true;
        return caller.uid == t.uid && caller.uid == t.euid && caller.uid == t.suid
                && caller.gid == t.gid && caller.gid == t.egid && caller.gid == t.sgid;
    }

    /** Writes the image of the selected, frozen tasks; they stay frozen (the caller thaws them). */
    static void write(Kernel k, List<Task> set, OutputStream out) throws IOException {
        new Checkpointer(k).writeTree(set, out);
    }

    /** The ERROR record of a refused checkpoint: the image says why it holds nothing. */
    static void refuse(OutputStream out, String why) throws IOException {
        Checkpointer.refuse(out, why);
    }
}
