package org.j386.kernel;

import java.util.ArrayList;
import java.util.List;

/** Tasks sleeping until something happens (data in a pipe, a child's exit). Wake order is FIFO. */
public final class WaitQueue {
    private final List<Task> waiters = new ArrayList<>(2);

    public void add(Task t) {
        if (!waiters.contains(t)) waiters.add(t);
    }

    /** Makes every waiter runnable; each re-executes the system call it blocked in. */
    public void wakeAll() {
        for (Task t : waiters) if (t.state == Task.State.BLOCKED) t.state = Task.State.RUNNABLE;
        waiters.clear();
    }

    public boolean isEmpty() { return waiters.isEmpty(); }
}
