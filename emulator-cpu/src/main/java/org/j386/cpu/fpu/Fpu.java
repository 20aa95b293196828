package org.j386.cpu.fpu;

import org.j386.mmu.Fault;
import org.j386.mmu.Mmu;

import static org.j386.cpu.fpu.F80.*;
import static org.j386.cpu.fpu.X87Math.*;

/**
 * The x87 floating-point unit: eight 80-bit registers, control/status/tag words and the last
 * instruction and data pointers, executing the D8..DF escape instructions bit-exactly.
 *
 * Registers are stored by physical index in plain arrays ({@link #sig}, {@link #se}); ST(i) is
 * physical register (TOP + i) & 7. The tag word is kept abridged (one "empty" bit per register,
 * as since the Pentium Pro) and the full two-bit tags are computed from the contents when the
 * tag word is read. Arithmetic, loads, stores and compares allocate nothing.
 *
 * Exceptions: flags are set exactly as the hardware does; an unmasked exception sets ES and B
 * and the next waiting x87 instruction raises #MF (vector 16) before it does anything.
 * Instructions restart cleanly after a page fault: memory is read, or probed for writing,
 * before any FPU state changes.
 */
public final class Fpu {
    public static final int SW_ES = 0x80, SW_B = 0x8000, SW_C0 = 0x100, SW_C1 = 0x200, SW_C2 = 0x400, SW_C3 = 0x4000;
    public static final int SW_IE = 0x01, SW_DE = 0x02, SW_ZE = 0x04, SW_OE = 0x08, SW_UE = 0x10, SW_PE = 0x20, SW_SF = 0x40;
    private static final int CC_MASK = SW_C0 | SW_C1 | SW_C2 | SW_C3;
    /** EFLAGS bits produced by FCOMI and friends. */
    private static final int EF_CF = 0x01, EF_PF = 0x04, EF_ZF = 0x40;

    private final Mmu mmu;
    private final X87Math m = new X87Math();
    private final Fault fault = new Fault();
    private Transcendentals trans;

    /** Significands of the physical registers R0..R7. */
    final long[] sig = new long[8];
    /** Sign (bit 15) and biased exponent (bits 0-14) of the physical registers. */
    final int[] se = new int[8];
    /** Bit i set: physical register i is empty. */
    private int empty = 0xFF;
    private int top;
    private int cw = 0x037F;
    /** Status word without the TOP field. */
    private int sw;
    private int fip, fcs, fop, fdp, fds;

    /** Scratch for FRSTOR/FXRSTOR (read everything before changing state). */
    private final long[] tmpSig = new long[8];
    private final int[] tmpSe = new int[8];

    public Fpu(Mmu mmu) {
        this.mmu = mmu;
        reset();
    }

    /** FNINIT state. */
    public void reset() {
        cw = 0x037F;
        sw = 0;
        top = 0;
        empty = 0xFF;
        fip = fcs = fop = fdp = fds = 0;
    }

    /**
     * The state a hardware reset leaves (Intel SDM vol. 3, table 9-1, P6 family), which is not
     * FNINIT's: control word 0x0040, status 0, every register holding +0.0 and tagged valid
     * (tag word 0x5555 as FSTENV reports it).
     */
    public void powerUp() {
        reset();
        cw = 0x0040;
        empty = 0;
        java.util.Arrays.fill(sig, 0);
        java.util.Arrays.fill(se, 0);
    }

    // =====================================================================================
    // state access (checkpoint)
    // =====================================================================================

    /** Status word with TOP merged in. */
    public int statusWord() { return sw | top << 11; }

    public void setStatusWord(int v) {
        sw = v & 0xC7FF;
        top = (v >> 11) & 7;
    }

    public int controlWord() { return cw; }

    /** FLDCW semantics: reserved bits are dropped, bit 6 reads as 1, ES/B follow the new masks. */
    public void setControlWord(int v) {
        cw = (v & 0x1F3F) | 0x40;
        updateSummary();
    }

    /** Full 16-bit tag word (2 bits per physical register: 00 valid, 01 zero, 10 special, 11 empty). */
    public int tagWord() {
        int tw = 0;
        for (int i = 0; i < 8; i++) tw |= tagOf(i) << (2 * i);
        return tw;
    }

    /** Loads a full tag word: only "empty" (11) versus "not empty" matters, as on the hardware. */
    public void setTagWord(int tw) {
        int e = 0;
        for (int i = 0; i < 8; i++) if (((tw >> (2 * i)) & 3) == 3) e |= 1 << i;
        empty = e;
    }

    /** Abridged tag byte as in FXSAVE: bit i set when physical register i is not empty. */
    public int abridgedTagWord() { return ~empty & 0xFF; }

    public void setAbridgedTagWord(int v) { empty = ~v & 0xFF; }

    public int top() { return top; }

    /** Significand (explicit integer bit at bit 63) of physical register {@code phys} (0..7). */
    public long registerSignificand(int phys) { return sig[phys & 7]; }

    /** Sign (bit 15) and biased exponent (bits 0-14) of physical register {@code phys}. */
    public int registerSignExponent(int phys) { return se[phys & 7]; }

    /** Sets the contents of physical register {@code phys}; its tag is not changed. */
    public void setRegister(int phys, long significand, int signExponent) {
        sig[phys & 7] = significand;
        se[phys & 7] = signExponent & 0xFFFF;
    }

