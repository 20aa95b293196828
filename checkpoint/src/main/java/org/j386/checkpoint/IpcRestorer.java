package org.j386.checkpoint;

import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.fs.FilePages;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.ipc.IpcNamespace;
import org.j386.kernel.ipc.IpcObject;
import org.j386.kernel.ipc.IpcRestore;
import org.j386.kernel.ipc.MsgQueue;
import org.j386.kernel.ipc.SemSet;
import org.j386.kernel.ipc.SemUndo;
import org.j386.kernel.ipc.ShmSegment;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.mm.Vma;
import org.j386.kernel.ns.UtsNamespace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds records 20–29 in a fresh kernel: each shared frame once (address spaces and shm
 * segments that named it map that one frame again, copy-on-write in private VMAs), the
 * namespaces with their SysV objects under their original ids, shm attachments and shared
 * file mappings as mappings of their object, and each task's namespaces, SEM_UNDO list and
 * SysV wait.
 */
final class IpcRestorer {
    private final Kernel k;
    private final IpcData x;
    /** Physical address of frame id i+1; this table holds one reference until {@link #finish}. */
    private final long[] frames;
    private final Map<Integer, UtsNamespace> uts = new HashMap<>();
    private final Map<Integer, IpcNamespace> ipc = new HashMap<>();
    private final Map<Integer, SemUndo> undo = new HashMap<>();
    private final List<ShmSegment> segments = new ArrayList<>();

    /** Frames and, with {@code objects}, namespaces and SysV objects. */
    IpcRestorer(Kernel k, IpcData x, boolean objects) throws Restorer.RestoreException {
        this.k = k;
        this.x = x;
        frames = new long[x.frames.size()];
        for (int i = 0; i < frames.length; i++) {
            long pa = k.frames.alloc();
            if (pa < 0) throw new Restorer.RestoreException("no memory for the shared pages");
            k.ram.write(pa, x.frames.get(i), 0, 4096);
            frames[i] = pa;
        }
        if (objects) buildNamespaces();
    }

    private void buildNamespaces() throws Restorer.RestoreException {
        for (IpcData.UtsRec r : x.uts) {
            UtsNamespace u = r.initial ? k.initialUts : new UtsNamespace(r.hostname, r.domainname);
            u.hostname = r.hostname;
            u.domainname = r.domainname;
            uts.put(r.id, u);
        }
        try {
            for (IpcData.IpcNsRec r : x.ipcNs) {
                IpcNamespace ns = r.initial ? k.initialIpc : new IpcNamespace(k);
                ipc.put(r.id, ns);
                ns.shmMax = r.shmMax; ns.shmAll = r.shmAll; ns.shmMni = r.shmMni;
                ns.semMsl = r.semMsl; ns.semMns = r.semMns; ns.semOpm = r.semOpm; ns.semMni = r.semMni;
                ns.msgMax = r.msgMax; ns.msgMnb = r.msgMnb; ns.msgMni = r.msgMni;
                ns.shm.nextSeq = r.seqShm; ns.sem.nextSeq = r.seqSem; ns.msg.nextSeq = r.seqMsg;
                for (IpcData.ShmRec s : r.shm.values()) {
                    ShmSegment seg = IpcRestore.shm(ns, k.frames, s.id, s.size);
                    perm(seg, s);
                    seg.atime = s.atime; seg.dtime = s.dtime; seg.cpid = s.cpid; seg.lpid = s.lpid;
                    for (var e : s.pages.entrySet()) IpcRestore.setShmFrame(seg, k.frames, e.getKey(), frames[e.getValue() - 1]);
                    segments.add(seg);
                }
                for (IpcData.SemRec s : r.sem.values()) {
                    SemSet set = IpcRestore.sem(ns, s.id, s.val.length);
                    perm(set, s);
                    set.otime = s.otime;
                    System.arraycopy(s.val, 0, set.val, 0, s.val.length);
                    System.arraycopy(s.pid, 0, set.pid, 0, s.pid.length);
                }
                for (IpcData.MsqRec q : r.msq.values()) {
                    MsgQueue m = IpcRestore.msq(ns, q.id);
                    perm(m, q);
                    m.stime = q.stime; m.rtime = q.rtime; m.lspid = q.lspid; m.lrpid = q.lrpid; m.qbytes = q.qbytes;
                    for (int i = 0; i < q.types.size(); i++) IpcRestore.message(m, q.types.get(i), q.texts.get(i));
                }
            }
        } catch (SyscallException e) {
            throw new Restorer.RestoreException("SysV IPC objects: " + e.getMessage());
        }
    }

