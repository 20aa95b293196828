package org.j386.kernel;

import org.j386.kernel.fs.FdTable;
import org.j386.kernel.fs.FsContext;
import org.j386.kernel.mm.Mm;

/**
 * A task (thread of execution) of the kernel model. For now one task per machine; the
 * process model (fork, threads, scheduling) grows from here.
 */
public final class Task {
    public static final int RLIMIT_STACK = 3, RLIMIT_NOFILE = 7, RLIMIT_SIGPENDING = 11, RLIM_NLIMITS = 16;
    public static final long RLIM_INFINITY = -1L;

    public final Kernel kernel;
    public int pid = 1;
    public int tgid = 1;
    public int ppid = 0;
    public int pgid = 1;
    public int sid = 1;
    /** The controlling terminal of the task's session, or null. */
    public org.j386.kernel.tty.Tty ctty;
    public String comm = "";
    /** Canonical guest path of the running program (/proc/PID/exe). */
    public String exe = "";
    /** Kernel access to this task's user memory. */
    public UserMemory mem;
    public Mm mm;
    /** Open file descriptors. */
    public FdTable files;
    /** Root, working directory and umask. */
    public FsContext fs;
    public final SignalState signals = new SignalState();
    public int uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
    public int[] groups = new int[0];
    public final long[] rlimCur = new long[RLIM_NLIMITS];
    public final long[] rlimMax = new long[RLIM_NLIMITS];
    public int clearChildTid;
    public int robustList, robustListLen;
    /** Physical address of the task's LDT (0: none) and its size in descriptors (modify_ldt). */
    public long ldtPa;
    public int ldtEntries;
    /** TLS descriptors for GDT entries 6..8 (written into the GDT when the task runs). */
    public final long[] tls = new long[3];
    public boolean exited;
    public int exitStatus;
    /** Signal that killed the task, or 0. */
    public int killedBy;

    public enum State { RUNNABLE, BLOCKED, ZOMBIE }
    /** Stopped by a job-control signal (every thread of the process): not scheduled until SIGCONT. */
    public boolean stopped;
    /** On the group leader: the signal of the last stop, and whether the parent still has to see the stop / the continue in wait. */
    public int stopSignal;
    public boolean stopUnreported, continueUnreported;
    public State state = State.RUNNABLE;
    /** wait4 status word once the task is a zombie. */
    public int waitStatus;
    public Task parent;
    public final java.util.List<Task> children = new java.util.ArrayList<>();
    /** Where a parent sleeps in wait4. */
    public final WaitQueue childExit = new WaitQueue();
    /** CLONE_CHILD_SETTID address, written when the task first runs (0: none). */
    public int setChildTid;
    /** Set when a FUTEX_WAKE woke this task, so its restarted FUTEX_WAIT returns 0. */
    public boolean futexWoken;
    /** The task is parked in a system call that it re-executes when woken (see BlockedException). */
    public boolean inRestart;
    /** That system call returns EINTR, not restarts, when a handler interrupts it (pause, sigsuspend). */
    public boolean interruptOnly;
    /** vfork (CLONE_VFORK): the child this task waits for, and on the child the parent waiting; null otherwise. */
    public Task vforkChild, vforkParent;
    /** Signals a sigtimedwait in progress waits for: they wake the task although blocked. */
    public long sigwaitMask;
    /** sigsuspend's mask to restore after the handler (-1: none). */
    public long suspendSavedMask = -1;
    /** CPU time this task has used, ns (instructions it retired, at 1 ns each), up to its last quantum. */
    public long cpuNanos;
    /** ITIMER_VIRTUAL and ITIMER_PROF: expiry on the process's CPU clock (0: disarmed) and reload interval, ns. */
    public long virtTimerDeadline, virtTimerInterval, profTimerDeadline, profTimerInterval;
    /** ITIMER_REAL: next expiry on the monotonic clock (0: disarmed) and reload interval, ns. */
    public long realTimerDeadline, realTimerInterval;
    /** Nice value (-20..19) and scheduling policy/priority: recorded and reported; the scheduler is round robin. */
    public int nice, schedPolicy, schedPriority;
    /** POSIX timers of the process (on the group leader; null until the first timer_create), by id. */
    public java.util.TreeMap<Integer, PosixTimer> timers;
    /** Virtual-clock deadline of a sleep in progress (0: none). */
    public long sleepDeadline;
    /** The task's UTS and IPC namespaces (shared until unshare or clone with CLONE_NEWUTS/CLONE_NEWIPC). */
    public org.j386.kernel.ns.UtsNamespace uts;
    public org.j386.kernel.ipc.IpcNamespace ipcNs;
    /** SEM_UNDO adjustments applied when the process exits (null: none yet); shared with CLONE_SYSVSEM. */
    public org.j386.kernel.ipc.SemUndo semUndo;
    /** The SysV IPC object a semop/msgsnd/msgrcv sleeps on (null: none): IPC_RMID makes the call return EIDRM. */
    public org.j386.kernel.ipc.IpcObject ipcWait;
    /** For a semop sleeper: the semaphore it waits on, and whether for zero (GETZCNT) or for an increase (GETNCNT). */
    public int ipcWaitSem;
    public boolean ipcWaitZero;
    /** Saved user registers while the task is not on the CPU. */
    final CpuContext ctx = new CpuContext();
    /** The saved user context (valid while the task is off the CPU, or after Kernel.saveContext). */
    public CpuContext context() { return ctx; }
    /** The freezer's state of this task (see Freezer). */
    public Freezer.State freezeState = Freezer.State.THAWED;
    /** The task's freezer cgroup (null: the root of the hierarchy); a fork child starts in its parent's. */
    public FreezerCgroup cgroup;

    /** For clone with a new stack: the child starts with ESP there. */
    public void setStackPointer(int esp) { ctx.r[org.j386.cpu.CpuState.ESP] = esp; }

    public Task(Kernel kernel) {
        this.kernel = kernel;
        this.uts = kernel.initialUts;
        this.ipcNs = kernel.initialIpc;
        java.util.Arrays.fill(rlimCur, RLIM_INFINITY);
        java.util.Arrays.fill(rlimMax, RLIM_INFINITY);
        rlimCur[RLIMIT_STACK] = 8L << 20;
        rlimCur[RLIMIT_NOFILE] = 1024;
        rlimMax[RLIMIT_NOFILE] = 4096;
        rlimCur[0] = RLIM_INFINITY;      // CPU
        rlimCur[4] = 0;                  // CORE
        rlimCur[6] = rlimMax[6] = 63459; // NPROC
        rlimCur[8] = rlimMax[8] = 8L << 20; // MEMLOCK
        rlimCur[11] = rlimMax[11] = 63459;  // SIGPENDING
        rlimCur[12] = rlimMax[12] = 819200; // MSGQUEUE
        rlimCur[13] = rlimMax[13] = 0;      // NICE
        rlimCur[14] = rlimMax[14] = 0;      // RTPRIO
    }
}