    /** Last instruction pointer (offset), selector and opcode (11 bits: low 3 bits of the first byte, then ModRM). */
    public int lastInstructionPointer() { return fip; }
    public void setLastInstructionPointer(int v) { fip = v; }
    public int lastInstructionSelector() { return fcs; }
    public void setLastInstructionSelector(int v) { fcs = v & 0xFFFF; }
    public int lastOpcode() { return fop; }
    public void setLastOpcode(int v) { fop = v & 0x7FF; }
    /** Last data (operand) pointer and its selector. */
    public int lastDataPointer() { return fdp; }
    public void setLastDataPointer(int v) { fdp = v; }
    public int lastDataSelector() { return fds; }
    public void setLastDataSelector(int v) { fds = v & 0xFFFF; }

    /** True when an unmasked exception is pending (ES set): the next waiting instruction raises #MF. */
    public boolean exceptionPending() { return (sw & SW_ES) != 0; }

    /** FWAIT: raises #MF if an unmasked exception is pending. */
    public void fwait() { checkPending(); }

    // =====================================================================================
    // helpers
    // =====================================================================================

    private int tagOf(int phys) {
        if ((empty >> phys & 1) != 0) return 3;
        long s = sig[phys];
        int e = se[phys] & 0x7FFF;
        if (e == 0) return s == 0 ? 1 : 2;
        if (e == 0x7FFF || s >= 0) return 2;
        return 0;
    }

    private int ph(int i) { return (top + i) & 7; }

    private boolean isEmpty(int i) { return (empty >> ((top + i) & 7) & 1) != 0; }

    private void write(int i, long s, int e) {
        int p = (top + i) & 7;
        sig[p] = s;
        se[p] = e;
        empty &= ~(1 << p);
    }

    private void push(long s, int e) {
        top = (top - 1) & 7;
        sig[top] = s;
        se[top] = e;
        empty &= ~(1 << top);
    }

    private void pop() {
        empty |= 1 << top;
        top = (top + 1) & 7;
    }

    private void updateSummary() {
        if ((sw & ~cw & 0x3F) != 0) sw |= SW_ES | SW_B;
        else sw &= ~(SW_ES | SW_B);
    }

    /** ORs exception flags into the status word; C1 is taken from f (0 when absent). */
    private void setFlags(int f) {
        sw = (sw & ~SW_C1) | f;
        if ((f & ~cw & 0x3F) != 0) sw |= SW_ES | SW_B;
    }

    /** ORs exception flags into the status word, leaving C1 as it is. */
    private void setFlagsKeepC1(int f) {
        sw |= f & 0x7F;
        if ((f & ~cw & 0x3F) != 0) sw |= SW_ES | SW_B;
    }

    private void setCC(int cc) {
        sw = (sw & ~CC_MASK) | cc;
    }

    private void checkPending() {
        if ((sw & SW_ES) != 0) throw fault.set(Fault.MF, 0, false);
    }

    private Fault ud() { return fault.set(Fault.UD, 0, false); }

    private boolean ieMasked() { return (cw & SW_IE) != 0; }

    /** Stack underflow on reading an empty register; writes indefinite to ST(dst) when masked. Returns false if unmasked. */
    private boolean underflow(int dst) {
        setFlags(SW_IE | SW_SF);
        if (ieMasked()) {
            if (dst >= 0) write(dst, INDEFINITE_SIG, INDEFINITE_SE);
            return true;
        }
        return false;
    }

    /** Stack overflow check before a push: returns true if the push may go ahead. */
    private boolean canPush() {
        if (isEmpty(7)) return true;
        setFlags(SW_IE | SW_SF | SW_C1);
        if (ieMasked()) push(INDEFINITE_SIG, INDEFINITE_SE);
        return false;
    }

    private Transcendentals trans() {
        if (trans == null) trans = new Transcendentals(m);
        return trans;
    }

    // =====================================================================================
    // dispatch
    // =====================================================================================

    private static boolean undefined(int opcode, int modrm) {
        int reg = (modrm >> 3) & 7;
        if (modrm < 0xC0) {
            switch (opcode) {
                case 0xD9: return reg == 1;
                case 0xDB: return reg == 4 || reg == 6;
                case 0xDD: return reg == 5;
                default: return false;
            }
        }
        switch (opcode) {
            case 0xD9:
                return (modrm >= 0xD1 && modrm <= 0xD7) || modrm == 0xE2 || modrm == 0xE3 || modrm == 0xE6
                        || modrm == 0xE7 || modrm == 0xEF;
            case 0xDA: return !(modrm < 0xE0 || modrm == 0xE9);
            case 0xDB: return (modrm >= 0xE5 && modrm <= 0xE7) || modrm >= 0xF8;
            case 0xDD: return modrm >= 0xF0;
            case 0xDE: return modrm >= 0xD8 && modrm <= 0xDF && modrm != 0xD9;
            case 0xDF: return (modrm >= 0xE1 && modrm <= 0xE7) || modrm >= 0xF8;
            default: return false;
        }
    }

