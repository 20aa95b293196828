package org.j386.cpu;

import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/**
 * Lazy arithmetic flags. An ALU instruction records its kind, operands and result; CF, PF,
 * AF, ZF, SF and OF are computed only when something reads them. Operand values are shifted
 * left by {@code lfShift} (24 for bytes, 16 for words, 0 for dwords) when tested, so that the
 * operand's sign bit is bit 31 and garbage above the operand size drops out.
 */
public abstract class CpuFlags extends CpuState {
    /** Arithmetic flags are in {@link #flags}. */
    static final int LF_NONE = 0;
    /** ZF, SF, PF from the result; CF, OF, AF in {@link #flags} (shifts, multiplies, BCD). */
    static final int LF_SZP = 1;
    static final int LF_ADD = 2, LF_ADC = 3, LF_SUB = 4, LF_SBB = 5, LF_LOGIC = 6, LF_INC = 7, LF_DEC = 8;

    int lfOp = LF_NONE;
    int lfRes, lfDst, lfSrc;
    int lfShift;
    /** Carry in for ADC/SBB; CF preserved across INC/DEC. */
    int lfCarry;

    private static final byte[] PARITY = new byte[256];
    static {
        for (int i = 0; i < 256; i++) PARITY[i] = (byte) ((Integer.bitCount(i) & 1) == 0 ? PF : 0);
    }

    protected CpuFlags(Mmu mmu, IoBus io) {
        super(mmu, io);
    }

    final void lazy(int op, int dst, int src, int res, int shift) {
        lfOp = op;
        lfDst = dst;
        lfSrc = src;
        lfRes = res;
        lfShift = shift;
    }

    /** Sets ZF/SF/PF lazily from {@code res}, with CF/OF/AF given now. */
    final void lazySzp(int res, int shift, int cfOfAf) {
        flags = (flags & ~ARITH_FLAGS) | cfOfAf;
        lfOp = LF_SZP;
        lfRes = res;
        lfShift = shift;
    }

    final boolean cf() {
        int sh = lfShift;
        switch (lfOp) {
            case LF_ADD: return Integer.compareUnsigned(lfRes << sh, lfDst << sh) < 0;
            case LF_ADC: return lfCarry != 0 ? Integer.compareUnsigned(lfRes << sh, lfDst << sh) <= 0
                                             : Integer.compareUnsigned(lfRes << sh, lfDst << sh) < 0;
            case LF_SUB: return Integer.compareUnsigned(lfDst << sh, lfSrc << sh) < 0;
            case LF_SBB: return lfCarry != 0 ? Integer.compareUnsigned(lfDst << sh, lfSrc << sh) <= 0
                                             : Integer.compareUnsigned(lfDst << sh, lfSrc << sh) < 0;
            case LF_LOGIC: return false;
            case LF_INC: case LF_DEC: return lfCarry != 0;
            default: return (flags & CF) != 0;
        }
    }

    final boolean zf() { return lfOp == LF_NONE ? (flags & ZF) != 0 : (lfRes << lfShift) == 0; }

    final boolean sf() { return lfOp == LF_NONE ? (flags & SF) != 0 : (lfRes << lfShift) < 0; }

    final boolean pf() { return lfOp == LF_NONE ? (flags & PF) != 0 : PARITY[lfRes & 0xff] != 0; }

    final boolean of() {
        int sh = lfShift;
        switch (lfOp) {
            case LF_ADD: case LF_ADC: return (((lfDst ^ lfRes) & (lfSrc ^ lfRes)) << sh) < 0;
            case LF_SUB: case LF_SBB: return (((lfDst ^ lfSrc) & (lfDst ^ lfRes)) << sh) < 0;
            case LF_LOGIC: return false;
            case LF_INC: return (lfRes << sh) == 0x80000000;
            case LF_DEC: return (lfRes << sh) == 0x7fffffff - ((1 << sh) - 1);
            default: return (flags & OF) != 0;
        }
    }

    final boolean af() {
        switch (lfOp) {
            case LF_ADD: case LF_ADC: case LF_SUB: case LF_SBB: return ((lfDst ^ lfSrc ^ lfRes) & 0x10) != 0;
            case LF_LOGIC: return false;
            case LF_INC: return (lfRes & 0xf) == 0;
            case LF_DEC: return (lfRes & 0xf) == 0xf;
            default: return (flags & AF) != 0;
        }
    }

    /** Full EFLAGS with the lazy bits computed. */
    public final int getFlags() {
        if (lfOp == LF_NONE) return flags | 2;
        int f = flags & ~ARITH_FLAGS;
        if (cf()) f |= CF;
        if (pf()) f |= PF;
        if (af()) f |= AF;
        if (zf()) f |= ZF;
        if (sf()) f |= SF;
        if (of()) f |= OF;
        return f | 2;
    }

    /** Loads EFLAGS as given (no privilege filtering: callers apply POPF/IRET rules first). */
    public final void setFlags(int f) {
        flags = (f & 0x3f7fd5) | 2;
        lfOp = LF_NONE;
    }

    /** Materializes the lazy flags into {@link #flags}. */
    final void settleFlags() {
        if (lfOp != LF_NONE) {
            flags = getFlags();
            lfOp = LF_NONE;
        }
    }

    final void setCF(boolean c) {
        settleFlags();
        flags = c ? flags | CF : flags & ~CF;
    }

    /** Condition code test for Jcc/SETcc/CMOVcc (the low 4 bits of the opcode). */
    final boolean cond(int cc) {
        if (lfOp == LF_SUB) {
            // the compare fast path: decide from the operands directly
            int sh = lfShift, d = lfDst << sh, s = lfSrc << sh;
            switch (cc) {
                case 2: return Integer.compareUnsigned(d, s) < 0;
                case 3: return Integer.compareUnsigned(d, s) >= 0;
                case 4: return d == s;
                case 5: return d != s;
                case 6: return Integer.compareUnsigned(d, s) <= 0;
                case 7: return Integer.compareUnsigned(d, s) > 0;
                case 0xc: return d < s;
                case 0xd: return d >= s;
                case 0xe: return d <= s;
                case 0xf: return d > s;
                default: break;
            }
        }
        switch (cc) {
            case 0: return of();
            case 1: return !of();
            case 2: return cf();
            case 3: return !cf();
            case 4: return zf();
            case 5: return !zf();
            case 6: return cf() || zf();
            case 7: return !cf() && !zf();
            case 8: return sf();
            case 9: return !sf();
            case 0xa: return pf();
            case 0xb: return !pf();
            case 0xc: return sf() != of();
            case 0xd: return sf() == of();
            case 0xe: return zf() || sf() != of();
            default: return !zf() && sf() == of();
        }
    }
}
