package org.j386.kernel.mm;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A task's address space: the VMAs and the real i386 page tables that the CPU walks.
 * Pages are populated on demand by {@link #handleFault}; the kernel half (PDEs 768..1023)
 * is shared by every address space and maps physical memory for the CPU's descriptor
 * table accesses.
 */
public final class Mm {
    public static final long TASK_SIZE = 0xC0000000L;
    public static final long STACK_TOP = TASK_SIZE;
    /** Top-down mmap base: TASK_SIZE minus the 128 MiB minimum stack gap, as Linux without randomization. */
    public static final long MMAP_BASE = TASK_SIZE - (128L << 20);
    static final long STACK_LIMIT = 8L << 20;
    /** A PTE with P clear but this software bit set holds a frame of a PROT_NONE page. */
    private static final int PTE_PROTNONE = 0x200;

    private final PhysicalMemory ram;
    private final Mmu mmu;
    private final FrameAllocator frames;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    public final long pgd;

    /** Tasks using this address space (threads share it); it is freed when the last one ends. */
    public int users = 1;
    public long startBrk, brk;
    public long startCode, endCode, startData, endData, startStack;
    public long argStart, argEnd, envStart, envEnd;

    private final byte[] pageBuf = new byte[4096];

    public Mm(PhysicalMemory ram, Mmu mmu, FrameAllocator frames, long kernelPgdTemplate) {
        this.ram = ram;
        this.mmu = mmu;
        this.frames = frames;
        this.pgd = frames.alloc();
        if (pgd < 0) throw new SyscallException(Errno.ENOMEM);
        // share the kernel half
        ram.copy(kernelPgdTemplate + 768 * 4, pgd + 768 * 4, 256 * 4);
    }

    // ---- VMAs ----

    public Vma find(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e != null && e.getValue().contains(addr)) return e.getValue();
        return null;
    }

    /** The first VMA that ends above {@code addr}. */
    public Vma findAbove(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e != null && e.getValue().end > addr) return e.getValue();
        Map.Entry<Long, Vma> h = vmas.higherEntry(addr);
        return h == null ? null : h.getValue();
    }

    public List<Vma> vmas() { return new ArrayList<>(vmas.values()); }

    public boolean isFree(long start, long end) {
        Vma v = findAbove(start);
        return v == null || v.start >= end;
    }

    /** Inserts a VMA over [start,end), unmapping whatever was there. */
    public Vma map(long start, long end, int prot, int flags, FileImage file, long fileOffset, String name) {
        unmap(start, end);
        Vma v = new Vma(start, end, prot, flags, file, fileOffset, name);
        vmas.put(start, v);
        return v;
    }

    /** Highest free gap of {@code len} bytes ending at or below {@code below}, or -1. */
    public long findFreeTopDown(long len, long below) {
        long top = below;
        for (Vma v : vmas.descendingMap().values()) {
            if (v.start >= top) continue;
            if (v.end <= top && top - v.end >= len) return top - len;
            top = v.start;
        }
        return top - MMAP_MIN_ADDR >= len ? top - len : -1;
    }

    /** Lowest address a mapping may use (vm.mmap_min_addr). */
    public static final long MMAP_MIN_ADDR = 0x10000;

    /** Removes [start,end) from the address space, freeing its frames. */
    public void unmap(long start, long end) {
        splitAt(start);
        splitAt(end);
        List<Long> doomed = new ArrayList<>(vmas.subMap(start, true, end, false).keySet());
        clearPtes(start, end);
        for (Long k : doomed) closed(vmas.remove(k));
    }

    public void protect(long start, long end, int prot) {
        if ((prot & Vma.PROT_WRITE) != 0) {
            for (Vma v = findAbove(start); v != null && v.start < end; v = findAbove(v.end))
                if ((v.flags & Vma.NO_WRITE) != 0) throw new SyscallException(Errno.EACCES);
        }
        splitAt(start);
        splitAt(end);
        for (Vma v : vmas.subMap(start, true, end, false).values()) v.prot = prot;
        for (long a = start; a < end; a += 4096) {
            long ptePa = pteAddress(a, false);
            if (ptePa < 0) { a = (a | 0x3fffff) - 4095; continue; }
            int pte = ram.readInt(ptePa);
            if ((pte & (Mmu.PTE_P | PTE_PROTNONE)) == 0) continue;
            int frame = pte & 0xfffff000;
            int attrs = pte & (Mmu.PTE_A | Mmu.PTE_D);
            int bits = pteBits(prot);
            // a private page still shared copy-on-write stays read-only until the fault copies it
            Vma v = find(a);
            if (v != null && (v.flags & Vma.SHARED) == 0 && frames.refCount(frame & 0xffffffffL) > 1) bits &= ~Mmu.PTE_RW;
            ram.writeInt(ptePa, frame | attrs | bits);
            mmu.invalidatePage((int) a);
        }
    }

    private void splitAt(long addr) {
        Vma v = find(addr);
        if (v == null || v.start == addr) return;
        Vma hi = v.slice(addr, v.end);
        v.end = addr;
        vmas.put(addr, hi);
    }

    /** Moves the pages of [oldStart, oldStart+len) to newStart (mremap); the target must be free. */
    public void move(long oldStart, long len, long newStart) {
        Vma src = find(oldStart);
        splitAt(oldStart);
        splitAt(oldStart + len);
        Vma moved = src.slice(oldStart, oldStart + len);
        moved.start = newStart;
        moved.end = newStart + len;
        moved.fileOffset = src.file == null && src.shared == null ? 0 : src.fileOffset + (oldStart - src.start);
        for (long off = 0; off < len; off += 4096) {
            long ptePa = pteAddress(oldStart + off, false);
            if (ptePa < 0) continue;
            int pte = ram.readInt(ptePa);
            if ((pte & (Mmu.PTE_P | PTE_PROTNONE)) == 0) continue;
            ram.writeInt(ptePa, 0);
            mmu.invalidatePage((int) (oldStart + off));
            long dst = pteAddress(newStart + off, true);
            ram.writeInt(dst, pte);
            mmu.invalidatePage((int) (newStart + off));
        }
        List<Long> doomed = new ArrayList<>(vmas.subMap(oldStart, true, oldStart + len, false).keySet());
        for (Long k : doomed) closed(vmas.remove(k));
        vmas.put(newStart, moved);
    }

    /** A VMA left the address space: a shm attachment counts one mapping less. */
    private static void closed(Vma v) {
        if (v != null && v.shared != null) v.shared.closed();
    }

    /** Grows or shrinks a VMA's end in place (brk, mremap); the range above must be free when growing. */
    public void resize(Vma v, long newEnd) {
        if (newEnd < v.end) clearPtes(newEnd, v.end);
        v.end = newEnd;
    }

    // ---- page tables ----

    private static int pteBits(int prot) {
        if ((prot & (Vma.PROT_READ | Vma.PROT_WRITE | Vma.PROT_EXEC)) == 0) return PTE_PROTNONE;
        return Mmu.PTE_P | Mmu.PTE_US | ((prot & Vma.PROT_WRITE) != 0 ? Mmu.PTE_RW : 0);
    }

    /** Physical address of the PTE for {@code lin}; allocates the page table when {@code create}. -1 if absent. */
    private long pteAddress(long lin, boolean create) {
        long pdePa = pgd + ((lin >>> 22) << 2);
        int pde = ram.readInt(pdePa);
        if ((pde & Mmu.PTE_P) == 0) {
            if (!create) return -1;
            long table = frames.alloc();
            if (table < 0) throw new SyscallException(Errno.ENOMEM);
            pde = (int) table | Mmu.PTE_P | Mmu.PTE_RW | Mmu.PTE_US;
            ram.writeInt(pdePa, pde);
        }
        return (pde & 0xfffff000L) + (((lin >>> 12) & 0x3ff) << 2);
    }

    private void clearPtes(long start, long end) {
        for (long a = start; a < end; ) {
            long pdePa = pgd + ((a >>> 22) << 2);
            int pde = ram.readInt(pdePa);
            long nextTable = (a | 0x3fffffL) + 1;
            if ((pde & Mmu.PTE_P) == 0) { a = nextTable; continue; }
            long stop = Math.min(end, nextTable);
            for (; a < stop; a += 4096) {
                long ptePa = (pde & 0xfffff000L) + (((a >>> 12) & 0x3ff) << 2);
                int pte = ram.readInt(ptePa);
                if ((pte & (Mmu.PTE_P | PTE_PROTNONE)) != 0) {
                    frames.release(pte & 0xfffff000L);
                    ram.writeInt(ptePa, 0);
                    mmu.invalidatePage((int) a);
                }
            }
        }
    }

    /**
     * A copy of this address space for fork: the same VMAs; private pages become shared
     * copy-on-write (read-only in both, one more reference on the frame), shared mappings
     * share their frames outright.
     */
    public Mm fork(long kernelPgdTemplate) {
        Mm child = new Mm(ram, mmu, frames, kernelPgdTemplate);
        child.startBrk = startBrk; child.brk = brk;
        child.startCode = startCode; child.endCode = endCode; child.startData = startData; child.endData = endData;
        child.startStack = startStack; child.argStart = argStart; child.argEnd = argEnd;
        child.envStart = envStart; child.envEnd = envEnd;
        for (Vma v : vmas.values()) {
            child.vmas.put(v.start, v.slice(v.start, v.end));
            boolean shared = (v.flags & Vma.SHARED) != 0;
            for (long a = v.start; a < v.end; a += 4096) {
                // a shared page must be one frame for both: populate it now if nobody touched it yet
                // (a shm segment keeps its own frames: the child faults them in from there)
                if (shared && v.shared == null && (v.prot & (Vma.PROT_READ | Vma.PROT_WRITE | Vma.PROT_EXEC)) != 0 && frameOf(a) < 0) handleFault(a, false);
                long ptePa = pteAddress(a, false);
                if (ptePa < 0) { a = (a | 0x3fffffL) - 4095; continue; }
                int pte = ram.readInt(ptePa);
                if ((pte & (Mmu.PTE_P | PTE_PROTNONE)) == 0) continue;
                if (!shared && (pte & Mmu.PTE_RW) != 0) {
                    pte &= ~Mmu.PTE_RW;
                    ram.writeInt(ptePa, pte);
                    mmu.invalidatePage((int) a);
                }
                frames.addRef(pte & 0xfffff000L);
                ram.writeInt(child.pteAddress(a, true), pte & ~Mmu.PTE_A);
            }
        }
        return child;
    }

    /** Physical frame behind user page {@code page} (present or PROT_NONE), or -1 when not populated. */
    public long frameOf(long page) {
        long ptePa = pteAddress(page, false);
        if (ptePa < 0) return -1;
        int pte = ram.readInt(ptePa);
        return (pte & (Mmu.PTE_P | PTE_PROTNONE)) == 0 ? -1 : pte & 0xfffff000L;
    }

    /** Populates page {@code page} of an existing VMA with {@code content} (restart). */
    public void installPage(long page, byte[] content, int off) {
        ram.write(installFrame(page), content, off, 4096);
    }

    /**
     * Maps a fresh frame at page {@code page} of an existing VMA and returns its physical
     * address; the caller fills all 4096 bytes before the task runs (restart, from an off-heap
     * page array).
     */
    public long installFrame(long page) {
        Vma v = find(page);
        if (v == null) throw new IllegalArgumentException("no VMA at 0x" + Long.toHexString(page));
        long frame = frames.alloc();
        if (frame < 0) throw new SyscallException(Errno.ENOMEM);
        long ptePa = pteAddress(page, true);
        int old = ram.readInt(ptePa);
        if ((old & (Mmu.PTE_P | PTE_PROTNONE)) != 0) frames.release(old & 0xfffff000L);
        ram.writeInt(ptePa, (int) frame | pteBits(v.prot));
        mmu.invalidatePage((int) page);
        return frame;
    }

    /**
     * Maps page {@code page} of an existing VMA to frame {@code frame}, which other mappings
     * use too (restart): one more reference. In a private VMA the page is copy-on-write
     * (read-only until the first write copies it); in a shared one it stays shared.
     */
    public void installShared(long page, long frame) {
        Vma v = find(page);
        if (v == null) throw new IllegalArgumentException("no VMA at 0x" + Long.toHexString(page));
        long ptePa = pteAddress(page, true);
        int old = ram.readInt(ptePa);
        frames.addRef(frame);
        if ((old & (Mmu.PTE_P | PTE_PROTNONE)) != 0) frames.release(old & 0xfffff000L);
        int bits = pteBits(v.prot);
        if ((v.flags & Vma.SHARED) == 0) bits &= ~Mmu.PTE_RW;
        ram.writeInt(ptePa, (int) frame | bits);
        mmu.invalidatePage((int) page);
    }

    /** MADV_DONTNEED: drops the pages; the next touch gets zeros (anonymous) or the file contents again. */
    public void discard(long start, long end) {
        clearPtes(start, end);
    }

    /** Frees every page, page table and the directory (task exit). */
    public void destroy() {
        unmap(0, TASK_SIZE);
        for (int i = 0; i < 768; i++) {
            int pde = ram.readInt(pgd + i * 4L);
            if ((pde & Mmu.PTE_P) != 0) frames.release(pde & 0xfffff000L);
        }
        frames.release(pgd);
    }

    // ---- faults ----

    /**
     * Resolves a user page fault at {@code addr}. Returns false when the access is not
     * allowed (the caller delivers SIGSEGV).
     */
    public boolean handleFault(long addr, boolean write) {
        outOfMemory = false;
        try {
            boolean ok = resolveFault(addr, write);
            if (!ok && outOfMemory) return false;
            return ok;
        } catch (org.j386.kernel.SyscallException e) { // no frame for a page table
            outOfMemory = true;
            return false;
        }
    }

    /** Set when the last {@link #handleFault} failed for want of a free frame, not for a bad access. */
    public boolean outOfMemory;

    private long allocFrame() {
        long f = frames.alloc();
        if (f < 0) outOfMemory = true;
        return f;
    }

    private boolean resolveFault(long addr, boolean write) {
        if (addr >= TASK_SIZE) return false;
        Vma v = find(addr);
        if (v == null) v = growStack(addr);
        if (v == null) return false;
        if (write ? (v.prot & Vma.PROT_WRITE) == 0 : (v.prot & (Vma.PROT_READ | Vma.PROT_EXEC | Vma.PROT_WRITE)) == 0) return false;
        long page = addr & ~0xfffL;
        long ptePa = pteAddress(page, true);
        int pte = ram.readInt(ptePa);
        if ((pte & Mmu.PTE_P) != 0) {
            // present: a write to a read-only PTE of a writable VMA is copy-on-write
            long old = pte & 0xfffff000L;
            if ((v.flags & Vma.SHARED) == 0 && frames.refCount(old) > 1) {
                long copy = allocFrame();
                if (copy < 0) return false;
                ram.copy(old, copy, 4096);
                frames.release(old);
                pte = (int) copy | (pte & 0xfff);
            }
            ram.writeInt(ptePa, pte | Mmu.PTE_RW);
            mmu.invalidatePage((int) page);
            return true;
        }
        if ((pte & PTE_PROTNONE) != 0) return false;
        if (v.shared != null) { // a SysV shm page: the segment's frame, one more reference
            long shared = v.shared.frame((v.fileOffset + (page - v.start)) >>> 12);
            if (shared < 0) return false;
            frames.addRef(shared);
            ram.writeInt(ptePa, (int) shared | pteBits(v.prot));
            mmu.invalidatePage((int) page);
            return true;
        }
        long frame = allocFrame();
        if (frame < 0) return false;
        if (v.file != null) {
            v.file.readPage(v.fileOffset + (page - v.start), pageBuf);
            ram.write(frame, pageBuf, 0, 4096);
        }
        ram.writeInt(ptePa, (int) frame | pteBits(v.prot));
        mmu.invalidatePage((int) page);
        return true;
    }

    private Vma growStack(long addr) {
        Vma above = findAbove(addr);
        if (above == null || (above.flags & Vma.GROWSDOWN) == 0) return null;
        long newStart = addr & ~0xfffL;
        if (above.end - newStart > STACK_LIMIT) return null;
        Vma below = vmas.lowerEntry(above.start) == null ? null : vmas.lowerEntry(above.start).getValue();
        if (below != null && below.end > newStart - 4096) return null; // keep a guard page
        vmas.remove(above.start);
        above.start = newStart;
        vmas.put(newStart, above);
        return above;
    }

    /** Whether [addr, addr+len) is entirely mapped with at least {@code prot}. */
    public boolean accessible(long addr, long len, int prot) {
        long a = addr;
        while (a < addr + len) {
            Vma v = find(a);
            if (v == null || (v.prot & prot) != prot) return false;
            a = v.end;
        }
        return true;
    }
}
