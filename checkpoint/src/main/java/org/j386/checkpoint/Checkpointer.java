package org.j386.checkpoint;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.cpu.fpu.Fpu;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SignalState;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.fs.ConsoleFile;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.fs.TmpfsImage;
import org.j386.kernel.mm.Vma;
import org.j386.kernel.sys.ProcessSyscalls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the image of one task that is on the CPU (self-checkpoint): its identity,
 * registers and x87 state, TLS and LDT descriptors, signal state, every VMA with its
 * populated pages, and its open files, shared file objects written once (the object hash).
 * First it checks that everything is checkpointable, so a refusal leaves the task untouched
 * and writes nothing but the reason.
 */
public final class Checkpointer {
    private final Kernel k;

    public Checkpointer(Kernel k) {
        this.k = k;
    }

    /** Why {@code t} cannot be checkpointed now, or null. */
    public String refusal(Task t) {
        if (t != k.current) return "only a task checkpointing itself is supported so far";
        for (Task o : k.tasks.values()) {
            if (o != t && o.tgid == t.tgid) return "the process has several threads";
        }
        for (int fd = 0; fd < t.files.size(); fd++) {
            OpenFile f = t.files.peek(fd);
            if (f == null) continue;
            if (kind(f) == 0) return "descriptor " + fd + " is a kind of file that is not checkpointable yet (pipe, socket...)";
        }
        for (Vma v : t.mm.vmas()) if ((v.flags & Vma.SHARED) != 0) return "shared memory mappings are not checkpointable yet";
        return null;
    }

    static int kind(OpenFile f) {
        if (f instanceof ConsoleFile) return Image.FILE_CONSOLE;
        if (TmpfsImage.isTmpfsFile(f)) return Image.FILE_TMPFS;
        String p = f.path();
        if (p == null) return 0;
        if (f.isDirectory()) return Image.FILE_DIRECTORY;
        if (f.hostPath() != null && f.seekable()) return Image.FILE_REGULAR;
        if (p.startsWith("/dev/")) return Image.FILE_DEVICE;
        return 0;
    }

    /**
     * Writes the image; throws SyscallException (task untouched) when it cannot.
     * @param imageFile the open file the image goes to, if the task holds it: it is recorded
     *                  without a size/mtime check (it is still being written)
     */
    public void write(Task t, OutputStream out, OpenFile imageFile) throws IOException {
        write(t, out, imageFile, true);
    }

    /**
     * @param self the task asked for its own checkpoint from inside a system call: its saved
     *             EAX becomes 0, the restarted call's return value. A checkpoint taken from
     *             the host between instructions keeps EAX as it is.
     */
    public void write(Task t, OutputStream out, OpenFile imageFile, boolean self) throws IOException {
        this.imageFile = imageFile;
        this.self = self;
        String why = refusal(t);
        if (why != null) {
            RecordWriter w = new RecordWriter(out);
            w.begin(Image.ERROR).str(why).end();
            w.finish();
            throw new SyscallException(Errno.EBUSY);
        }
        RecordWriter w = new RecordWriter(out);
        Cpu cpu = k.cpu;
        w.begin(Image.HEADER).str("i386").str("j386-kernel-model 0.1").str(ProcessSyscalls.SYSNAME).str(k.config().hostname)
                .str(ProcessSyscalls.RELEASE).str(ProcessSyscalls.VERSION).str(ProcessSyscalls.MACHINE)
                .u64(cpu.icount).u64(k.clock.skippedNanos()).u64(k.clock.realtimeNanos() - k.clock.monotonicNanos()).end();
        w.begin(Image.TASK).u32(t.pid).u32(t.tgid).u32(t.ppid).u32(t.pgid).u32(t.sid).str(t.comm)
                .u32(t.uid).u32(t.euid).u32(t.suid).u32(t.fsuid).u32(t.gid).u32(t.egid).u32(t.sgid).u32(t.fsgid)
                .u32(t.fs.umask()).str(t.fs.cwd()).str(t.fs.root());
        for (int i = 0; i < 16; i++) w.u64(t.rlimCur[i]).u64(t.rlimMax[i]);
        w.u32(t.clearChildTid).u32(t.robustList).u32(t.robustListLen).end();
        writeCpu(w, cpu, self);
        w.begin(Image.TLS).u64(t.tls[0]).u64(t.tls[1]).u64(t.tls[2]).end();
        if (t.ldtPa != 0) {
            w.begin(Image.LDT).u32(t.ldtEntries);
            for (int i = 0; i < t.ldtEntries; i++) w.u64(k.ram.readLong(t.ldtPa + i * 8L));
            w.end();
        }
        SignalState s = t.signals;
        w.begin(Image.SIGNALS);
        for (int sig = 1; sig <= 64; sig++) w.u32(s.handler[sig]).u32(s.flags[sig]).u32(s.restorer[sig]).u64(s.mask[sig]);
        w.u64(s.blocked).u64(s.pending).u32(s.altStackBase).u32(s.altStackSize).u32(s.altStackFlags).end();
        var mm = t.mm;
        w.begin(Image.MM).u32((int) mm.startBrk).u32((int) mm.brk).u32((int) mm.startCode).u32((int) mm.endCode)
                .u32((int) mm.startStack).u32((int) mm.argStart).u32((int) mm.argEnd).u32((int) mm.envStart).u32((int) mm.envEnd).end();
        List<Vma> vmas = mm.vmas();
        for (Vma v : vmas) w.begin(Image.VMA).u32((int) v.start).u32((int) v.end).u32(v.prot).u32(v.flags & ~Vma.ANON).str(v.name).end();
        writePages(w, t, vmas);
        writeTmpfs(w, t);
        writeFiles(w, t);
        w.finish();
    }

