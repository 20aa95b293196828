package org.j386.checkpoint;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.cpu.fpu.Fpu;
import org.j386.kernel.CpuContext;
import org.j386.kernel.Gdt;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.PosixTimer;
import org.j386.kernel.SigInfo;
import org.j386.kernel.SignalState;
import org.j386.kernel.Signals;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.fs.FdTable;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.fs.Pipe;
import org.j386.kernel.mm.Vma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds a task from a validated image in a fresh kernel. Anything that does not fit (a
 * file that changed or vanished, memory that cannot be had) aborts the whole restart with
 * one message, and the half-built machine is discarded: no partial process ever runs.
 * Credentials follow the series' rule: a restart never gives more than the caller has, so
 * the saved ids are restored only when the caller is root; otherwise the task runs as the
 * caller.
 */
public final class Restorer {
    /** A restart that cannot be completed. */
    public static final class RestoreException extends Exception {
        public RestoreException(String message) {
            super(message, null, false, false);
        }
    }

    private Restorer() {}

    /** Builds a kernel whose first task is the image's, ready to {@link Kernel#run}. */
    public static Kernel restore(ImageData img, KernelConfig cfg) throws RestoreException {
        cfg.bootEpochNanos = img.header.bootEpochNanos;
        if (img.objects.tty != null) cfg.ttyConsole = true; // the guest had the console as its terminal
        Kernel k = new Kernel(cfg);
        try {
            build(k, img, cfg);
            return k;
        } catch (RestoreException e) {
            k.close();
            throw e;
        } catch (SyscallException e) {
            k.close();
            throw new RestoreException("cannot restore: " + e.getMessage());
        } catch (RuntimeException e) {
            k.close();
            throw new RestoreException("cannot restore: " + e);
        }
    }

    /**
     * Rebuilds the tree: the image's root becomes the machine's first task (on the CPU), the
     * other tasks get their original pids, parents, groups and sessions; threads share their
     * process's address space, and tasks share the descriptor tables, signal handlers, open
     * files and pipes they shared at checkpoint time.
     */
    private static void build(Kernel k, ImageData img, KernelConfig cfg) throws RestoreException {
        preflight(img, cfg.root);
        ImageData.TaskImage rootImg = img.root;
        Task root = k.startEmpty();
        k.renumber(root, rootImg.task.pid, rootImg.task.tgid, rootImg.task.pgid, rootImg.task.sid);
        Map<Integer, Task> byPid = new HashMap<>();
        byPid.put(root.pid, root);
        for (ImageData.TaskImage ti : img.tasks) {
            if (ti == rootImg) continue;
            ImageData.TaskRec tr = ti.task;
            byPid.put(tr.pid, k.restoredTask(tr.pid, tr.tgid, tr.pgid, tr.sid));
        }
        Shared shared = new Shared(k, img);
        for (ImageData.TaskImage ti : img.tasks) {
            Task t = byPid.get(ti.task.pid);
            Task parent = byPid.get(ti.task.ppid);
            if (ti != rootImg && ti.task.pid == ti.task.tgid && parent != null) parent.children.add(t);
            t.parent = ti == rootImg ? null : parent;
            t.ppid = ti == rootImg ? 0 : ti.task.ppid;
            Task leader = byPid.get(ti.task.tgid);
            if (t != leader) t.parent = leader.parent;
            fillTask(k, t, ti, leader, shared, Creds.of(cfg.uid, cfg.gid));
        }
        shared.ipc.finish();
        shared.objects.finish();
        restoreCpu(k, rootImg.cpu);
        k.cpu.icount = img.header.icount;
        k.clock.setSkippedNanos(img.header.skippedNanos);
    }

