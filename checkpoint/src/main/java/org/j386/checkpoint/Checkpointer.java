package org.j386.checkpoint;

import org.j386.cpu.CpuState;
import org.j386.kernel.CpuContext;
import org.j386.kernel.Errno;
import org.j386.kernel.Freezer;
import org.j386.kernel.Kernel;
import org.j386.kernel.PosixTimer;
import org.j386.kernel.SigInfo;
import org.j386.kernel.SigPending;
import org.j386.kernel.Signals;
import org.j386.kernel.SignalState;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.fs.ConsoleFile;
import org.j386.kernel.fs.FdTable;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.fs.TmpfsImage;
import org.j386.kernel.fs.Pipe;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.mm.Vma;
import org.j386.kernel.sys.ProcessSyscalls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the image of a set of tasks: one task checkpointing itself from inside a system
 * call, or a frozen process tree (a subtree, or the whole guest) checkpointed by the host.
 * Every task's identity, registers, TLS and LDT, signal state with pending siginfo, timers
 * and scheduler state; shared objects (address spaces, fd tables, signal handlers, open
 * files, pipes) are written once and referred to by id (the object hash of Linux-CR).
 * First it checks that everything is checkpointable, so a refusal leaves the tasks untouched
 * and writes nothing but the reason.
 */
public final class Checkpointer {
    private final Kernel k;

    public Checkpointer(Kernel k) {
        this.k = k;
    }

    /** The tasks of the subtree rooted at process {@code root} (its threads, descendants and their threads, zombies), in pid order. */
    public List<Task> subtree(Task root) {
        List<Task> out = new ArrayList<>();
        for (Task t : k.tasks.values()) {
            Task p = k.tasks.getOrDefault(t.tgid, t);
            for (int steps = 0; p != null && steps <= k.tasks.size(); steps++) {
                if (p.tgid == root.tgid) { out.add(t); break; }
                p = p.parent;
            }
        }
        return out;
    }

    /** Why {@code t} alone cannot be checkpointed now, or null (a task checkpointing itself). */
    public String refusal(Task t) {
        if (t != k.current) return "only a task checkpointing itself is supported by the system call so far";
        for (Task o : k.tasks.values()) {
            if (o != t && o.tgid == t.tgid) return "the process has several threads (checkpoint it from the host)";
        }
        return refusal(List.of(t), true);
    }

    /** Why the set of tasks cannot be checkpointed now, or null. */
    public String refusal(Collection<Task> set, boolean self) {
        for (Task t : set) {
            if (!self && t.freezeState != Freezer.State.FROZEN && !t.exited) return "task " + t.pid + " is not frozen";
            if (t.exited || t.state == Task.State.ZOMBIE) {
                if (t.pid != t.tgid) return "task " + t.pid + " is an exiting thread";
                continue;
            }
            Task leader = k.tasks.get(t.tgid);
            if (leader == null || leader.exited) return "thread " + t.pid + " outlives its group leader " + t.tgid;
            if (!set.contains(leader)) return "thread " + t.pid + " without its process";
            if (t.mm != leader.mm) return "task " + t.pid + " shares an address space with another process (CLONE_VM without CLONE_THREAD)";
            if (!"/".equals(t.fs.root())) return "task " + t.pid + " has a changed root (" + t.fs.root() + ")";
            for (int fd = 0; fd < t.files.size(); fd++) {
                OpenFile f = t.files.peek(fd);
                if (f == null) continue;
                if (kind(f) == 0) return "task " + t.pid + " descriptor " + fd + " is a kind of file that is not checkpointable yet (a /proc file, an epoll instance watching another, a write-only unlinked file...)";
            }
            for (Vma v : t.mm.vmas()) {
                String why = IpcWriter.refusal(v);
                if (why != null) return "task " + t.pid + ": " + why;
            }
        }
        String ipc = IpcWriter.refusal(set);
        if (ipc != null) return ipc;
        for (Task t : set) { // leak detection for threads' shared objects
            for (Task o : k.tasks.values()) {
                if (set.contains(o) || o.exited) continue;
                if (o.mm == t.mm && t.mm != null) return "the address space of task " + t.pid + " is also used by task " + o.pid + ", outside the checkpoint";
                if (o.files == t.files && t.files != null) return "the descriptor table of task " + t.pid + " is also used by task " + o.pid + ", outside the checkpoint";
            }
        }
        return null;
    }

