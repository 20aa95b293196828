package org.j386.kernel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The freezer, with the cgroup freezer's three states. Freezing a set of tasks marks each
 * FREEZING; a task becomes FROZEN once it is parked at a clean point, that is off the CPU
 * between two instructions or at the restart point of a blocking system call (the kernel
 * re-executes those from their int 0x80), so its whole user state is in its saved context.
 * A task that is not on the CPU is parked already; the task on the CPU parks at the end of
 * its quantum (or at once, when the freeze comes from the host between quanta). Frozen tasks
 * are not scheduled; thawing makes them schedulable again, in the state they were frozen in.
 */
public final class Freezer {
    public enum State { THAWED, FREEZING, FROZEN }

    private final Kernel k;

    Freezer(Kernel k) {
        this.k = k;
    }

    /** Freezes {@code tasks}; returns true when all of them are FROZEN now (else they are FREEZING). */
    public boolean freeze(Collection<Task> tasks) {
        boolean all = true;
        for (Task t : tasks) {
            if (t.freezeState != State.THAWED || t.exited) continue;
            if (t == k.current && k.inQuantum()) {
                t.freezeState = State.FREEZING;
                k.cpu.stopRequested = true; // parks at the end of this instruction
                all = false;
            } else {
                if (t == k.current) k.saveContext();
                t.freezeState = State.FROZEN;
            }
        }
        return all;
    }

    /** Thaws {@code tasks}: they are scheduled again. */
    public void thaw(Collection<Task> tasks) {
        for (Task t : tasks) {
            t.freezeState = State.THAWED;
        }
    }

    /** The task on the CPU left it: a FREEZING task is now parked, hence FROZEN. */
    void parked(Task t) {
        if (t.freezeState != State.FREEZING) return;
        k.saveContext();
        t.freezeState = State.FROZEN;
    }

    /** Whether some task is frozen (an idle machine then waits for the host to thaw it, rather than ending). */
    public boolean anyFrozen() {
        for (Task t : k.tasks.values()) if (t.freezeState != State.THAWED && !t.exited) return true;
        return false;
    }

    /** The root of the freezer cgroup hierarchy (never frozen itself, as in Linux). */
    public final FreezerCgroup rootCgroup = new FreezerCgroup("", null, 1);
    private long nextCgroupId = 2;

    /** A new child cgroup {@code name} of {@code parent}; null if the name is taken. */
    public FreezerCgroup mkdir(FreezerCgroup parent, String name) {
        if (parent.children.containsKey(name)) return null;
        FreezerCgroup g = new FreezerCgroup(name, parent, nextCgroupId++);
        parent.children.put(name, g);
        return g;
    }

    /** Removes an empty cgroup: false when it still has tasks or child cgroups (EBUSY). */
    public boolean rmdir(FreezerCgroup g) {
        if (g.parent == null || !g.children.isEmpty() || !tasksOf(g, false).isEmpty()) return false;
        g.parent.children.remove(g.name);
        g.removed = true;
        return true;
    }

    /** The live tasks of cgroup {@code g} (with {@code subtree}, also of the cgroups below it), in pid order. */
    public List<Task> tasksOf(FreezerCgroup g, boolean subtree) {
        List<Task> out = new ArrayList<>();
        for (Task t : k.tasks.values()) {
            if (t.exited || t.state == Task.State.ZOMBIE) continue;
            FreezerCgroup c = t.cgroup == null ? rootCgroup : t.cgroup;
            if (c == g || (subtree && g.contains(c))) out.add(t);
        }
        return out;
    }

    /**
     * freezer.state of a cgroup, from its tasks and those below it: FROZEN when all are
     * frozen (and it has tasks, or was asked to freeze), FREEZING when it was asked to freeze,
     * or some task is freezing, and not all have parked yet, else THAWED. Tasks the host froze
     * count as well, so a cgroup the host froze entirely reads FROZEN.
     */
    public State stateOf(FreezerCgroup g) {
        List<Task> ts = tasksOf(g, true);
        boolean all = true, some = false;
        for (Task t : ts) {
            if (t.freezeState != State.FROZEN) all = false;
            if (t.freezeState == State.FREEZING) some = true;
        }
        if (ts.isEmpty()) return g.freezing() ? State.FROZEN : State.THAWED;
        if (all) return State.FROZEN;
        return g.freezing() || some ? State.FREEZING : State.THAWED;
    }

    /**
     * Writes freezer.state: FROZEN freezes every task of the cgroup and of those below it;
     * THAWED thaws those whose cgroup is no longer frozen through an ancestor.
     */
    public void setState(FreezerCgroup g, boolean frozen) {
        g.selfFreezing = frozen;
        List<Task> ts = tasksOf(g, true);
        if (frozen) {
            freeze(ts);
            return;
        }
        List<Task> thaw = new ArrayList<>();
        for (Task t : ts) if (!(t.cgroup == null ? rootCgroup : t.cgroup).freezing()) thaw.add(t);
        thaw(thaw);
    }

    /**
     * Moves task {@code t} to cgroup {@code g} (the files tasks and cgroup.procs): it freezes
     * when {@code g} is frozen, and thaws when it leaves a frozen cgroup for a thawed one.
     */
    public void attach(Task t, FreezerCgroup g) {
        FreezerCgroup old = t.cgroup == null ? rootCgroup : t.cgroup;
        t.cgroup = g == rootCgroup ? null : g;
        if (g.freezing()) freeze(List.of(t));
        else if (old.freezing()) thaw(List.of(t));
    }

    /** The host thaws {@code tasks}: their cgroups (and the ones above them) stop freezing too, so a fork does not freeze again. */
    public void thawFromHost(Collection<Task> tasks) {
        for (Task t : tasks) {
            for (FreezerCgroup g = t.cgroup; g != null; g = g.parent) g.selfFreezing = false;
        }
        thaw(tasks);
    }

    /** A fork: the child joins its parent's cgroup, frozen if the cgroup is. */
    void forked(Task parent, Task child) {
        child.cgroup = parent.cgroup;
        if (child.cgroup != null && child.cgroup.freezing()) freeze(List.of(child));
    }

    /** Whether the task may be scheduled. */
    static boolean runnable(Task t) {
        return t.freezeState == State.THAWED;
    }
}
