package org.j386.kernel.exec;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.UserMemory;
import org.j386.kernel.mm.FileImage;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.mm.Vma;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps a validated ELF image into an empty address space and builds the initial stack the
 * i386 ABI specifies: argc, argv, envp, the auxiliary vector, and the strings and random
 * bytes they point to, laid out as Linux lays them out.
 */
public final class ProgramLoader {
    public static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
            AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15,
            AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31,
            AT_MINSIGSTKSZ = 51;

    /** What the loader decided: where to start and the initial stack pointer. */
    public record Loaded(long entry, long stackPointer, long brk, long loadBias) {}

    public record Credentials(int uid, int euid, int gid, int egid) {}

    private ProgramLoader() {}

    public static Loaded load(ElfImage elf, Mm mm, UserMemory mem, String execPath, List<String> argv, List<String> envp,
                              Credentials cred, int hwcap, byte[] random16) {
        long bias = 0;
        if (elf.type == ElfImage.ET_DYN) {
            long span = ((elf.loadEnd() + 0xfff) & ~0xfffL) - elf.loadStart();
            long at = mm.findFreeTopDown(span, Mm.MMAP_BASE);
            if (at < 0) throw new SyscallException(Errno.ENOMEM);
            bias = at - elf.loadStart();
        }
        long brk = 0;
        for (ElfImage.Segment s : elf.segments) {
            if (s.type() != ElfImage.PT_LOAD) continue;
            int prot = ((s.flags() & ElfImage.PF_R) != 0 ? Vma.PROT_READ : 0)
                    | ((s.flags() & ElfImage.PF_W) != 0 ? Vma.PROT_WRITE : 0)
                    | ((s.flags() & ElfImage.PF_X) != 0 ? Vma.PROT_EXEC : 0);
            long vaddr = s.vaddr() + bias;
            long start = vaddr & ~0xfffL;
            long fileEnd = pageUp(vaddr + s.filesz());
            long memEnd = pageUp(vaddr + s.memsz());
            if (s.filesz() > 0) {
                FileImage img = new FileImage(elf.data, 0, s.offset() + s.filesz());
                mm.map(start, fileEnd, prot, 0, img, s.offset() & ~0xfffL, "");
            }
            long anonStart = s.filesz() > 0 ? fileEnd : start;
            if (memEnd > anonStart) mm.map(anonStart, memEnd, prot, Vma.ANON, null, 0, "");
            brk = Math.max(brk, vaddr + s.memsz());
        }
        mm.startBrk = mm.brk = pageUp(brk);
        mm.startCode = elf.loadStart() + bias;
        mm.endCode = brk;

        // the stack
        long top = Mm.STACK_TOP;
        mm.map(top - 0x21000, top, Vma.PROT_READ | Vma.PROT_WRITE | (elf.execStack ? Vma.PROT_EXEC : 0),
                Vma.GROWSDOWN | Vma.ANON, null, 0, "[stack]");
        long p = top - 4;                       // a NULL word at the very top
        mem.writeInt((int) p, 0);
        long execfn = p = putString(mem, p, execPath);
        long[] envPtrs = new long[envp.size()];
        long[] argPtrs = new long[argv.size()];
        mm.envEnd = p;
        for (int i = envp.size() - 1; i >= 0; i--) envPtrs[i] = p = putString(mem, p, envp.get(i));
        mm.envStart = p;
        mm.argEnd = p;
        for (int i = argv.size() - 1; i >= 0; i--) argPtrs[i] = p = putString(mem, p, argv.get(i));
        mm.argStart = p;
        long platform = p = putString(mem, p, "i686");
        p = (p - 16) & ~0xfL;
        long random = p;
        mem.write((int) random, random16);

        long phdr = elf.phdrAddress();
        long[] aux = {
                AT_HWCAP, hwcap & 0xffffffffL,
                AT_PAGESZ, 4096,
                AT_CLKTCK, 100,
                AT_PHDR, phdr < 0 ? 0 : phdr + bias,
                AT_PHENT, 32,
                AT_PHNUM, elf.phnum,
                AT_BASE, 0,
                AT_FLAGS, 0,
                AT_ENTRY, elf.entry + bias,
                AT_UID, cred.uid() & 0xffffffffL,
                AT_EUID, cred.euid() & 0xffffffffL,
                AT_GID, cred.gid() & 0xffffffffL,
                AT_EGID, cred.egid() & 0xffffffffL,
                AT_SECURE, 0,
                AT_RANDOM, random,
                AT_EXECFN, execfn,
                AT_PLATFORM, platform,
                AT_NULL, 0,
        };
        int words = 1 + argv.size() + 1 + envp.size() + 1 + aux.length;
        long sp = (p - words * 4L) & ~0xfL;
        long w = sp;
        mem.writeInt((int) w, argv.size());
        w += 4;
        for (long a : argPtrs) { mem.writeInt((int) w, (int) a); w += 4; }
        mem.writeInt((int) w, 0);
        w += 4;
        for (long e : envPtrs) { mem.writeInt((int) w, (int) e); w += 4; }
        mem.writeInt((int) w, 0);
        w += 4;
        for (long a : aux) { mem.writeInt((int) w, (int) a); w += 4; }
        mm.startStack = sp;
        return new Loaded(elf.entry + bias, sp, mm.brk, bias);
    }

    private static long putString(UserMemory mem, long p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long at = p - b.length - 1;
        mem.write((int) at, b);
        mem.writeByte((int) (at + b.length), 0);
        return at;
    }

    static long pageUp(long a) { return (a + 0xfff) & ~0xfffL; }
}