    private static void writeCpu(RecordWriter w, Cpu cpu, boolean self) throws IOException {
        w.begin(Image.CPU);
        for (int i = 0; i < 8; i++) w.u32(self && i == CpuState.EAX ? 0 : cpu.r[i]); // the restarted checkpoint() returns 0
        w.u32(cpu.eip).u32(cpu.getFlags());
        for (int i = 0; i < 6; i++) w.u16(cpu.seg[i]);
        Fpu f = cpu.fpu;
        w.u16(f.controlWord()).u16(f.statusWord()).u16(f.tagWord()).u32(f.lastInstructionPointer())
                .u16(f.lastInstructionSelector()).u16(f.lastOpcode()).u32(f.lastDataPointer()).u16(f.lastDataSelector());
        for (int i = 0; i < 8; i++) w.u64(f.registerSignificand(i)).u16(f.registerSignExponent(i));
        w.end();
    }

    /**
     * Pages in chunks: addresses, then contents. File-backed pages that were never touched are
     * read in now, so the image does not depend on the executable still being there.
     */
    private void writePages(RecordWriter w, Task t, List<Vma> vmas) throws IOException {
        int[] addrs = new int[Image.PAGES_PER_CHUNK];
        byte[] data = new byte[Image.PAGES_PER_CHUNK * 4096];
        int n = 0;
        for (Vma v : vmas) {
            for (long a = v.start; a < v.end; a += 4096) {
                long frame = t.mm.frameOf(a);
                if (frame < 0) {
                    if (v.file == null) continue;
                    v.file.readPage(v.fileOffset + (a - v.start), page);
                    System.arraycopy(page, 0, data, n * 4096, 4096);
                } else {
                    k.ram.read(frame, data, n * 4096, 4096);
                }
                addrs[n++] = (int) a;
                if (n == Image.PAGES_PER_CHUNK) { flushPages(w, addrs, data, n); n = 0; }
            }
        }
        if (n > 0) flushPages(w, addrs, data, n);
    }

    private final byte[] page = new byte[4096];
    private OpenFile imageFile;
    private boolean self;

    private static void flushPages(RecordWriter w, int[] addrs, byte[] data, int n) throws IOException {
        w.begin(Image.PAGES).u32(n);
        for (int i = 0; i < n; i++) w.u32(addrs[i]);
        w.bytes(data, 0, n * 4096).end();
    }

    private TmpfsImage tmpfs;

    /** The tmpfs at /tmp: every node (parents first) with its contents, then the further names. */
    private void writeTmpfs(RecordWriter w, Task t) throws IOException {
        java.util.List<OpenFile> open = new java.util.ArrayList<>();
        for (int fd = 0; fd < t.files.size(); fd++) if (t.files.peek(fd) != null) open.add(t.files.peek(fd));
        tmpfs = TmpfsImage.capture(k.files(), open);
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

    private void writeFiles(RecordWriter w, Task t) throws IOException {
        Map<OpenFile, Integer> ids = new IdentityHashMap<>();
        for (int fd = 0; fd < t.files.size(); fd++) {
            OpenFile f = t.files.peek(fd);
            if (f == null) continue;
            Integer id = ids.get(f);
            if (id == null) {
                id = ids.size() + 1;
                ids.put(f, id);
                int kind = kind(f);
                long size = 0, mtime = 0;
                if (kind == Image.FILE_REGULAR && f == imageFile) {
                    size = -1; // the image itself: not verified on restart
                } else if (kind == Image.FILE_REGULAR) {
                    size = Files.size(f.hostPath());
                    mtime = Files.getLastModifiedTime(f.hostPath(), LinkOption.NOFOLLOW_LINKS).to(java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                w.begin(Image.FILE).u32(id).u32(kind).u32(f.flags()).u64(f.position())
                        .str(kind == Image.FILE_CONSOLE ? "" : f.path()).u64(size).u64(mtime)
                        .u32(kind == Image.FILE_CONSOLE ? ((ConsoleFile) f).index() : kind == Image.FILE_TMPFS ? tmpfs.idOf(f) : 0).end();
            }
            w.begin(Image.FD).u32(fd).u32(id).u32(t.files.closeOnExec(fd) ? 1 : 0).end();
        }
    }
}