    /**
     * Executes one x87 escape instruction (see the class comment). Returns -1, or for
     * FCOMI/FCOMIP/FUCOMI/FUCOMIP the new ZF/PF/CF bits.
     */
    public int execute(int opcode, int modrm, int lin, boolean o16, int eflags, int eip) {
        opcode &= 0xFF;
        modrm &= 0xFF;
        if (opcode < 0xD8 || opcode > 0xDF || undefined(opcode, modrm)) throw ud();
        int reg = (modrm >> 3) & 7;
        if (modrm < 0xC0) {
            // control instructions with memory operands
            if (opcode == 0xD9 && reg >= 4) {
                switch (reg) {
                    case 4: checkPending(); fldenv(lin, o16); return -1;
                    case 5: { checkPending(); int v = mmu.readWord(lin); setControlWord(v); return -1; }
                    case 6: fnstenv(lin, o16); cw |= 0x3F; return -1;
                    default: mmu.writeWord(lin, cw); return -1;
                }
            }
            if (opcode == 0xDD && reg >= 4) {
                switch (reg) {
                    case 4: checkPending(); frstor(lin, o16); return -1;
                    case 6: fnsave(lin, o16); return -1;
                    default: mmu.writeWord(lin, statusWord()); return -1;
                }
            }
            checkPending();
            m.begin(cw);
            memOp(opcode, reg, lin);
            fip = eip;
            fop = (opcode & 7) << 8 | modrm;
            fdp = lin;
            return -1;
        }
        if (opcode == 0xDB && modrm >= 0xE0 && modrm <= 0xE4) {
            switch (modrm) {
                case 0xE2: sw &= ~(0x7F | SW_ES | SW_B); break;   // FNCLEX
                case 0xE3: reset(); break;                        // FNINIT
                default: break;                                   // FNENI, FNDISI, FNSETPM: no-ops
            }
            return -1;
        }
        if (opcode == 0xDF && modrm == 0xE0) return -1;          // FNSTSW AX is done by the CPU
        checkPending();
        m.begin(cw);
        int r = regOp(opcode, modrm, eflags);
        fip = eip;
        fop = (opcode & 7) << 8 | modrm;
        return r;
    }

    // =====================================================================================
    // memory-operand instructions
    // =====================================================================================

    private void memOp(int opcode, int reg, int lin) {
        switch (opcode) {
            case 0xD8: m.fromFloatBits(mmu.readInt(lin), false); arithMem(reg); return;
            case 0xDC: m.fromDoubleBits(mmu.readLong(lin), false); arithMem(reg); return;
            case 0xDA: m.fromInt(mmu.readInt(lin)); arithMem(reg); return;
            case 0xDE: m.fromInt((short) mmu.readWord(lin)); arithMem(reg); return;
            case 0xD9:
                switch (reg) {
                    case 0: m.fromFloatBits(mmu.readInt(lin), true); load(); return;
                    case 2: storeFloat(lin, false); return;
                    case 3: storeFloat(lin, true); return;
                    default: throw ud();
                }
            case 0xDD:
                switch (reg) {
                    case 0: m.fromDoubleBits(mmu.readLong(lin), true); load(); return;
                    case 1: storeInt(lin, 64, true, true); return;
                    case 2: storeDouble(lin, false); return;
                    case 3: storeDouble(lin, true); return;
                    default: throw ud();
                }
            case 0xDB:
                switch (reg) {
                    case 0: m.fromInt(mmu.readInt(lin)); load(); return;
                    case 1: storeInt(lin, 32, true, true); return;
                    case 2: storeInt(lin, 32, false, false); return;
                    case 3: storeInt(lin, 32, false, true); return;
                    case 5: {
                        long s = mmu.readLong(lin);
                        int e = mmu.readWord(lin + 8);
                        m.rSig = s;
                        m.rSe = e;
                        load();
                        return;
                    }
                    case 7: storeExtended(lin); return;
                    default: throw ud();
                }
            case 0xDF:
                switch (reg) {
                    case 0: m.fromInt((short) mmu.readWord(lin)); load(); return;
                    case 1: storeInt(lin, 16, true, true); return;
                    case 2: storeInt(lin, 16, false, false); return;
                    case 3: storeInt(lin, 16, false, true); return;
                    case 4: fbld(lin); return;
                    case 5: m.fromInt(mmu.readLong(lin)); load(); return;
                    case 6: fbstp(lin); return;
                    default: storeInt(lin, 64, false, true); return;
                }
            default:
                throw ud();
        }
    }

    /** Pushes the converted memory operand in m.rSig/m.rSe (FLD, FILD). */
    private void load() {
        if (!canPush()) return;
        int f = m.flags;
        // an unmasked IE (SNaN source) suppresses the load; an unmasked DE does not (host behaviour)
        if ((f & ~cw & SW_IE) != 0) { setFlags(f); return; }
        push(m.rSig, m.rSe);
        setFlags(f);
    }

    /** Arithmetic between ST(0) and the converted memory operand in m.rSig/m.rSe. */
    private void arithMem(int reg) {
        long bSig = m.rSig;
        int bSe = m.rSe;
        if (isEmpty(0)) {
            if (reg == 2 || reg == 3) {
                setFlags(SW_IE | SW_SF);
                setCC(SW_C0 | SW_C2 | SW_C3);
                if (reg == 3 && ieMasked()) pop();
            } else underflow(0);
            return;
        }
        int p = top;
        long aSig = sig[p];
        int aSe = se[p];
        int ca = classify(aSig, aSe);
        boolean aNaN = ca == QNAN || ca == SNAN || ca == UNSUPPORTED;
        if (reg == 2 || reg == 3) {
            // a denormal memory operand (flagged by the conversion) does not count against a NaN
            if (aNaN) m.flags &= ~SW_DE;
            int r = m.compare(aSig, aSe, bSig, bSe, false);
            compareResult(r);
            if (reg == 3 && (m.flags & ~cw & 0x3F) == 0) pop();
            return;
        }
        // a denormal memory operand was flagged by the conversion: it only counts if no NaN decides first
        // nor when it is the dividend of a division by zero
        int pre = m.flags;
        m.flags = 0;
        if ((pre & SW_DE) != 0 && !aNaN && !(reg == 7 && ca == ZERO)) {
            m.flags = SW_DE;
            if ((cw & SW_DE) == 0) { setFlags(SW_DE); return; }
        }
        binary(reg, aSig, aSe, bSig, bSe);
        if (m.noResult) { setFlags(m.flags); return; }
        sig[p] = m.rSig;
        se[p] = m.rSe;
        setFlags(m.flags);
    }

