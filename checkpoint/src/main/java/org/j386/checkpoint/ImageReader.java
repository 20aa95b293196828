package org.j386.checkpoint;


import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads and validates an image completely before anything is restored: every length, count,
 * address and reference is checked, and any problem is one {@link ImageException} naming the
 * record type and its offset. Nothing of a half-read image is ever used.
 */
public final class ImageReader {
    private final InputStream in;
    private final CRC32 crc = new CRC32();
    private long offset;

    private ImageReader(InputStream in) {
        this.in = in;
    }

    public static ImageData read(InputStream in) throws ImageException, IOException {
        return new ImageReader(in).readAll();
    }

    private byte[] take(int n, String where) throws ImageException, IOException {
        byte[] b = new byte[n];
        int got = in.readNBytes(b, 0, n);
        if (got < n) throw new ImageException(where, offset + got, "truncated: the image ends in the middle");
        return b;
    }

    private ImageData readAll() throws ImageException, IOException {
        ImageData d = new ImageData();
        byte[] head = take(12, "file header");
        if (!Arrays.equals(Arrays.copyOf(head, 8), Image.MAGIC)) throw new ImageException("file header", 0, "not a j386 checkpoint image (bad magic)");
        int version = ByteBuffer.wrap(head, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (version != Image.VERSION) throw new ImageException("file header", 8, "format version " + version + " is not supported (this j386 reads version " + Image.VERSION + ")");
        crc.update(head);
        offset = 12;
        int records = 0;
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
            byte[] body = take(len, where);
            offset += 8 + len;
            if (type == Image.TAIL) {
                ByteBuffer t = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
                if (len != 8) throw new ImageException(where, recOffset, "tail length " + len + ", want 8");
                int count = t.getInt(), sum = t.getInt();
                if (count != records) throw new ImageException(where, recOffset, "tail counts " + count + " records, the image has " + records);
                if (sum != checksumBefore) throw new ImageException(where, recOffset, String.format("checksum mismatch (image says %08x, data gives %08x)", sum, checksumBefore));
                if (in.read() != -1) throw new ImageException(where, offset, "data after the tail");
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
        check(d);
        return d;
    }

    private void decode(ImageData d, int type, Payload p, int index) throws ImageException {
        if (index == 0 && type != Image.HEADER) throw p.bad("the first record must be HEADER");
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
                if (d.task != null) throw p.bad("second TASK (process trees arrive with part 2)");
                ImageData.TaskRec t = new ImageData.TaskRec();
                t.pid = p.pid(); t.tgid = p.pid(); t.ppid = p.u32(); t.pgid = p.pid(); t.sid = p.pid();
                t.comm = p.str();
                t.uid = p.u32(); t.euid = p.u32(); t.suid = p.u32(); t.fsuid = p.u32();
                t.gid = p.u32(); t.egid = p.u32(); t.sgid = p.u32(); t.fsgid = p.u32();
                t.umask = p.u32();
                if ((t.umask & ~0777) != 0) throw p.bad("umask " + Integer.toOctalString(t.umask));
                t.cwd = p.path(); t.root = p.path();
                for (int i = 0; i < 16; i++) { t.rlimCur[i] = p.u64(); t.rlimMax[i] = p.u64(); }
                t.clearChildTid = p.u32(); t.robustList = p.u32(); t.robustListLen = p.u32();
                d.task = t;
                return;
            }
            case Image.CPU: {
                ImageData.CpuRec c = new ImageData.CpuRec();
                for (int i = 0; i < 8; i++) c.r[i] = p.u32();
                c.eip = p.u32(); c.eflags = p.u32();
                for (int i = 0; i < 6; i++) c.seg[i] = p.u16();
                c.fcw = p.u16(); c.fsw = p.u16(); c.ftw = p.u16(); c.fip = p.u32(); c.fcs = p.u16(); c.fop = p.u16();
                c.fdp = p.u32(); c.fds = p.u16();
                for (int i = 0; i < 8; i++) { c.fsig[i] = p.u64(); c.fse[i] = p.u16(); }
                if ((c.seg[1] & 3) != 3) throw p.bad("code segment selector " + c.seg[1] + " is not a user selector");
                d.cpu = c;
                return;
            }
            case Image.TLS:
                for (int i = 0; i < 3; i++) d.tls[i] = p.u64();
                return;
            case Image.SIGNALS: {
                ImageData.SignalsRec s = new ImageData.SignalsRec();
                for (int sig = 1; sig <= 64; sig++) {
                    s.handler[sig] = p.u32(); s.flags[sig] = p.u32(); s.restorer[sig] = p.u32(); s.mask[sig] = p.u64();
                }
                s.blocked = p.u64(); s.pending = p.u64();
                s.altBase = p.u32(); s.altSize = p.u32(); s.altFlags = p.u32();
                d.signals = s;
                return;
            }
            case Image.MM: {
                ImageData.MmRec m = new ImageData.MmRec();
                m.startBrk = p.user(); m.brk = p.user(); m.startCode = p.user(); m.endCode = p.user(); m.startStack = p.user();
                m.argStart = p.user(); m.argEnd = p.user(); m.envStart = p.user(); m.envEnd = p.user();
                d.mm = m;
                return;
            }
            case Image.VMA: {
                ImageData.VmaRec v = new ImageData.VmaRec();
                v.start = p.u32(); v.end = p.u32(); v.prot = p.u32(); v.flags = p.u32(); v.name = p.str();
                long s = v.start & 0xffffffffL, e = v.end & 0xffffffffL;
                if ((s & 0xfff) != 0 || (e & 0xfff) != 0 || s >= e || e > 0xC0000000L)
                    throw p.bad(String.format("VMA %08x-%08x is not a page-aligned range in user space", s, e));
                if ((v.prot & ~7) != 0) throw p.bad("VMA protection " + v.prot);
                if (!d.vmas.isEmpty() && (d.vmas.get(d.vmas.size() - 1).end & 0xffffffffL) > s) throw p.bad("VMAs overlap or are out of order");
                d.vmas.add(v);
                return;
            }
            case Image.PAGES: {
                int n = p.u32();
                if (n <= 0 || n > Image.PAGES_PER_CHUNK) throw p.bad("page count " + n);
                int[] addrs = new int[n];
                for (int i = 0; i < n; i++) {
                    addrs[i] = p.u32();
                    long a = addrs[i] & 0xffffffffL;
                    if ((a & 0xfff) != 0 || a >= 0xC0000000L) throw p.bad(String.format("page address %08x", a));
                    if (!inVma(d, a)) throw p.bad(String.format("page %08x lies outside every VMA", a));
                    if (d.pages.containsKey(addrs[i])) throw p.bad(String.format("page %08x appears twice", a));
                }
                for (int i = 0; i < n; i++) d.pages.put(addrs[i], p.bytes(4096));
                return;
            }
            case Image.FILE: {
                ImageData.FileRec f = new ImageData.FileRec();
                f.id = p.u32(); f.kind = p.u32(); f.flags = p.u32(); f.pos = p.u64(); f.path = p.str(); f.size = p.u64();
                f.mtimeNanos = p.u64(); f.consoleIndex = p.u32();
                if (f.kind < Image.FILE_CONSOLE || f.kind > Image.FILE_TMPFS) throw p.bad("file kind " + f.kind);
                if (f.kind == Image.FILE_TMPFS) {
                    long[] node = d.tmpfsPending.get(f.consoleIndex);
                    if (node == null || (node[0] & 0170000) != 0100000) throw p.bad("file refers to tmpfs node " + f.consoleIndex + ", not a regular file before it");
                }
                if (f.kind == Image.FILE_CONSOLE && (f.consoleIndex < 0 || f.consoleIndex > 2)) throw p.bad("console index " + f.consoleIndex);
                if (f.kind != Image.FILE_CONSOLE && !f.path.startsWith("/")) throw p.bad("file path '" + f.path + "' is not absolute");
                if (f.pos < 0) throw p.bad("negative file position");
                if (d.files.put(f.id, f) != null) throw p.bad("file object " + f.id + " defined twice");
                return;
            }
            case Image.FD: {
                ImageData.FdRec r = new ImageData.FdRec();
                r.fd = p.u32(); r.fileId = p.u32(); r.cloexec = p.u32() != 0;
                if (r.fd < 0 || r.fd >= 65536) throw p.bad("descriptor " + r.fd);
                if (!d.files.containsKey(r.fileId)) throw p.bad("descriptor " + r.fd + " refers to unknown file object " + r.fileId);
                d.fds.add(r);
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
            case Image.LDT: {
                int n = p.u32();
                if (n < 0 || n > 8192) throw p.bad("LDT of " + n + " entries");
                d.ldt = new long[n];
                for (int i = 0; i < n; i++) d.ldt[i] = p.u64();
                return;
            }
            case Image.ERROR:
                throw p.bad("the checkpoint failed when it was taken: " + p.str());
            default:
                throw p.bad("unknown record type");
        }
    }

    private static boolean inVma(ImageData d, long a) {
        for (ImageData.VmaRec v : d.vmas) if (a >= (v.start & 0xffffffffL) && a < (v.end & 0xffffffffL)) return true;
        return false;
    }

    private static void check(ImageData d) throws ImageException {
        if (d.task == null) throw new ImageException("image", 0, "no TASK record");
        if (d.cpu == null) throw new ImageException("image", 0, "no CPU record");
        if (d.mm == null) throw new ImageException("image", 0, "no MM record");
        if (d.signals == null) throw new ImageException("image", 0, "no SIGNALS record");
        for (var e : d.tmpfsPending.entrySet())
            if (e.getValue()[2] != e.getValue()[1]) throw new ImageException("image", 0, "tmpfs node " + e.getKey() + " has "
                    + e.getValue()[2] + " of its " + e.getValue()[1] + " bytes");
    }

    /** The payload of one record, read with bounds checks. */
    private static final class Payload {
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
