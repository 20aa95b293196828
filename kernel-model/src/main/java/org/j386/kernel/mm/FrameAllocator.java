package org.j386.kernel.mm;

import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

/**
 * Hands out 4 KiB physical frames of guest RAM, zeroed, with a reference count per frame
 * (copy-on-write sharing counts references). Allocation order is deterministic: the
 * lowest free frame first, so the same program always gets the same physical layout.
 */
public final class FrameAllocator {
    private final PhysicalMemory ram;
    private final Mmu mmu;
    private final int frames;
    private final short[] refs;
    /** Stack of freed frames, reused first; below it, a bump pointer over never-used frames. */
    private int[] freeStack = new int[1024];
    private int freeTop;
    private int next;
    private int used;

    public FrameAllocator(Mmu mmu, int firstFrame) {
        this.mmu = mmu;
        this.ram = mmu.ram();
        this.frames = (int) (ram.size() >>> 12);
        this.refs = new short[frames];
        this.next = firstFrame;
    }

    /** Physical address of a fresh zeroed frame; throws OutOfMemory-like SyscallException upstream when full. */
    public long alloc() {
        int f;
        if (freeTop > 0) f = freeStack[--freeTop];
        else if (next < frames) f = next++;
        else return -1;
        refs[f] = 1;
        used++;
        long pa = (long) f << 12;
        mmu.physicalWrite(pa, 4096); // a reused frame may have held decoded code
        ram.fill(pa, 4096, (byte) 0);
        return pa;
    }

    /** {@code n} physically contiguous zeroed frames (from never-used memory), or -1. */
    public long allocContiguous(int n) {
        if (next + n > frames) return -1;
        long pa = (long) next << 12;
        for (int i = 0; i < n; i++) {
            refs[next + i] = 1;
            used++;
        }
        next += n;
        mmu.physicalWrite(pa, (long) n << 12);
        ram.fill(pa, (long) n << 12, (byte) 0);
        return pa;
    }

    public void addRef(long pa) {
        refs[(int) (pa >>> 12)]++;
    }

    public int refCount(long pa) {
        return refs[(int) (pa >>> 12)];
    }

    /** Drops a reference; the frame is free again when none remain. */
    public void release(long pa) {
        int f = (int) (pa >>> 12);
        if (refs[f] <= 0) throw new IllegalStateException("frame 0x" + Long.toHexString(pa) + " released twice");
        if (--refs[f] == 0) {
            if (freeTop == freeStack.length) freeStack = java.util.Arrays.copyOf(freeStack, freeTop * 2);
            freeStack[freeTop++] = f;
            used--;
        }
    }

    public int usedFrames() { return used; }

    public int totalFrames() { return frames; }
}
