package org.j386.checkpoint;

import org.j386.kernel.Kernel;
import org.j386.kernel.Task;
import org.j386.kernel.fs.FilePages;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.ipc.IpcNamespace;
import org.j386.kernel.ipc.IpcObject;
import org.j386.kernel.ipc.MsgQueue;
import org.j386.kernel.ipc.SemSet;
import org.j386.kernel.ipc.SemUndo;
import org.j386.kernel.ipc.ShmSegment;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.mm.Vma;
import org.j386.kernel.ns.UtsNamespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes records 20–29: physical pages that several mappings share (copy-on-write after
 * fork, shared anonymous memory, shm segments) once each as FRAMES, and the PAGE_REFS that
 * map them; what backs a shared VMA; the UTS and IPC namespaces the tasks use with every
 * SysV object in them; each task's namespaces, SEM_UNDO list and SysV wait.
 */
final class IpcWriter {
    private final Kernel k;
    /** Physical address of a shared frame to its id. */
    private final Map<Long, Integer> frameIds = new HashMap<>();
    private final Map<UtsNamespace, Integer> utsIds = new IdentityHashMap<>();
    private final Map<IpcNamespace, Integer> ipcIds = new IdentityHashMap<>();
    private final Map<SemUndo, Integer> undoIds = new IdentityHashMap<>();
    /** The PAGE_REFS of the address space being written: address, frame id. */
    private final List<int[]> refs = new ArrayList<>();
    private final byte[] page = new byte[4096];

    IpcWriter(Kernel k) {
        this.k = k;
    }

    /** Why a VMA cannot go into an image, or null: shared mappings of anything but anonymous memory, shm and files. */
    static String refusal(Vma v) {
        if ((v.flags & Vma.SHARED) == 0 || v.shared == null || v.shared instanceof ShmSegment) return null;
        if (v.shared instanceof FilePages fp) {
            OpenFile f = fp.file();
            int kind = Checkpointer.kind(f);
            if (kind == Image.FILE_REGULAR || (kind == Image.FILE_TMPFS && f.path() != null && f.path().startsWith("/"))) return null;
            return String.format("shared mapping %08x-%08x of %s (a %s) is not checkpointable yet", v.start, v.end,
                    f.path() == null ? "an unnamed file" : f.path(), kind == Image.FILE_DEVICE ? "device" : "file without a path to reopen");
        }
        return String.format("shared mapping %08x-%08x of an unknown kind", v.start, v.end);
    }

    /** Why the SysV state of the set cannot be saved, or null. */
    static String refusal(Collection<Task> set) {
        for (Task t : set) {
            if (t.exited || t.ipcNs == null) continue;
            for (MsgQueue q : t.ipcNs.msg.byIndex.values())
                for (MsgQueue.Message m : q.messages)
                    if (m.text().length > Image.MAX_RECORD - 16) return "message queue " + q.id + " holds a message of " + m.text().length + " bytes, more than an image record takes";
        }
        return null;
    }

    /** Before anything is written: stores through shared file mappings reach their files (so FILE records see the result). */
    void syncFiles(Collection<Task> set) {
        for (Task t : set) {
            if (t.exited || t.mm == null) continue;
            for (Vma v : t.mm.vmas()) if (v.shared instanceof FilePages fp) fp.sync(0, Long.MAX_VALUE);
        }
    }