    /** Why an open file cannot go into an image, or null (the checkpointable line of fdinfo). */
    static String fileReason(OpenFile f) {
        if (kind(f) != 0) return null;
        String p = f.path();
        return (p != null ? p : f.getClass().getSimpleName()) + " is a kind of file not saved yet";
    }

    /**
     * /proc/PID/checkpointable: whether the task's process could be saved (by the host, once
     * frozen), then the verdict per subsystem, each with its first reason.
     */
    String report(Task t) {
        Task leader = k.tasks.getOrDefault(t.tgid, t);
        java.util.List<Task> process = new java.util.ArrayList<>();
        for (Task o : k.tasks.values()) if (o.tgid == t.tgid) process.add(o);
        String task = null, mm = null, files = null, ipc = null, ns = null;
        if (t.exited) task = "the task is exiting";
        else if (t.fs != null && !"/".equals(t.fs.root())) task = "a changed root (" + t.fs.root() + ")";
        if (!t.exited && t.mm != null) {
            if (t.mm != leader.mm) mm = "an address space shared with another process (CLONE_VM without CLONE_THREAD)";
            for (Vma v : t.mm.vmas()) if (mm == null) mm = IpcWriter.refusal(v);
        }
        if (t.files != null) {
            for (int fd = 0; fd < t.files.size() && files == null; fd++) {
                OpenFile f = t.files.peek(fd);
                String why = f == null ? null : fileReason(f);
                if (why != null) files = "descriptor " + fd + ": " + why;
            }
        }
        if (!t.exited) ipc = IpcWriter.refusal(process);
        String overall = t.exited ? "the task is exiting" : refusal(process, true);
        StringBuilder sb = new StringBuilder();
        sb.append("checkpointable:\t").append(verdict(overall)).append('\n');
        sb.append("task:\t").append(verdict(task)).append('\n');
        sb.append("mm:\t").append(verdict(mm)).append('\n');
        sb.append("files:\t").append(verdict(files)).append('\n');
        sb.append("sysvipc:\t").append(verdict(ipc)).append('\n');
        sb.append("namespaces:\t").append(verdict(ns)).append('\n');
        sb.append("frozen:\t").append(t.freezeState == Freezer.State.FROZEN ? 1 : 0).append('\n');
        return sb.toString();
    }

    private static String verdict(String reason) {
        return reason == null ? "1" : "0 (" + reason + ")";
    }

    static int kind(OpenFile f) {
        if (f instanceof ConsoleFile) return Image.FILE_CONSOLE;
        int object = ObjectWriter.kind(f);
        if (object != 0) return Math.max(object, 0);
        if (TmpfsImage.isTmpfsFile(f)) return Image.FILE_TMPFS;
        if (Pipe.of(f) != null) return Image.FILE_PIPE;
        String p = f.path();
        if (p == null) return 0;
        if (f.isDirectory()) return Image.FILE_DIRECTORY;
        if (f.hostPath() != null && f.seekable()) return Image.FILE_REGULAR;
        if (p.startsWith("/dev/")) return Image.FILE_DEVICE;
        return 0;
    }

    /**
     * One task checkpointing itself from inside a system call: its saved EAX becomes 0, the
     * restarted call's return value. Throws SyscallException (task untouched) when it cannot.
     * @param imageFile the open file the image goes to, if the task holds it: it is recorded
     *                  without a size/mtime check (it is still being written)
     */
    public void write(Task t, OutputStream out, OpenFile imageFile) throws IOException {
        String why = refusal(t);
        if (why != null) {
            refuse(out, why);
            throw new SyscallException(Errno.EBUSY);
        }
        this.imageFile = imageFile;
        this.self = t;
        k.saveContext();
        writeTasks(List.of(t), out);
    }

