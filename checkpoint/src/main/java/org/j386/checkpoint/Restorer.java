package org.j386.checkpoint;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.cpu.fpu.Fpu;
import org.j386.kernel.Gdt;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.SignalState;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.fs.FdTable;
import org.j386.kernel.fs.OpenFile;
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

    private static void build(Kernel k, ImageData img, KernelConfig cfg) throws RestoreException {
        ImageData.TaskRec tr = img.task;
        Task t = k.startEmpty();
        k.renumber(t, tr.pid, tr.tgid, tr.pgid, tr.sid);
        preflight(img, cfg.root);
        fill(k, t, img, cfg.root, cfg.uid, cfg.gid);
        k.cpu.icount = img.header.icount;
        k.clock.setSkippedNanos(img.header.skippedNanos);
    }

    /**
     * restart(2) with RESTART_TASKSELF: the calling task becomes the image's task, keeping
     * its own pid and its place in the process tree; the machine's clock runs on.
     */
    public static void restoreInto(Kernel k, Task t, ImageData img) throws RestoreException {
        preflight(img, k.config().root); // before the caller loses anything
        int uid = t.euid, gid = t.egid;
        t.files.closeAll();
        t.files = new FdTable();
        k.freshImage(t);
        fill(k, t, img, k.config().root, uid, gid);
    }

    /** The checks that can fail without harm: every regular file is still there and unchanged. */
    private static void preflight(ImageData img, Path root) throws RestoreException {
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

    /** Everything of the task that comes from the image: identity, memory, descriptors, signals, files, registers. */
    private static void fill(Kernel k, Task t, ImageData img, Path rootDir, int callerUid, int callerGid) throws RestoreException {
        ImageData.TaskRec tr = img.task;
        t.comm = tr.comm;
        boolean root = callerUid == 0;
        t.uid = root ? tr.uid : callerUid; t.euid = root ? tr.euid : callerUid; t.suid = root ? tr.suid : callerUid; t.fsuid = root ? tr.fsuid : callerUid;
        t.gid = root ? tr.gid : callerGid; t.egid = root ? tr.egid : callerGid; t.sgid = root ? tr.sgid : callerGid; t.fsgid = root ? tr.fsgid : callerGid;
        t.fs.setUmask(tr.umask);
        if (!"/".equals(tr.root)) throw new RestoreException("the task had a changed root (" + tr.root + "), not supported yet");
        t.fs.setCwd(tr.cwd);
        System.arraycopy(tr.rlimCur, 0, t.rlimCur, 0, 16);
        System.arraycopy(tr.rlimMax, 0, t.rlimMax, 0, 16);
        t.clearChildTid = tr.clearChildTid;
        t.robustList = tr.robustList;
        t.robustListLen = tr.robustListLen;

        var mm = t.mm;
        for (ImageData.VmaRec v : img.vmas) {
            mm.map(v.start & 0xffffffffL, v.end & 0xffffffffL, v.prot, (v.flags & ~Vma.SHARED) | Vma.ANON, null, 0, v.name);
        }
        for (Map.Entry<Integer, byte[]> p : img.pages.entrySet()) mm.installPage(p.getKey() & 0xffffffffL, p.getValue(), 0);
        ImageData.MmRec m = img.mm;
        mm.startBrk = m.startBrk & 0xffffffffL; mm.brk = m.brk & 0xffffffffL;
        mm.startCode = m.startCode & 0xffffffffL; mm.endCode = m.endCode & 0xffffffffL;
        mm.startStack = m.startStack & 0xffffffffL;
        mm.argStart = m.argStart & 0xffffffffL; mm.argEnd = m.argEnd & 0xffffffffL;
        mm.envStart = m.envStart & 0xffffffffL; mm.envEnd = m.envEnd & 0xffffffffL;

        for (int i = 0; i < 3; i++) {
            t.tls[i] = img.tls[i];
            k.gdt.set(Gdt.TLS_MIN + i, img.tls[i]);
        }
        if (img.ldt.length > 0) {
            long pa = k.frames.allocContiguous(org.j386.kernel.sys.LdtSyscalls.LDT_PAGES);
            if (pa < 0) throw new RestoreException("no memory for the LDT");
            for (int i = 0; i < img.ldt.length; i++) k.ram.writeLong(pa + i * 8L, img.ldt[i]);
            t.ldtPa = pa;
            t.ldtEntries = img.ldt.length;
            k.loadLdt(t);
        }

        SignalState s = t.signals;
        ImageData.SignalsRec sr = img.signals;
        for (int sig = 1; sig <= 64; sig++) {
            s.handler[sig] = sr.handler[sig]; s.flags[sig] = sr.flags[sig]; s.restorer[sig] = sr.restorer[sig]; s.mask[sig] = sr.mask[sig];
        }
        s.blocked = sr.blocked;
        s.pending = sr.pending;
        s.altStackBase = sr.altBase; s.altStackSize = sr.altSize; s.altStackFlags = sr.altFlags;

        restoreFiles(k, t, img);
        restoreCpu(k, img.cpu);
    }

    private static void restoreFiles(Kernel k, Task t, ImageData img) throws RestoreException {
        try {
            img.tmpfs.restore(k.files());
        } catch (IllegalArgumentException e) {
            throw new RestoreException("tmpfs: " + e.getMessage());
        }
        FdTable consoles = FdTable.withConsole(k);
        Map<Integer, OpenFile> opened = new HashMap<>();
        for (ImageData.FdRec fd : img.fds) {
            OpenFile f = opened.get(fd.fileId);
            if (f == null) {
                ImageData.FileRec fr = img.files.get(fd.fileId);
                f = open(k, t, img, fr, consoles);
                opened.put(fd.fileId, f);
            } else {
                f.get();
            }
            t.files.install(fd.fd, f, fd.cloexec);
        }
    }

    private static OpenFile open(Kernel k, Task t, ImageData img, ImageData.FileRec fr, FdTable consoles) throws RestoreException {
        if (fr.kind == Image.FILE_CONSOLE) {
            OpenFile c = consoles.peek(fr.consoleIndex);
            c.get();
            return c;
        }
        if (fr.kind == Image.FILE_TMPFS) {
            try {
                OpenFile f = img.tmpfs.open(fr.consoleIndex, fr.path, fr.flags, k.files());
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

    private static void restoreCpu(Kernel k, ImageData.CpuRec c) {
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
