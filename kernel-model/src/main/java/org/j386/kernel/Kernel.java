package org.j386.kernel;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.cpu.CpuTwoByte;
import org.j386.cpu.TrapHandler;
import org.j386.kernel.exec.ElfFormatException;
import org.j386.kernel.exec.ElfImage;
import org.j386.kernel.exec.ProgramLoader;
import org.j386.kernel.fs.FdTable;
import org.j386.kernel.fs.FileSyscalls;
import org.j386.kernel.tty.Tty;
import org.j386.kernel.tty.TtyHost;
import org.j386.kernel.fs.FsContext;
import org.j386.kernel.mm.FrameAllocator;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.sys.MemorySyscalls;
import org.j386.kernel.sys.ProcessSyscalls;
import org.j386.kernel.sys.SignalSyscalls;
import org.j386.kernel.sys.TimeSyscalls;
import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The kernel model: ring 0 of a machine whose guest is a Linux process. It owns physical
 * memory, the paging structures, the GDT and the CPU, answers the CPU's traps (int 0x80
 * system calls, page faults, exceptions) and runs the task until it exits.
 */
public final class Kernel implements TrapHandler, AutoCloseable {
    /** Kernel virtual base: physical memory is mapped here (4 MiB pages, supervisor only). */
    public static final long PAGE_OFFSET = 0xC0000000L;
    /** Instructions per scheduling quantum. */
    static final long QUANTUM = 1 << 20;

    private final KernelConfig config;
    public final PhysicalMemory ram;
    public final Mmu mmu;
    public final IoBus io = new IoBus();
    public final Cpu cpu;
    public final FrameAllocator frames;
    public final Gdt gdt;
    public final long kernelPgd;
    public final SyscallTable syscalls = new SyscallTable();
    public final VirtualClock clock;
    public final SplittableRandom random;
    private final Strace strace;
    private final int[] straceArgs = new int[6];

    public Task current;
    /** The namespaces of the first task (hostname from the configuration). */
    public final org.j386.kernel.ns.UtsNamespace initialUts;
    public final org.j386.kernel.ipc.IpcNamespace initialIpc;
    private boolean halted;
    private int exitStatus;

    public Kernel(KernelConfig config) {
        this.config = config;
        this.ram = new PhysicalMemory(config.ramBytes);
        this.mmu = new Mmu(ram);
        this.cpu = new Cpu(mmu, io);
        this.clock = new VirtualClock(cpu, config.bootEpochNanos != 0 ? config.bootEpochNanos
                : System.currentTimeMillis() * 1_000_000L);
        this.random = new SplittableRandom(config.randomSeed);
        // frame 0 stays unused; then the kernel page directory template and the GDT
        this.frames = new FrameAllocator(mmu, 1);
        this.kernelPgd = frames.alloc();
        long lowmem = Math.min(ram.size(), 1L << 30);
        for (long pa = 0; pa < lowmem; pa += 4L << 20) {
            int pde = (int) pa | Mmu.PTE_P | Mmu.PTE_RW | Mmu.PTE_PS | Mmu.PTE_G;
            ram.writeInt(kernelPgd + ((PAGE_OFFSET + pa) >>> 22) * 4, pde);
        }
        this.gdt = new Gdt(ram, frames.alloc());
        this.strace = config.strace != null ? new Strace(config.strace) : null;
        cpu.trapHandler = this;
        if (config.ttyConsole) {
            console = new Tty(this, config.stdout);
            consoleHost = config.ttyInteractive
                    ? TtyHost.interactive(config.stdin, () -> {
                        hostMessage("Ctrl-] q: ending the machine");
                        postHostRequest(this::killAll);
                    })
                    : TtyHost.scripted(config.stdin);
        }
        this.initialUts = new org.j386.kernel.ns.UtsNamespace(
                new String(config.hostname.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1), "(none)");
        this.initialIpc = new org.j386.kernel.ipc.IpcNamespace(this);
        registerSyscalls();
    }

    private boolean taskLimitReported;

    /** One line for the host user on the emulator's stderr (not the guest's): limits reached and the like. */
    public void hostMessage(String text) {
        if (config.messages != null) config.messages.println("j386: " + text);
        if (strace != null) strace.line("--- " + text + " ---");
    }

    /** What the checkpoint module says can be saved (/proc/PID/checkpointable, fdinfo); null when not installed. */
    public Checkpointability checkpointability;

    /** The console terminal (line discipline, job control), or null when stdio are plain streams. */
    public Tty console;
    private TtyHost consoleHost;

    public KernelConfig config() { return config; }

    /** The node name {@code t} sees (its UTS namespace's): uname, /proc/sys/kernel/hostname; one char per byte (ISO-8859-1). */
    public String hostname(Task t) { return t.uts.hostname; }

    /** The NIS domain name {@code t} sees: uname, /proc/sys/kernel/domainname. */
    public String domainname(Task t) { return t.uts.domainname; }

    private void registerSyscalls() {
        new ProcessSyscalls(this).register(syscalls);
        new MemorySyscalls(this).register(syscalls);
        new TimeSyscalls(this).register(syscalls);
        new SignalSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.LdtSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.FutexSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.WaitSignalSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.PollSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.TimerSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.CredSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.SchedSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.EventSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.SocketSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.IpcSyscalls(this).register(syscalls);
        new org.j386.kernel.sys.NamespaceSyscalls(this).register(syscalls);
        FileSyscalls files = new FileSyscalls(this);
        this.fileSyscalls = files;
        files.register(syscalls);
        new org.j386.kernel.sys.LifecycleSyscalls(this, files).register(syscalls);
        // what the registered calls leave out of Linux's behaviour (docs/syscalls.md)
        syscalls.partial(11, "static ELF programs and #! scripts only: a program with an interpreter (dynamic loader) gets ENOENT");
        syscalls.partial(120, "no mount, pid, net, user or cgroup namespaces (EINVAL); no ptrace or pidfd flags");
        syscalls.partial(310, "UTS and IPC namespaces (and CLONE_SYSVSEM) only; the others EINVAL");
        syscalls.partial(117, "msgrcv's MSG_COPY: ENOSYS");
        syscalls.partial(401, "MSG_COPY: ENOSYS");
        syscalls.partial(102, "socketpair of AF_UNIX stream, datagram and seqpacket sockets only; socket() is EAFNOSUPPORT (no network, no named sockets); no SCM_RIGHTS");
        syscalls.partial(359, "EAFNOSUPPORT: no network and no named AF_UNIX sockets yet");
        syscalls.partial(370, "no ancillary data (EOPNOTSUPP)");
        syscalls.partial(255, "EPOLLET is level-triggered here; EPOLLEXCLUSIVE and EPOLLWAKEUP are ignored");
        syscalls.partial(325, "TFD_TIMER_CANCEL_ON_SET is accepted and ignored (the clock is never set)");
        syscalls.partial(411, "TFD_TIMER_CANCEL_ON_SET is accepted and ignored (the clock is never set)");
    }