    /**
     * A frozen set of tasks (from the host, between quanta: every task's registers are in its
     * saved context). Throws SyscallException (EBUSY, nothing changed) when it cannot.
     */
    public void writeTree(Collection<Task> set, OutputStream out) throws IOException {
        String why = refusal(set, false);
        if (why != null) {
            refuse(out, why);
            throw new SyscallException(Errno.EBUSY);
        }
        this.self = null;
        writeTasks(set, out);
    }

    static void refuse(OutputStream out, String why) throws IOException {
        RecordWriter w = new RecordWriter(out);
        w.begin(Image.ERROR).str(why).end();
        w.finish();
    }

    /** The page array of this checkpoint: one PAGES chunk at a time, off-heap, reused (writeTasks releases it). */
    private PageArray pages;
    /** The address of the file-backed page being copied by {@link #fileBytes}. */
    private int fileAddr;
    private final org.j386.kernel.mm.FileImage.PageBytes fileBytes = (src, off, at, len) -> pages.addBytes(fileAddr, src, off, at, len);
    private OpenFile imageFile;
    private Task self;
    private final Map<Mm, Integer> mmIds = new IdentityHashMap<>();
    private final Map<FdTable, Integer> tableIds = new IdentityHashMap<>();
    private final Map<int[], Integer> sighandIds = new IdentityHashMap<>();
    private final Map<OpenFile, Integer> fileIds = new IdentityHashMap<>();
    private final Map<Pipe, Integer> pipeIds = new IdentityHashMap<>();
    private IpcWriter ipc;

    private void writeTasks(Collection<Task> set, OutputStream out) throws IOException {
        RecordWriter w = new RecordWriter(out);
        w.begin(Image.HEADER).str("i386").str("j386-kernel-model 0.2").str(ProcessSyscalls.SYSNAME).str(k.config().hostname)
                .str(ProcessSyscalls.RELEASE).str(ProcessSyscalls.VERSION).str(ProcessSyscalls.MACHINE)
                .u64(k.cpu.icount).u64(k.clock.skippedNanos()).u64(k.clock.realtimeNanos() - k.clock.monotonicNanos()).end();
        ipc = new IpcWriter(k);
        ipc.syncFiles(set); // stores through shared file mappings reach the files before they are described
        writeTmpfs(w, set); // the tmpfs at /tmp first: open files of it refer to its nodes
        ObjectWriter.writeTty(w, k, set);
        List<Task> tasks = new ArrayList<>(set);
        tasks.sort((a, b) -> Integer.compare(a.pid, b.pid));
        ipc.writeNamespaces(w, tasks); // namespaces and SysV objects before the address spaces that attach segments
        try (PageArray pa = new PageArray(Image.PAGES_PER_CHUNK)) {
            pages = pa;
            for (Task t : tasks) writeTask(w, t, set);
        } finally {
            pages = null;
        }
        w.finish();
    }

