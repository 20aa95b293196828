package org.j386.checkpoint;

import org.j386.kernel.ipc.IpcIds;
import org.j386.kernel.ipc.SemSet;
import org.j386.kernel.ipc.ShmSegment;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes and checks records 20–29 for {@link ImageReader} (docs/image-format.md): every
 * count, length, id and reference; what does not fit is an ImageException naming the record.
 */
final class IpcRecordReader {
    private final IpcData x;
    /** Messages an MSQ announced that have not come yet, and the queue they go to. */
    private int msgsLeft;
    private IpcData.MsqRec curQueue;
    /** The last VMA record, while VMA_SHARED may still follow it. */
    private ImageData.VmaRec lastVma;
    /** Undo list ids defined so far, with their namespace. */
    private final Map<Integer, IpcData.IpcNsRec> undoNs = new HashMap<>();

    IpcRecordReader(IpcData x) {
        this.x = x;
    }

    /** Before every record: an MSQ's messages come right after it. */
    /** Before any record: null, or why a record of {@code type} cannot come here. */
    String before(int type) {
        if (msgsLeft > 0 && type != Image.MSG) return "MSQ announced " + msgsLeft + " more MSG records";
        if (type != Image.VMA_SHARED && type != Image.VMA) lastVma = null;
        return null;
    }

    /** A VMA record was read: a VMA_SHARED may follow; shared-flag and flag bits are checked here. */
    void vma(ImageData.VmaRec v, ImageReader.Payload p) throws ImageException {
        if ((v.flags & ~(1 | 2 | 8)) != 0) throw p.bad("VMA flags " + v.flags);
        lastVma = v;
    }

    /** A page of a PAGES record: not mapped by PAGE_REFS too, and not in a VMA whose pages belong to an object. */
    String pageConflict(ImageData.MmImage mm, long a) {
        TreeMap<Integer, Integer> r = x.refs.get(mm);
        if (r != null && r.containsKey((int) a)) return String.format("page %08x appears twice", a);
        ImageData.VmaRec v = vmaAt(mm.vmas, a);
        if (v != null && x.backing.containsKey(v)) return String.format("page %08x lies in a VMA backed by a shared object", a);
        return null;
    }

    private static ImageData.VmaRec vmaAt(List<ImageData.VmaRec> vmas, long a) {
        for (ImageData.VmaRec v : vmas) if (a >= (v.start & 0xffffffffL) && a < (v.end & 0xffffffffL)) return v;
        return null;
    }

