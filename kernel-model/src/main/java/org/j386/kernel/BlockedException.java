package org.j386.kernel;

/**
 * Thrown by a system call that must wait: the task sleeps on {@link #queue} (or until its
 * sleep deadline when the queue is null) and re-executes the same system call when woken,
 * so the call sees the new state of the world. No stack trace: this is normal control flow.
 */
public final class BlockedException extends RuntimeException {
    public final WaitQueue queue;

    public BlockedException(WaitQueue queue) {
        super(null, null, false, false);
        this.queue = queue;
    }
}