    private void writeTask(RecordWriter w, Task t, Collection<Task> set) throws IOException {
        boolean zombie = t.exited || t.state == Task.State.ZOMBIE;
        int mmId = 0, filesId = 0, sighandId = 0;
        if (!zombie) {
            mmId = writeMm(w, t);
            filesId = writeFdTable(w, t.files);
            sighandId = writeSighand(w, t.signals);
        }
        Task leader = k.tasks.getOrDefault(t.tgid, t);
        int ppid = t.parent != null && set.contains(t.parent) ? t.parent.tgid : t.ppid;
        int flags = (t.stopped ? ImageData.T_STOPPED : 0) | (t.stopUnreported ? ImageData.T_STOP_UNREPORTED : 0)
                | (t.continueUnreported ? ImageData.T_CONT_UNREPORTED : 0) | (t.inRestart ? ImageData.T_IN_RESTART : 0)
                | (t.interruptOnly ? ImageData.T_INTERRUPT_ONLY : 0) | (t.futexWoken ? ImageData.T_FUTEX_WOKEN : 0)
                | (t.ctty != null && t.ctty == k.console ? ImageData.T_CONSOLE_CTTY : 0);
        w.begin(Image.TASK).u32(t.pid).u32(t.tgid).u32(ppid).u32(t.pgid).u32(t.sid).str(t.comm)
                .u32(t.uid).u32(t.euid).u32(t.suid).u32(t.fsuid).u32(t.gid).u32(t.egid).u32(t.sgid).u32(t.fsgid)
                .u32(zombie ? 0 : t.fs.umask()).str(zombie ? "/" : t.fs.cwd()).str(zombie ? "/" : t.fs.root());
        for (int i = 0; i < 16; i++) w.u64(t.rlimCur[i]).u64(t.rlimMax[i]);
        w.u32(t.clearChildTid).u32(t.robustList).u32(t.robustListLen)
                .u32(zombie ? 1 : 0).u32(t.waitStatus).u32(mmId).u32(filesId).u32(sighandId).u32(flags).u32(t.stopSignal)
                .u64(t.sleepDeadline).u64(t.sigwaitMask).u64(t.suspendSavedMask).u64(t.cpuNanos)
                .u64(t.realTimerDeadline).u64(t.realTimerInterval).u64(t.virtTimerDeadline).u64(t.virtTimerInterval)
                .u64(t.profTimerDeadline).u64(t.profTimerInterval).end();
        if (zombie) return;
        ipc.writeTaskNs(w, t);
        objects.writeFs(w, t, set);
        writeCpu(w, t.context(), t == self);
        w.begin(Image.TLS).u64(t.tls[0]).u64(t.tls[1]).u64(t.tls[2]).end();
        if (t.ldtPa != 0 && t.ldtEntries > 0) {
            w.begin(Image.LDT).u32(t.ldtEntries);
            for (int i = 0; i < t.ldtEntries; i++) w.u64(k.ram.readLong(t.ldtPa + i * 8L));
            w.end();
        }
        SignalState s = t.signals;
        w.begin(Image.SIGNALS).u64(s.blocked).u64(s.pending.mask()).u32(s.altStackBase).u32(s.altStackSize).u32(s.altStackFlags).end();
        writeSigInfo(w, s.pending, 0);
        if (t == leader) writeSigInfo(w, s.shared, 1);
        if (t == leader && t.timers != null) {
            for (PosixTimer pt : t.timers.values()) {
                w.begin(Image.TIMER).u32(pt.id).u32(pt.clockId).u32(pt.base).u32(pt.notify).u32(pt.signo).u32(pt.value)
                        .u32(pt.tid).u32(pt.clockTid).u64(pt.deadline).u64(pt.interval).u32(pt.overrun).end();
            }
        }
    }

