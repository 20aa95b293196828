package org.j386.kernel.exec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed and validated 32-bit x86 ELF executable. Every field the loader uses is checked
 * here, so that a malformed file gets one precise message and nothing is mapped.
 */
public final class ElfImage {
    public static final int ET_EXEC = 2, ET_DYN = 3;
    public static final int PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7, PT_GNU_STACK = 0x6474e551;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    public record Segment(int type, long offset, long vaddr, long filesz, long memsz, int flags, long align) {}

    public final byte[] data;
    public final int type;
    public final long entry;
    public final long phoff;
    public final int phentsize;
    public final int phnum;
    public final List<Segment> segments;
    public final String interpreter;
    public final boolean execStack;

    private ElfImage(byte[] data, int type, long entry, long phoff, int phentsize, int phnum,
                     List<Segment> segments, String interpreter, boolean execStack) {
        this.data = data;
        this.type = type;
        this.entry = entry;
        this.phoff = phoff;
        this.phentsize = phentsize;
        this.phnum = phnum;
        this.segments = segments;
        this.interpreter = interpreter;
        this.execStack = execStack;
    }

    public static ElfImage parse(byte[] data) throws ElfFormatException {
        if (data.length < 4 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F')
            throw new ElfFormatException("not an ELF file (bad magic)");
        if (data.length < 52) throw new ElfFormatException("truncated ELF header (" + data.length + " bytes, need 52)");
        int cls = data[4];
        if (cls == 2) throw new ElfFormatException("64-bit ELF (ELFCLASS64); only 32-bit i386 programs run here");
        if (cls != 1) throw new ElfFormatException("unknown ELF class " + cls + " at offset 4");
        if (data[5] != 1) throw new ElfFormatException("not little-endian (EI_DATA=" + data[5] + " at offset 5)");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xffff;
        int machine = b.getShort(18) & 0xffff;
        if (machine != 3) throw new ElfFormatException("not an x86 program (e_machine=" + machine + ", want 3 = EM_386)");
        if (type != ET_EXEC && type != ET_DYN)
            throw new ElfFormatException("not an executable (e_type=" + type + ")");
        long entry = b.getInt(24) & 0xffffffffL;
        long phoff = b.getInt(28) & 0xffffffffL;
        int phentsize = b.getShort(42) & 0xffff;
        int phnum = b.getShort(44) & 0xffff;
        if (phnum == 0) throw new ElfFormatException("no program headers (e_phnum=0)");
        if (phentsize != 32) throw new ElfFormatException("bad program header size e_phentsize=" + phentsize + " (want 32)");
        if (phnum > 128) throw new ElfFormatException("too many program headers (e_phnum=" + phnum + ")");
        if (phoff + (long) phnum * 32 > data.length)
            throw new ElfFormatException("truncated: program header table at offset " + phoff + " runs past the end of the file ("
                    + data.length + " bytes)");
        List<Segment> segs = new ArrayList<>();
        String interp = null;
        boolean execStack = false;
        long lastEnd = -1;
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + i * 32L);
            Segment s = new Segment(b.getInt(o), b.getInt(o + 4) & 0xffffffffL, b.getInt(o + 8) & 0xffffffffL,
                    b.getInt(o + 16) & 0xffffffffL, b.getInt(o + 20) & 0xffffffffL, b.getInt(o + 24), b.getInt(o + 28) & 0xffffffffL);
            String where = "program header " + i + " (offset " + o + ")";
            if (s.type == PT_LOAD) {
                if (s.offset + s.filesz > data.length)
                    throw new ElfFormatException("truncated: " + where + " needs file bytes up to " + (s.offset + s.filesz)
                            + " but the file has " + data.length);
                if (s.memsz < s.filesz) throw new ElfFormatException(where + ": p_memsz < p_filesz");
                if ((s.vaddr & 0xfff) != (s.offset & 0xfff))
                    throw new ElfFormatException(where + ": p_vaddr and p_offset differ modulo the page size");
                if (s.vaddr + s.memsz > 0xC0000000L)
                    throw new ElfFormatException(where + ": segment ends above the 3 GiB user address space");
                if (s.vaddr < lastEnd) throw new ElfFormatException(where + ": PT_LOAD segments not in ascending order");
                lastEnd = s.vaddr + s.memsz;
            } else if (s.type == PT_INTERP) {
                if (s.offset + s.filesz > data.length || s.filesz == 0 || s.filesz > 4096)
                    throw new ElfFormatException("truncated or bad PT_INTERP in " + where);
                int len = (int) s.filesz;
                while (len > 0 && data[(int) s.offset + len - 1] == 0) len--;
                interp = new String(data, (int) s.offset, len, java.nio.charset.StandardCharsets.ISO_8859_1);
            } else if (s.type == PT_GNU_STACK) {
                execStack = (s.flags & PF_X) != 0;
            }
            segs.add(s);
        }
        if (segs.stream().noneMatch(s -> s.type == PT_LOAD)) throw new ElfFormatException("no loadable segments (PT_LOAD)");
        return new ElfImage(data, type, entry, phoff, phentsize, phnum, List.copyOf(segs), interp, execStack);
    }

    /** Lowest page and highest end over the PT_LOAD segments (unbiased). */
    public long loadStart() {
        return segments.stream().filter(s -> s.type == PT_LOAD).mapToLong(s -> s.vaddr & ~0xfffL).min().orElse(0);
    }

    public long loadEnd() {
        return segments.stream().filter(s -> s.type == PT_LOAD).mapToLong(s -> s.vaddr + s.memsz).max().orElse(0);
    }

    /** Virtual address (unbiased) of the program header table in the loaded image, or -1. */
    public long phdrAddress() {
        for (Segment s : segments) if (s.type == PT_PHDR) return s.vaddr;
        for (Segment s : segments)
            if (s.type == PT_LOAD && phoff >= s.offset && phoff < s.offset + s.filesz) return s.vaddr + (phoff - s.offset);
        return -1;
    }
}
