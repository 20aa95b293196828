package org.j386.mmu;

import sun.misc.Unsafe;

import java.util.Arrays;

/**
 * The paging unit and the software TLB: turns linear addresses into physical ones by walking
 * real two-level i386 page tables (with PSE 4 MiB pages), sets accessed and dirty bits, checks
 * U/S and R/W (CR0.WP), and raises #PF with the architectural error code.
 *
 * The fast path is a direct-mapped TLB of host addresses: a hit is one array compare and one
 * native load, with no allocation. Read and write entries are separate, so a write entry
 * exists only for pages that are writable and already dirty; every other write takes the slow
 * path, which is what keeps the dirty bit and copy-on-write exact. Tags carry the privilege of
 * the access (user or supervisor) so a ring change needs no flush.
 */
public final class Mmu {
    private static final Unsafe U = PhysicalMemory.U;
    public static final int TLB_BITS = 12;
    public static final int TLB_SIZE = 1 << TLB_BITS;
    private static final int TLB_MASK = TLB_SIZE - 1;
    private static final int SUPERVISOR_TAG = 0x100000;

    public static final int PTE_P = 1, PTE_RW = 2, PTE_US = 4, PTE_PWT = 8, PTE_PCD = 16, PTE_A = 32, PTE_D = 64, PTE_PS = 128, PTE_G = 256;

    private final PhysicalMemory ram;
    private final long ramSize;
    /** Where physical accesses outside RAM go (ROM, MMIO); may be null. */
    private PhysicalBus bus;

    private final int[] rTag = new int[TLB_SIZE];
    private final long[] rAddr = new long[TLB_SIZE];
    private final int[] wTag = new int[TLB_SIZE];
    private final long[] wAddr = new long[TLB_SIZE];

    private boolean paging;
    private boolean pse;
    private boolean writeProtect;
    private int cr3;
    /** 0 when the current privilege level is 3, SUPERVISOR_TAG otherwise. */
    private int modeTag;

    public final Fault fault = new Fault();

    /** Told when a frame holding decoded code is written (self-modifying code, frame reuse). */
    public interface CodeWriteListener {
        void codeWritten(long frame);
    }

    /** One flag per RAM frame: the CPU holds decoded instructions from it. */
    private final byte[] codeFrame;
    private CodeWriteListener codeListener;

    public Mmu(PhysicalMemory ram) {
        this.ram = ram;
        this.ramSize = ram.size();
        this.codeFrame = new byte[(int) (ramSize >>> 12)];
        flush();
    }

    public PhysicalMemory ram() { return ram; }

    public void setBus(PhysicalBus bus) { this.bus = bus; flush(); }

    // ---- control ----------------------------------------------------------------------

    /** Loads the paging controls (CR0.PG, CR0.WP, CR4.PSE and CR3); flushes the TLB. */
    public void setPaging(boolean enabled, boolean writeProtect, boolean pse, int cr3) {
        this.paging = enabled;
        this.writeProtect = writeProtect;
        this.pse = pse;
        this.cr3 = cr3;
        flush();
    }

    public void setCr3(int cr3) { this.cr3 = cr3; flush(); }

    /** Physical address mask of the A20 gate: all ones while it is open, bit 20 clear while it is closed. */
    private long a20Mask = -1L;

    /**
     * Opens or closes the A20 gate (the PC's keyboard-controller and port 0x92 control). Closed,
     * physical address bit 20 reads as 0, so 1 MiB wraps to 0 as on an 8086. Applied where
     * linear addresses are translated (the TLB-miss path), so a TLB hit costs nothing more.
     */
    public void setA20(boolean open) {
        long m = open ? -1L : ~(1L << 20);
        if (m != a20Mask) { a20Mask = m; flush(); }
    }
    public int cr3() { return cr3; }
    public boolean pagingEnabled() { return paging; }

    /** The CPU calls this whenever CPL changes. */
    public void setUserMode(boolean user) { modeTag = user ? 0 : SUPERVISOR_TAG; }
    public boolean userMode() { return modeTag == 0; }

    /** Bumped on every flush or invalidation, so cached translations (the CPU's code page) can be revalidated. */
    public int generation;