    /** Computes ST0 op other: reg 0 add, 1 mul, 4 a-b, 5 b-a, 6 a/b, 7 b/a. */
    private void binary(int reg, long aSig, int aSe, long bSig, int bSe) {
        switch (reg) {
            case 0: m.add(aSig, aSe, bSig, bSe, 0); break;
            case 1: m.mul(aSig, aSe, bSig, bSe); break;
            case 4: m.add(aSig, aSe, bSig, bSe, 0x8000); break;
            case 5: m.add(bSig, bSe, aSig, aSe, 0x8000); break;
            case 6: m.div(aSig, aSe, bSig, bSe); break;
            default: m.div(bSig, bSe, aSig, aSe); break;
        }
    }

    private void compareResult(int r) {
        int cc;
        switch (r) {
            case CMP_LESS: cc = SW_C0; break;
            case CMP_EQUAL: cc = SW_C3; break;
            case CMP_GREATER: cc = 0; break;
            default: cc = SW_C0 | SW_C2 | SW_C3; break;
        }
        setCC(cc);
        setFlags(m.flags);
    }

    private void storeFloat(int lin, boolean pop) {
        if (isEmpty(0)) { storeUnderflow(lin, 4, pop); return; }
        int bits = m.toFloatBits(sig[top], se[top]);
        if (m.noResult) { setFlags(m.flags); return; }
        mmu.writeInt(lin, bits);
        setFlags(m.flags);
        if (pop) pop();
    }

    private void storeDouble(int lin, boolean pop) {
        if (isEmpty(0)) { storeUnderflow(lin, 8, pop); return; }
        long bits = m.toDoubleBits(sig[top], se[top]);
        if (m.noResult) { setFlags(m.flags); return; }
        mmu.writeLong(lin, bits);
        setFlags(m.flags);
        if (pop) pop();
    }

    /** Store from an empty ST(0): writes the indefinite of the destination format when masked. */
    private void storeUnderflow(int lin, int size, boolean pop) {
        if (!ieMasked()) { setFlags(SW_IE | SW_SF); return; }
        switch (size) {
            case 2: mmu.writeWord(lin, 0x8000); break;
            case 4: mmu.writeInt(lin, 0xFFC00000); break;
            case 8: mmu.writeLong(lin, 0xFFF8000000000000L); break;
            case 10:
                mmu.probeWrite(lin, 10);
                mmu.writeLong(lin, INDEFINITE_SIG);
                mmu.writeWord(lin + 8, INDEFINITE_SE);
                break;
            default: break;
        }
        setFlags(SW_IE | SW_SF);
        if (pop) pop();
    }

    private void storeIntUnderflow(int lin, int bits, boolean pop) {
        if (!ieMasked()) { setFlags(SW_IE | SW_SF); return; }
        switch (bits) {
            case 16: mmu.writeWord(lin, 0x8000); break;
            case 32: mmu.writeInt(lin, 0x80000000); break;
            default: mmu.writeLong(lin, Long.MIN_VALUE); break;
        }
        setFlags(SW_IE | SW_SF);
        if (pop) pop();
    }

    private void storeInt(int lin, int bits, boolean chop, boolean pop) {
        if (isEmpty(0)) { storeIntUnderflow(lin, bits, pop); return; }
        long v = m.toInt(sig[top], se[top], bits, chop);
        if (m.noResult) { setFlags(m.flags); return; }
        switch (bits) {
            case 16: mmu.writeWord(lin, (int) v); break;
            case 32: mmu.writeInt(lin, (int) v); break;
            default: mmu.writeLong(lin, v); break;
        }
        setFlags(m.flags);
        if (pop) pop();
    }

    private void storeExtended(int lin) {
        if (isEmpty(0)) { storeUnderflow(lin, 10, true); return; }
        mmu.probeWrite(lin, 10);
        mmu.writeLong(lin, sig[top]);
        mmu.writeWord(lin + 8, se[top]);
        setFlags(0);
        pop();
    }

    private void fbld(int lin) {
        long lo = mmu.readLong(lin);
        int hi = mmu.readWord(lin + 8);
        long v = 0;
        for (int i = 17; i >= 0; i--) {
            int d = i >= 16 ? (hi >> ((i - 16) * 4)) & 0xF : (int) (lo >>> (i * 4)) & 0xF;
            v = v * 10 + d;
        }
        m.fromInt(v);
        if ((hi & 0x8000) != 0) m.rSe |= 0x8000;
        load();
    }