    /** UTSNS and IPCNS records (with the IPC namespaces' objects) for every namespace a task of the set uses that needs one. */
    void writeNamespaces(RecordWriter w, List<Task> tasks) throws IOException {
        for (Task t : tasks) {
            if (t.exited || t.uts == null || utsIds.containsKey(t.uts)) continue;
            UtsNamespace u = t.uts;
            boolean initial = u == k.initialUts;
            if (initial && u.hostname.equals(k.config().hostname) && "(none)".equals(u.domainname)) continue;
            int id = utsIds.size() + 1;
            utsIds.put(u, id);
            w.begin(Image.UTSNS).u32(id).u32(initial ? 1 : 0);
            raw(w, u.hostname);
            raw(w, u.domainname);
            w.end();
        }
        List<IpcNamespace> used = new ArrayList<>();
        for (Task t : tasks) {
            if (t.exited || t.ipcNs == null) continue;
            if (!used.contains(t.ipcNs)) used.add(t.ipcNs);
            for (Vma v : t.mm.vmas()) if (v.shared instanceof ShmSegment s && !used.contains(s.ns)) used.add(s.ns);
        }
        for (IpcNamespace ns : used) {
            boolean initial = ns == k.initialIpc;
            if (initial && ns.shm.size() == 0 && ns.sem.size() == 0 && ns.msg.size() == 0 && ns.shm.nextSeq == 0
                    && ns.sem.nextSeq == 0 && ns.msg.nextSeq == 0) continue;
            int id = ipcIds.size() + 1;
            ipcIds.put(ns, id);
            w.begin(Image.IPCNS).u32(id).u32(initial ? 1 : 0).u32(ns.shm.nextSeq).u32(ns.sem.nextSeq).u32(ns.msg.nextSeq)
                    .u64(ns.shmMax).u64(ns.shmAll).u32(ns.shmMni).u32(ns.semMsl).u32(ns.semMns).u32(ns.semOpm).u32(ns.semMni)
                    .u32(ns.msgMax).u32(ns.msgMnb).u32(ns.msgMni).end();
            for (ShmSegment s : ns.shm.byIndex.values()) writeShm(w, id, s);
            for (SemSet s : ns.sem.byIndex.values()) {
                perm(w.begin(Image.SEM).u32(id), s).u64(s.otime).u32(s.nsems());
                for (int i = 0; i < s.nsems(); i++) w.u32(s.val[i]).u32(s.pid[i]);
                w.end();
            }
            for (MsgQueue q : ns.msg.byIndex.values()) {
                perm(w.begin(Image.MSQ).u32(id), q).u64(q.stime).u64(q.rtime).u32(q.lspid).u32(q.lrpid).u64(q.qbytes)
                        .u32(q.messages.size()).end();
                for (MsgQueue.Message m : q.messages) w.begin(Image.MSG).u32(m.type()).u32(m.text().length).bytes(m.text(), 0, m.text().length).end();
            }
        }
    }

    private static void raw(RecordWriter w, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        w.u32(b.length).bytes(b, 0, b.length);
    }

    private static RecordWriter perm(RecordWriter w, IpcObject o) {
        return w.u32(o.id).u32(o.key).u32(o.uid).u32(o.gid).u32(o.cuid).u32(o.cgid).u32(o.mode).u64(o.ctime);
    }

    private void writeShm(RecordWriter w, int nsId, ShmSegment s) throws IOException {
        List<Long> fresh = new ArrayList<>();
        for (long pa : s.frames) if (pa != 0 && !frameIds.containsKey(pa)) fresh.add(pa);
        writeFrames(w, fresh);
        perm(w.begin(Image.SHM).u32(nsId), s).u64(s.size).u64(s.atime).u64(s.dtime).u32(s.cpid).u32(s.lpid);
        int n = 0;
        for (long pa : s.frames) if (pa != 0) n++;
        w.u32(n);
        for (int i = 0; i < s.frames.length; i++) if (s.frames[i] != 0) w.u32(i).u32(frameIds.get(s.frames[i]));
        w.end();
    }

    /** Gives each frame an id and writes their contents, PAGES_PER_CHUNK to a record. */
    private void writeFrames(RecordWriter w, List<Long> fresh) throws IOException {
        for (int from = 0; from < fresh.size(); from += Image.PAGES_PER_CHUNK) {
            int n = Math.min(Image.PAGES_PER_CHUNK, fresh.size() - from);
            w.begin(Image.FRAMES).u32(n);
            for (int i = 0; i < n; i++) {
                int id = frameIds.size() + 1;
                frameIds.put(fresh.get(from + i), id);
                w.u32(id);
            }
            for (int i = 0; i < n; i++) {
                k.ram.read(fresh.get(from + i), page, 0, 4096);
                w.bytes(page, 0, 4096);
            }
            w.end();
        }
    }

