package org.j386.cpu;

import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/**
 * String instructions (MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS) with REP/REPE/REPNE. Each
 * iteration commits ESI/EDI/ECX before the next, so a fault part-way through resumes at the
 * right element when the instruction restarts.
 */
public abstract class CpuStrings extends CpuAlu {
    static final int MOVS = 0, CMPS = 1, STOS = 2, LODS = 3, SCAS = 4, INS = 5, OUTS = 6;

    protected CpuStrings(Mmu mmu, IoBus io) {
        super(mmu, io);
    }

    /**
     * DR7 enables at least one breakpoint, or a task's T-bit trap waits: instructions run one
     * at a time through the debug checks (not in decoded blocks).
     */
    boolean debugArmed;
    /** DR7 enables at least one breakpoint that is in effect. */
    boolean breakpointsArmed;
    /** DR7 enables an I/O breakpoint (R/W = 10 with CR4.DE): port accesses are matched. */
    boolean ioWatch;
    /** A task switch loaded a TSS with the T bit set: #DB (DR6.BT) before the new task's first instruction. */
    boolean taskTrap;

    /** LEN of breakpoint {@code i} in DR7 as a byte count: 00 = 1, 01 = 2, 11 = 4, 10 = 8. */
    static int breakpointLength(int d7, int i) {
        return switch ((d7 >>> (18 + 4 * i)) & 3) {
            case 0 -> 1;
            case 1 -> 2;
            case 3 -> 4;
            default -> 8;
        };
    }

    /** Adds to the MMU's hit bits the I/O breakpoints that {@code size} bytes at {@code port} match. */
    private void ioBreakpoints(int port, int size) {
        int d7 = dr[7];
        for (int i = 0; i < 4; i++) {
            if (((d7 >>> (2 * i)) & 3) == 0 || ((d7 >>> (16 + 4 * i)) & 3) != 2) continue;
            int len = breakpointLength(d7, i), lo = dr[i] & 0xffff & -len;
            if (Integer.compareUnsigned(port - lo, len) < 0 || Integer.compareUnsigned(lo - port, size) < 0) mmu.watchHits |= 1 << i;
        }
    }

    private int addrReg(int i) { return a16 ? r[i] & 0xffff : r[i]; }

    private void addAddrReg(int i, int delta) {
        if (a16) r[i] = (r[i] & 0xffff0000) | ((r[i] + delta) & 0xffff);
        else r[i] += delta;
    }

    /** Iterations of a REP string instruction run per step before it yields (see {@link #stringOp}). */
    static final int REP_SLICE = 1 << 16;

    final void stringOp(int op, int size) {
        int delta = (flags & DF) != 0 ? -size : size;
        int srcSeg = segOverride >= 0 ? segOverride : DS;
        if (rep == 0) {
            stringStep(op, size, delta, srcSeg);
            return;
        }
        boolean flat = !debugArmed && segLimit[ES] == -1 && (segAttr[ES] & 0xa00) == 0x200 && segLimit[srcSeg] == -1;
        if (flat && op == STOS && delta > 0 && !a16 && stosFast(size)) return;
        if (flat && op == MOVS && delta > 0 && !a16 && movsFast(size, srcSeg)) return;
        int budget = REP_SLICE;
        while (addrReg(ECX) != 0) {
            if (--budget < 0) {
                // a long repetition yields, as if interrupted between iterations: the instruction
                // restarts with the updated registers, so instruction limits and interrupts still
                // take effect while ECX counts down (up to 2^32 iterations otherwise run as one step)
                eip = opStart;
                return;
            }
            stringStep(op, size, delta, srcSeg);
            addAddrReg(ECX, -1);
            if (op == CMPS || op == SCAS) {
                boolean z = zf();
                if (rep == 0xf3 ? !z : z) break;
            }
            if (mmu.watchHits != 0 && addrReg(ECX) != 0) {
                // a data or I/O breakpoint traps after this iteration; the instruction resumes
                // with the next one (RF in the pushed image, as for any iteration but the last)
                eip = opStart;
                flags |= RF;
                return;
            }
        }
    }