    /**
     * Queues the saved pending signals in their order: the thread's own and (on a leader) its
     * process's. A signal pending without a SIGINFO record gets the kernel's siginfo.
     */
    private static void restorePending(SignalState s, long ownMask, java.util.List<ImageData.SigInfoRec> infos) {
        for (ImageData.SigInfoRec r : infos) {
            SigInfo i = new SigInfo(r.signo, r.code, r.addr, r.pid, r.uid, r.trapno, r.err, r.cr2, r.status);
            (r.set == 0 ? s.pending : s.shared).add(i, Long.MAX_VALUE);
        }
        long missing = ownMask & ~s.pending.mask();
        while (missing != 0) {
            int sig = Long.numberOfTrailingZeros(missing) + 1;
            missing &= missing - 1;
            s.pending.add(SigInfo.user(sig, SigInfo.SI_KERNEL, 0, 0), Long.MAX_VALUE);
        }
    }

    /** The objects tasks share, built once each: address spaces (with the LDT), handlers, descriptor tables, files, pipes. */
    static final class Shared {
        final Kernel k;
        final ImageData img;
        final Map<Integer, Task> mmOwner = new HashMap<>();
        final Map<Integer, Task> sighandOwner = new HashMap<>();
        final Map<Integer, Task> tableOwner = new HashMap<>();
        final Map<Integer, OpenFile> files = new HashMap<>();
        final Map<Integer, Pipe> pipes = new HashMap<>();
        final Map<Integer, org.j386.kernel.fs.FsContext> fsContexts = new HashMap<>();
        final ObjectRestorer objects;
        final FdTable consoles;
        final IpcRestorer ipc;

        Shared(Kernel k, ImageData img) throws RestoreException {
            this.k = k;
            this.img = img;
            try {
                img.tmpfs.restore(k.files()); // /tmp first: open tmpfs files refer to its nodes
            } catch (IllegalArgumentException e) {
                throw new RestoreException("tmpfs: " + e.getMessage());
            }
            this.consoles = FdTable.withConsole(k);
            this.ipc = new IpcRestorer(k, img.ipc, true); // shared frames, namespaces and SysV objects before the address spaces
            this.objects = new ObjectRestorer(k, img);
        }

        Pipe pipe(int id) {
            return pipes.computeIfAbsent(id, x -> Pipe.withContents(img.pipes.get(x), 60000 + x));
        }
    }