    private void fbstp(int lin) {
        if (isEmpty(0)) {
            if (!ieMasked()) { setFlags(SW_IE | SW_SF); return; }
            mmu.probeWrite(lin, 10);
            mmu.writeLong(lin, 0xC000000000000000L);
            mmu.writeWord(lin + 8, 0xFFFF);
            setFlags(SW_IE | SW_SF);
            pop();
            return;
        }
        long s = sig[top];
        int e = se[top];
        long v = m.toInt(s, e, 64, false);
        boolean invalid = (m.flags & SW_IE) != 0;
        long mag = v < 0 ? -v : v;
        if (!invalid && Long.compareUnsigned(mag, 999_999_999_999_999_999L) > 0) {
            m.flags = (m.flags & ~(SW_PE | SW_C1)) | SW_IE;
            invalid = true;
        }
        if (invalid) {
            if (!ieMasked()) { setFlags(m.flags & ~(SW_PE | SW_C1)); return; }
            mmu.probeWrite(lin, 10);
            mmu.writeLong(lin, 0xC000000000000000L);
            mmu.writeWord(lin + 8, 0xFFFF);
            setFlags(m.flags & ~(SW_PE | SW_C1));
            pop();
            return;
        }
        if (m.noResult) { setFlags(m.flags); return; }
        long lo = 0;
        int hi = (e & 0x8000) != 0 ? 0x8000 : 0;
        for (int i = 0; i < 18; i++) {
            int d = (int) (mag % 10);
            mag /= 10;
            if (i < 16) lo |= (long) d << (i * 4);
            else hi |= d << ((i - 16) * 4);
        }
        mmu.probeWrite(lin, 10);
        mmu.writeLong(lin, lo);
        mmu.writeWord(lin + 8, hi);
        setFlags(m.flags);
        pop();
    }

    // =====================================================================================
    // register-operand instructions
    // =====================================================================================

    private int regOp(int opcode, int modrm, int eflags) {
        int reg = (modrm >> 3) & 7;
        int i = modrm & 7;
        switch (opcode) {
            case 0xD8:
                if (reg == 2 || reg == 3) { fcom(i, reg == 3 ? 1 : 0, false); return -1; }
                arithReg(reg, i, false, false);
                return -1;
            case 0xDC:
                if (reg == 2 || reg == 3) { fcom(i, reg == 3 ? 1 : 0, false); return -1; }
                arithReg(reg, i, true, false);
                return -1;
            case 0xDE:
                if (reg == 2) { fcom(i, 1, false); return -1; }
                if (reg == 3) { fcom(1, 2, false); return -1; }     // FCOMPP (DE D9)
                arithReg(reg, i, true, true);
                return -1;
            case 0xD9:
                return opD9(modrm, reg, i);
            case 0xDA:
                if (modrm == 0xE9) { fcom(1, 2, true); return -1; } // FUCOMPP
                fcmov(reg, i, eflags, false);
                return -1;
            case 0xDB:
                if (reg < 4) { fcmov(reg, i, eflags, true); return -1; }
                if (reg == 5) return fcomi(i, true, false);
                if (reg == 6) return fcomi(i, false, false);
                throw ud();
            case 0xDD:
                switch (reg) {
                    case 0: ffree(i); setFlags(0); return -1;
                    case 1: fxch(i); return -1;
                    case 2: fst(i, false); return -1;
                    case 3: fst(i, true); return -1;
                    case 4: fcom(i, 0, true); return -1;
                    case 5: fcom(i, 1, true); return -1;
                    default: throw ud();
                }
            case 0xDF:
                switch (reg) {
                    case 0: ffree(i); setFlags(0); pop(); return -1;  // FFREEP
                    case 1: fxch(i); return -1;
                    case 2: case 3: fst(i, true); return -1;
                    case 5: return fcomi(i, true, true);
                    case 6: return fcomi(i, false, true);
                    default: throw ud();
                }
            default:
                throw ud();
        }
    }

    /** Register arithmetic: ST0 op ST(i) stored to ST(0), or to ST(i) when toSti; optional pop. */
    private void arithReg(int reg, int i, boolean toSti, boolean pop) {
        int dst = toSti ? i : 0;
        if (isEmpty(0) || isEmpty(i)) {
            if (underflow(dst) && pop) pop();
            return;
        }
        int pa = top, pb = ph(i);
        binary(reg, sig[pa], se[pa], sig[pb], se[pb]);
        if (m.noResult) { setFlags(m.flags); return; }
        int pd = toSti ? pb : pa;
        sig[pd] = m.rSig;
        se[pd] = m.rSe;
        setFlags(m.flags);
        if (pop) pop();
    }

    /** FCOM/FUCOM family: compares ST0 with ST(i); pops = 0, 1 or 2. */
    private void fcom(int i, int pops, boolean quiet) {
        if (isEmpty(0) || isEmpty(i)) {
            setFlags(SW_IE | SW_SF);
            setCC(SW_C0 | SW_C2 | SW_C3);
            if (ieMasked()) for (int k = 0; k < pops; k++) pop();
            return;
        }
        int pa = top, pb = ph(i);
        int r = m.compare(sig[pa], se[pa], sig[pb], se[pb], quiet);
        compareResult(r);
        if ((m.flags & ~cw & 0x3F) == 0) for (int k = 0; k < pops; k++) pop();
    }

    private int fcomi(int i, boolean quiet, boolean pop) {
        int ef;
        if (isEmpty(0) || isEmpty(i)) {
            // the flags say "unordered" even when the stack fault is unmasked
            setFlags(SW_IE | SW_SF);
            if (pop && ieMasked()) pop();
            return EF_ZF | EF_PF | EF_CF;
        }
        int pa = top, pb = ph(i);
        int r = m.compare(sig[pa], se[pa], sig[pb], se[pb], quiet);
        switch (r) {
            case CMP_LESS: ef = EF_CF; break;
            case CMP_EQUAL: ef = EF_ZF; break;
            case CMP_GREATER: ef = 0; break;
            default: ef = EF_ZF | EF_PF | EF_CF; break;
        }
        // C1 is left alone (as on the host); an unmasked exception still sets EFLAGS but does not pop
        setFlagsKeepC1(m.flags);
        if (pop && (m.flags & ~cw & 0x3F) == 0) pop();
        return ef;
    }

