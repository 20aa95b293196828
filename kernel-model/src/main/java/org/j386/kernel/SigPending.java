package org.j386.kernel;

import java.util.ArrayDeque;

/**
 * A set of pending signals with their siginfo, as Linux's struct sigpending: each thread has
 * one for signals sent to it (tkill, faults), and the threads of a process share one for
 * signals sent to the process (kill, timers, SIGCHLD). A standard signal (1-31) is pending at
 * most once: a second one sent while the first waits is dropped, the first's siginfo kept. A
 * real-time signal (32-64) queues every instance in order, each with its own siginfo.
 */
public final class SigPending {
    private long mask;
    /** The oldest instance of each pending signal. */
    private final SigInfo[] first = new SigInfo[Signals.NSIG + 1];
    /** Later instances of real-time signals (created on the first second instance). */
    private ArrayDeque<SigInfo>[] later;
    private int count;

    /** Bit sig-1 is set while signal sig is pending. */
    public long mask() {
        return mask;
    }

    public boolean has(int sig) {
        return ((mask >>> (sig - 1)) & 1) != 0;
    }

    /** How many instances are queued (what /proc's SigQ counts). */
    public int count() {
        return count;
    }

    /**
     * Queues a signal. Returns false when it was not queued: a standard signal already
     * pending, or a real-time one beyond {@code limit} queued instances (RLIMIT_SIGPENDING).
     */
    public boolean add(SigInfo info, long limit) {
        int sig = info.signo();
        if (!has(sig)) {
            first[sig] = info;
            mask |= 1L << (sig - 1);
            count++;
            return true;
        }
        if (sig < Signals.SIGRTMIN || count >= limit) return false;
        if (later == null) later = newQueues();
        if (later[sig] == null) later[sig] = new ArrayDeque<>();
        later[sig].addLast(info);
        count++;
        return true;
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<SigInfo>[] newQueues() {
        return new ArrayDeque[Signals.NSIG + 1];
    }

    /** The oldest instance of {@code sig}, or null when it is not pending. */
    public SigInfo peek(int sig) {
        return has(sig) ? first[sig] : null;
    }

    /** Removes and returns the oldest instance of {@code sig} (null when it is not pending). */
    public SigInfo take(int sig) {
        if (!has(sig)) return null;
        SigInfo info = first[sig];
        ArrayDeque<SigInfo> q = later == null ? null : later[sig];
        if (q != null && !q.isEmpty()) {
            first[sig] = q.removeFirst();
        } else {
            first[sig] = null;
            mask &= ~(1L << (sig - 1));
        }
        count--;
        return info;
    }

    /** Drops every instance of every signal in {@code set}. */
    public void discard(long set) {
        long hit = mask & set;
        while (hit != 0) {
            int sig = Long.numberOfTrailingZeros(hit) + 1;
            hit &= hit - 1;
            while (take(sig) != null) { /* all instances */ }
        }
    }

    /** Replaces one queued instance (identity) by another of the same signal, keeping its place. */
    public void replace(SigInfo old, SigInfo now) {
        int sig = old.signo();
        if (first[sig] == old) {
            first[sig] = now;
            return;
        }
        ArrayDeque<SigInfo> q = later == null ? null : later[sig];
        if (q == null) return;
        ArrayDeque<SigInfo> copy = new ArrayDeque<>(q.size());
        for (SigInfo i : q) copy.addLast(i == old ? now : i);
        later[sig] = copy;
    }

    /** Removes one queued instance (identity), wherever it is in its signal's queue. */
    public void remove(SigInfo old) {
        int sig = old.signo();
        if (!has(sig)) return;
        if (first[sig] == old) {
            take(sig);
            return;
        }
        ArrayDeque<SigInfo> q = later == null ? null : later[sig];
        if (q != null && q.removeIf(i -> i == old)) count--;
    }

    /** Every queued instance of {@code sig}, oldest first (for checkpoints and /proc). */
    public java.util.List<SigInfo> instances(int sig) {
        java.util.List<SigInfo> out = new java.util.ArrayList<>();
        if (!has(sig)) return out;
        out.add(first[sig]);
        if (later != null && later[sig] != null) out.addAll(later[sig]);
        return out;
    }

    /** Finds the oldest queued instance of {@code sig} that {@code match} accepts (null: none). */
    public SigInfo find(int sig, java.util.function.Predicate<SigInfo> match) {
        for (SigInfo i : instances(sig)) if (match.test(i)) return i;
        return null;
    }
}