    private void stringStep(int op, int size, int delta, int srcSeg) {
        switch (op) {
            case MOVS: {
                int v = readSeg(srcSeg, addrReg(ESI), size);
                writeSeg(ES, addrReg(EDI), size, v);
                addAddrReg(ESI, delta);
                addAddrReg(EDI, delta);
                break;
            }
            case CMPS: {
                int a = readSeg(srcSeg, addrReg(ESI), size);
                int b = readSeg(ES, addrReg(EDI), size);
                alu(ALU_CMP, a, b, size);
                addAddrReg(ESI, delta);
                addAddrReg(EDI, delta);
                break;
            }
            case STOS:
                writeSeg(ES, addrReg(EDI), size, r[EAX]);
                addAddrReg(EDI, delta);
                break;
            case LODS:
                setReg(size, EAX, readSeg(srcSeg, addrReg(ESI), size));
                addAddrReg(ESI, delta);
                break;
            case SCAS: {
                int b = readSeg(ES, addrReg(EDI), size);
                alu(ALU_CMP, getReg(size, EAX), b, size);
                addAddrReg(EDI, delta);
                break;
            }
            case INS: {
                checkIo(r[EDX] & 0xffff, size);
                int lin = segBase[ES] + addrReg(EDI);
                checkSeg(ES, addrReg(EDI), size, true);
                mmu.probeWrite(lin, size);
                writeMem(size, lin, io.in(r[EDX] & 0xffff, size));
                addAddrReg(EDI, delta);
                break;
            }
            default: {
                checkIo(r[EDX] & 0xffff, size);
                io.out(r[EDX] & 0xffff, size, readSeg(srcSeg, addrReg(ESI), size));
                addAddrReg(ESI, delta);
            }
        }
    }

    /** REP STOS forward: whole pages at a time through the TLB. */
    private boolean stosFast(int size) {
        int v = size == 1 ? (r[EAX] & 0xff) * 0x01010101 : size == 2 ? (r[EAX] & 0xffff) * 0x10001 : r[EAX];
        while (r[ECX] != 0) {
            int lin = segBase[ES] + r[EDI];
            int room = (0x1000 - (lin & 0xfff)) / size;
            if (room == 0 || (lin & (size - 1)) != 0) return finishSlow(STOS, size);
            int n = Integer.compareUnsigned(r[ECX], room) < 0 ? r[ECX] : room;
            long pa = mmu.translate(lin, true, cpl == 3);
            if (!mmu.plainRam(pa, n * size)) return finishSlow(STOS, size);
            mmu.physicalWrite(pa, (long) n * size);
            if (size == 1) mmu.ram().fill(pa, n, (byte) v);
            else for (int i = 0; i < n; i++) writeMem(size, lin + i * size, v);
            r[EDI] += n * size;
            r[ECX] -= n;
        }
        return true;
    }

    /** REP MOVS forward: page-bounded chunks, byte-exact even when source and destination overlap. */
    private boolean movsFast(int size, int srcSeg) {
        while (r[ECX] != 0) {
            int src = segBase[srcSeg] + r[ESI], dst = segBase[ES] + r[EDI];
            int room = Math.min(0x1000 - (src & 0xfff), 0x1000 - (dst & 0xfff)) / size;
            if (room == 0) return finishSlow(MOVS, size);
            int n = Integer.compareUnsigned(r[ECX], room) < 0 ? r[ECX] : room;
            // forward copy of overlapping ranges where dst is just above src replicates data: do it element-wise
            int gap = dst - src;
            if (gap > 0 && gap < n * size) return finishSlow(MOVS, size);
            long spa = mmu.translate(src, false, cpl == 3);
            long dpa = mmu.translate(dst, true, cpl == 3);
            if (!mmu.plainRam(spa, n * size) || !mmu.plainRam(dpa, n * size)) return finishSlow(MOVS, size); // ROM or MMIO: element by element
            mmu.physicalWrite(dpa, (long) n * size);
            mmu.ram().copy(spa, dpa, (long) n * size);
            r[ESI] += n * size;
            r[EDI] += n * size;
            r[ECX] -= n;
        }
        return true;
    }

    /** The fast path gives up here; the element-by-element loop of {@link #stringOp} finishes the job. */
    private boolean finishSlow(int op, int size) {
        return false;
    }

    /** I/O permission: CPL <= IOPL, else the TSS bitmap (protected mode only). */
    final void checkIo(int port, int size) {
        if (ioWatch) ioBreakpoints(port, size);
        if (!protectedMode()) return;
        int iopl = (flags >>> 12) & 3;
        if (cpl <= iopl && !v86()) return;
        if (!ioBitmapAllows(port, size)) throw gp(0);
    }

    private boolean ioBitmapAllows(int port, int size) {
        if ((trSel & ~3) == 0 || trLimit < 0x67) return false;
        int mapBase = mmu.readWordSystem(trBase + 0x66);
        int byteOff = mapBase + (port >>> 3);
        if (byteOff + 1 > trLimit) return false;
        int bits = mmu.readWordSystem(trBase + byteOff) >>> (port & 7);
        return (bits & ((1 << size) - 1)) == 0;
    }
}