    private static void perm(IpcObject o, IpcData.PermRec r) {
        o.key = r.key; o.uid = r.uid; o.gid = r.gid; o.cuid = r.cuid; o.cgid = r.cgid; o.mode = r.mode; o.ctime = r.ctime;
    }

    /** The VMA flags a restored VMA gets: anonymous unless an object backs it. */
    int vmaFlags(ImageData.VmaRec r) {
        return x.backing.containsKey(r) ? r.flags : r.flags | Vma.ANON;
    }

    /** A VMA just mapped from {@code r}: an shm attachment or a shared file mapping takes its object's pages. */
    void attach(Task t, Vma v, ImageData.VmaRec r) throws Restorer.RestoreException {
        IpcData.Backing b = x.backing.get(r);
        if (b == null) return;
        v.fileOffset = b.offset;
        if (b.kind == IpcData.BACK_SHM) {
            IpcNamespace ns = ipc.get(b.nsId);
            ShmSegment s = ns == null ? null : ns.shm.get(b.shmId);
            if (s == null) throw new Restorer.RestoreException("shm segment " + b.shmId + " is not in the image");
            v.shared = s;
            s.opened();
            return;
        }
        OpenFile f;
        try {
            f = k.files().reopen(t, b.path, b.openFlags);
        } catch (SyscallException e) {
            throw new Restorer.RestoreException(b.path + ": cannot reopen for its shared mapping (" + e.getMessage() + ")");
        }
        try {
            FilePages fp = k.files().pageCache.pagesOf(f);
            v.shared = fp;
            fp.opened();
        } catch (SyscallException e) {
            throw new Restorer.RestoreException(b.path + ": cannot map it shared (" + e.getMessage() + ")");
        } finally {
            f.put();
        }
    }

    /** The pages of an address space that map shared frames. */
    void installRefs(Mm mm, ImageData.MmImage mi) {
        var r = x.refs.get(mi);
        if (r == null) return;
        for (var e : r.entrySet()) mm.installShared(e.getKey() & 0xffffffffL, frames[e.getValue() - 1]);
    }

    /** A live task's namespaces, SEM_UNDO list and wait. */
    void task(Task t, int pid) {
        IpcData.TaskNsRec r = x.tasks.get(pid);
        if (r == null) return;
        if (r.utsId != 0) t.uts = uts.get(r.utsId);
        if (r.ipcId != 0) t.ipcNs = ipc.get(r.ipcId);
        if (r.undoId != 0) {
            SemUndo u = undo.get(r.undoId);
            if (u == null) {
                u = new SemUndo(t.ipcNs);
                for (var e : r.undo.entrySet()) u.adjust.put(e.getKey(), e.getValue().clone());
                undo.put(r.undoId, u);
            }
            t.semUndo = u;
        }
        if (r.waitKind == IpcData.WAIT_SEM) {
            t.ipcWait = t.ipcNs.sem.get(r.waitId);
            t.ipcWaitSem = r.waitSem;
            t.ipcWaitZero = r.waitZero;
        } else if (r.waitKind == IpcData.WAIT_MSG) {
            t.ipcWait = t.ipcNs.msg.get(r.waitId);
        }
    }

    /** Everything is mapped: the frame table lets go of its references, and removed segments nobody maps go. */
    void finish() {
        for (long pa : frames) k.frames.release(pa);
        for (ShmSegment s : segments) IpcRestore.dropIfUnused(s);
    }
}