    /**
     * Before an address space's MM record: the frames its private and anonymous shared pages
     * share with other mappings (a reference count above one) that are not written yet, and
     * the list of its pages that map them.
     */
    void beforeMm(RecordWriter w, Mm mm) throws IOException {
        refs.clear();
        List<Long> fresh = new ArrayList<>();
        for (Vma v : mm.vmas()) {
            if (skipsVma(v)) continue;
            for (long a = v.start; a < v.end; a += 4096) {
                long frame = mm.frameOf(a);
                if (frame < 0 || k.frames.refCount(frame) <= 1) continue;
                if (!frameIds.containsKey(frame) && !fresh.contains(frame)) fresh.add(frame);
                refs.add(new int[] {(int) a, 0});
            }
        }
        writeFrames(w, fresh);
        for (int[] r : refs) r[1] = frameIds.get(mm.frameOf(r[0] & 0xffffffffL));
    }

    /** A VMA whose pages belong to an object (shm segment, file): none of them go with the MM. */
    static boolean skipsVma(Vma v) {
        return v.shared != null;
    }

    /** Whether this populated page of a VMA that is not skipped goes by reference (PAGE_REFS), not in PAGES. */
    boolean sharedFrame(long frame) {
        return frameIds.containsKey(frame);
    }

    /** Right after a VMA record: its backing object, for shm attachments and shared file mappings. */
    void afterVma(RecordWriter w, Vma v) throws IOException {
        if (v.shared instanceof ShmSegment s) {
            w.begin(Image.VMA_SHARED).u32(IpcData.BACK_SHM).u32(ipcIds.get(s.ns)).u32(s.id).u32(0).u64(v.fileOffset).str("").end();
        } else if (v.shared instanceof FilePages fp) {
            OpenFile f = fp.file();
            w.begin(Image.VMA_SHARED).u32(IpcData.BACK_FILE).u32(0).u32(0).u32(f.writable() ? 2 : 0).u64(v.fileOffset).str(f.path()).end();
        }
    }

    /** After the address space's PAGES: its references to shared frames. */
    void afterPages(RecordWriter w) throws IOException {
        int max = 65536;
        for (int from = 0; from < refs.size(); from += max) {
            int n = Math.min(max, refs.size() - from);
            w.begin(Image.PAGE_REFS).u32(n);
            for (int i = 0; i < n; i++) w.u32(refs.get(from + i)[0]).u32(refs.get(from + i)[1]);
            w.end();
        }
        refs.clear();
    }

    /** After a live task's TASK record: its namespaces, SEM_UNDO list and SysV wait, when any of them is not the default. */
    void writeTaskNs(RecordWriter w, Task t) throws IOException {
        int uts = t.uts == k.initialUts ? 0 : utsIds.get(t.uts), ipc = t.ipcNs == k.initialIpc ? 0 : ipcIds.get(t.ipcNs);
        SemUndo u = t.semUndo != null && t.semUndo.ns == t.ipcNs ? t.semUndo : null;
        List<Map.Entry<Integer, int[]>> adjust = new ArrayList<>();
        if (u != null) for (var e : u.adjust.entrySet()) if (u.ns.sem.get(e.getKey()) != null) adjust.add(e);
        if (adjust.isEmpty()) u = null;
        IpcObject wait = t.inRestart && t.ipcWait != null && !t.ipcWait.removed ? t.ipcWait : null;
        if (uts == 0 && ipc == 0 && u == null && wait == null) return;
        boolean first = u != null && !undoIds.containsKey(u);
        int undoId = u == null ? 0 : undoIds.computeIfAbsent(u, x -> undoIds.size() + 1);
        w.begin(Image.TASK_NS).u32(uts).u32(ipc).u32(undoId).u32(first ? adjust.size() : 0);
        if (first) {
            for (var e : adjust) {
                w.u32(e.getKey()).u32(e.getValue().length);
                for (int a : e.getValue()) w.u32(a);
            }
        }
        int kind = wait instanceof SemSet ? IpcData.WAIT_SEM : wait instanceof MsgQueue ? IpcData.WAIT_MSG : IpcData.WAIT_NONE;
        w.u32(kind).u32(wait == null ? 0 : wait.id).u32(kind == IpcData.WAIT_SEM ? t.ipcWaitSem : 0)
                .u32(kind == IpcData.WAIT_SEM && t.ipcWaitZero ? 1 : 0).end();
    }
}