    private void fcmov(int cond, int i, int eflags, boolean negate) {
        if (isEmpty(0) || isEmpty(i)) {
            underflow(0);
            return;
        }
        boolean c;
        switch (cond) {
            case 0: c = (eflags & EF_CF) != 0; break;
            case 1: c = (eflags & EF_ZF) != 0; break;
            case 2: c = (eflags & (EF_CF | EF_ZF)) != 0; break;
            default: c = (eflags & EF_PF) != 0; break;
        }
        if (c != negate) {
            int pb = ph(i);
            write(0, sig[pb], se[pb]);
        }
    }

    private void ffree(int i) {
        empty |= 1 << ph(i);
    }

    private void fxch(int i) {
        if (isEmpty(0) || isEmpty(i)) {
            setFlags(SW_IE | SW_SF);
            if (!ieMasked()) return;
            if (isEmpty(0)) write(0, INDEFINITE_SIG, INDEFINITE_SE);
            if (isEmpty(i)) write(i, INDEFINITE_SIG, INDEFINITE_SE);
        } else setFlags(0);
        int pa = top, pb = ph(i);
        long s = sig[pa]; sig[pa] = sig[pb]; sig[pb] = s;
        int e = se[pa]; se[pa] = se[pb]; se[pb] = e;
    }

    private void fst(int i, boolean pop) {
        if (isEmpty(0)) {
            if (underflow(i) && pop) pop();
            return;
        }
        write(i, sig[top], se[top]);
        setFlags(0);
        if (pop) pop();
    }

    private int opD9(int modrm, int reg, int i) {
        switch (reg) {
            case 0: { // FLD ST(i)
                if (isEmpty(i)) {
                    if (!canPush()) return -1;
                    setFlags(SW_IE | SW_SF);
                    if (ieMasked()) push(INDEFINITE_SIG, INDEFINITE_SE);
                    return -1;
                }
                int p = ph(i);
                long s = sig[p];
                int e = se[p];
                if (!canPush()) return -1;
                push(s, e);
                setFlags(0);
                return -1;
            }
            case 1: fxch(i); return -1;
            case 2: return -1;                       // FNOP (D9 D0)
            case 3:                                  // FSTP1 / FSTPNCE (D9 D8+i): no stack fault
                if (isEmpty(0)) { setFlags(0); pop(); return -1; }
                fst(i, true);
                return -1;
            default: break;
        }
        switch (modrm) {
            case 0xE0: case 0xE1: { // FCHS, FABS
                if (isEmpty(0)) { underflow(0); return -1; }
                se[top] = modrm == 0xE0 ? se[top] ^ 0x8000 : se[top] & 0x7FFF;
                setFlags(0);
                return -1;
            }
            case 0xE4: ftst(); return -1;
            case 0xE5: fxam(); return -1;
            case 0xE8: loadConst(INT_BIT, 0, 0x3FFF); return -1;
            case 0xE9: loadConst(0xD49A784BCD1B8AFEL, 0x492BF6FF4DAFDB4CL, 0x4000); return -1;
            case 0xEA: loadConst(0xB8AA3B295C17F0BBL, 0xBE87FED0691D3E88L, 0x3FFF); return -1;
            case 0xEB: loadConst(0xC90FDAA22168C234L, 0xC4C6628B80DC1CD1L, 0x4000); return -1;
            case 0xEC: loadConst(0x9A209A84FBCFF798L, 0x8F8959AC0B7C9178L, 0x3FFD); return -1;
            case 0xED: loadConst(0xB17217F7D1CF79ABL, 0xC9E3B39803F2F6AFL, 0x3FFE); return -1;
            case 0xEE: loadConst(0, 0, 0); return -1;
            case 0xF4: fxtract(); return -1;
            case 0xF5: fprem(true); return -1;
            case 0xF6: top = (top - 1) & 7; setFlags(0); return -1;
            case 0xF7: top = (top + 1) & 7; setFlags(0); return -1;
            case 0xF8: fprem(false); return -1;
            case 0xFA: unary(modrm); return -1;
            case 0xFC: unary(modrm); return -1;
            case 0xFD: fscale(); return -1;
            case 0xF0: case 0xF2: case 0xFB: case 0xFE: case 0xFF:
                transcendentalUnary(modrm);
                return -1;
            case 0xF1: case 0xF3: case 0xF9:
                transcendentalBinary(modrm);
                return -1;
            default:
                throw ud();
        }
    }

    private void loadConst(long hi, long lo, int e) {
        if (!canPush()) return;
        if (hi == 0) { push(0, 0); setFlags(0); return; }
        // round the constant to 64 bits per RC, no exception flags
        long s = hi;
        int rc = (cw >> 10) & 3;
        boolean inc;
        switch (rc) {
            case RC_NEAREST: inc = Long.compareUnsigned(lo, INT_BIT) > 0 || (lo == INT_BIT && (hi & 1) != 0); break;
            case RC_UP: inc = lo != 0; break;
            default: inc = false; break;
        }
        if (inc) s++;
        push(s, e);
        setFlags(0);
    }

    private void ftst() {
        if (isEmpty(0)) {
            setFlags(SW_IE | SW_SF);
            if (ieMasked()) setCC(SW_C0 | SW_C2 | SW_C3);
            return;
        }
        int r = m.compare(sig[top], se[top], 0, 0, false);
        compareResult(r);
    }

