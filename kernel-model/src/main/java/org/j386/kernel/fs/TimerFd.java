package org.j386.kernel.fs;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.util.function.LongSupplier;

/**
 * timerfd: a timer whose expirations are read as a 64-bit count. The deadline is on the
 * monotonic virtual clock (a CLOCK_REALTIME timer is converted when armed). A reader or
 * poller with nothing to read sleeps until the deadline.
 */
public final class TimerFd extends OpenFile {
    public final int clockId;
    private final LongSupplier now;
    /** The task making the current call (the reader to put to sleep until the deadline). */
    private final java.util.function.Supplier<Task> caller;
    /** Next expiry (monotonic ns, 0: disarmed) and reload interval. */
    private long deadline, interval;
    private long expirations;
    private final int ino;
    /** Readers and pollers: arming the timer wakes them to sleep until the new deadline. */
    private final org.j386.kernel.WaitQueue waiters = new org.j386.kernel.WaitQueue();

    public TimerFd(int clockId, LongSupplier monotonicNow, java.util.function.Supplier<Task> caller, int flags, int ino) {
        super(Flags.O_RDWR | flags);
        this.clockId = clockId;
        this.now = monotonicNow;
        this.caller = caller;
        this.ino = ino;
    }

    @Override
    public String path() { return "anon_inode:[timerfd]"; }

    /** Counts the expirations up to now into {@link #expirations}. */
    private void advance() {
        if (deadline == 0) return;
        long t = now.getAsLong();
        if (t < deadline) return;
        if (interval > 0) {
            long n = 1 + (t - deadline) / interval;
            expirations += n;
            deadline += n * interval;
        } else {
            expirations++;
            deadline = 0;
        }
    }

    /** Arms ({@code value} > 0, absolute monotonic) or disarms the timer; pending expirations are dropped. */
    public void set(long absoluteDeadline, long interval) {
        this.deadline = absoluteDeadline;
        this.interval = absoluteDeadline == 0 ? 0 : interval;
        this.expirations = 0;
        waiters.wakeAll();
    }

    /** Time left and interval, ns (0 left: disarmed). */
    public long[] current() {
        advance();
        return new long[] {deadline == 0 ? 0 : Math.max(1, deadline - now.getAsLong()), interval};
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len < 8) throw new SyscallException(Errno.EINVAL);
        advance();
        if (expirations == 0) {
            if (nonBlocking()) throw new SyscallException(Errno.EAGAIN);
            Task t = caller.get();
            if (deadline != 0) t.sleepDeadline = deadline; // a disarmed timer: until armed, or a signal
            throw new BlockedException(waiters);
        }
        long v = expirations;
        expirations = 0;
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
        caller.get().sleepDeadline = 0;
        return 8;
    }

    @Override
    public int pollEvents() {
        advance();
        return (expirations > 0 ? POLLIN | POLLRDNORM : 0);
    }

    /** A poller sleeps at most until the next expiry. */
    @Override
    public void pollWait(Task t) {
        if (deadline != 0 && (t.sleepDeadline == 0 || t.sleepDeadline > deadline)) t.sleepDeadline = deadline;
        waiters.add(t);
    }

    @Override
    public Stat stat() { return Stat.synthetic(Stat.makedev(0, 14), ino, 0600, 0, 4096); }

    // ---- for checkpoint/restart (org.j386.checkpoint) ----

    /** Deadline (monotonic ns, 0 disarmed), interval and expirations not yet read, counted up to now. */
    public long[] state() {
        advance();
        return new long[] {deadline, interval, expirations};
    }

    /** Puts back a saved {@link #state()}. */
    public void restoreState(long deadline, long interval, long expirations) {
        this.deadline = deadline;
        this.interval = deadline == 0 ? 0 : interval;
        this.expirations = expirations;
    }
}