    static void fillTask(Kernel k, Task t, ImageData.TaskImage ti, Task leader, Shared sh, Creds caller)
            throws RestoreException {
        ImageData.TaskRec tr = ti.task;
        identity(t, tr, caller);
        Integer fsId = sh.img.objects.fsIds.get(tr.pid);
        if (fsId != null) t.fs = sh.fsContexts.computeIfAbsent(fsId, x -> t.fs); // CLONE_FS: one context again
        t.waitStatus = tr.waitStatus;
        t.exitStatus = tr.waitStatus >> 8 & 0xff;
        t.killedBy = tr.waitStatus & 0x7f;
        t.stopSignal = tr.stopSignal;
        t.stopped = (tr.flags & ImageData.T_STOPPED) != 0;
        t.stopUnreported = (tr.flags & ImageData.T_STOP_UNREPORTED) != 0;
        t.continueUnreported = (tr.flags & ImageData.T_CONT_UNREPORTED) != 0;
        t.cpuNanos = tr.cpuNanos;
        t.realTimerDeadline = tr.realDeadline; t.realTimerInterval = tr.realInterval;
        t.virtTimerDeadline = tr.virtDeadline; t.virtTimerInterval = tr.virtInterval;
        t.profTimerDeadline = tr.profDeadline; t.profTimerInterval = tr.profInterval;
        if ((tr.flags & ImageData.T_CONSOLE_CTTY) != 0 && k.console != null) t.ctty = k.console;
        if (tr.zombie) {
            // an exited process waiting for its parent: no memory, no files
            t.exited = true;
            t.state = Task.State.ZOMBIE;
            t.mm.destroy();
            t.mm = null;
            t.files = new FdTable();
            return;
        }
        // a task parked in a blocking system call runs it again; the virtual clock resumes
        // where it was, so saved deadlines keep their meaning
        t.inRestart = (tr.flags & ImageData.T_IN_RESTART) != 0;
        t.interruptOnly = (tr.flags & ImageData.T_INTERRUPT_ONLY) != 0;
        t.futexWoken = (tr.flags & ImageData.T_FUTEX_WOKEN) != 0;
        t.sleepDeadline = tr.sleepDeadline;
        t.sigwaitMask = tr.sigwaitMask;
        t.suspendSavedMask = tr.suspendSavedMask;
        t.state = Task.State.RUNNABLE;
        sh.ipc.task(t, tr.pid);

        Task mmOwner = sh.mmOwner.get(tr.mmId);
        if (mmOwner == null) {
            sh.mmOwner.put(tr.mmId, t);
            fillMm(k, t, sh.img.mms.get(tr.mmId), ti.ldt, sh.ipc);
        } else {
            t.mm.destroy();
            t.mm = mmOwner.mm;
            t.mm.users++;
            t.mem = mmOwner.mem;
            t.ldtPa = mmOwner.ldtPa;
            t.ldtEntries = mmOwner.ldtEntries;
            t.exe = mmOwner.exe;
        }
        for (int i = 0; i < 3; i++) t.tls[i] = ti.tls[i];
        if (k.current == t) {
            for (int i = 0; i < 3; i++) k.gdt.set(Gdt.TLS_MIN + i, ti.tls[i]);
            k.loadLdt(t);
        }

        SignalState s = t.signals;
        Task handlersOwner = sh.sighandOwner.get(tr.sighandId);
        if (handlersOwner == null) {
            sh.sighandOwner.put(tr.sighandId, t);
            ImageData.SigHandRec h = sh.img.sighands.get(tr.sighandId);
            for (int sig = 1; sig <= 64; sig++) {
                s.handler[sig] = h.handler[sig]; s.flags[sig] = h.flags[sig]; s.restorer[sig] = h.restorer[sig]; s.mask[sig] = h.mask[sig];
            }
        } else {
            s.shareHandlers(handlersOwner.signals);
        }
        ImageData.SignalsRec sr = ti.signals;
        s.blocked = sr.blocked & ~((1L << (Signals.SIGKILL - 1)) | (1L << (Signals.SIGSTOP - 1)));
        if (t != leader) s.shared = leader.signals.shared;
        restorePending(s, sr.pending, ti.sigInfo);
        s.altStackBase = sr.altBase; s.altStackSize = sr.altSize; s.altStackFlags = sr.altFlags;

        for (ImageData.TimerRec r : ti.timers) {
            if (t.timers == null) t.timers = new java.util.TreeMap<>();
            PosixTimer pt = new PosixTimer(r.id, r.clockId, r.base, r.notify, r.signo, r.value, r.tid, r.clockTid);
            pt.deadline = r.deadline;
            pt.interval = r.interval;
            pt.overrun = r.overrun;
            t.timers.put(r.id, pt);
        }

        Task tableOwner = sh.tableOwner.get(tr.filesId);
        if (tableOwner == null) {
            sh.tableOwner.put(tr.filesId, t);
            restoreFiles(k, t, sh.img.fdTables.get(tr.filesId), sh);
        } else {
            t.files = tableOwner.files;
        }
        if (k.current != t) fillContext(t.context(), ti.cpu);
    }

    /** Credentials (see {@link Creds#restore}), fs context, limits, futex words. */
    private static void identity(Task t, ImageData.TaskRec tr, Creds caller) throws RestoreException {
        t.comm = tr.comm;
        caller.restore(t, tr);
        t.fs.setUmask(tr.umask);
        if (!"/".equals(tr.root)) throw new RestoreException("task " + tr.pid + " had a changed root (" + tr.root + "), not supported yet");
        t.fs.setCwd(tr.cwd);
        System.arraycopy(tr.rlimCur, 0, t.rlimCur, 0, 16);
        System.arraycopy(tr.rlimMax, 0, t.rlimMax, 0, 16);
        t.clearChildTid = tr.clearChildTid;
        t.robustList = tr.robustList;
        t.robustListLen = tr.robustListLen;
    }