    private void fxam() {
        int p = top;
        int c1 = (se[p] & 0x8000) != 0 ? SW_C1 : 0;
        int cc;
        if ((empty >> p & 1) != 0) cc = SW_C3 | SW_C0;
        else {
            switch (classify(sig[p], se[p])) {
                case ZERO: cc = SW_C3; break;
                case DENORMAL: cc = SW_C3 | SW_C2; break;
                case NORMAL: cc = SW_C2; break;
                case INFINITY: cc = SW_C2 | SW_C0; break;
                case QNAN: case SNAN: cc = SW_C0; break;
                default: cc = 0; break;
            }
        }
        sw = (sw & ~CC_MASK) | cc | c1;
    }

    private void unary(int modrm) {
        if (isEmpty(0)) { underflow(0); return; }
        int p = top;
        if (modrm == 0xFA) m.sqrt(sig[p], se[p]);
        else m.roundInt(sig[p], se[p]);
        if (!m.noResult) { sig[p] = m.rSig; se[p] = m.rSe; }
        setFlags(m.flags);
    }

    private void fscale() {
        if (isEmpty(0) || isEmpty(1)) { underflow(0); return; }
        int pa = top, pb = ph(1);
        m.scale(sig[pa], se[pa], sig[pb], se[pb]);
        if (!m.noResult) { sig[pa] = m.rSig; se[pa] = m.rSe; }
        setFlags(m.flags);
    }

    private void fxtract() {
        if (isEmpty(0)) {
            // underflow: ST0 becomes indefinite, and indefinite is pushed
            setFlags(SW_IE | SW_SF);
            if (ieMasked()) {
                write(0, INDEFINITE_SIG, INDEFINITE_SE);
                if (isEmpty(7)) push(INDEFINITE_SIG, INDEFINITE_SE);
            }
            return;
        }
        if (!isEmpty(7)) {
            setFlags(SW_IE | SW_SF | SW_C1);
            if (ieMasked()) {
                write(0, INDEFINITE_SIG, INDEFINITE_SE);
                push(INDEFINITE_SIG, INDEFINITE_SE);
            }
            return;
        }
        int p = top;
        m.extract(sig[p], se[p]);
        if (m.noResult) { setFlags(m.flags); return; }
        sig[p] = m.rSig;
        se[p] = m.rSe;
        push(m.xSig, m.xSe);
        setFlags(m.flags);
    }

    private void fprem(boolean round) {
        if (isEmpty(0) || isEmpty(1)) {
            underflow(0);
            return;
        }
        int pa = top, pb = ph(1);
        m.prem(sig[pa], se[pa], sig[pb], se[pb], round);
        if (m.noResult) { setFlags(m.flags); return; }
        sig[pa] = m.rSig;
        se[pa] = m.rSe;
        if ((m.flags & SW_IE) == 0) {
            int cc = m.quotientBits | (m.incomplete ? SW_C2 : 0);
            sw = (sw & ~CC_MASK) | cc;
            setFlags(m.flags | (cc & SW_C1));
        } else {
            setFlags(m.flags);
        }
    }

    // =====================================================================================
    // transcendentals
    // =====================================================================================

    private void transcendentalUnary(int modrm) {
        boolean pushes = modrm == 0xF2 || modrm == 0xFB;
        if (isEmpty(0)) {
            setFlags(SW_IE | SW_SF);
            if (ieMasked()) {
                write(0, INDEFINITE_SIG, INDEFINITE_SE);
                if (pushes && isEmpty(7)) push(INDEFINITE_SIG, INDEFINITE_SE);
            }
            return;
        }
        if (pushes && !isEmpty(7)) {
            setFlags(SW_IE | SW_SF | SW_C1);
            if (ieMasked()) {
                write(0, INDEFINITE_SIG, INDEFINITE_SE);
                push(INDEFINITE_SIG, INDEFINITE_SE);
            }
            return;
        }
        int p = top;
        Transcendentals t = trans();
        int op;
        switch (modrm) {
            case 0xF0: op = Transcendentals.F2XM1; break;
            case 0xF2: op = Transcendentals.FPTAN; break;
            case 0xFB: op = Transcendentals.FSINCOS; break;
            case 0xFE: op = Transcendentals.FSIN; break;
            default: op = Transcendentals.FCOS; break;
        }
        t.unary(op, sig[p], se[p]);
        if (t.outOfRange) {
            sw |= SW_C2;
            return;
        }
        if (m.noResult) { setFlags(m.flags); return; }
        sig[p] = m.rSig;
        se[p] = m.rSe;
        if (pushes) push(t.pushSig, t.pushSe);
        sw &= ~SW_C2;
        setFlags(m.flags);
    }

    private void transcendentalBinary(int modrm) {
        if (isEmpty(0) || isEmpty(1)) {
            if (underflow(1)) pop();
            return;
        }
        int pa = top, pb = ph(1);
        Transcendentals t = trans();
        int op = modrm == 0xF1 ? Transcendentals.FYL2X : modrm == 0xF9 ? Transcendentals.FYL2XP1 : Transcendentals.FPATAN;
        t.binary(op, sig[pa], se[pa], sig[pb], se[pb]);
        if (m.noResult) { setFlags(m.flags); return; }
        sig[pb] = m.rSig;
        se[pb] = m.rSe;
        setFlags(m.flags);
        pop();
    }

    // =====================================================================================
    // environment, save/restore
    // =====================================================================================

    private void fnstenv(int lin, boolean o16) {
        if (o16) {
            mmu.probeWrite(lin, 14);
            writeEnv16(lin);
        } else {
            mmu.probeWrite(lin, 28);
            writeEnv32(lin);
        }
    }

