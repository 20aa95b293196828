package org.j386.kernel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Futex wait queues, keyed by the physical address of the futex word, so threads sharing an
 * address space and processes sharing a page meet on the same key. A waiter blocks with
 * restart semantics: when woken it re-executes FUTEX_WAIT, which sees {@link Task#futexWoken}
 * and returns 0.
 */
public final class Futexes {
    private record Waiter(Task task, long key, int bitset) {}

    private final List<Waiter> waiters = new ArrayList<>();

    void add(Task t, long key, int bitset) {
        waiters.add(new Waiter(t, key, bitset));
    }

    void remove(Task t) {
        waiters.removeIf(w -> w.task == t);
    }

    /** Wakes up to {@code n} waiters on {@code key} whose bitset meets {@code bitset}; returns how many. */
    public int wake(Kernel k, long key, int n, int bitset) {
        int woken = 0;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext() && woken < n; ) {
            Waiter w = it.next();
            if (w.key != key || (w.bitset & bitset) == 0) continue;
            it.remove();
            if (w.task.state == Task.State.BLOCKED) {
                w.task.state = Task.State.RUNNABLE;
                w.task.futexWoken = true;
                w.task.sleepDeadline = 0;
            }
            woken++;
        }
        return woken;
    }

    /** Moves up to {@code n} waiters from {@code from} to {@code to}; returns how many. */
    int requeue(long from, long to, int n) {
        int moved = 0;
        for (int i = 0; i < waiters.size() && moved < n; i++) {
            Waiter w = waiters.get(i);
            if (w.key != from) continue;
            waiters.set(i, new Waiter(w.task, to, w.bitset));
            moved++;
        }
        return moved;
    }
}