    /**
     * Records 20–29; {@code inMm}: the previous record was MM, VMA, PAGES, PAGE_REFS or
     * VMA_SHARED of {@code mm}, whose PAGES so far hold the pages set in {@code mmPages} (bit = page number).
     */
    void decode(int type, ImageReader.Payload p, boolean inMm, ImageData.MmImage mm, java.util.BitSet mmPages, ImageData.TaskImage task) throws ImageException {
        switch (type) {
            case Image.FRAMES: {
                int n = p.u32();
                if (n <= 0 || n > Image.PAGES_PER_CHUNK) throw p.bad("frame count " + n);
                for (int i = 0; i < n; i++) {
                    int id = p.u32();
                    if (id != x.frames.size() + 1 + i) throw p.bad("frame id " + id + " out of order (want " + (x.frames.size() + 1 + i) + ")");
                }
                for (int i = 0; i < n; i++) x.frames.add(p.bytes(4096));
                return;
            }
            case Image.PAGE_REFS: {
                if (!inMm || mm.vmas.isEmpty()) throw p.bad("PAGE_REFS must follow the VMAs of their MM");
                int n = p.u32();
                if (n <= 0 || n > 65536) throw p.bad("page reference count " + n);
                TreeMap<Integer, Integer> r = x.refs.computeIfAbsent(mm, m -> new TreeMap<>());
                for (int i = 0; i < n; i++) {
                    int addr = p.u32(), frame = p.u32();
                    long a = addr & 0xffffffffL;
                    if ((a & 0xfff) != 0 || a >= 0xC0000000L) throw p.bad(String.format("page address %08x", a));
                    ImageData.VmaRec v = vmaAt(mm.vmas, a);
                    if (v == null) throw p.bad(String.format("page %08x lies outside every VMA", a));
                    if (x.backing.containsKey(v)) throw p.bad(String.format("page %08x lies in a VMA backed by a shared object", a));
                    if (mmPages.get((int) (a >>> 12)) || r.containsKey(addr)) throw p.bad(String.format("page %08x appears twice", a));
                    if (frame <= 0 || frame > x.frames.size()) throw p.bad("page " + String.format("%08x", a) + " names undefined frame " + frame);
                    r.put(addr, frame);
                }
                return;
            }
            case Image.VMA_SHARED: {
                if (lastVma == null) throw p.bad("VMA_SHARED must follow its VMA directly");
                ImageData.VmaRec v = lastVma;
                lastVma = null;
                if ((v.flags & 1) == 0) throw p.bad("VMA_SHARED after a private VMA");
                IpcData.Backing b = new IpcData.Backing();
                b.kind = p.u32(); b.nsId = p.u32(); b.shmId = p.u32(); b.openFlags = p.u32(); b.offset = p.u64(); b.path = p.str();
                if (b.offset < 0 || (b.offset & 0xfff) != 0) throw p.bad("backing offset " + b.offset);
                if (b.kind == IpcData.BACK_SHM) {
                    IpcData.IpcNsRec ns = x.ns(b.nsId);
                    if (ns == null) throw p.bad("shm attachment names undefined IPCNS " + b.nsId);
                    IpcData.ShmRec s = ns.shm.get(b.shmId % IpcIds.SEQ_MULTIPLIER);
                    if (s == null || s.id != b.shmId) throw p.bad("shm attachment names undefined segment " + b.shmId);
                    long pages = (s.size + 4095) >>> 12;
                    if ((b.offset >>> 12) + (((v.end & 0xffffffffL) - (v.start & 0xffffffffL)) >>> 12) > pages)
                        throw p.bad("shm attachment reaches past the end of segment " + b.shmId);
                    if (b.openFlags != 0 || !b.path.isEmpty()) throw p.bad("shm attachment with file flags or path");
                } else if (b.kind == IpcData.BACK_FILE) {
                    if (!b.path.startsWith("/")) throw p.bad("shared file mapping of '" + b.path + "', not an absolute path");
                    if (b.openFlags != 0 && b.openFlags != 2) throw p.bad("shared file mapping opened with flags " + b.openFlags);
                    if (b.nsId != 0 || b.shmId != 0) throw p.bad("shared file mapping with shm fields");
                } else {
                    throw p.bad("backing kind " + b.kind);
                }
                x.backing.put(v, b);
                return;
            }
            case Image.UTSNS: {
                IpcData.UtsRec u = new IpcData.UtsRec();
                u.id = p.u32();
                int flags = p.u32();
                u.hostname = name(p);
                u.domainname = name(p);
                if (u.id != x.uts.size() + 1) throw p.bad("UTSNS id " + u.id + " out of order");
                if (flags != 0 && flags != 1) throw p.bad("UTSNS flags " + flags);
                u.initial = flags == 1;
                for (IpcData.UtsRec o : x.uts) if (u.initial && o.initial) throw p.bad("two initial UTS namespaces");
                x.uts.add(u);
                return;
            }
            case Image.IPCNS: {
                IpcData.IpcNsRec n = new IpcData.IpcNsRec();
                n.id = p.u32();
                int flags = p.u32();
                n.seqShm = p.u32(); n.seqSem = p.u32(); n.seqMsg = p.u32();
                n.shmMax = p.u64(); n.shmAll = p.u64();
                n.shmMni = p.u32(); n.semMsl = p.u32(); n.semMns = p.u32(); n.semOpm = p.u32(); n.semMni = p.u32();
                n.msgMax = p.u32(); n.msgMnb = p.u32(); n.msgMni = p.u32();
                if (n.id != x.ipcNs.size() + 1) throw p.bad("IPCNS id " + n.id + " out of order");
                if (flags != 0 && flags != 1) throw p.bad("IPCNS flags " + flags);
                n.initial = flags == 1;
                for (IpcData.IpcNsRec o : x.ipcNs) if (n.initial && o.initial) throw p.bad("two initial IPC namespaces");
                for (int seq : new int[] {n.seqShm, n.seqSem, n.seqMsg}) if (seq < 0 || seq > IpcIds.SEQ_MAX) throw p.bad("sequence number " + seq);
                if (n.shmMax < 1 || n.shmAll < 0) throw p.bad("shm limits " + n.shmMax + "/" + n.shmAll);
                for (int lim : new int[] {n.shmMni, n.semMni, n.msgMni}) if (lim < 0 || lim > IpcIds.SEQ_MULTIPLIER) throw p.bad("object limit " + lim);
                if (n.semMsl < 0 || n.semMns < 0 || n.semOpm < 0 || n.msgMax < 0 || n.msgMnb < 0) throw p.bad("negative limit");
                x.ipcNs.add(n);
                return;
            }
            case Image.SHM: {
                IpcData.IpcNsRec ns = nsOf(p);
                IpcData.ShmRec s = new IpcData.ShmRec();
                perm(p, s, ShmSegment.SHM_DEST | ShmSegment.SHM_LOCKED, "segment");
                s.size = p.u64(); s.atime = p.u64(); s.dtime = p.u64(); s.cpid = p.u32(); s.lpid = p.u32();
                if (s.size < 1 || s.size > 0xC0000000L) throw p.bad("segment size " + s.size);
                long pages = (s.size + 4095) >>> 12;
                place(p, ns.shm, s, ns.shmMni, "segment");
                int n = p.u32();
                if (n < 0 || n > pages) throw p.bad("segment of " + pages + " pages with " + n + " populated");
                for (int i = 0; i < n; i++) {
                    int idx = p.u32(), frame = p.u32();
                    if (idx < 0 || idx >= pages || s.pages.containsKey(idx)) throw p.bad("segment page " + idx);
                    if (frame <= 0 || frame > x.frames.size()) throw p.bad("segment page " + idx + " names undefined frame " + frame);
                    s.pages.put(idx, frame);
                }
                return;
            }
            case Image.SEM: {
                IpcData.IpcNsRec ns = nsOf(p);
                IpcData.SemRec s = new IpcData.SemRec();
                perm(p, s, 0, "semaphore set");
                s.otime = p.u64();
                int n = p.u32();
                if (n < 1 || n > 32000) throw p.bad("semaphore set of " + n);
                place(p, ns.sem, s, ns.semMni, "semaphore set");
                s.val = new int[n];
                s.pid = new int[n];
                for (int i = 0; i < n; i++) {
                    s.val[i] = p.u32(); s.pid[i] = p.u32();
                    if (s.val[i] < 0 || s.val[i] > SemSet.SEMVMX) throw p.bad("semaphore value " + s.val[i]);
                    if (s.pid[i] < 0 || s.pid[i] > 4194304) throw p.bad("semaphore pid " + s.pid[i]);
                }
                return;
            }
            case Image.MSQ: {
                IpcData.IpcNsRec ns = nsOf(p);
                IpcData.MsqRec q = new IpcData.MsqRec();
                perm(p, q, 0, "message queue");
                q.stime = p.u64(); q.rtime = p.u64(); q.lspid = p.u32(); q.lrpid = p.u32(); q.qbytes = p.u64();
                int n = p.u32();
                if (q.qbytes < 0 || q.qbytes > Integer.MAX_VALUE) throw p.bad("queue limit " + q.qbytes);
                if (n < 0 || n > 1 << 20) throw p.bad("message queue of " + n + " messages");
                place(p, ns.msq, q, ns.msgMni, "message queue");
                msgsLeft = n;
                curQueue = q;
                return;
            }
            case Image.MSG: {
                if (msgsLeft == 0) throw p.bad("MSG outside a message queue");
                int type2 = p.u32(), len = p.u32();
                if (type2 < 1) throw p.bad("message type " + type2);
                if (len < 0 || len > Image.MAX_RECORD - 8) throw p.bad("message of " + (len & 0xffffffffL) + " bytes");
                curQueue.types.add(type2);
                curQueue.texts.add(p.bytes(len));
                msgsLeft--;
                return;
            }
            case Image.TASK_NS: {
                if (task == null || task.task.zombie) throw p.bad("TASK_NS must follow a live task's TASK");
                int pid = task.task.pid;
                if (x.tasks.containsKey(pid)) throw p.bad("second TASK_NS for task " + pid);
                IpcData.TaskNsRec r = new IpcData.TaskNsRec();
                r.utsId = p.u32(); r.ipcId = p.u32(); r.undoId = p.u32();
                if (r.utsId != 0 && x.utsNs(r.utsId) == null) throw p.bad("task " + pid + " names undefined UTSNS " + r.utsId);
                IpcData.IpcNsRec ns = x.taskNs(r.ipcId);
                if (r.ipcId != 0 && ns == null) throw p.bad("task " + pid + " names undefined IPCNS " + r.ipcId);
                int n = p.u32();
                if (n < 0 || n > 32000) throw p.bad("undo list of " + n + " sets");
                if (r.undoId < 0 || (r.undoId == 0 && n != 0)) throw p.bad("undo list " + r.undoId + " with " + n + " sets");
                boolean defined = undoNs.containsKey(r.undoId);
                IpcData.IpcNsRec definedIn = undoNs.get(r.undoId);
                if (r.undoId != 0 && !defined) {
                    if (r.undoId != undoNs.size() + 1 || n == 0) throw p.bad("undo list " + r.undoId + " is not defined here or before");
                    undoNs.put(r.undoId, ns);
                } else if (r.undoId != 0) {
                    if (n != 0) throw p.bad("undo list " + r.undoId + " is defined twice");
                    if (definedIn != ns) throw p.bad("undo list " + r.undoId + " shared across IPC namespaces");
                }
                for (int i = 0; i < n; i++) {
                    int semid = p.u32(), nsems = p.u32();
                    IpcData.SemRec s = ns == null ? null : ns.sem.get(semid % IpcIds.SEQ_MULTIPLIER);
                    if (s == null || s.id != semid || semid < 0) throw p.bad("undo entry for undefined semaphore set " + semid);
                    if (nsems != s.val.length) throw p.bad("undo entry of " + nsems + " for a set of " + s.val.length);
                    if (r.undo.put(semid, new int[0]) != null) throw p.bad("undo entry for set " + semid + " twice");
                    int[] adj = new int[nsems];
                    for (int j = 0; j < nsems; j++) {
                        adj[j] = p.u32();
                        if (adj[j] < -32768 || adj[j] > 32767) throw p.bad("undo adjustment " + adj[j]);
                    }
                    r.undo.put(semid, adj);
                }
                r.waitKind = p.u32(); r.waitId = p.u32(); r.waitSem = p.u32();
                int zero = p.u32();
                if (zero != 0 && zero != 1) throw p.bad("wait-for-zero " + zero);
                r.waitZero = zero == 1;
                if (r.waitKind == IpcData.WAIT_SEM) {
                    IpcData.SemRec s = ns == null ? null : ns.sem.get(r.waitId % IpcIds.SEQ_MULTIPLIER);
                    if (s == null || s.id != r.waitId || r.waitId < 0) throw p.bad("task " + pid + " waits on undefined semaphore set " + r.waitId);
                    if (r.waitSem < 0 || r.waitSem >= s.val.length) throw p.bad("task " + pid + " waits on semaphore " + r.waitSem);
                } else if (r.waitKind == IpcData.WAIT_MSG) {
                    IpcData.MsqRec q = ns == null ? null : ns.msq.get(r.waitId % IpcIds.SEQ_MULTIPLIER);
                    if (q == null || q.id != r.waitId || r.waitId < 0) throw p.bad("task " + pid + " waits on undefined message queue " + r.waitId);
                    if (r.waitSem != 0 || zero != 0) throw p.bad("semaphore fields in a message queue wait");
                } else if (r.waitKind != IpcData.WAIT_NONE || r.waitId != 0 || r.waitSem != 0 || zero != 0) {
                    throw p.bad("wait kind " + r.waitKind);
                }
                if (r.waitKind != IpcData.WAIT_NONE && (task.task.flags & ImageData.T_IN_RESTART) == 0)
                    throw p.bad("task " + pid + " waits on SysV IPC without being parked in a system call");
                x.tasks.put(pid, r);
                return;
            }
            default:
                throw p.bad("unknown record type");
        }
    }