    /** One SIGINFO record per queued signal instance, in delivery order; {@code set} 0 the thread's own, 1 its process's. */
    private static void writeSigInfo(RecordWriter w, SigPending p, int set) throws IOException {
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            for (SigInfo i : p.instances(sig)) {
                w.begin(Image.SIGINFO).u32(sig).u32(i.code()).u32(i.addr()).u32(i.pid()).u32(i.uid()).u32(i.trapno())
                        .u32(i.err()).u32(i.cr2()).u32(i.status()).u32(set).end();
            }
        }
    }

    private static void writeCpu(RecordWriter w, CpuContext c, boolean self) throws IOException {
        w.begin(Image.CPU);
        for (int i = 0; i < 8; i++) w.u32(self && i == CpuState.EAX ? 0 : c.r[i]); // the restarted checkpoint() returns 0
        w.u32(c.eip).u32(c.eflags);
        for (int i = 0; i < 6; i++) w.u16(c.seg[i]);
        w.u16(c.fcw).u16(c.fsw).u16(c.ftw).u32(c.fip).u16(c.fcs).u16(c.fop).u32(c.fdp).u16(c.fds);
        for (int i = 0; i < 8; i++) w.u64(c.fsig[i]).u16(c.fse[i]);
        w.end();
    }

    private int writeSighand(RecordWriter w, SignalState s) throws IOException {
        Integer id = sighandIds.get(s.handler);
        if (id != null) return id;
        id = sighandIds.size() + 1;
        sighandIds.put(s.handler, id);
        w.begin(Image.SIGHAND).u32(id);
        for (int sig = 1; sig <= 64; sig++) w.u32(s.handler[sig]).u32(s.flags[sig]).u32(s.restorer[sig]).u64(s.mask[sig]);
        w.end();
        return id;
    }

    /**
     * An address space once, with its VMAs and populated pages in chunks: addresses, then
     * contents, each chunk gathered in the off-heap page array and written from there.
     * File-backed pages that were never touched are read in now, so the image does not
     * depend on the executable still being there. Pages whose frame other mappings share
     * (copy-on-write after fork, shared anonymous memory) are written once as FRAMES and
     * named by PAGE_REFS; shm and shared file mappings keep their pages in their object.
     */
    private int writeMm(RecordWriter w, Task t) throws IOException {
        Mm mm = t.mm;
        Integer id = mmIds.get(mm);
        if (id != null) return id;
        id = mmIds.size() + 1;
        mmIds.put(mm, id);
        ipc.beforeMm(w, mm); // frames it shares with other mappings, written once before the MM
        w.begin(Image.MM).u32(id).u32((int) mm.startBrk).u32((int) mm.brk).u32((int) mm.startCode).u32((int) mm.endCode)
                .u32((int) mm.startStack).u32((int) mm.argStart).u32((int) mm.argEnd).u32((int) mm.envStart).u32((int) mm.envEnd)
                .str(t.exe == null ? "" : t.exe).end();
        List<Vma> vmas = mm.vmas();
        for (Vma v : vmas) {
            w.begin(Image.VMA).u32((int) v.start).u32((int) v.end).u32(v.prot).u32(v.flags & ~Vma.ANON).str(v.name).end();
            ipc.afterVma(w, v);
        }
        PageArray pa = pages;
        pa.clear();
        for (Vma v : vmas) {
            if (IpcWriter.skipsVma(v)) continue; // shm and shared file pages belong to their object
            for (long a = v.start; a < v.end; a += 4096) {
                long frame = mm.frameOf(a);
                if (frame >= 0) {
                    if (ipc.sharedFrame(frame)) continue; // in PAGE_REFS
                    pa.addFrame((int) a, k.ram, frame);
                } else if (v.file != null) {
                    fileAddr = (int) a;
                    v.file.copyPage(v.fileOffset + (a - v.start), fileBytes);
                } else {
                    continue;
                }
                if (pa.isFull()) { w.pages(pa); pa.clear(); }
            }
        }
        if (!pa.isEmpty()) w.pages(pa);
        pa.clear();
        ipc.afterPages(w);
        return id;
    }

    private TmpfsImage tmpfs;
    private ObjectWriter objects;

    /** The tmpfs at /tmp: every node (parents first) with its contents, then the further names. */
    private void writeTmpfs(RecordWriter w, Collection<Task> set) throws IOException {
        java.util.List<OpenFile> open = new java.util.ArrayList<>();
        for (Task t : set) {
            if (t.files == null) continue;
            for (int fd = 0; fd < t.files.size(); fd++) if (t.files.peek(fd) != null) open.add(t.files.peek(fd));
        }
        tmpfs = TmpfsImage.capture(k.files(), open);
        objects = new ObjectWriter(java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        objects.open().addAll(open);
        for (TmpfsImage.Node n : tmpfs.nodes) {
            long size = n.data() == null ? 0 : n.data().length;
            w.begin(Image.TMPFS_NODE).u32(n.id()).u32(n.parent()).str(n.name()).u32(n.mode()).u32(n.uid()).u32(n.gid())
                    .u64(n.atime()).u64(n.mtime()).u64(n.ctime()).u64(size).str(n.target()).end();
            for (int off = 0; off < size; off += Image.TMPFS_CHUNK) {
                int len = (int) Math.min(Image.TMPFS_CHUNK, size - off);
                w.begin(Image.TMPFS_DATA).u32(n.id()).u64(off).u32(len).bytes(n.data(), off, len).end();
            }
        }
        for (TmpfsImage.Link l : tmpfs.links) w.begin(Image.TMPFS_LINK).u32(l.parent()).str(l.name()).u32(l.id()).end();
    }

    /** A descriptor table once: first the open files (and pipes) it holds that were not written yet, then FDTABLE and its FDs. */
    private int writeFdTable(RecordWriter w, FdTable files) throws IOException {
        Integer tid = tableIds.get(files);
        if (tid != null) return tid;
        tid = tableIds.size() + 1;
        tableIds.put(files, tid);
        int count = 0;
        for (int fd = 0; fd < files.size(); fd++) {
            OpenFile f = files.peek(fd);
            if (f == null) continue;
            count++;
            writeFile(w, f);
        }
        w.begin(Image.FDTABLE).u32(tid).u32(count).end();
        for (int fd = 0; fd < files.size(); fd++) {
            OpenFile f = files.peek(fd);
            if (f == null) continue;
            w.begin(Image.FD).u32(fd).u32(fileIds.get(f)).u32(files.closeOnExec(fd) ? 1 : 0).end();
        }
        return tid;
    }

    private void writeFile(RecordWriter w, OpenFile f) throws IOException {
        if (fileIds.containsKey(f)) return;
        int id = fileIds.size() + 1;
        fileIds.put(f, id);
        int kind = kind(f);
        long size = 0, mtime = 0;
        int pipeId = 0;
        if (kind >= Image.FILE_FIFO) { // event descriptors, sockets, FIFOs, unlinked files: their object first
            int aux = objects.write(w, f, kind, x -> { writeFile(w, x); return fileIds.get(x); });
            if (kind == Image.FILE_FIFO) pipeId = pipeId(w, Pipe.of(f));
            String path = kind == Image.FILE_FIFO ? Pipe.fifoPath(f) : kind == Image.FILE_UNLINKED ? f.path() : "";
            w.begin(Image.FILE).u32(id).u32(kind).u32(f.flags()).u64(kind == Image.FILE_UNLINKED ? f.position() : 0)
                    .str(path).u64(0).u64(0).u32(aux).u32(pipeId).end();
            return;
        }
        if (kind == Image.FILE_REGULAR && f == imageFile) {
            size = -1; // the image itself: not verified on restart
        } else if (kind == Image.FILE_REGULAR) {
            size = Files.size(f.hostPath());
            mtime = Files.getLastModifiedTime(f.hostPath(), LinkOption.NOFOLLOW_LINKS).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        } else if (kind == Image.FILE_PIPE) {
            pipeId = pipeId(w, Pipe.of(f));
        }
        w.begin(Image.FILE).u32(id).u32(kind).u32(f.flags()).u64(kind == Image.FILE_PIPE ? 0 : f.position())
                .str(kind == Image.FILE_CONSOLE || kind == Image.FILE_PIPE ? "" : f.path()).u64(size).u64(mtime)
                .u32(kind == Image.FILE_CONSOLE ? ((ConsoleFile) f).index() : kind == Image.FILE_TMPFS ? tmpfs.idOf(f) : 0).u32(pipeId).end();
    }

    /** A pipe's PIPE record, once, with the bytes in flight. */
    private int pipeId(RecordWriter w, Pipe p) throws IOException {
        Integer pid = pipeIds.get(p);
        if (pid == null) {
            pid = pipeIds.size() + 1;
            pipeIds.put(p, pid);
            byte[] buffered = p.buffered();
            w.begin(Image.PIPE).u32(pid).u32(buffered.length).bytes(buffered, 0, buffered.length).end();
        }
        return pid;
    }
}