    /**
     * Creates the first task running {@code elf}.
     * @param execPath the path the program is known by (AT_EXECFN)
     */
    public Task start(ElfImage elf, String execPath, List<String> argv, List<String> envp) throws ElfFormatException {
        if (elf.interpreter != null)
            throw new ElfFormatException("dynamically linked (needs " + elf.interpreter + "); only static programs run for now");
        Task t = new Task(this);
        t.uid = t.euid = t.suid = t.fsuid = config.uid;
        t.gid = t.egid = t.sgid = t.fsgid = config.gid;
        newAddressSpace(t);
        t.fs = FsContext.initial(this);
        t.files = FdTable.withConsole(this);
        String base = execPath.substring(execPath.lastIndexOf('/') + 1);
        t.comm = base.length() > 15 ? base.substring(0, 15) : base;
        t.pid = t.tgid = t.pgid = t.sid = nextPid++;
        tasks.put(t.pid, t);
        if (console != null) console.attach(t);
        init = t;
        current = t;
        enterUserMode(t);
        loadProgram(t, elf, execPath, argv, envp);
        return t;
    }

    /**
     * Creates the first task with an empty address space and a fresh user context, for a
     * restart to fill in (memory, registers, files) before {@link #run}.
     */
    public Task startEmpty() {
        Task t = new Task(this);
        newAddressSpace(t);
        t.fs = FsContext.initial(this);
        t.files = new FdTable();
        t.pid = t.tgid = t.pgid = t.sid = nextPid++;
        tasks.put(t.pid, t);
        if (console != null) console.attach(t);
        init = t;
        current = t;
        enterUserMode(t);
        return t;
    }

    /** Gives the restored task its pid (restart recreates the original numbering). */
    public void renumber(Task t, int pid, int tgid, int pgid, int sid) {
        tasks.remove(t.pid);
        t.pid = pid;
        t.tgid = tgid;
        t.pgid = pgid;
        t.sid = sid;
        tasks.put(pid, t);
        nextPid = Math.max(nextPid, pid + 1);
        if (console != null && t.ctty == console) console.attach(t);
    }

    /**
     * Opens the task's controlling terminal (/dev/tty, /dev/console). For now: the host console
     * that fds 0-2 of the first task use, or ENXIO when it is not a terminal.
     */
    public org.j386.kernel.fs.OpenFile consoleOpen(Task t, int flags) {
        if (console == null) return fileSyscalls.openConsole(t, flags);
        // the console terminal: a new open file on it (index 0: a checkpoint reattaches it to the console)
        org.j386.kernel.fs.OpenFile f = new org.j386.kernel.fs.ConsoleFile(console, 0);
        f.setStatusFlags(flags);
        return f;
    }

    /** The file layer, for the checkpointer (reopening files by path). */
    public FileSyscalls files() { return fileSyscalls; }

    private FileSyscalls fileSyscalls;

    /** Gives {@code t} an empty address space and the kernel's view of it. */
    private void newAddressSpace(Task t) {
        t.mm = new Mm(ram, mmu, frames, kernelPgd);
        t.mem = userMemory(t);
    }

    /** User-memory access for {@code t}: page faults resolve against whatever mm the task has then. */
    private UserMemory userMemory(Task t) {
        return new UserMemory(mmu, (lin, write) -> t.mm.handleFault(lin & 0xffffffffL, write));
    }

    /** Maps {@code elf} into the (empty, current) address space of {@code t}, builds its stack and points the CPU at the entry. */
    private void loadProgram(Task t, ElfImage elf, String execPath, List<String> argv, List<String> envp) {
        byte[] rnd = new byte[16];
        random.nextBytes(rnd);
        ProgramLoader.Loaded l = ProgramLoader.load(elf, t.mm, t.mem, execPath, argv, envp,
                new ProgramLoader.Credentials(t.uid, t.euid, t.gid, t.egid), CpuTwoByte.CPUID_FEATURES_EDX, rnd);
        cpu.eip = (int) l.entry();
        cpu.r[CpuState.ESP] = (int) l.stackPointer();
        t.exe = fileSyscalls.canonicalPath(t, execPath);
    }

    /** Loads the CPU with a fresh user context on {@code t}'s address space. */
    private void enterUserMode(Task t) {
        java.util.Arrays.fill(cpu.r, 0);
        cpu.cr4 = 0x10;                 // PSE, for the kernel's 4 MiB mapping of physical memory
        cpu.cr3 = (int) t.mm.pgd;
        cpu.setCr0(0x80050033);         // PG WP NE ET MP PE
        cpu.gdtBase = (int) (PAGE_OFFSET + gdt.pa);
        cpu.gdtLimit = Gdt.ENTRIES * 8 - 1;
        cpu.setCpl(3);
        cpu.loadFlatUserSegment(CpuState.CS, Gdt.USER_CS, 0, -1, Gdt.USER_CODE_ATTR);
        for (int s : new int[] {CpuState.SS, CpuState.DS, CpuState.ES})
            cpu.loadFlatUserSegment(s, Gdt.USER_DS, 0, -1, Gdt.USER_DATA_ATTR);
        cpu.loadFlatUserSegment(CpuState.FS, 0, 0, 0, 0);
        cpu.loadFlatUserSegment(CpuState.GS, 0, 0, 0, 0);
        cpu.setFlags(0x202);
        cpu.fpu.reset();
    }

    // ---- tasks and the scheduler ----

    /** Every task that exists (running, runnable, blocked or zombie), by pid. */
    public final java.util.TreeMap<Integer, Task> tasks = new java.util.TreeMap<>();
    private int nextPid = 1;
    /** The first task: when it ends, the machine ends with its status. */
    private Task init;

    /** The first task (the root of the guest's process tree). */
    public Task init() { return init; }

    /**
     * Runs until the first task ends or the instruction limit is reached. Scheduling is
     * round robin in pid order with a fixed quantum of instructions, so it is deterministic;
     * when no task can run, virtual time jumps to the earliest sleep deadline.
     * @return the exit status as a shell reports it (128+N after a fatal signal N)
     */
    public int run() {
        long limit = config.maxInstructions;
        while (!halted) {
            long slice = QUANTUM;
            if (atAction != null) {
                long left = atIcount - cpu.icount;
                if (left <= 0) {
                    Runnable a = atAction;
                    atAction = null;
                    a.run();
                    if (halted) break;
                    continue;
                }
                slice = Math.min(slice, left);
            }
            if (limit > 0) {
                long left = limit - cpu.icount;
                if (left <= 0) {
                    if (strace != null) strace.line("--- instruction limit " + limit + " reached ---");
                    return 124;
                }
                slice = Math.min(slice, left);
            }
            if (periodicAction != null && (periodicByTime ? clock.monotonicNanos() : cpu.icount) >= periodicNext) {
                periodicNext += periodicEvery;
                periodicAction.run();
                if (halted) break;
            }
            Runnable host = hostRequest;
            if (host != null) {
                hostRequest = null;
                host.run();
                if (halted) break;
            }
            fireTimers();
            if (console != null) consoleHost.pump(console);
            Task next = pickNext();
            if (next == null) {
                long wake = earliestDeadline();
                if (console != null && consoleHost.idle(console, wake >= 0)) continue;
                if (wake < 0 && (hostAttached || freezer.anyFrozen())) {
                    waitForHost(); // frozen, or waiting for a signal from the host: not a deadlock
                    continue;
                }
                if (wake < 0) {
                    if (strace != null) strace.line("--- every task is blocked forever: deadlock ---");
                    killBySignal(init, Signals.SIGKILL);
                    break;
                }
                clock.advance(wake - clock.monotonicNanos());
                continue;
            }
            switchTo(next);
            if (next.signals.pendingMask() != 0) deliverPending(next);
            if (next.exited || next.state != Task.State.RUNNABLE || next.stopped) continue;
            long before = cpu.icount;
            quantumStart = before;
            cpu.run(slice);
            next.cpuNanos += (cpu.icount - before) * VirtualClock.NS_PER_INSTRUCTION;
            quantumStart = -1;
            freezer.parked(next);
            fireCpuTimers(next);
        }
        return exitStatus;
    }