    private void writeEnv32(int lin) {
        mmu.writeInt(lin, 0xFFFF0000 | cw);
        mmu.writeInt(lin + 4, 0xFFFF0000 | statusWord());
        mmu.writeInt(lin + 8, 0xFFFF0000 | tagWord());
        mmu.writeInt(lin + 12, fip);
        mmu.writeInt(lin + 16, fop << 16 | fcs);
        mmu.writeInt(lin + 20, fdp);
        mmu.writeInt(lin + 24, 0xFFFF0000 | fds);
    }

    private void writeEnv16(int lin) {
        mmu.writeWord(lin, cw);
        mmu.writeWord(lin + 2, statusWord());
        mmu.writeWord(lin + 4, tagWord());
        mmu.writeWord(lin + 6, fip);
        mmu.writeWord(lin + 8, fcs);
        mmu.writeWord(lin + 10, fdp);
        mmu.writeWord(lin + 12, fds);
    }

    private void fnsave(int lin, boolean o16) {
        int envLen = o16 ? 14 : 28;
        mmu.probeWrite(lin, envLen + 80);
        if (o16) writeEnv16(lin);
        else writeEnv32(lin);
        for (int i = 0; i < 8; i++) {
            int p = ph(i);
            int a = lin + envLen + 10 * i;
            mmu.writeLong(a, sig[p]);
            mmu.writeWord(a + 8, se[p]);
        }
        reset();
    }

    // environment read scratch
    private int eCw, eSw, eTw, eIp, eCs, eOp, eDp, eDs;

    private void readEnv(int lin, boolean o16) {
        if (o16) {
            eCw = mmu.readWord(lin);
            eSw = mmu.readWord(lin + 2);
            eTw = mmu.readWord(lin + 4);
            eIp = mmu.readWord(lin + 6);
            eCs = mmu.readWord(lin + 8);
            eOp = fop;
            eDp = mmu.readWord(lin + 10);
            eDs = mmu.readWord(lin + 12);
        } else {
            eCw = mmu.readWord(lin);
            eSw = mmu.readWord(lin + 4);
            eTw = mmu.readWord(lin + 8);
            eIp = mmu.readInt(lin + 12);
            int v = mmu.readInt(lin + 16);
            eCs = v & 0xFFFF;
            eOp = (v >>> 16) & 0x7FF;
            eDp = mmu.readInt(lin + 20);
            eDs = mmu.readWord(lin + 24);
        }
    }

    private void commitEnv() {
        cw = (eCw & 0x1F3F) | 0x40;
        setStatusWord(eSw);
        setTagWord(eTw);
        fip = eIp;
        fcs = eCs;
        fop = eOp;
        fdp = eDp;
        fds = eDs;
        updateSummary();
    }

    private void fldenv(int lin, boolean o16) {
        readEnv(lin, o16);
        commitEnv();
    }

    private void frstor(int lin, boolean o16) {
        readEnv(lin, o16);
        int base = lin + (o16 ? 14 : 28);
        for (int i = 0; i < 8; i++) {
            tmpSig[i] = mmu.readLong(base + 10 * i);
            tmpSe[i] = mmu.readWord(base + 10 * i + 8);
        }
        commitEnv();
        for (int i = 0; i < 8; i++) {
            int p = ph(i);
            sig[p] = tmpSig[i];
            se[p] = tmpSe[i];
        }
    }

    /** FXSAVE: writes the 512-byte image at lin (x87 part; MXCSR 0x1F80, XMM registers zero). */
    public void fxsave(int lin) {
        mmu.probeWrite(lin, 512);
        mmu.writeWord(lin, cw);
        mmu.writeWord(lin + 2, statusWord());
        mmu.writeByte(lin + 4, abridgedTagWord());
        mmu.writeByte(lin + 5, 0);
        mmu.writeWord(lin + 6, fop);
        mmu.writeInt(lin + 8, fip);
        mmu.writeInt(lin + 12, fcs);
        mmu.writeInt(lin + 16, fdp);
        mmu.writeInt(lin + 20, fds);
        mmu.writeInt(lin + 24, 0x1F80);
        mmu.writeInt(lin + 28, 0xFFFF);
        for (int i = 0; i < 8; i++) {
            int p = ph(i);
            int a = lin + 32 + 16 * i;
            mmu.writeLong(a, sig[p]);
            mmu.writeLong(a + 8, se[p]);
        }
        for (int a = lin + 160; a < lin + 288; a += 8) mmu.writeLong(a, 0);
    }

    /** FXRSTOR: loads the x87 part of a 512-byte FXSAVE image. */
    public void fxrstor(int lin) {
        mmu.probeRead(lin, 512);
        int ncw = mmu.readWord(lin);
        int nsw = mmu.readWord(lin + 2);
        int ntag = mmu.readByte(lin + 4);
        int nop = mmu.readWord(lin + 6);
        int nip = mmu.readInt(lin + 8);
        int ncs = mmu.readWord(lin + 12);
        int ndp = mmu.readInt(lin + 16);
        int nds = mmu.readWord(lin + 20);
        for (int i = 0; i < 8; i++) {
            tmpSig[i] = mmu.readLong(lin + 32 + 16 * i);
            tmpSe[i] = mmu.readWord(lin + 40 + 16 * i);
        }
        cw = (ncw & 0x1F3F) | 0x40;
        setStatusWord(nsw);
        empty = ~ntag & 0xFF;
        fop = nop & 0x7FF;
        fip = nip;
        fcs = ncs;
        fdp = ndp;
        fds = nds;
        for (int i = 0; i < 8; i++) {
            int p = ph(i);
            sig[p] = tmpSig[i];
            se[p] = tmpSe[i];
        }
        updateSummary();
    }
}