    public void flush() {
        Arrays.fill(rTag, -1);
        Arrays.fill(wTag, -1);
        generation++;
    }

    /** INVLPG: drops both privilege views of the page holding {@code lin}. */
    public void invalidatePage(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if ((rTag[idx] & 0xfffff) == page) rTag[idx] = -1;
        if ((wTag[idx] & 0xfffff) == page) wTag[idx] = -1;
        generation++;
    }

    /**
     * Host address of the RAM byte at linear {@code lin} for instruction fetch (a read at the
     * current privilege), or -1 when the page is not plain RAM (ROM/MMIO: fetch byte by byte).
     */
    public long codeHostAddress(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (rTag[idx] != (page | modeTag)) {
            translate(lin, false, modeTag == 0);
            if (rTag[idx] != (page | modeTag)) return -1;
        }
        return rAddr[idx] + (lin & 0xfff);
    }

    /** The raw Unsafe, for the CPU's code fetch from {@link #codeHostAddress}. */
    public static Unsafe unsafe() { return U; }

    // ---- read-for-write: the read half of a read-modify-write, which must not fault on the write ----

    public int readByteRW(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (wTag[idx] == (page | modeTag)) return U.getByte(wAddr[idx] + (lin & 0xfff)) & 0xff;
        long pa = translate(lin, true, modeTag == 0);
        if (watching) watchAccess(lin, 1, false);
        return physReadByte(pa);
    }

    public int readWordRW(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (wTag[idx] == (page | modeTag) && (lin & 0xfff) != 0xfff) return U.getShort(wAddr[idx] + (lin & 0xfff)) & 0xffff;
        probeWrite(lin, 2);
        return readWord(lin);
    }

    public int readIntRW(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (wTag[idx] == (page | modeTag) && (lin & 0xfff) <= 0xffc) return U.getInt(wAddr[idx] + (lin & 0xfff));
        probeWrite(lin, 4);
        return readInt(lin);
    }

    // ---- decoded-code tracking ---------------------------------------------------------------

    public void setCodeWriteListener(CodeWriteListener l) { this.codeListener = l; }

    /**
     * Marks a RAM frame as holding decoded code: from now on writes to it take the slow path,
     * which reports them to the listener (and unmarks the frame).
     */
    public void markCode(long frame) {
        int f = (int) (frame >>> 12);
        if (codeFrame[f] != 0) return;
        codeFrame[f] = 1;
        long host = ram.hostAddress(frame);
        for (int i = 0; i < TLB_SIZE; i++) if (wTag[i] != -1 && wAddr[i] == host) wTag[i] = -1;
    }

    /** Physical RAM at {@code pa..pa+len} is about to change outside the CPU (kernel copies, frame reuse). */
    public void physicalWrite(long pa, long len) {
        if (len <= 0) return;
        for (long f = pa >>> 12, last = (pa + len - 1) >>> 12; f <= last && f < codeFrame.length; f++) {
            if (codeFrame[(int) f] != 0) codeWrite(f << 12);
        }
    }

    private void codeWrite(long frame) {
        codeFrame[(int) (frame >>> 12)] = 0;
        if (codeListener != null) codeListener.codeWritten(frame);
    }

    /** True when {@code len} bytes at physical {@code pa} (within one page) are RAM that no bus device (ROM, MMIO) claims. */
    public boolean plainRam(long pa, int len) {
        return ram.contains(pa, len) && (bus == null || !bus.claims(pa & ~0xfffL));
    }

    /** Frame number of a host address inside RAM (for the CPU's code cache). */
    public long frameOfHost(long host) { return (host - ram.hostAddress(0)) & ~0xfffL; }

    // ---- fast paths -------------------------------------------------------------------

    public int readByte(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (rTag[idx] == (page | modeTag)) return U.getByte(rAddr[idx] + (lin & 0xfff)) & 0xff;
        long pa = translate(lin, false, modeTag == 0);
        if (watching) watchAccess(lin, 1, false);
        return physReadByte(pa);
    }

    /** An instruction-fetch byte outside the fetch window: like readByte but never a data breakpoint. */
    public int fetchByte(int lin) { return physReadByte(translate(lin, false, modeTag == 0)); }