    /** A task that is not on the CPU: its registers go to its saved context, loaded when it is first scheduled. */
    private static void fillContext(CpuContext x, ImageData.CpuRec c) {
        System.arraycopy(c.r, 0, x.r, 0, 8);
        x.eip = c.eip;
        x.eflags = (c.eflags & 0x00240dd5) | 0x202; // user-changeable bits; IF stays on
        System.arraycopy(c.seg, 0, x.seg, 0, 6);
        System.arraycopy(c.fsig, 0, x.fsig, 0, 8);
        System.arraycopy(c.fse, 0, x.fse, 0, 8);
        x.fcw = c.fcw; x.fsw = c.fsw; x.ftw = c.ftw; x.fip = c.fip; x.fcs = c.fcs; x.fop = c.fop; x.fdp = c.fdp; x.fds = c.fds;
    }

    /**
     * restart(2) with RESTART_TASKSELF: the calling task becomes the image's task, keeping
     * its own pid and its place in the process tree; the machine's clock runs on.
     */
    public static void restoreInto(Kernel k, Task t, ImageData img) throws RestoreException {
        if (img.tasks.size() != 1) throw new RestoreException("the image holds " + img.tasks.size() + " tasks; restart(2) into the caller takes one");
        if (img.ipc.hasIpcState()) throw new RestoreException("the image holds namespaces or SysV IPC objects; restart(2) into the caller takes none");
        preflight(img, k.config().root); // before the caller loses anything
        Creds caller = Creds.of(t);
        t.files.closeAll();
        t.files = new FdTable();
        k.freshImage(t);
        ImageData.TaskImage ti = img.root;
        identity(t, ti.task, caller);
        IpcRestorer frames = new IpcRestorer(k, img.ipc, false);
        fillMm(k, t, img.mms.get(ti.task.mmId), ti.ldt, frames);
        frames.finish();
        for (int i = 0; i < 3; i++) {
            t.tls[i] = ti.tls[i];
            k.gdt.set(Gdt.TLS_MIN + i, ti.tls[i]);
        }
        k.loadLdt(t);
        SignalState s = t.signals;
        ImageData.SignalsRec sr = img.signals;
        for (int sig = 1; sig <= 64; sig++) {
            s.handler[sig] = sr.handler[sig]; s.flags[sig] = sr.flags[sig]; s.restorer[sig] = sr.restorer[sig]; s.mask[sig] = sr.mask[sig];
        }
        s.blocked = sr.blocked;
        restorePending(s, sr.pending, java.util.List.of());
        s.altStackBase = sr.altBase; s.altStackSize = sr.altSize; s.altStackFlags = sr.altFlags;
        Shared sh = new Shared(k, img);
        restoreFiles(k, t, img.fds, sh);
        sh.objects.finish();
        restoreCpu(k, img.cpu);
    }

