package org.j386.kernel;

import java.util.Collection;

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

    /** Whether the task may be scheduled. */
    static boolean runnable(Task t) {
        return t.freezeState == State.THAWED;
    }
}