    public int readWord(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (rTag[idx] == (page | modeTag) && (lin & 0xfff) != 0xfff) return U.getShort(rAddr[idx] + (lin & 0xfff)) & 0xffff;
        return readByte(lin) | readByte(lin + 1) << 8;
    }

    public int readInt(int lin) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (rTag[idx] == (page | modeTag) && (lin & 0xfff) <= 0xffc) return U.getInt(rAddr[idx] + (lin & 0xfff));
        return readIntSlow(lin);
    }

    private int readIntSlow(int lin) {
        if ((lin & 0xfff) <= 0xffc) {
            long pa = translate(lin, false, modeTag == 0);
            if (watching) watchAccess(lin, 4, false);
            return physReadInt(pa);
        }
        // crossing a page: check both pages before reading (the access faults as a whole)
        translate(lin, false, modeTag == 0);
        translate(nextPage(lin), false, modeTag == 0);
        return readByte(lin) | readByte(lin + 1) << 8 | readByte(lin + 2) << 16 | readByte(lin + 3) << 24;
    }

    /**
     * The first byte of the page after the one holding {@code lin}: where an access that
     * crosses a page boundary is checked the second time, and so the CR2 of a fault there.
     */
    private static int nextPage(int lin) { return (lin | 0xfff) + 1; }

    public long readLong(int lin) {
        return (readInt(lin) & 0xffffffffL) | (long) readInt(lin + 4) << 32;
    }

    public void writeByte(int lin, int v) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (wTag[idx] == (page | modeTag)) { U.putByte(wAddr[idx] + (lin & 0xfff), (byte) v); return; }
        long pa = translate(lin, true, modeTag == 0);
        if (watching) watchAccess(lin, 1, true);
        physWriteByte(pa, v);
    }

    public void writeWord(int lin, int v) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (wTag[idx] == (page | modeTag) && (lin & 0xfff) != 0xfff) { U.putShort(wAddr[idx] + (lin & 0xfff), (short) v); return; }
        if ((lin & 0xfff) != 0xfff) {
            long pa = translate(lin, true, modeTag == 0);
            if (watching) watchAccess(lin, 2, true);
            physWriteWord(pa, v);
            return;
        }
        translate(lin, true, modeTag == 0);
        translate(nextPage(lin), true, modeTag == 0);
        writeByte(lin, v);
        writeByte(lin + 1, v >> 8);
    }

    public void writeInt(int lin, int v) {
        int page = lin >>> 12;
        int idx = page & TLB_MASK;
        if (wTag[idx] == (page | modeTag) && (lin & 0xfff) <= 0xffc) { U.putInt(wAddr[idx] + (lin & 0xfff), v); return; }
        writeIntSlow(lin, v);
    }

    private void writeIntSlow(int lin, int v) {
        if ((lin & 0xfff) <= 0xffc) {
            long pa = translate(lin, true, modeTag == 0);
            if (watching) watchAccess(lin, 4, true);
            physWriteInt(pa, v);
            return;
        }
        translate(lin, true, modeTag == 0);
        translate(nextPage(lin), true, modeTag == 0);
        writeByte(lin, v);
        writeByte(lin + 1, v >> 8);
        writeByte(lin + 2, v >> 16);
        writeByte(lin + 3, v >> 24);
    }

    public void writeLong(int lin, long v) {
        // check both halves first so a fault leaves memory untouched
        if ((lin & 0xfff) > 0xff8) { translate(lin, true, modeTag == 0); translate(nextPage(lin), true, modeTag == 0); }
        writeInt(lin, (int) v);
        writeInt(lin + 4, (int) (v >>> 32));
    }

    /** Checks that a write of {@code len} bytes at {@code lin} would not fault (for instructions that must be atomic). */
    public void probeWrite(int lin, int len) {
        translate(lin, true, modeTag == 0);
        if (((lin & 0xfff) + len) > 0x1000) translate(nextPage(lin), true, modeTag == 0);
    }

    public void probeRead(int lin, int len) {
        translate(lin, false, modeTag == 0);
        if (((lin & 0xfff) + len) > 0x1000) translate(nextPage(lin), false, modeTag == 0);
    }

    // ---- supervisor (implicit) accesses: descriptor tables, TSS ----------------------------

    public int readIntSystem(int lin) {
        int b = 0;
        for (int i = 3; i >= 0; i--) b = b << 8 | physReadByte(translate(lin + i, false, false));
        return b;
    }

    public int readWordSystem(int lin) {
        return physReadByte(translate(lin, false, false)) | physReadByte(translate(lin + 1, false, false)) << 8;
    }

    public int readByteSystem(int lin) { return physReadByte(translate(lin, false, false)); }

    public void writeByteSystem(int lin, int v) { physWriteByte(translate(lin, true, false), v); }

    public void writeIntSystem(int lin, int v) {
        for (int i = 0; i < 4; i++) physWriteByte(translate(lin + i, true, false), v >> (8 * i));
    }

    public void writeWordSystem(int lin, int v) {
        physWriteByte(translate(lin, true, false), v);
        physWriteByte(translate(lin + 1, true, false), v >> 8);
    }

    // ---- data breakpoints ----------------------------------------------------------------
    // A page holding a watched linear address never gets a TLB entry, so every access to it
    // takes the slow paths above, which match it against the watches; accesses to other pages
    // stay on the fast path and cost nothing. Implicit system accesses (descriptor tables,
    // TSS) and instruction fetches are not matched.

    private boolean watching;
    private int watchCount;
    private final int[] watchLo = new int[4], watchLen = new int[4], watchBit = new int[4];
    private final boolean[] watchWriteOnly = new boolean[4];
    /** DR6 B0-B3 bits of the watches matched since the CPU last cleared this (I/O watches add theirs too). */
    public int watchHits;

    /** Drops every data watch. */
    public void clearWatches() {
        watchCount = 0;
        if (watching) { watching = false; flush(); }
    }

    /** Watches {@code len} bytes at linear {@code lin} (writes only, or reads and writes); a hit sets {@code bit} in {@link #watchHits}. */
    public void addWatch(int lin, int len, boolean writeOnly, int bit) {
        int i = watchCount++;
        watchLo[i] = lin;
        watchLen[i] = len;
        watchWriteOnly[i] = writeOnly;
        watchBit[i] = bit;
        watching = true;
        flush();
    }

    public boolean watching() { return watching; }

    private boolean watchedPage(int page) {
        for (int i = 0; i < watchCount; i++) {
            if (watchLo[i] >>> 12 == page || (watchLo[i] + watchLen[i] - 1) >>> 12 == page) return true;
        }
        return false;
    }

    private void watchAccess(int lin, int len, boolean write) {
        for (int i = 0; i < watchCount; i++) {
            if (watchWriteOnly[i] && !write) continue;
            // the ranges [lin, lin+len) and [lo, lo+wlen) overlap
            int lo = watchLo[i];
            if (Integer.compareUnsigned(lin - lo, watchLen[i]) < 0 || Integer.compareUnsigned(lo - lin, len) < 0) watchHits |= watchBit[i];
        }
    }

    // ---- the page walk ----------------------------------------------------------------

    /**
     * Translates a linear address, installing a TLB entry when the frame is RAM.
     * Throws {@link #fault} (vector 14, cr2 set) when the access is not permitted.
     */
    public long translate(int lin, boolean write, boolean user) {
        int page = lin >>> 12;
        int tag = page | (user ? 0 : SUPERVISOR_TAG);
        int idx = page & TLB_MASK;
        long pa;
        boolean writable;
        if (!paging) {
            pa = lin & 0xffffffffL;
            writable = true;
        } else {
            long pdeAddr = (cr3 & 0xfffff000L) + ((lin >>> 22) << 2);
            int pde = ram.readInt(pdeAddr);
            if ((pde & PTE_P) == 0) throw pageFault(lin, 0, write, user);
            if (pse && (pde & PTE_PS) != 0) {
                checkAccess(pde, pde, lin, write, user);
                int upd = pde | PTE_A | (write ? PTE_D : 0);
                if (upd != pde) ram.writeInt(pdeAddr, upd);
                pa = (pde & 0xffc00000L) | (lin & 0x3fffff);
                writable = (upd & PTE_D) != 0 && permitsWrite(pde, pde, user);
            } else {
                long pteAddr = (pde & 0xfffff000L) + (((lin >>> 12) & 0x3ff) << 2);
                int pte = ram.readInt(pteAddr);
                if ((pte & PTE_P) == 0) throw pageFault(lin, 0, write, user);
                checkAccess(pde, pte, lin, write, user);
                if ((pde & PTE_A) == 0) ram.writeInt(pdeAddr, pde | PTE_A);
                int upd = pte | PTE_A | (write ? PTE_D : 0);
                if (upd != pte) ram.writeInt(pteAddr, upd);
                pa = (pte & 0xfffff000L) | (lin & 0xfff);
                writable = (upd & PTE_D) != 0 && permitsWrite(pde, pte, user);
            }
        }
        pa &= a20Mask;
        long frame = pa & ~0xfffL;
        if (frame + 0x1000 <= ramSize && (bus == null || !bus.claims(frame)) && !(watching && watchedPage(page))) {
            long host = ram.hostAddress(frame);
            rTag[idx] = tag;
            rAddr[idx] = host;
            if (writable && codeFrame[(int) (frame >>> 12)] == 0) { wTag[idx] = tag; wAddr[idx] = host; }
            else if (wTag[idx] == tag) wTag[idx] = -1;
        }
        return pa;
    }

    private boolean permitsWrite(int pde, int pte, boolean user) {
        if (user) return (pde & pte & PTE_RW) != 0;
        return !writeProtect || (pde & pte & PTE_RW) != 0;
    }

    private void checkAccess(int pde, int pte, int lin, boolean write, boolean user) {
        if (user && (pde & pte & PTE_US) == 0) throw pageFault(lin, 1, write, user);
        if (write && !permitsWrite(pde, pte, user)) throw pageFault(lin, 1, write, user);
    }

    private Fault pageFault(int lin, int present, boolean write, boolean user) {
        fault.set(Fault.PF, present | (write ? 2 : 0) | (user ? 4 : 0), true);
        fault.cr2 = lin;
        return fault;
    }

    /** Walks the tables without side effects; returns the physical address or -1 if not mapped. */
    public long peek(int lin) {
        if (!paging) return lin & 0xffffffffL;
        int pde = ram.readInt((cr3 & 0xfffff000L) + ((lin >>> 22) << 2));
        if ((pde & PTE_P) == 0) return -1;
        if (pse && (pde & PTE_PS) != 0) return (pde & 0xffc00000L) | (lin & 0x3fffff);
        int pte = ram.readInt((pde & 0xfffff000L) + (((lin >>> 12) & 0x3ff) << 2));
        if ((pte & PTE_P) == 0) return -1;
        return (pte & 0xfffff000L) | (lin & 0xfff);
    }

    // ---- physical accesses (RAM or the bus) ------------------------------------------------

    private void checkCode(long pa) {
        long f = pa >>> 12;
        if (f < codeFrame.length && codeFrame[(int) f] != 0) codeWrite(f << 12);
    }

    public int physReadByte(long pa) {
        if (bus != null && bus.claims(pa & ~0xfffL)) return bus.read(pa, 1);
        return ram.readByte(pa);
    }

    private int physReadInt(long pa) {
        if (bus != null && bus.claims(pa & ~0xfffL)) return bus.read(pa, 4);
        return ram.readInt(pa);
    }

    public void physWriteByte(long pa, int v) {
        if (bus != null && bus.claims(pa & ~0xfffL)) { bus.write(pa, 1, v); return; }
        checkCode(pa);
        ram.writeByte(pa, v);
    }

    private void physWriteWord(long pa, int v) {
        if (bus != null && bus.claims(pa & ~0xfffL)) { bus.write(pa, 2, v); return; }
        checkCode(pa);
        ram.writeWord(pa, v);
    }

    private void physWriteInt(long pa, int v) {
        if (bus != null && bus.claims(pa & ~0xfffL)) { bus.write(pa, 4, v); return; }
        checkCode(pa);
        ram.writeInt(pa, v);
    }
}
