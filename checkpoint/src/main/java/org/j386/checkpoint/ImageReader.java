package org.j386.checkpoint;

import org.j386.kernel.Signals;


import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Reads and validates an image completely before anything is restored: every length, count,
 * address and reference is checked, and any problem is one {@link ImageException} naming the
 * record type and its offset. Nothing of a half-read image is ever used.
 */
public final class ImageReader {
    private final ImageInput in;
    private final CRC32 crc = new CRC32();
    private long offset;

    private ImageReader(ImageInput in) {
        this.in = in;
    }

    /**
     * Reads and validates an image from a stream (from a file's channel when it is a
     * FileInputStream). The caller closes the result, which releases its off-heap pages; on
     * failure nothing stays allocated.
     */
    public static ImageData read(InputStream in) throws ImageException, IOException {
        return new ImageReader(new ImageInput(in)).readAll();
    }

    /** Reads and validates the image file {@code image}, its pages from the file's channel straight into off-heap memory. */
    public static ImageData read(java.nio.file.Path image) throws ImageException, IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(image)) {
            return new ImageReader(new ImageInput(ch)).readAll();
        }
    }

    private byte[] take(int n, String where) throws ImageException, IOException {
        byte[] b = new byte[n];
        int got = in.readFully(b, 0, n);
        if (got < n) throw new ImageException(where, offset + got, "truncated: the image ends in the middle");
        return b;
    }

    private ImageData readAll() throws ImageException, IOException {
        ImageData d = new ImageData();
        boolean ok = false;
        try {
            readAll(d);
            ok = true;
            return d;
        } finally {
            if (!ok) d.close();
        }
    }

    private void readAll(ImageData d) throws ImageException, IOException {
        ipc = new IpcRecordReader(d.ipc);
        byte[] head = take(12, "file header");
        if (!Arrays.equals(Arrays.copyOf(head, 8), Image.MAGIC)) throw new ImageException("file header", 0, "not a j386 checkpoint image (bad magic)");
        int version = ByteBuffer.wrap(head, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (version != Image.VERSION) throw new ImageException("file header", 8, "format version " + version + " is not supported (this j386 reads version " + Image.VERSION + ")");
        crc.update(head);
        offset = 12;
        int records = 0;
        long tailOffset = 0;
        while (true) {
            long recOffset = offset;
            byte[] h = take(8, "record header");
            ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            int type = hb.getShort() & 0xffff;
            int reserved = hb.getShort() & 0xffff;
            int len = hb.getInt();
            String where = "record " + Image.typeName(type) + " (#" + records + ")";
            if (reserved != 0) throw new ImageException(where, recOffset, "reserved header field is " + reserved);
            if (len < 0 || len > Image.MAX_RECORD) throw new ImageException(where, recOffset, "length " + (len & 0xffffffffL) + " out of range");
            int checksumBefore = (int) crc.getValue();
            if (type == Image.PAGES) {
                crc.update(h);
                offset += 8;
                readPages(len, where, records);
                records++;
                continue;
            }
            byte[] body = take(len, where);
            offset += 8 + len;
            if (type == Image.TAIL) {
                tailOffset = recOffset;
                ByteBuffer t = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
                if (len != 8) throw new ImageException(where, recOffset, "tail length " + len + ", want 8");
                int count = t.getInt(), sum = t.getInt();
                if (count != records) throw new ImageException(where, recOffset, "tail counts " + count + " records, the image has " + records);
                if (sum != checksumBefore) throw new ImageException(where, recOffset, String.format("checksum mismatch (image says %08x, data gives %08x)", sum, checksumBefore));
                if (!in.atEnd()) throw new ImageException(where, offset, "data after the tail");
                d.recordCount = count;
                d.checksum = sum;
                break;
            }
            crc.update(h);
            crc.update(body);
            Payload p = new Payload(body, where, recOffset + 8);
            decode(d, type, p, records);
            p.done();
            records++;
        }
        check(d, tailOffset);
    }

    /** The page addresses seen in the current MM (page numbers below 0xC0000). */
    private final java.util.BitSet curMmPages = new java.util.BitSet();
    /** A PAGES record's count and addresses. */
    private final byte[] pagesHead = new byte[4 + 4 * Image.PAGES_PER_CHUNK];
    private final ByteBuffer pagesHeadBuf = ByteBuffer.wrap(pagesHead).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * A PAGES record, its header read: the count and addresses are checked, then the contents
     * go from the input into an off-heap page array of the current MM (never a heap array).
     * On return {@link #offset} is past the record.
     */
    private void readPages(int len, String where, int index) throws ImageException, IOException {
        long base = offset;
        if (index == 0) throw new ImageException(where, base, "the first record must be HEADER");
        if (fdsLeft > 0) throw new ImageException(where, base, "FDTABLE announced " + fdsLeft + " more FD records");
        boolean inMm = lastType == Image.MM || lastType == Image.VMA || lastType == Image.PAGES
                || lastType == Image.PAGE_REFS || lastType == Image.VMA_SHARED;
        lastType = Image.PAGES;
        String ipcWhy = ipc.before(Image.PAGES);
        if (ipcWhy != null) throw new ImageException(where, base, ipcWhy);
        if (!inMm || curMm.vmas.isEmpty()) throw new ImageException(where, base, "PAGES must follow the VMAs of their MM");
        if (len < 4) throw new ImageException(where, base, "record too short (" + len + " bytes left, need 4)");
        readHead(0, 4, where);
        int n = pagesHeadBuf.getInt(0);
        if (n <= 0 || n > Image.PAGES_PER_CHUNK) throw new ImageException(where, base, "page count " + n);
        long want = 4 + (long) n * (4 + PageArray.PAGE_SIZE);
        if (len < want) throw new ImageException(where, base + 4, "record too short (" + (len - 4) + " bytes left, need " + (want - 4) + ")");
        if (len > want) throw new ImageException(where, base + want, (len - want) + " unexpected bytes at the end of the record");
        readHead(4, 4 * n, where);
        for (int i = 0; i < n; i++) {
            long a = pagesHeadBuf.getInt(4 + 4 * i) & 0xffffffffL;
            long at = base + 4 + 4L * i;
            if ((a & 0xfff) != 0 || a >= 0xC0000000L) throw new ImageException(where, at, String.format("page address %08x", a));
            if (!inVma(curMm.vmas, a)) throw new ImageException(where, at, String.format("page %08x lies outside every VMA", a));
            if (curMmPages.get((int) (a >>> 12))) throw new ImageException(where, at, String.format("page %08x appears twice", a));
            String clash = ipc.pageConflict(curMm, a);
            if (clash != null) throw new ImageException(where, at, clash);
            curMmPages.set((int) (a >>> 12));
        }
        crc.update(pagesHead, 0, 4 + 4 * n);
        PageArray pa = new PageArray(n);
        curMm.pages.add(pa); // owned by the image from now on: released with it, also if what follows fails
        pa.setSize(n);
        for (int i = 0; i < n; i++) pa.setAddress(i, pagesHeadBuf.getInt(4 + 4 * i));
        ByteBuffer contents = pa.contentsBuffer();
        int got = in.readFully(contents);
        if (got < n * PageArray.PAGE_SIZE) throw new ImageException(where, offset + got, "truncated: the image ends in the middle");
        contents.flip();
        crc.update(contents);
        offset += (long) n * PageArray.PAGE_SIZE;
    }

    private void readHead(int at, int n, String where) throws ImageException, IOException {
        int got = in.readFully(pagesHead, at, n);
        offset += got;
        if (got < n) throw new ImageException(where, offset, "truncated: the image ends in the middle");
    }

    /** Decoding state: the task, address space and descriptor table the following records belong to. */
    private ImageData.TaskImage cur;
    private ImageData.MmImage curMm;
    private List<ImageData.FdRec> curTable;
    private int fdsLeft, lastType = -1;
    private IpcRecordReader ipc;
    private final Set<Integer> curTableFds = new HashSet<>();

    private void decode(ImageData d, int type, Payload p, int index) throws ImageException {
        if (index == 0 && type != Image.HEADER) throw p.bad("the first record must be HEADER");
        if (fdsLeft > 0 && type != Image.FD) throw p.bad("FDTABLE announced " + fdsLeft + " more FD records");
        boolean inMm = lastType == Image.MM || lastType == Image.VMA || lastType == Image.PAGES
                || lastType == Image.PAGE_REFS || lastType == Image.VMA_SHARED;
        lastType = type;
        String ipcWhy = ipc.before(type);
        if (ipcWhy != null) throw p.bad(ipcWhy);
        if (type >= Image.FRAMES && type <= Image.TASK_NS) {
            ipc.decode(type, p, inMm, curMm, curMmPages, cur);
            return;
        }
        switch (type) {
            case Image.HEADER: {
                if (d.header != null) throw p.bad("second HEADER");
                ImageData.Header h = new ImageData.Header();
                h.arch = p.str(); h.kernelModel = p.str(); h.sysname = p.str(); h.nodename = p.str(); h.release = p.str();
                h.version = p.str(); h.machine = p.str();
                h.icount = p.u64(); h.skippedNanos = p.u64(); h.bootEpochNanos = p.u64();
                if (!"i386".equals(h.arch)) throw p.bad("architecture '" + h.arch + "', this machine is i386");
                if (h.icount < 0 || h.skippedNanos < 0) throw p.bad("negative virtual time");
                d.header = h;
                return;
            }
            case Image.TASK: {
                finishTask(p);
                if (d.tasks.size() >= Image.MAX_TASKS) throw p.bad("more than " + Image.MAX_TASKS + " tasks");
                ImageData.TaskRec t = new ImageData.TaskRec();
                t.pid = p.pid(); t.tgid = p.pid(); t.ppid = p.u32(); t.pgid = p.pid(); t.sid = p.pid();
                if (t.ppid < 0 || t.ppid > 4194304) throw p.bad("parent pid " + t.ppid + " out of range");
                t.comm = p.str();
                t.uid = p.u32(); t.euid = p.u32(); t.suid = p.u32(); t.fsuid = p.u32();
                t.gid = p.u32(); t.egid = p.u32(); t.sgid = p.u32(); t.fsgid = p.u32();
                t.umask = p.u32();
                if ((t.umask & ~0777) != 0) throw p.bad("umask " + Integer.toOctalString(t.umask));
                t.cwd = p.path(); t.root = p.path();
                for (int i = 0; i < 16; i++) { t.rlimCur[i] = p.u64(); t.rlimMax[i] = p.u64(); }
                t.clearChildTid = p.u32(); t.robustList = p.u32(); t.robustListLen = p.u32();
                int state = p.u32();
                if (state != 0 && state != 1) throw p.bad("task state " + state);
                t.zombie = state == 1;
                t.waitStatus = p.u32();
                t.mmId = p.u32(); t.filesId = p.u32(); t.sighandId = p.u32();
                t.flags = p.u32();
                if ((t.flags & ~ImageData.T_ALL) != 0) throw p.bad(String.format("task flags %x", t.flags));
                t.stopSignal = p.u32();
                if (t.stopSignal < 0 || t.stopSignal > 64) throw p.bad("stop signal " + t.stopSignal);
                t.sleepDeadline = p.u64(); t.sigwaitMask = p.u64(); t.suspendSavedMask = p.u64(); t.cpuNanos = p.u64();
                t.realDeadline = p.u64(); t.realInterval = p.u64(); t.virtDeadline = p.u64(); t.virtInterval = p.u64();
                t.profDeadline = p.u64(); t.profInterval = p.u64();
                if (t.sleepDeadline < 0 || t.cpuNanos < 0 || t.realDeadline < 0 || t.realInterval < 0 || t.virtDeadline < 0
                        || t.virtInterval < 0 || t.profDeadline < 0 || t.profInterval < 0) throw p.bad("negative time");
                for (ImageData.TaskImage o : d.tasks) if (o.task.pid == t.pid) throw p.bad("pid " + t.pid + " appears twice");
                if (t.zombie) {
                    if (t.pid != t.tgid) throw p.bad("a zombie must be a process, not a thread");
                    if (t.mmId != 0 || t.filesId != 0 || t.sighandId != 0) throw p.bad("a zombie has no memory, files or handlers");
                } else {
                    if (!d.mms.containsKey(t.mmId)) throw p.bad("task " + t.pid + " names undefined MM " + t.mmId);
                    if (!d.fdTables.containsKey(t.filesId)) throw p.bad("task " + t.pid + " names undefined FDTABLE " + t.filesId);
                    if (!d.sighands.containsKey(t.sighandId)) throw p.bad("task " + t.pid + " names undefined SIGHAND " + t.sighandId);
                }
                cur = new ImageData.TaskImage();
                cur.task = t;
                d.tasks.add(cur);
                return;
            }
            case Image.CPU: {
                ImageData.TaskImage ti = liveTask(p);
                if (ti.cpu != null) throw p.bad("second CPU record for task " + ti.task.pid);
                ImageData.CpuRec c = new ImageData.CpuRec();
                for (int i = 0; i < 8; i++) c.r[i] = p.u32();
                c.eip = p.u32(); c.eflags = p.u32();
                for (int i = 0; i < 6; i++) c.seg[i] = p.u16();
                c.fcw = p.u16(); c.fsw = p.u16(); c.ftw = p.u16(); c.fip = p.u32(); c.fcs = p.u16(); c.fop = p.u16();
                c.fdp = p.u32(); c.fds = p.u16();
                for (int i = 0; i < 8; i++) { c.fsig[i] = p.u64(); c.fse[i] = p.u16(); }
                if ((c.seg[1] & 3) != 3) throw p.bad("code segment selector " + c.seg[1] + " is not a user selector");
                ti.cpu = c;
                return;
            }
            case Image.TLS: {
                ImageData.TaskImage ti = liveTask(p);
                if (ti.tlsSeen) throw p.bad("second TLS record for task " + ti.task.pid);
                for (int i = 0; i < 3; i++) ti.tls[i] = p.u64();
                ti.tlsSeen = true;
                return;
            }
            case Image.SIGNALS: {
                ImageData.TaskImage ti = liveTask(p);
                if (ti.signals != null) throw p.bad("second SIGNALS record for task " + ti.task.pid);
                ImageData.SignalsRec s = new ImageData.SignalsRec();
                s.blocked = p.u64(); s.pending = p.u64();
                s.altBase = p.u32(); s.altSize = p.u32(); s.altFlags = p.u32();
                ImageData.SigHandRec h = d.sighands.get(ti.task.sighandId);
                System.arraycopy(h.handler, 0, s.handler, 0, 65);
                System.arraycopy(h.flags, 0, s.flags, 0, 65);
                System.arraycopy(h.restorer, 0, s.restorer, 0, 65);
                System.arraycopy(h.mask, 0, s.mask, 0, 65);
                ti.signals = s;
                return;
            }
            case Image.SIGINFO: {
                ImageData.TaskImage ti = liveTask(p);
                if (ti.signals == null) throw p.bad("SIGINFO before the task's SIGNALS");
                ImageData.SigInfoRec r = new ImageData.SigInfoRec();
                r.signo = p.u32(); r.code = p.u32(); r.addr = p.u32(); r.pid = p.u32(); r.uid = p.u32();
                r.trapno = p.u32(); r.err = p.u32(); r.cr2 = p.u32(); r.status = p.u32(); r.set = p.u32();
                if (r.signo < 1 || r.signo > 64) throw p.bad("signal " + r.signo);
                if (r.set != 0 && r.set != 1) throw p.bad("siginfo set " + r.set);
                if (r.set == 1 && ti.task.pid != ti.task.tgid) throw p.bad("a process's pending signal on thread " + ti.task.pid + ", not its leader");
                if (r.set == 0 && ((ti.signals.pending >>> (r.signo - 1)) & 1) == 0) throw p.bad("siginfo for signal " + r.signo + ", which is not pending");
                if (ti.sigInfo.size() >= Image.MAX_SIGINFO) throw p.bad("more than " + Image.MAX_SIGINFO + " pending signals");
                if (r.signo < Signals.SIGRTMIN)
                    for (ImageData.SigInfoRec o : ti.sigInfo) if (o.signo == r.signo && o.set == r.set) throw p.bad("second siginfo for standard signal " + r.signo);
                ti.sigInfo.add(r);
                return;
            }
            case Image.TIMER: {
                ImageData.TaskImage ti = liveTask(p);
                if (ti.task.pid != ti.task.tgid) throw p.bad("POSIX timers belong to the process leader, not thread " + ti.task.pid);
                ImageData.TimerRec r = new ImageData.TimerRec();
                r.id = p.u32(); r.clockId = p.u32(); r.base = p.u32(); r.notify = p.u32(); r.signo = p.u32(); r.value = p.u32();
                r.tid = p.u32(); r.clockTid = p.u32(); r.deadline = p.u64(); r.interval = p.u64(); r.overrun = p.u32();
                if (r.id < 0 || r.id > 65535) throw p.bad("timer id " + r.id);
                if (r.base < 0 || r.base > 2) throw p.bad("timer clock base " + r.base);
                if (r.notify != 0 && r.notify != 1 && r.notify != 4) throw p.bad("timer notification " + r.notify);
                if (r.notify != 1 && (r.signo < 1 || r.signo > 64)) throw p.bad("timer signal " + r.signo);
                if (r.deadline < 0 || r.interval < 0 || r.overrun < 0) throw p.bad("negative timer value");
                for (ImageData.TimerRec o : ti.timers) if (o.id == r.id) throw p.bad("timer " + r.id + " appears twice");
                ti.timers.add(r);
                return;
            }
            case Image.LDT: {
                ImageData.TaskImage ti = liveTask(p);
                if (ti.ldt.length > 0) throw p.bad("second LDT record for task " + ti.task.pid);
                int n = p.u32();
                if (n <= 0 || n > 8192) throw p.bad("LDT of " + n + " entries");
                ti.ldt = new long[n];
                for (int i = 0; i < n; i++) ti.ldt[i] = p.u64();
                return;
            }
            case Image.MM: {
                ImageData.MmImage mi = new ImageData.MmImage();
                mi.id = p.u32();
                if (mi.id <= 0 || d.mms.containsKey(mi.id)) throw p.bad("MM id " + mi.id + " is zero or defined twice");
                ImageData.MmRec m = new ImageData.MmRec();
                m.startBrk = p.user(); m.brk = p.user(); m.startCode = p.user(); m.endCode = p.user(); m.startStack = p.user();
                m.argStart = p.user(); m.argEnd = p.user(); m.envStart = p.user(); m.envEnd = p.user();
                m.exe = p.str();
                mi.mm = m;
                d.mms.put(mi.id, mi);
                curMm = mi;
                curMmPages.clear();
                return;
            }
            case Image.VMA: {
                if (!inMm) throw p.bad("a VMA must follow its MM record (or another VMA or PAGES of it)");
                ImageData.VmaRec v = new ImageData.VmaRec();
                v.start = p.u32(); v.end = p.u32(); v.prot = p.u32(); v.flags = p.u32(); v.name = p.str();
                long s = v.start & 0xffffffffL, e = v.end & 0xffffffffL;
                if ((s & 0xfff) != 0 || (e & 0xfff) != 0 || s >= e || e > 0xC0000000L)
                    throw p.bad(String.format("VMA %08x-%08x is not a page-aligned range in user space", s, e));
                if ((v.prot & ~7) != 0) throw p.bad("VMA protection " + v.prot);
                List<ImageData.VmaRec> vmas = curMm.vmas;
                if (!vmas.isEmpty() && (vmas.get(vmas.size() - 1).end & 0xffffffffL) > s) throw p.bad("VMAs overlap or are out of order");
                ipc.vma(v, p);
                vmas.add(v);
                return;
            }
            case Image.SIGHAND: {
                ImageData.SigHandRec h = new ImageData.SigHandRec();
                h.id = p.u32();
                if (h.id <= 0 || d.sighands.containsKey(h.id)) throw p.bad("SIGHAND id " + h.id + " is zero or defined twice");
                for (int sig = 1; sig <= 64; sig++) {
                    h.handler[sig] = p.u32(); h.flags[sig] = p.u32(); h.restorer[sig] = p.u32(); h.mask[sig] = p.u64();
                }
                d.sighands.put(h.id, h);
                return;
            }
            case Image.PIPE: {
                int id = p.u32();
                if (id <= 0 || d.pipes.containsKey(id)) throw p.bad("PIPE id " + id + " is zero or defined twice");
                int n = p.u32();
                if (n < 0 || n > Image.MAX_PIPE_BYTES) throw p.bad("pipe holds " + (n & 0xffffffffL) + " bytes, at most " + Image.MAX_PIPE_BYTES);
                d.pipes.put(id, p.bytes(n));
                return;
            }
            case Image.FILE: {
                ImageData.FileRec f = new ImageData.FileRec();
                f.id = p.u32(); f.kind = p.u32(); f.flags = p.u32(); f.pos = p.u64(); f.path = p.str(); f.size = p.u64();
                f.mtimeNanos = p.u64(); f.consoleIndex = p.u32(); f.pipeId = p.u32();
                if (f.kind >= Image.FILE_FIFO) {
                    ObjectDecoder.checkFile(d, f, p);
                    if (d.files.put(f.id, f) != null) throw p.bad("file object " + f.id + " defined twice");
                    return;
                }
                if (f.kind < Image.FILE_CONSOLE || f.kind > Image.FILE_TMPFS) throw p.bad("file kind " + f.kind);
                if (f.kind == Image.FILE_TMPFS) {
                    long[] node = d.tmpfsPending.get(f.consoleIndex);
                    if (node == null || (node[0] & 0170000) != 0100000) throw p.bad("file refers to tmpfs node " + f.consoleIndex + ", not a regular file before it");
                }
                if (f.kind == Image.FILE_CONSOLE && (f.consoleIndex < 0 || f.consoleIndex > 2)) throw p.bad("console index " + f.consoleIndex);
                if (f.kind == Image.FILE_PIPE) {
                    if (!d.pipes.containsKey(f.pipeId)) throw p.bad("pipe end names undefined PIPE " + f.pipeId);
                    if ((f.flags & 3) != 0 && (f.flags & 3) != 1) throw p.bad("pipe end opened neither read-only nor write-only");
                } else if (f.pipeId != 0) {
                    throw p.bad("only a pipe end names a PIPE");
                }
                if (f.kind != Image.FILE_CONSOLE && f.kind != Image.FILE_PIPE && !f.path.startsWith("/")) throw p.bad("file path '" + f.path + "' is not absolute");
                if (f.pos < 0) throw p.bad("negative file position");
                if (d.files.put(f.id, f) != null) throw p.bad("file object " + f.id + " defined twice");
                return;
            }
            case Image.FDTABLE: {
                int id = p.u32(), n = p.u32();
                if (id <= 0 || d.fdTables.containsKey(id)) throw p.bad("FDTABLE id " + id + " is zero or defined twice");
                if (n < 0 || n > 65536) throw p.bad("FDTABLE of " + (n & 0xffffffffL) + " descriptors");
                curTable = new ArrayList<>();
                curTableFds.clear();
                d.fdTables.put(id, curTable);
                fdsLeft = n;
                return;
            }
            case Image.TMPFS_NODE: {
                int id = p.u32(), parent = p.u32();
                String name = p.str();
                int mode = p.u32(), uid = p.u32(), gid = p.u32();
                long atime = p.u64(), mtime = p.u64(), ctime = p.u64(), size = p.u64();
                String target = p.str();
                if (id != d.tmpfsPending.size() + 1) throw p.bad("tmpfs node " + id + " out of order");
                if (id == 1 ? parent != 0 || !name.equals("/tmp") : parent < 0 || parent >= id) throw p.bad("tmpfs node " + id + ": parent " + parent);
                if (parent != 0 && (name.isEmpty() || name.length() > 255 || name.contains("/") || name.equals(".") || name.equals("..")))
                    throw p.bad("tmpfs node " + id + ": name '" + name + "'");
                int ftype = mode & 0170000;
                if (ftype != 0040000 && ftype != 0100000 && ftype != 0120000 && ftype != 0010000) throw p.bad("tmpfs node " + id + ": mode 0" + Integer.toOctalString(mode));
                if (id == 1 && ftype != 0040000) throw p.bad("tmpfs node 1 is not a directory");
                if (size < 0 || size > Integer.MAX_VALUE - 8 || (ftype != 0100000 && size != 0)) throw p.bad("tmpfs node " + id + ": size " + size);
                d.tmpfsPending.put(id, new long[] {mode, size, 0});
                byte[] data = ftype == 0100000 ? new byte[(int) size] : null;
                if (data != null) d.tmpfsData.put(id, data);
                d.tmpfs.nodes.add(new org.j386.kernel.fs.TmpfsImage.Node(id, parent, name, mode, uid, gid, atime, mtime, ctime, data, target));
                return;
            }
            case Image.TMPFS_DATA: {
                int id = p.u32();
                long off = p.u64();
                int n = p.u32();
                byte[] data = d.tmpfsData.get(id);
                long[] node = d.tmpfsPending.get(id);
                if (data == null) throw p.bad("data for tmpfs node " + id + ", not a regular file before it");
                if (n < 1 || n > Image.TMPFS_CHUNK || off != node[2] || off + n > data.length) throw p.bad("tmpfs data " + off + "+" + n + " for node " + id);
                System.arraycopy(p.bytes(n), 0, data, (int) off, n);
                node[2] += n;
                return;
            }
            case Image.TMPFS_LINK: {
                int parent = p.u32();
                String name = p.str();
                int id = p.u32();
                long[] node = d.tmpfsPending.get(id);
                if (node == null || (node[0] & 0170000) == 0040000 || !d.tmpfsPending.containsKey(parent) || name.isEmpty() || name.contains("/"))
                    throw p.bad("tmpfs link '" + name + "' to node " + id);
                d.tmpfs.links.add(new org.j386.kernel.fs.TmpfsImage.Link(parent, name, id));
                return;
            }
            case Image.FD: {
                if (fdsLeft == 0) throw p.bad("FD outside an FDTABLE");
                ImageData.FdRec r = new ImageData.FdRec();
                r.fd = p.u32(); r.fileId = p.u32(); int cloexec = p.u32();
                if (cloexec != 0 && cloexec != 1) throw p.bad("close-on-exec " + cloexec);
                r.cloexec = cloexec != 0;
                if (r.fd < 0 || r.fd >= 65536) throw p.bad("descriptor " + r.fd);
                if (!curTableFds.add(r.fd)) throw p.bad("descriptor " + r.fd + " appears twice in its table");
                if (!d.files.containsKey(r.fileId)) throw p.bad("descriptor " + r.fd + " refers to unknown file object " + r.fileId);
                curTable.add(r);
                fdsLeft--;
                return;
            }
            case Image.EVENTFD: case Image.TIMERFD: case Image.SIGNALFD: case Image.EPOLL: case Image.SOCKBUF:
            case Image.SOCKET: case Image.UNLINKED: case Image.UNLINKED_DATA: case Image.TTY: case Image.FS:
                ObjectDecoder.decode(d, type, p, type == Image.FS ? liveTask(p) : null);
                return;
            case Image.ERROR:
                throw p.bad("the checkpoint failed when it was taken: " + p.str());
            default:
                throw p.bad("unknown record type");
        }
    }

    private ImageData.TaskImage liveTask(Payload p) throws ImageException {
        if (cur == null) throw p.bad("a task's record before any TASK");
        if (cur.task.zombie) throw p.bad("task " + cur.task.pid + " is a zombie: it has no such state");
        return cur;
    }

    /** The previous task must be complete before the next TASK (or the tail). */
    private void finishTask(Payload p) throws ImageException {
        if (cur == null || cur.task.zombie) return;
        int pid = cur.task.pid;
        if (cur.cpu == null) throw p.bad("task " + pid + " has no CPU record");
        if (!cur.tlsSeen) throw p.bad("task " + pid + " has no TLS record");
        if (cur.signals == null) throw p.bad("task " + pid + " has no SIGNALS record");
    }

    private static boolean inVma(List<ImageData.VmaRec> vmas, long a) {
        for (ImageData.VmaRec v : vmas) if (a >= (v.start & 0xffffffffL) && a < (v.end & 0xffffffffL)) return true;
        return false;
    }

    /** Whole-image checks: a tree with one live root, threads with their leaders, consistent sharing. */
    private void check(ImageData d, long tailOffset) throws ImageException {
        String where = "record TAIL";
        if (fdsLeft > 0) throw new ImageException(where, tailOffset, "FDTABLE announced " + fdsLeft + " more FD records");
        if (d.header == null) throw new ImageException("image", 0, "no HEADER record");
        if (d.tasks.isEmpty()) throw new ImageException("image", 0, "no TASK record");
        for (var e : d.tmpfsPending.entrySet())
            if (e.getValue()[2] != e.getValue()[1]) throw new ImageException("image", 0, "tmpfs node " + e.getKey() + " has "
                    + e.getValue()[2] + " of its " + e.getValue()[1] + " bytes");
        Payload tail = new Payload(new byte[0], where, tailOffset);
        finishTask(tail);
        ipc.finish(tail);
        ObjectDecoder.check(d, tail);
        Map<Integer, ImageData.TaskImage> byPid = new HashMap<>();
        for (ImageData.TaskImage t : d.tasks) byPid.put(t.task.pid, t);
        Map<Integer, Integer> mmOwner = new HashMap<>();
        for (ImageData.TaskImage ti : d.tasks) {
            ImageData.TaskRec t = ti.task;
            ImageData.TaskImage leader = byPid.get(t.tgid);
            if (leader == null || leader.task.pid != leader.task.tgid)
                throw new ImageException(where, tailOffset, "task " + t.pid + ": its thread group leader " + t.tgid + " is not in the image");
            if (t.pid != t.tgid) {
                if (leader.task.zombie) throw new ImageException(where, tailOffset, "thread " + t.pid + " of zombie " + t.tgid);
                if (leader.task.mmId != t.mmId || leader.task.sighandId != t.sighandId)
                    throw new ImageException(where, tailOffset, "thread " + t.pid + " does not share its leader's MM and SIGHAND");
                if (t.ppid != leader.task.ppid) throw new ImageException(where, tailOffset, "thread " + t.pid + " has another parent than its leader");
            }
            if (!t.zombie) {
                Integer owner = mmOwner.putIfAbsent(t.mmId, t.tgid);
                if (owner != null && owner != t.tgid) throw new ImageException(where, tailOffset, "MM " + t.mmId + " is shared by two processes");
            }
            for (ImageData.TimerRec r : ti.timers) {
                ImageData.TaskImage target = byPid.get(r.tid);
                if (r.notify == 4 && (target == null || target.task.tgid != t.tgid))
                    throw new ImageException(where, tailOffset, "timer " + r.id + " of task " + t.pid + " targets thread " + r.tid + ", not in its process");
            }
        }
        ImageData.TaskImage root = null;
        for (ImageData.TaskImage ti : d.tasks) {
            ImageData.TaskRec t = ti.task;
            if (t.pid != t.tgid) continue;
            ImageData.TaskImage parent = byPid.get(t.ppid);
            if (parent == null) {
                if (root != null) throw new ImageException(where, tailOffset, "two root processes (" + root.task.pid + " and " + t.pid + ")");
                root = ti;
            } else if (parent.task.pid != parent.task.tgid) {
                throw new ImageException(where, tailOffset, "process " + t.pid + " has a thread (" + t.ppid + ") as parent");
            } else if (parent.task.zombie) {
                throw new ImageException(where, tailOffset, "process " + t.pid + " has a zombie parent");
            }
        }
        if (root == null) throw new ImageException(where, tailOffset, "no root process (the parent links form a cycle)");
        if (root.task.zombie) throw new ImageException(where, tailOffset, "the root process " + root.task.pid + " is a zombie");
        for (ImageData.TaskImage ti : d.tasks) { // every process reaches the root
            ImageData.TaskImage p = byPid.get(ti.task.tgid);
            for (int steps = 0; p != root; steps++) {
                if (steps > d.tasks.size()) throw new ImageException(where, tailOffset, "the parent links of task " + ti.task.pid + " form a cycle");
                p = byPid.get(p.task.ppid);
            }
        }
        d.root = root;
        d.task = root.task;
        d.cpu = root.cpu;
        System.arraycopy(root.tls, 0, d.tls, 0, 3);
        d.ldt = root.ldt;
        d.signals = root.signals;
        ImageData.MmImage mi = d.mms.get(root.task.mmId);
        d.mm = mi.mm;
        d.vmas.addAll(mi.vmas);
        d.rootMm = mi;
        d.fds.addAll(d.fdTables.get(root.task.filesId));
    }

    /** The payload of one record, read with bounds checks. */
    static final class Payload {
        private final ByteBuffer b;
        private final String where;
        private final long base;

        Payload(byte[] body, String where, long base) {
            this.b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
            this.where = where;
            this.base = base;
        }

        ImageException bad(String reason) {
            return new ImageException(where, base + b.position(), reason);
        }

        private void need(int n) throws ImageException {
            if (b.remaining() < n) throw bad("record too short (" + b.remaining() + " bytes left, need " + n + ")");
        }

        int u16() throws ImageException { need(2); return b.getShort() & 0xffff; }
        int u32() throws ImageException { need(4); return b.getInt(); }
        long u64() throws ImageException { need(8); return b.getLong(); }

        int pid() throws ImageException {
            int v = u32();
            if (v <= 0 || v > 4194304) throw bad("pid " + v + " out of range");
            return v;
        }

        int user() throws ImageException {
            int v = u32();
            if ((v & 0xffffffffL) > 0xC0000000L) throw bad(String.format("address %08x is not in user space", v));
            return v;
        }

        byte[] bytes(int n) throws ImageException {
            need(n);
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        String str() throws ImageException {
            int n = u32();
            if (n < 0 || n > 4096) throw bad("string length " + n);
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        String path() throws ImageException {
            String s = str();
            if (!s.startsWith("/")) throw bad("path '" + s + "' is not absolute");
            return s;
        }

        void done() throws ImageException {
            if (b.hasRemaining()) throw bad(b.remaining() + " unexpected bytes at the end of the record");
        }
    }

}