    /** The checks that can fail without harm: every regular file is still there and unchanged. */
    static void preflight(ImageData img, Path root) throws RestoreException {
        for (ImageData.FileRec fr : img.files.values()) {
            if (fr.kind != Image.FILE_REGULAR || fr.size == -1) continue;
            Path host = root.resolve(fr.path.substring(1)).normalize();
            if (!host.startsWith(root)) throw new RestoreException(fr.path + ": outside the root");
            try {
                long size = Files.size(host);
                long mtime = Files.getLastModifiedTime(host, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
                if (size != fr.size || mtime != fr.mtimeNanos)
                    throw new RestoreException(fr.path + " changed since the checkpoint (size " + fr.size + " -> " + size + ")");
            } catch (IOException e) {
                throw new RestoreException(fr.path + ": " + (Files.exists(host) ? "cannot read: " + e.getMessage() : "no such file"));
            }
        }
    }

    /** An address space from its MM image, with the process's LDT. */
    private static void fillMm(Kernel k, Task t, ImageData.MmImage mi, long[] ldt, IpcRestorer ipc) throws RestoreException {
        var mm = t.mm;
        for (ImageData.VmaRec v : mi.vmas) {
            Vma vma = mm.map(v.start & 0xffffffffL, v.end & 0xffffffffL, v.prot, ipc.vmaFlags(v), null, 0, v.name);
            ipc.attach(t, vma, v);
        }
        for (PageArray pa : mi.pages) {
            for (int i = 0; i < pa.size(); i++) pa.copyToFrame(i, k.ram, mm.installFrame(pa.address(i) & 0xffffffffL));
        }
        ipc.installRefs(mm, mi);
        ImageData.MmRec m = mi.mm;
        mm.startBrk = m.startBrk & 0xffffffffL; mm.brk = m.brk & 0xffffffffL;
        mm.startCode = m.startCode & 0xffffffffL; mm.endCode = m.endCode & 0xffffffffL;
        mm.startStack = m.startStack & 0xffffffffL;
        mm.argStart = m.argStart & 0xffffffffL; mm.argEnd = m.argEnd & 0xffffffffL;
        t.exe = m.exe;
        mm.envStart = m.envStart & 0xffffffffL; mm.envEnd = m.envEnd & 0xffffffffL;
        if (ldt.length > 0) {
            long pa = k.frames.allocContiguous(org.j386.kernel.sys.LdtSyscalls.LDT_PAGES);
            if (pa < 0) throw new RestoreException("no memory for the LDT");
            for (int i = 0; i < ldt.length; i++) k.ram.writeLong(pa + i * 8L, ldt[i]);
            t.ldtPa = pa;
            t.ldtEntries = ldt.length;
        }
    }

    private static void restoreFiles(Kernel k, Task t, java.util.List<ImageData.FdRec> fds, Shared sh) throws RestoreException {
        for (ImageData.FdRec fd : fds) {
            OpenFile f = sh.files.get(fd.fileId);
            if (f == null) {
                ImageData.FileRec fr = sh.img.files.get(fd.fileId);
                f = open(k, t, fr, sh);
                sh.files.put(fd.fileId, f);
            } else {
                f.get();
            }
            t.files.install(fd.fd, f, fd.cloexec);
        }
    }

    private static OpenFile open(Kernel k, Task t, ImageData.FileRec fr, Shared sh) throws RestoreException {
        if (fr.kind == Image.FILE_CONSOLE) {
            OpenFile c = sh.consoles.peek(fr.consoleIndex);
            c.get();
            return c;
        }
        if (fr.kind == Image.FILE_PIPE) return sh.pipe(fr.pipeId).openEnd(fr.flags);
        if (fr.kind >= Image.FILE_FIFO) return sh.objects.open(t, fr, sh::pipe, sh.files);
        if (fr.kind == Image.FILE_TMPFS) {
            try {
                OpenFile f = sh.img.tmpfs.open(fr.consoleIndex, fr.path, fr.flags, k.files());
                if (fr.pos != 0) f.seek(fr.pos, 0);
                return f;
            } catch (IllegalArgumentException e) {
                throw new RestoreException(fr.path + ": " + e.getMessage());
            }
        }
        try {
            OpenFile f = k.files().reopen(t, fr.path, fr.flags);
            if (fr.pos != 0 && f.seekable()) f.seek(fr.pos, 0);
            return f;
        } catch (SyscallException e) {
            throw new RestoreException(fr.path + ": cannot reopen (" + e.getMessage() + ")");
        }
    }

    static void restoreCpu(Kernel k, ImageData.CpuRec c) {
        Cpu cpu = k.cpu;
        System.arraycopy(c.r, 0, cpu.r, 0, 8);
        cpu.eip = c.eip;
        cpu.setFlags((c.eflags & 0x00240dd5) | 0x202); // user-changeable bits; IF stays on
        for (int sreg = 0; sreg < 6; sreg++) {
            if (sreg == CpuState.CS) continue;
            cpu.seg[sreg] = c.seg[sreg];
            k.reloadSegment(sreg);
        }
        Fpu f = cpu.fpu;
        f.reset();
        for (int i = 0; i < 8; i++) f.setRegister(i, c.fsig[i], c.fse[i]);
        f.setControlWord(c.fcw);
        f.setStatusWord(c.fsw);
        f.setTagWord(c.ftw);
        f.setLastInstructionPointer(c.fip);
        f.setLastInstructionSelector(c.fcs);
        f.setLastOpcode(c.fop);
        f.setLastDataPointer(c.fdp);
        f.setLastDataSelector(c.fds);
        cpu.invalidateCodeCache();
    }
}