    /**
     * A request from the host (the control socket: checkpoint, kill), run on the emulator
     * thread between two quanta, when the CPU state of the current task is settled.
     */
    private volatile Runnable hostRequest;

    private Runnable periodicAction;
    private long periodicEvery, periodicNext;
    private boolean periodicByTime;

    /**
     * Runs {@code action} on the emulator thread every {@code every} retired instructions
     * (or virtual nanoseconds when {@code byTime}), at the first quantum boundary after each
     * period: the hook for periodic checkpoints.
     */
    public void setPeriodic(long every, boolean byTime, Runnable action) {
        if (every <= 0) throw new IllegalArgumentException("period must be positive");
        periodicEvery = every;
        periodicByTime = byTime;
        periodicNext = (byTime ? clock.monotonicNanos() : cpu.icount) + every;
        periodicAction = action;
    }

    private Runnable atAction;
    private long atIcount;

    /**
     * Runs {@code action} once on the emulator thread when exactly {@code icount} instructions
     * have retired (the quantum running then is cut short to end there), or at once at the next
     * quantum boundary if that count has passed. One such action at a time; the action may set
     * the next one (checkpoints at chosen instruction counts).
     */
    public void runAt(long icount, Runnable action) {
        atIcount = icount;
        atAction = action;
    }

    /** Queues {@code r} to run between quanta; returns false if one is already waiting. */
    public boolean postHostRequest(Runnable r) {
        if (hostRequest != null) return false;
        hostRequest = r; // picked up at the next quantum boundary (at most QUANTUM instructions away)
        return true;
    }

    /** Ends the whole guest now (the host's checkpoint --kill). */
    public void killAll() {
        killBySignal(init, Signals.SIGKILL);
    }

    /** The freezer (THAWED, FREEZING, FROZEN per task). */
    public final Freezer freezer = new Freezer(this);
    /** A host may still send requests (a control socket is open): an idle guest waits for them instead of ending. */
    public volatile boolean hostAttached;

    /** Whether the CPU is inside a quantum (the current task's registers are live in the CPU). */
    boolean inQuantum() { return quantumStart >= 0; }

    /** Copies the current task's registers from the CPU into its saved context (a checkpoint reads them there). */
    public void saveContext() {
        if (current != null && !current.exited && current.state != Task.State.ZOMBIE) current.ctx.saveFrom(cpu);
    }