    /** At the tail: no MSQ still waiting for messages. */
    void finish(ImageReader.Payload tail) throws ImageException {
        if (msgsLeft > 0) throw tail.bad("MSQ announced " + msgsLeft + " more MSG records");
    }

    private static String name(ImageReader.Payload p) throws ImageException {
        int n = p.u32();
        if (n < 0 || n > 64) throw p.bad("name of " + (n & 0xffffffffL) + " bytes (at most 64)");
        String s = new String(p.bytes(n), StandardCharsets.ISO_8859_1);
        if (s.indexOf('\0') >= 0) throw p.bad("name with a NUL byte");
        return s;
    }

    private IpcData.IpcNsRec nsOf(ImageReader.Payload p) throws ImageException {
        int id = p.u32();
        IpcData.IpcNsRec ns = x.ns(id);
        if (ns == null) throw p.bad("object of undefined IPCNS " + id);
        return ns;
    }

    /** The ipc_perm fields; the mode holds permission bits and at most the state bits {@code extra}. */
    private static void perm(ImageReader.Payload p, IpcData.PermRec o, int extra, String what) throws ImageException {
        o.id = p.u32(); o.key = p.u32(); o.uid = p.u32(); o.gid = p.u32(); o.cuid = p.u32(); o.cgid = p.u32(); o.mode = p.u32();
        o.ctime = p.u64();
        if ((o.mode & ~(0777 | extra)) != 0) throw p.bad(what + " mode 0" + Integer.toOctalString(o.mode));
    }

    /** The object's id: not negative, a sequence number in range, an index below the namespace's limit and free. */
    private static <T extends IpcData.PermRec> void place(ImageReader.Payload p, Map<Integer, T> byIndex, T o, int max, String what)
            throws ImageException {
        if (o.id < 0) throw p.bad(what + " id " + o.id);
        int idx = o.id % IpcIds.SEQ_MULTIPLIER;
        if (idx >= Math.max(max, 1)) throw p.bad(what + " id " + o.id + ": index " + idx + " beyond the namespace's limit " + max);
        if (byIndex.containsKey(idx)) throw p.bad(what + " index " + idx + " defined twice");
        for (T other : byIndex.values()) if (o.key != 0 && other.key == o.key) throw p.bad(what + " key " + o.key + " used twice");
        byIndex.put(idx, o);
    }
}