    private void waitForHost() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            halted = true;
        }
    }

    /**
     * A further task of a restarted tree, with its original numbers, an empty address space,
     * fresh files and fs context; the restart fills it in. The first task comes from {@link #startEmpty}.
     */
    public Task restoredTask(int pid, int tgid, int pgid, int sid) {
        if (tasks.containsKey(pid)) throw new IllegalArgumentException("pid " + pid + " exists");
        Task t = new Task(this);
        newAddressSpace(t);
        t.fs = FsContext.initial(this);
        t.files = new FdTable();
        t.pid = pid;
        t.tgid = tgid;
        t.pgid = pgid;
        t.sid = sid;
        tasks.put(pid, t);
        nextPid = Math.max(nextPid, pid + 1);
        return t;
    }

    /** The next runnable task after the current one in pid order (the current one last). */
    private Task pickNext() {
        long now = clock.monotonicNanos();
        for (Task t : tasks.values()) {
            if (t.state == Task.State.BLOCKED && t.sleepDeadline != 0 && now >= t.sleepDeadline) t.state = Task.State.RUNNABLE;
        }
        int from = current == null ? 0 : current.pid;
        for (Task t : tasks.tailMap(from, false).values()) if (t.state == Task.State.RUNNABLE && !t.stopped && Freezer.runnable(t)) return t;
        for (Task t : tasks.headMap(from, true).values()) if (t.state == Task.State.RUNNABLE && !t.stopped && Freezer.runnable(t)) return t;
        return null;
    }

    private long earliestDeadline() {
        long best = -1;
        for (Task t : tasks.values()) {
            if (t.state == Task.State.BLOCKED && t.sleepDeadline != 0 && (best < 0 || t.sleepDeadline < best)) best = t.sleepDeadline;
            if (t.state != Task.State.ZOMBIE && t.realTimerDeadline != 0 && (best < 0 || t.realTimerDeadline < best)) best = t.realTimerDeadline;
            if (t.timers != null && t.state != Task.State.ZOMBIE) {
                for (PosixTimer pt : t.timers.values()) {
                    if (pt.base == PosixTimer.ON_MONOTONIC && pt.deadline != 0 && (best < 0 || pt.deadline < best)) best = pt.deadline;
                }
            }
        }
        return best;
    }

    /** icount when the current quantum began (-1 between quanta). */
    private long quantumStart = -1;

    /** CPU time of a task, ns, including the quantum it is running now. */
    public long taskCpuNanos(Task t) {
        long n = t.cpuNanos;
        if (t == current && quantumStart >= 0) n += (cpu.icount - quantumStart) * VirtualClock.NS_PER_INSTRUCTION;
        return n;
    }

    /** CPU time of a process (its whole thread group), ns. */
    public long processCpuNanos(Task t) {
        long n = 0;
        for (Task o : tasks.values()) if (o.tgid == t.tgid) n += taskCpuNanos(o);
        return n;
    }

    /** ITIMER_VIRTUAL and ITIMER_PROF, checked after each quantum of the process's threads. */
    private void fireCpuTimers(Task t) {
        if (t.exited) return;
        Task leader = tasks.getOrDefault(t.tgid, t);
        if (leader.timers != null) {
            long processNow = -1;
            for (PosixTimer pt : leader.timers.values()) {
                if (pt.deadline == 0 || pt.base == PosixTimer.ON_MONOTONIC) continue;
                long now;
                if (pt.base == PosixTimer.ON_THREAD_CPU) {
                    if (pt.clockTid != t.pid) continue;
                    now = taskCpuNanos(t);
                } else {
                    if (processNow < 0) processNow = processCpuNanos(t);
                    now = processNow;
                }
                if (now >= pt.deadline) expire(leader, pt, now);
            }
        }
        if (leader.virtTimerDeadline == 0 && leader.profTimerDeadline == 0) return;
        long cpuNow = processCpuNanos(t);
        if (leader.virtTimerDeadline != 0 && cpuNow >= leader.virtTimerDeadline) {
            leader.virtTimerDeadline = leader.virtTimerInterval == 0 ? 0 : cpuNow + leader.virtTimerInterval;
            sendProcessSignal(leader, SigInfo.user(Signals.SIGVTALRM, 0x80, 0, 0));
        }
        if (leader.profTimerDeadline != 0 && cpuNow >= leader.profTimerDeadline) {
            leader.profTimerDeadline = leader.profTimerInterval == 0 ? 0 : cpuNow + leader.profTimerInterval;
            sendProcessSignal(leader, SigInfo.user(Signals.SIGPROF, 0x80, 0, 0));
        }
    }

    /**
     * A POSIX timer expired (perhaps several periods ago): reload it, and queue its signal,
     * or, while the previous notification is still pending, count the expirations as overrun.
     */
    private void expire(Task leader, PosixTimer pt, long now) {
        long n = 1;
        if (pt.interval > 0) {
            n += (now - pt.deadline) / pt.interval;
            pt.deadline += n * pt.interval;
        } else {
            pt.deadline = 0;
        }
        if (pt.notify == PosixTimer.SIGEV_NONE) return;
        Task target = pt.notify == PosixTimer.SIGEV_THREAD_ID ? tasks.get(pt.tid) : leader;
        if (target == null || target.exited) target = leader;
        boolean toThread = target != leader;
        SigPending set = toThread ? target.signals.pending : target.signals.shared;
        SigInfo queued = set.find(pt.signo, i -> i.code() == SigInfo.SI_TIMER && i.pid() == pt.id);
        if (queued != null) { // one notification per timer in flight, as Linux's preallocated sigqueue
            pt.overrun = (int) Math.min(Integer.MAX_VALUE, pt.overrun + n);
            set.replace(queued, SigInfo.timer(pt.signo, pt.id, pt.overrun, pt.value));
            return;
        }
        pt.overrun = (int) Math.min(Integer.MAX_VALUE, n - 1);
        SigInfo info = SigInfo.timer(pt.signo, pt.id, pt.overrun, pt.value);
        if (toThread) sendSignal(target, info);
        else sendProcessSignal(target, info);
    }

    /** ITIMER_REAL expiries: SIGALRM to the process, then reload or disarm. */
    private void fireTimers() {
        long now = clock.monotonicNanos();
        for (Task t : tasks.values()) {
            if (t.timers != null && t.state != Task.State.ZOMBIE) {
                for (PosixTimer pt : t.timers.values()) {
                    if (pt.base == PosixTimer.ON_MONOTONIC && pt.deadline != 0 && now >= pt.deadline) expire(t, pt, now);
                }
            }
            if (t.realTimerDeadline == 0 || now < t.realTimerDeadline || t.state == Task.State.ZOMBIE) continue;
            t.realTimerDeadline = t.realTimerInterval == 0 ? 0 : now + t.realTimerInterval;
            sendProcessSignal(t, SigInfo.user(Signals.SIGALRM, 0x80 /* SI_KERNEL */, 0, 0));
        }
    }

    /** Puts {@code t} on the CPU: address space, TLS and LDT descriptors, registers, segments, x87. */
    private void switchTo(Task t) {
        if (t == current && !current.exited) return;
        if (current != null && !current.exited && current.state != Task.State.ZOMBIE) current.ctx.saveFrom(cpu);
        current = t;
        if (cpu.cr3 != (int) t.mm.pgd) {
            cpu.cr3 = (int) t.mm.pgd;
            mmu.setCr3(cpu.cr3);
        }
        for (int i = 0; i < 3; i++) gdt.set(Gdt.TLS_MIN + i, t.tls[i]);
        loadLdt(t);
        t.ctx.loadInto(cpu);
        cpu.loadFlatUserSegment(CpuState.CS, Gdt.USER_CS, 0, -1, Gdt.USER_CODE_ATTR);
        for (int sreg : new int[] {CpuState.SS, CpuState.DS, CpuState.ES, CpuState.FS, CpuState.GS}) {
            cpu.seg[sreg] = t.ctx.seg[sreg];
            reloadSegment(sreg);
        }
        cpu.invalidateCodeCache();
        if (t.setChildTid != 0) {
            try { t.mem.writeInt(t.setChildTid, t.pid); } catch (SyscallException ignored) { /* best effort */ }
            t.setChildTid = 0;
        }
    }

    public static final int CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
            CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000,
            CLONE_SYSVSEM = 0x40000, CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000, CLONE_VFORK = 0x4000;

    /** fork and vfork: a new process that is a copy of {@code parent}. */
    public Task fork(Task parent) {
        return clone(parent, 0, 0, 0, 0, 0);
    }

    /**
     * clone: a new process (copy-on-write address space) or, with CLONE_VM|CLONE_THREAD, a new
     * thread sharing the address space, and per flag the fd table, fs context and signal
     * handlers. The child starts after the system call with EAX = 0.
     */
    public Task clone(Task parent, int flags, int stack, int ptid, int tlsDesc, int ctid) {
        boolean thread = (flags & CLONE_THREAD) != 0;
        if (thread && (flags & CLONE_SIGHAND) == 0) throw new SyscallException(Errno.EINVAL);
        if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0) throw new SyscallException(Errno.EINVAL);
        org.j386.kernel.sys.NamespaceSyscalls.checkClone(parent, flags);
        if (tasks.size() >= config.maxProcesses) {
            // the machine's task limit (--max-processes), as RLIMIT_NPROC: fork fails, the guest decides
            if (!taskLimitReported) {
                taskLimitReported = true;
                hostMessage("guest reached --max-processes " + config.maxProcesses + " (tasks, zombies included): fork and clone fail with EAGAIN");
            }
            throw new SyscallException(Errno.EAGAIN);
        }
        Task c = new Task(this);
        org.j386.kernel.sys.NamespaceSyscalls.cloneInto(parent, c, flags);
        c.pid = nextPid++;
        c.tgid = thread ? parent.tgid : c.pid;
        Task p = thread || (flags & CLONE_PARENT) != 0 ? parent.parent : parent;
        c.ppid = thread ? parent.ppid : parent.tgid;
        c.pgid = parent.pgid;
        c.sid = parent.sid;
        c.ctty = parent.ctty;
        c.nice = parent.nice;
        c.schedPolicy = parent.schedPolicy;
        c.schedPriority = parent.schedPriority;
        c.comm = parent.comm;
        c.parent = p;
        if (p != null && !thread) p.children.add(c);
        c.uid = parent.uid; c.euid = parent.euid; c.suid = parent.suid; c.fsuid = parent.fsuid;
        c.gid = parent.gid; c.egid = parent.egid; c.sgid = parent.sgid; c.fsgid = parent.fsgid;
        c.groups = parent.groups.clone();
        c.exe = parent.exe;
        System.arraycopy(parent.rlimCur, 0, c.rlimCur, 0, c.rlimCur.length);
        System.arraycopy(parent.rlimMax, 0, c.rlimMax, 0, c.rlimMax.length);
        SignalState ps = parent.signals, cs = c.signals;
        if ((flags & CLONE_SIGHAND) != 0) {
            cs.shareHandlers(ps);
        } else {
            System.arraycopy(ps.handler, 0, cs.handler, 0, ps.handler.length);
            System.arraycopy(ps.flags, 0, cs.flags, 0, ps.flags.length);
            System.arraycopy(ps.restorer, 0, cs.restorer, 0, ps.restorer.length);
            System.arraycopy(ps.mask, 0, cs.mask, 0, ps.mask.length);
        }
        cs.blocked = ps.blocked;
        if (thread) cs.shared = ps.shared;
        if (!thread) { cs.altStackBase = ps.altStackBase; cs.altStackSize = ps.altStackSize; cs.altStackFlags = ps.altStackFlags; }
        c.fs = (flags & CLONE_FS) != 0 ? parent.fs : parent.fs.copy();
        c.files = (flags & CLONE_FILES) != 0 ? parent.files : parent.files.copy();
        if ((flags & CLONE_VM) != 0) {
            c.mm = parent.mm;
            c.mm.users++;
            c.mem = parent.mem;
            c.ldtPa = parent.ldtPa;
            c.ldtEntries = parent.ldtEntries;
        } else {
            c.mm = parent.mm.fork(kernelPgd);
            c.mem = userMemory(c);
            if (parent.ldtPa != 0) {
                long pa = frames.allocContiguous(org.j386.kernel.sys.LdtSyscalls.LDT_PAGES);
                if (pa < 0) throw new SyscallException(Errno.ENOMEM);
                ram.copy(parent.ldtPa, pa, (long) org.j386.kernel.sys.LdtSyscalls.LDT_PAGES << 12);
                c.ldtPa = pa;
                c.ldtEntries = parent.ldtEntries;
            }
        }
        System.arraycopy(parent.tls, 0, c.tls, 0, 3);
        if ((flags & CLONE_SETTLS) != 0) installTls(c, parent.mem, tlsDesc);
        c.ctx.saveFrom(cpu);
        c.ctx.r[CpuState.EAX] = 0;
        if (stack != 0) c.setStackPointer(stack);
        if ((flags & CLONE_PARENT_SETTID) != 0) parent.mem.writeInt(ptid, c.pid);
        if ((flags & CLONE_CHILD_SETTID) != 0) c.setChildTid = ctid;
        if ((flags & CLONE_CHILD_CLEARTID) != 0) c.clearChildTid = ctid;
        tasks.put(c.pid, c);
        freezer.forked(parent, c);
        if ((flags & CLONE_VFORK) != 0) {
            // the parent sleeps, once its call has returned, until the child execs or exits
            c.vforkParent = parent;
            parent.vforkChild = c;
        }
        return c;
    }

    /** The vfork child execs or exits: its parent resumes. */
    private void releaseVforkParent(Task child) {
        Task p = child.vforkParent;
        if (p == null) return;
        child.vforkParent = null;
        if (p.vforkChild == child) {
            p.vforkChild = null;
            if (p.state == Task.State.BLOCKED && !p.inRestart) p.state = Task.State.RUNNABLE;
        }
    }

    /**
     * set_thread_area for {@code t}: reads a struct user_desc through {@code mem} (the
     * caller's memory), picks a free TLS slot for entry -1 and writes the slot back.
     */
    public void installTls(Task t, UserMemory mem, int uinfo) {
        int entry = mem.readInt(uinfo);
        int base = mem.readInt(uinfo + 4);
        int limit = mem.readInt(uinfo + 8);
        int flags = mem.readInt(uinfo + 12);
        if (entry == -1) {
            for (int i = 0; i < 3; i++) if (t.tls[i] == 0) { entry = Gdt.TLS_MIN + i; break; }
            if (entry == -1) throw new SyscallException(Errno.ESRCH);
            mem.writeInt(uinfo, entry);
        }
        if (entry < Gdt.TLS_MIN || entry > Gdt.TLS_MAX) throw new SyscallException(Errno.EINVAL);
        long desc = Gdt.fromUserDesc(base, limit, flags);
        t.tls[entry - Gdt.TLS_MIN] = desc;
        if (t == current) {
            gdt.set(entry, desc);
            for (int s = 0; s < 6; s++) if ((cpu.seg[s] >>> 3) == entry && (cpu.seg[s] & 4) == 0) reloadSegment(s);
        }
    }

    /** Ends a task with a normal exit status. */
    public void exit(Task t, int status) {
        if (strace != null && t != init) strace.line("+++ " + t.pid + " exited with " + (status & 0xff) + " +++");
        finish(t, (status & 0xff) << 8);
        if (t == init) exitStatus = status & 0xff;
    }

    /** Ends a task by signal (default action of a fatal signal). */
    public void killBySignal(Task t, int sig) {
        t.killedBy = sig;
        if (strace != null) strace.line("+++ " + (t == init ? "" : t.pid + " ") + "killed by " + Signals.name(sig)
                + (Signals.coreByDefault(sig) ? " (core dumped)" : "") + " +++");
        exitGroup(t, sig | (Signals.coreByDefault(sig) ? 0x80 : 0));
        if (t.tgid == init.tgid) exitStatus = 128 + sig;
    }

    /** exit_group and fatal signals: every thread of the group ends; the leader carries the status. */
    public void exitGroup(Task t, int waitStatus) {
        for (Task other : new java.util.ArrayList<>(tasks.values())) {
            if (other.tgid == t.tgid && other != t && !other.exited) finishThread(other);
        }
        Task leader = tasks.get(t.tgid);
        if (leader != null && leader != t && !leader.exited) {
            finishThread(t);
            t = leader;
        }
        finish(t, waitStatus);
    }

    /** A thread (not the group leader) ends: no zombie, nobody waits for it. */
    private void finishThread(Task t) {
        t.exited = true;
        releaseVforkParent(t);
        t.state = Task.State.ZOMBIE;
        exitRobustList(t);
        clearChildTid(t);
        org.j386.kernel.ipc.IpcExit.exit(this, t); // the last user of a shared SEM_UNDO list applies it
        if (--t.mm.users == 0) destroyMm(t);
        if (t == current) cpu.stopRequested = true;
        tasks.remove(t.pid);
    }

    static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff, ROBUST_LIST_LIMIT = 2048;

    /**
     * set_robust_list at exit, as Linux's exit_robust_list: every lock on the task's list
     * (and the one it was taking or releasing, list_op_pending) whose futex word still names
     * the task as owner gets FUTEX_OWNER_DIED, keeping FUTEX_WAITERS, and one waiter is woken
     * (it then sees EOWNERDEAD). Read through the running task's page tables, so only for a
     * task of the current address space (its own exit, or its process's exit_group).
     */
    private void exitRobustList(Task t) {
        if (t.robustList == 0 || t.mm == null || current == null || t.mm != current.mm) return;
        try {
            int head = t.robustList;
            int entry = current.mem.readInt(head), offset = current.mem.readInt(head + 4), pending = current.mem.readInt(head + 8) & ~1;
            for (int n = 0; (entry & ~1) != head && entry != 0 && n < ROBUST_LIST_LIMIT; n++) {
                int e = entry & ~1, next = current.mem.readInt(e);
                if (e != pending) robustDeath(t, e + offset);
                entry = next;
            }
            if (pending != 0) robustDeath(t, pending + offset);
        } catch (SyscallException ignored) {
            // as Linux: a bad list ends the walk
        }
    }

    private void robustDeath(Task t, int uaddr) {
        int v = current.mem.readInt(uaddr);
        if ((v & FUTEX_TID_MASK) != t.pid) return;
        current.mem.writeInt(uaddr, (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
        if ((v & FUTEX_WAITERS) != 0) futexes.wake(this, current.mem.phys(uaddr, false), 1, -1);
    }

    /** CLONE_CHILD_CLEARTID: zero the tid word and wake one futex waiter on it (pthread_join). */
    private void clearChildTid(Task t) {
        if (t.clearChildTid == 0 || t.mm == null) return;
        try {
            if (t == current) {
                t.mem.writeInt(t.clearChildTid, 0);
                futexes.wake(this, t.mem.phys(t.clearChildTid, false), 1, -1);
            }
        } catch (SyscallException ignored) {
            // as Linux: best effort
        }
    }

    public final Futexes futexes = new Futexes();

    /** Queues {@code t} on a futex (before it blocks). */
    public void futexAdd(Task t, long key, int bitset) {
        futexes.remove(t);
        futexes.add(t, key, bitset);
    }

    /** Takes a task off every futex queue (its wait timed out). */
    public void futexCancel(Task t) {
        futexes.remove(t);
    }

    public int futexRequeue(long from, long to, int n) {
        return futexes.requeue(from, to, n);
    }

    /** exit_group(code): every thread of the caller's group ends. */
    public void exitGroupWithCode(Task t, int code) {
        boolean initGroup = t.tgid == init.tgid;
        exitGroup(t, (code & 0xff) << 8);
        if (initGroup) exitStatus = code & 0xff;
    }

    /** The common end of a task: release its resources, become a zombie for the parent, reparent children. */
    private void finish(Task t, int waitStatus) {
        if (t.exited) return;
        if (t.tgid != t.pid) { // a thread's own exit()
            finishThread(t);
            return;
        }
        t.exited = true;
        releaseVforkParent(t);
        if (t.ctty != null && t.sid == t.pid) t.ctty.disassociate(t.sid); // the controlling process hangs up its terminal
        t.exitStatus = waitStatus >> 8;
        t.waitStatus = waitStatus;
        t.state = Task.State.ZOMBIE;
        exitRobustList(t);
        clearChildTid(t);
        t.files.closeAll();
        org.j386.kernel.ipc.IpcExit.exit(this, t);
        if (t == current) cpu.stopRequested = true;
        for (Task child : t.children) {
            child.parent = init != t ? init : null;
            child.ppid = init != t ? init.tgid : 0;
            if (init != t) init.children.add(child);
        }
        t.children.clear();
        if (t == init) {
            halted = true;
            return;
        }
        destroyMm(t);
        releaseLdt(t);
        Task p = t.parent;
        if (p != null && !p.exited) {
            p.childExit.wakeAll();
            int sig = waitStatus & 0x7f;
            sendProcessSignal(p, sig == 0 ? SigInfo.child(SigInfo.CLD_EXITED, t.tgid, t.uid, (waitStatus >> 8) & 0xff)
                    : SigInfo.child((waitStatus & 0x80) != 0 ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED, t.tgid, t.uid, sig));
        }
    }

    /** Frees an address space; the page directory in CR3 is swapped out first if it is the live one. */
    private void destroyMm(Task t) {
        if (t.mm == null) return;
        if (t.mm.users > 0 && t.tgid == t.pid && --t.mm.users > 0) { t.mm = null; return; }
        if (t == current) {
            cpu.cr3 = (int) kernelPgd;
            mmu.setCr3(cpu.cr3);
        }
        t.mm.destroy();
        t.mm = null;
    }

    /** Drops the task's LDT (execve, exit): its frames go back unless a thread still shares them. */
    private void releaseLdt(Task t) {
        if (t.ldtPa == 0) return;
        boolean shared = false;
        for (Task o : tasks.values()) if (o != t && o.ldtPa == t.ldtPa && !o.exited) shared = true;
        if (!shared) for (int i = 0; i < org.j386.kernel.sys.LdtSyscalls.LDT_PAGES; i++) frames.release(t.ldtPa + ((long) i << 12));
        t.ldtPa = 0;
        t.ldtEntries = 0;
    }

    /** Removes a reaped zombie. */
    public void reap(Task zombie) {
        tasks.remove(zombie.pid);
        if (zombie.parent != null) zombie.parent.children.remove(zombie);
    }

    /**
     * Gives the current task a new, empty address space and a clean user context, dropping
     * its old memory, TLS and LDT (execve, and a restart into the calling task).
     */
    public void freshImage(Task t) {
        Mm old = t.mm;
        newAddressSpace(t);
        java.util.Arrays.fill(t.tls, 0);
        for (int i = 0; i < 3; i++) gdt.set(Gdt.TLS_MIN + i, 0);
        releaseLdt(t);
        loadLdt(t);
        enterUserMode(t);
        if (--old.users == 0) old.destroy();
    }

    /** Replaces the current task's program (execve) with {@code elf}; called with the task on the CPU. */
    public void exec(Task t, ElfImage elf, String execPath, List<String> argv, List<String> envp) throws ElfFormatException {
        if (elf.interpreter != null) throw new ElfFormatException("dynamically linked");
        freshImage(t);
        loadProgram(t, elf, execPath, argv, envp);
        SignalState s = t.signals;
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            if (s.handler[sig] != Signals.SIG_IGN) s.handler[sig] = Signals.SIG_DFL;
            s.flags[sig] = 0;
            s.restorer[sig] = 0;
            s.mask[sig] = 0;
        }
        s.altStackBase = s.altStackSize = 0;
        s.altStackFlags = 2;
        t.files.closeOnExec();
        String base = execPath.substring(execPath.lastIndexOf('/') + 1);
        t.comm = base.length() > 15 ? base.substring(0, 15) : base;
        t.clearChildTid = 0;
        t.robustList = 0;
        t.timers = null; // POSIX timers do not survive execve
        releaseVforkParent(t);
    }

    public boolean halted() { return halted; }

    // ---- traps and signals ----

    private final SignalDelivery signalDelivery = new SignalDelivery(this);
    /** Stopping and continuing process groups (SIGSTOP, SIGTSTP, SIGCONT). */
    public final JobControl jobs = new JobControl(this);

    @Override
    public void interrupt(Cpu c, int vector) {
        if (vector == 0x80) {
            syscall();
            return;
        }
        if (vector == 3 || vector == 1) {
            forceSignal(SigInfo.fault(Signals.SIGTRAP, vector == 3 ? SigInfo.SI_KERNEL : SigInfo.TRAP_BRKPT, 0, vector, 0, 0),
                    "int" + (vector == 3 ? "3" : "1"), c.eip);
            return;
        }
        if (vector == 4) {
            forceSignal(SigInfo.fault(Signals.SIGSEGV, SigInfo.SI_KERNEL, 0, 4, 0, 0), "into overflow", c.eip);
            return;
        }
        // every other gate has DPL 0: #GP(vector*8+2), reported at the INT instruction
        c.eip = c.opStart;
        forceSignal(SigInfo.fault(Signals.SIGSEGV, SigInfo.SI_KERNEL, 0, Fault.GP, vector * 8 + 2, 0),
                "int 0x" + Integer.toHexString(vector) + " (general protection)", c.opStart);
    }

    @Override
    public void exception(Cpu c, Fault f) {
        Task t = current;
        int eip = c.eip;
        int err = f.hasErrorCode ? f.errorCode : 0;
        switch (f.vector) {
            case Fault.PF: {
                boolean user = (f.errorCode & 4) != 0;
                boolean write = (f.errorCode & 2) != 0;
                if (user && t.mm.handleFault(f.cr2 & 0xffffffffL, write)) return;
                if (user && t.mm.outOfMemory) {
                    // as Linux's OOM killer: the faulting process goes, the machine stays up
                    hostMessage("out of guest memory (" + (config.ramBytes >> 20) + " MiB, --ram/--memory): killed process "
                            + t.tgid + " (" + t.comm + ")");
                    killBySignal(t, Signals.SIGKILL);
                    return;
                }
                boolean protection = (f.errorCode & 1) != 0 || t.mm.find(f.cr2 & 0xffffffffL) != null;
                forceSignal(SigInfo.fault(Signals.SIGSEGV, protection ? SigInfo.SEGV_ACCERR : SigInfo.SEGV_MAPERR, f.cr2, Fault.PF, err, f.cr2),
                        String.format("page fault at 0x%08x (%s, %s)", f.cr2, write ? "write" : "read",
                                protection ? "protection" : "not mapped"), eip);
                return;
            }
            case Fault.UD:
                forceSignal(SigInfo.fault(Signals.SIGILL, SigInfo.ILL_ILLOPN, eip, Fault.UD, 0, 0), "invalid opcode", eip);
                return;
            case Fault.DE:
                forceSignal(SigInfo.fault(Signals.SIGFPE, SigInfo.FPE_INTDIV, eip, Fault.DE, 0, 0), "divide error", eip);
                return;
            case Fault.MF:
                forceSignal(SigInfo.fault(Signals.SIGFPE, SigInfo.FPE_FLTINV, eip, Fault.MF, 0, 0), "x87 floating-point exception", eip);
                return;
            case Fault.AC:
                forceSignal(SigInfo.fault(Signals.SIGBUS, SigInfo.BUS_ADRALN, 0, Fault.AC, err, 0), "alignment check", eip);
                return;
            case Fault.NP: case Fault.SS: // as Linux's do_segment_not_present and do_stack_segment
                forceSignal(SigInfo.fault(Signals.SIGBUS, SigInfo.SI_KERNEL, 0, f.vector, err, 0),
                        (f.vector == Fault.NP ? "segment not present" : "stack segment fault") + " error 0x" + Integer.toHexString(err), eip);
                return;
            case Fault.DB: // single step (TF) or a debug register: Linux says TRAP_TRACE for the step
                forceSignal(SigInfo.fault(Signals.SIGTRAP, SigInfo.TRAP_TRACE, eip, f.vector, 0, 0), "debug trap", eip);
                return;
            case Fault.BP:
                forceSignal(SigInfo.fault(Signals.SIGTRAP, SigInfo.TRAP_BRKPT, eip, f.vector, 0, 0), "breakpoint", eip);
                return;
            default:
                forceSignal(SigInfo.fault(Signals.SIGSEGV, SigInfo.SI_KERNEL, 0, f.vector, err, 0),
                        "exception " + f.vector + (f.hasErrorCode ? " error 0x" + Integer.toHexString(f.errorCode) : ""), eip);
        }
    }

    /**
     * A synchronous signal from a fault. As Linux's force_sig_fault: a blocked or ignored
     * signal is unblocked and reset to its default action first, so the task cannot run on
     * past the fault.
     */
    private void forceSignal(SigInfo info, String what, int eip) {
        Task t = current;
        int sig = info.signo();
        if (strace != null) {
            strace.line("--- " + Signals.name(sig) + " (" + what + ") at eip=0x" + String.format("%08x", eip)
                    + " bytes: " + instructionBytes(eip) + " ---");
        }
        SignalState s = t.signals;
        boolean blocked = ((s.blocked >>> (sig - 1)) & 1) != 0;
        if (blocked || s.handler[sig] == Signals.SIG_IGN) {
            s.blocked &= ~(1L << (sig - 1));
            s.handler[sig] = Signals.SIG_DFL;
        }
        act(t, info);
    }

    /** Sends a signal to one thread (tkill, tgkill, SIGPIPE, a fault's signal): pending until it unblocks it. */
    public void sendSignal(Task t, SigInfo info) {
        post(t, info, false);
    }

    /**
     * Sends a signal to the process of {@code t} (kill, sigqueue, timers, SIGCHLD, the
     * terminal): it waits in the set the threads share, and the first thread that does not
     * block it takes it — {@code t} itself if it can, as Linux's complete_signal prefers.
     */
    public void sendProcessSignal(Task t, SigInfo info) {
        post(t, info, true);
    }

    private void post(Task t, SigInfo info, boolean toProcess) {
        int sig = info.signo();
        int h = t.signals.handler[sig];
        if (sig == Signals.SIGCONT) jobs.continued(t);               // even when ignored or blocked
        else if (Signals.stopsByDefault(sig)) jobs.dropPendingContinue(t);
        if (sig == Signals.SIGKILL) {
            killBySignal(t, sig);
            return;
        }
        if (sig == Signals.SIGSTOP) {
            jobs.stop(t, sig);
            return;
        }
        long bit = 1L << (sig - 1);
        // as Linux's sig_ignored: a blocked signal (or one a sigtimedwait waits for) is queued even if ignored
        boolean held = (t.signals.blocked & bit) != 0 || (t.sigwaitMask & bit) != 0;
        if (!held && (h == Signals.SIG_IGN || (h == Signals.SIG_DFL && Signals.ignoredByDefault(sig)))) return;
        SigPending set = toProcess ? t.signals.shared : t.signals.pending;
        if (!set.add(info, t.rlimCur[Task.RLIMIT_SIGPENDING])) return;
        if (wake(t, bit) || !toProcess) return;
        for (Task o : tasks.values()) if (o.tgid == t.tgid && o != t && wake(o, bit)) return;
    }

    /**
     * Wakes {@code t} for a new pending signal if it would take it: not blocked (the system
     * call it sleeps in restarts after the handler, SA_RESTART semantics), or awaited by its
     * sigtimedwait. Returns whether the thread will take the signal.
     */
    private boolean wake(Task t, long bit) {
        if (t.exited || t.state == Task.State.ZOMBIE) return false;
        boolean takes = (t.signals.blocked & bit) == 0 || (t.sigwaitMask & bit) != 0;
        if (takes && t.state == Task.State.BLOCKED && t.vforkChild == null) t.state = Task.State.RUNNABLE;
        return takes;
    }

    /**
     * Delivers pending unblocked signals on the way back to user mode. As Linux, it goes on
     * while one is deliverable under the mask the last handler's frame set: each further
     * handler's frame goes on top of the previous one, so the last signal taken runs first.
     */
    private void deliverPending(Task t) {
        for (int frames = 0; frames < 1 << 16; frames++) {
            int sig = nextSignal(t, ~t.signals.blocked);
            if (sig == 0 || halted || t.exited || t.stopped) return;
            if (t.inRestart && t == current) {
                // the task was parked in a system call: a handler either restarts it (SA_RESTART)
                // or makes it return EINTR; pause and sigsuspend always return EINTR
                int h = t.signals.handler[sig];
                boolean handled = h != Signals.SIG_DFL && h != Signals.SIG_IGN;
                if (handled) {
                    boolean restart = (t.signals.flags[sig] & SignalState.SA_RESTART) != 0 && !t.interruptOnly;
                    if (!restart) {
                        t.sigwaitMask = 0;
                        cpu.r[CpuState.EAX] = -Errno.EINTR;
                        cpu.eip += 2; // past int 0x80
                        t.sleepDeadline = 0;
                        futexes.remove(t);
                    }
                    t.inRestart = false;
                    t.interruptOnly = false;
                }
            }
            SigInfo info = takeSignal(t, sig);
            if (strace != null) strace.line("--- " + Signals.name(sig) + " delivered ---");
            act(t, info);
        }
    }

    private static final long SYNCHRONOUS = (1L << (Signals.SIGSEGV - 1)) | (1L << (Signals.SIGBUS - 1)) | (1L << (Signals.SIGILL - 1))
            | (1L << (Signals.SIGTRAP - 1)) | (1L << (Signals.SIGFPE - 1)) | (1L << (Signals.SIGSYS - 1));

    /**
     * The signal of {@code set} that {@code t} takes next (0: none), in Linux's dequeue order:
     * the thread's own before its process's, and among its own a fault's signal first, else
     * the lowest number.
     */
    public static int nextSignal(Task t, long set) {
        long own = t.signals.pending.mask() & set;
        long sync = own & SYNCHRONOUS;
        long pick = sync != 0 ? sync : own != 0 ? own : t.signals.shared.mask() & set;
        return pick == 0 ? 0 : Long.numberOfTrailingZeros(pick) + 1;
    }

    /** Takes the oldest instance of {@code sig} pending for {@code t}: its own first, then its process's. */
    public static SigInfo takeSignal(Task t, int sig) {
        SigInfo info = t.signals.pending.take(sig);
        if (info == null) info = t.signals.shared.take(sig);
        return info != null ? info : SigInfo.user(sig, SigInfo.SI_KERNEL, 0, 0);
    }

    /** Runs the disposition of a signal now: the handler's frame, or the default action. */
    private void act(Task t, SigInfo info) {
        int sig = info.signo();
        int h = t.signals.handler[sig];
        if (h == Signals.SIG_IGN) return;
        if (h == Signals.SIG_DFL) {
            if (Signals.ignoredByDefault(sig)) return;
            if (Signals.stopsByDefault(sig)) {
                // the terminal's stop signals are discarded in an orphaned process group (POSIX)
                if (sig == Signals.SIGSTOP || !jobs.orphanedGroup(t.pgid)) jobs.stop(t, sig);
                return;
            }
            killBySignal(t, sig);
            return;
        }
        if (!signalDelivery.deliver(t, info)) {
            if (strace != null) strace.line("--- cannot write the signal frame: SIGSEGV ---");
            killBySignal(t, Signals.SIGSEGV);
        }
        cpu.invalidateCodeCache();
    }

    public int sigreturn(Task t, boolean rt) {
        int ret = rt ? signalDelivery.rtSigreturn(t) : signalDelivery.sigreturn(t);
        cpu.invalidateCodeCache();
        return ret;
    }

    private String instructionBytes(int eip) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            long pa = mmu.peek(eip + i);
            if (pa < 0 || !ram.contains(pa, 1)) { if (i == 0) sb.append("(unmapped)"); break; }
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02x", ram.readByte(pa)));
        }
        return sb.toString();
    }

    private void syscall() {
        Task t = current;
        int[] r = cpu.r;
        int nr = r[CpuState.EAX];
        SyscallTable.Entry e = syscalls.get(nr);
        String call = null;
        if (strace != null) {
            int[] a = straceArgs;
            a[0] = r[CpuState.EBX]; a[1] = r[CpuState.ECX]; a[2] = r[CpuState.EDX];
            a[3] = r[CpuState.ESI]; a[4] = r[CpuState.EDI]; a[5] = r[CpuState.EBP];
            call = strace.formatCall(t, e, nr, a);
            if (e != null && (nr == 1 || nr == 252)) strace.line(call + " = ?");
        }
        int ret;
        if (e == null) {
            ret = -Errno.ENOSYS;
        } else {
            try {
                ret = e.handler().call(t, r[CpuState.EBX], r[CpuState.ECX], r[CpuState.EDX], r[CpuState.ESI], r[CpuState.EDI], r[CpuState.EBP]);
            } catch (SyscallException ex) {
                ret = -ex.errno;
            } catch (BlockedException b) {
                // sleep, and run this system call again when woken
                if (b.queue != null) b.queue.add(t);
                t.inRestart = true;
                t.state = Task.State.BLOCKED;
                cpu.eip = cpu.opStart;
                cpu.stopRequested = true;
                if (call != null) strace.line(call + " = ? (blocked)");
                if ((t.signals.pendingMask() & ~t.signals.blocked) != 0) { // e.g. unblocked by sigsuspend/ppoll's mask
                    t.state = Task.State.RUNNABLE;
                    deliverPending(t);
                }
                return;
            }
        }
        if (t.exited || halted) return;
        t.inRestart = false;
        t.interruptOnly = false;
        t.sigwaitMask = 0;
        r[CpuState.EAX] = ret;
        if (t.vforkChild != null) { // vfork: the call is done; the caller waits for the child's exec or exit
            t.state = Task.State.BLOCKED;
            cpu.stopRequested = true;
        }
        if (call != null) strace.result(call, ret, e != null && e.format().endsWith("=p"));
        if (ret == -Errno.EPIPE && (nr == 4 || nr == 146)) sendSignal(t, SigInfo.user(Signals.SIGPIPE, SigInfo.SI_USER, t.tgid, t.uid));
        if (t.signals.pendingMask() != 0) deliverPending(t);
    }

    /**
     * Points LDTR at the task's LDT, as LLDT would: the CPU reads LDT descriptors through
     * the kernel's mapping of physical memory.
     */
    public void loadLdt(Task t) {
        if (t.ldtPa == 0) {
            cpu.ldtSel = cpu.ldtBase = cpu.ldtLimit = 0;
            return;
        }
        cpu.ldtSel = LDT_SELECTOR;
        cpu.ldtBase = (int) (PAGE_OFFSET + t.ldtPa);
        cpu.ldtLimit = t.ldtEntries * 8 - 1;
    }

    /** The selector LDTR shows while a task has an LDT (the descriptor itself is not needed: the kernel loads LDTR directly). */
    static final int LDT_SELECTOR = 17 << 3;

    /** Reloads a segment register after its descriptor changed (TLS), or nulls it if now invalid. */
    public void reloadSegment(int sreg) {
        cpu.reloadSegment(sreg);
    }

    @Override
    public void close() {
        ram.close();
    }
}
