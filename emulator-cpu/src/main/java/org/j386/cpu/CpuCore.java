package org.j386.cpu;

import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;
import sun.misc.Unsafe;

/**
 * Instruction fetch, prefix and ModRM/SIB decoding, operand access, the stack, segment
 * register loads and fault raising: the machinery every instruction uses.
 */
public abstract class CpuCore extends CpuFlags {
    private static final Unsafe U = Mmu.unsafe();

    // ---- per-instruction decode state ----
    /** EIP of the instruction being executed (faults rewind here). */
    public int opStart;
    /** Segment override prefix, or -1. */
    int segOverride;
    /** Operand size is 16 bits for this instruction. */
    boolean o16;
    /** Address size is 16 bits for this instruction. */
    boolean a16;
    /** 0, 0xF2 (REPNE) or 0xF3 (REP/REPE). */
    int rep;
    int modrm;
    /** Linear address of the memory operand (valid when modrm < 0xC0). */
    int eaLin;
    /** Offset of the memory operand within its segment (LEA). */
    int eaOff;
    /** Segment of the memory operand. */
    int eaSeg;

    // ---- code fetch window ----
    // The page under EIP, as host memory: eip values in [winLo, winLo + winLen) fetch from
    // winHost + (eip - winLo) with no translation. Emptied when the MMU's mappings change
    // (checked once per instruction), when CS or CPL change, and at page boundaries.
    long winHost;
    int winLo;
    int winLen;
    private int winGen;
    /** Physical frame of the window's page. */
    long winFrame;

    /** The fault instance every raiser shares (the MMU's). */
    final Fault fault;

    protected CpuCore(Mmu mmu, IoBus io) {
        super(mmu, io);
        this.fault = mmu.fault;
    }

    // ---- faults ----

    final Fault fault(int vector) {
        return fault.set(vector, 0, false);
    }

    final Fault fault(int vector, int error) {
        return fault.set(vector, error, true);
    }

    final Fault ud() { return fault(Fault.UD); }

    final Fault gp(int error) { return fault(Fault.GP, error); }

    // ---- fetch ----

    /** Forgets the fetch window (after the kernel changes mappings, CS or CPL). */
    public final void invalidateCodeCache() { winLen = 0; }

    /** Called at each instruction start: drops the window if the MMU's translations changed. */
    final void checkCodeWindow() {
        if (winGen != mmu.generation) {
            winGen = mmu.generation;
            winLen = 0;
        }
    }

    final int fetchByte() {
        int e = eip;
        int off = e - winLo;
        if (Integer.compareUnsigned(off, winLen) < 0) {
            eip = e + 1;
            return U.getByte(winHost + off) & 0xff;
        }
        return fetchByteSlow();
    }

    private int fetchByteSlow() {
        // 16-bit code: IP wraps from 0xFFFF to 0 (the window below never reaches past 0xFFFF,
        // so a fetch there always comes here; 32-bit code pays nothing for it)
        if (!code32) eip &= 0xffff;
        int lin = segBase[CS] + eip;
        long host = mmu.codeHostAddress(lin);
        winGen = mmu.generation;
        if (host == -1) {
            winLen = 0;
            eip = code32 ? eip + 1 : (eip + 1) & 0xffff;
            return mmu.fetchByte(lin);
        }
        int pageOff = lin & 0xfff;
        winHost = host - pageOff;
        winLo = eip - pageOff;
        winLen = code32 ? 0x1000 : Math.min(0x1000, 0x10000 - winLo);
        winFrame = mmu.frameOfHost(winHost);
        eip++;
        return U.getByte(host) & 0xff;
    }

    /** Makes the fetch window cover EIP (may fault); false when the page is not plain RAM. */
    final boolean windowAtEip() {
        if (Integer.compareUnsigned(eip - winLo, winLen) < 0) return true;
        int lin = segBase[CS] + eip;
        long host = mmu.codeHostAddress(lin);
        winGen = mmu.generation;
        if (host == -1) {
            winLen = 0;
            return false;
        }
        int pageOff = lin & 0xfff;
        winHost = host - pageOff;
        winLo = eip - pageOff;
        winLen = 0x1000;
        winFrame = mmu.frameOfHost(winHost);
        return true;
    }

    final int fetchWord() {
        int lo = fetchByte();
        return lo | fetchByte() << 8;
    }

    final int fetchInt() {
        int e = eip;
        int off = e - winLo;
        if (Integer.compareUnsigned(off, winLen - 3) < 0 && winLen != 0) {
            eip = e + 4;
            return U.getInt(winHost + off);
        }
        int b0 = fetchByte(), b1 = fetchByte(), b2 = fetchByte();
        return b0 | b1 << 8 | b2 << 16 | fetchByte() << 24;
    }

    /** Immediate of the operand size (16 or 32), zero-extended for 16. */
    final int fetchImmV() { return o16 ? fetchWord() : fetchInt(); }

    final int fetchImm(int size) {
        return size == 1 ? fetchByte() : size == 2 ? fetchWord() : fetchInt();
    }

    // ---- ModRM ----

    final void decodeModrm() {
        int m = fetchByte();
        modrm = m;
        if (m >= 0xc0) return;
        if (a16) { decodeModrm16(m); return; }
        int mod = m >>> 6, rm = m & 7;
        int addr;
        int sreg = DS;
        if (rm == 4) {
            int sib = fetchByte();
            int idx = (sib >>> 3) & 7, base = sib & 7;
            addr = idx == 4 ? 0 : r[idx] << (sib >>> 6);
            if (base == 5 && mod == 0) {
                addr += fetchInt();
            } else {
                addr += r[base];
                if (base == 4 || base == 5) sreg = SS;
            }
        } else if (rm == 5 && mod == 0) {
            addr = fetchInt();
        } else {
            addr = r[rm];
            if (rm == 5) sreg = SS;
        }
        if (mod == 1) addr += (byte) fetchByte();
        else if (mod == 2) addr += fetchInt();
        if (segOverride >= 0) sreg = segOverride;
        eaOff = addr;
        eaSeg = sreg;
        eaLin = segBase[sreg] + addr;
    }

    private void decodeModrm16(int m) {
        int mod = m >>> 6, rm = m & 7;
        int addr;
        int sreg = DS;
        switch (rm) {
            case 0: addr = r[EBX] + r[ESI]; break;
            case 1: addr = r[EBX] + r[EDI]; break;
            case 2: addr = r[EBP] + r[ESI]; sreg = SS; break;
            case 3: addr = r[EBP] + r[EDI]; sreg = SS; break;
            case 4: addr = r[ESI]; break;
            case 5: addr = r[EDI]; break;
            case 6:
                if (mod == 0) { addr = fetchWord(); } else { addr = r[EBP]; sreg = SS; }
                break;
            default: addr = r[EBX]; break;
        }
        if (mod == 1) addr += (byte) fetchByte();
        else if (mod == 2) addr += fetchWord();
        addr &= 0xffff;
        if (segOverride >= 0) sreg = segOverride;
        eaOff = addr;
        eaSeg = sreg;
        eaLin = segBase[sreg] + addr;
    }

    final int regField() { return (modrm >>> 3) & 7; }

    // ---- registers by size ----

    final int getReg8(int i) { return i < 4 ? r[i] & 0xff : (r[i - 4] >>> 8) & 0xff; }

    final void setReg8(int i, int v) {
        if (i < 4) r[i] = (r[i] & ~0xff) | (v & 0xff);
        else r[i - 4] = (r[i - 4] & ~0xff00) | ((v & 0xff) << 8);
    }

    final int getReg(int size, int i) {
        return size == 4 ? r[i] : size == 2 ? r[i] & 0xffff : getReg8(i);
    }

    final void setReg(int size, int i, int v) {
        if (size == 4) r[i] = v;
        else if (size == 2) r[i] = (r[i] & 0xffff0000) | (v & 0xffff);
        else setReg8(i, v);
    }

    // ---- memory by size ----

    /**
     * Alignment check (#AC): a misaligned data access at CPL 3 with CR0.AM and EFLAGS.AC set.
     * Callers test the misalignment first, so aligned accesses pay one AND and a branch. Blocks
     * are not run while EFLAGS.AC is set, so their accesses need no check.
     */
    final void alignCheck() {
        if ((flags & 0x40000) != 0 && (cr0 & 0x40000) != 0 && cpl == 3) throw fault(Fault.AC, 0);
    }

    final int readMem(int size, int lin) {
        if ((lin & (size - 1)) != 0) alignCheck();
        return size == 4 ? mmu.readInt(lin) : size == 2 ? mmu.readWord(lin) : mmu.readByte(lin);
    }

    final int readMemRW(int size, int lin) {
        if ((lin & (size - 1)) != 0) alignCheck();
        return size == 4 ? mmu.readIntRW(lin) : size == 2 ? mmu.readWordRW(lin) : mmu.readByteRW(lin);
    }

    final void writeMem(int size, int lin, int v) {
        if ((lin & (size - 1)) != 0) alignCheck();
        if (size == 4) mmu.writeInt(lin, v);
        else if (size == 2) mmu.writeWord(lin, v);
        else mmu.writeByte(lin, v);
    }

    // ---- segment checks on data accesses ----
    // A segment whose cached limit is 4 GiB (and, for writes, that is writable data) needs no
    // check: that is every segment a flat program uses, so they cost one array load. Anything
    // else (limits, expand-down, read-only data, code, null selectors, real-mode 64 KiB
    // segments) goes through checkSeg. Blocks only run while CS DS ES SS are flat and bail
    // out to the interpreter for FS/GS accesses through a segment that is not.

    /** #GP(0), or #SS(0) for SS, unless {@code size} bytes at {@code off} are accessible through segment {@code s}. */
    final void checkSeg(int s, int off, int size, boolean write) {
        int attr = segAttr[s];
        int limit = segLimit[s];
        if ((attr & 0x8000) == 0) throw segFault(s);                       // null / unusable
        if (write ? (attr & 0xa00) != 0x200 : (attr & 0xa00) == 0x800) throw segFault(s); // read-only data, code / execute-only
        int last = off + size - 1;
        if (Integer.compareUnsigned(last, off) < 0 && size > 1) throw segFault(s); // wraps past 4 GiB
        if ((attr & 0xc00) == 0x400) {                                      // expand-down data
            int upper = (attr & 0x400000) != 0 ? -1 : 0xffff;
            if (Integer.compareUnsigned(off, limit) <= 0 || Integer.compareUnsigned(last, upper) > 0) throw segFault(s);
        } else if (Integer.compareUnsigned(last, limit) > 0) {
            throw segFault(s);
        }
    }

    private Fault segFault(int s) { return s == SS ? fault(Fault.SS, 0) : gp(0); }

    /** Checks the ModRM memory operand (after decodeModrm) for a {@code size}-byte access. */
    final void checkEa(int size, boolean write) {
        int s = eaSeg;
        if (segLimit[s] != -1 || (write && (segAttr[s] & 0xa00) != 0x200)) checkSeg(s, eaOff, size, write);
    }

    final int readSeg(int s, int off, int size) {
        if (segLimit[s] != -1) checkSeg(s, off, size, false);
        return readMem(size, segBase[s] + off);
    }

    final void writeSeg(int s, int off, int size, int v) {
        if (segLimit[s] != -1 || (segAttr[s] & 0xa00) != 0x200) checkSeg(s, off, size, true);
        writeMem(size, segBase[s] + off, v);
    }

    /** The r/m operand (after decodeModrm). */
    final int readRM(int size) {
        if (modrm >= 0xc0) return getReg(size, modrm & 7);
        if (segLimit[eaSeg] != -1) checkSeg(eaSeg, eaOff, size, false);
        return readMem(size, eaLin);
    }

    /** The r/m operand as the first half of a read-modify-write. */
    final int readRMrw(int size) {
        if (modrm >= 0xc0) return getReg(size, modrm & 7);
        checkEa(size, true);
        return readMemRW(size, eaLin);
    }

    final void writeRM(int size, int v) {
        if (modrm >= 0xc0) { setReg(size, modrm & 7, v); return; }
        checkEa(size, true);
        writeMem(size, eaLin, v);
    }

    /** Operand size in bytes for "v" operands. */
    final int vsize() { return o16 ? 2 : 4; }

    // ---- stack ----

    final int sp() { return stack32 ? r[ESP] : r[ESP] & 0xffff; }

    final void setSp(int v) {
        if (stack32) r[ESP] = v;
        else r[ESP] = (r[ESP] & 0xffff0000) | (v & 0xffff);
    }

    final void push32(int v) {
        int nsp = sp() - 4;
        int lin = segBase[SS] + (stack32 ? nsp : nsp & 0xffff);
        if ((lin & 3) != 0) alignCheck();
        mmu.writeInt(lin, v);
        setSp(nsp);
    }

    final void push16(int v) {
        int nsp = sp() - 2;
        int lin = segBase[SS] + (stack32 ? nsp : nsp & 0xffff);
        if ((lin & 1) != 0) alignCheck();
        mmu.writeWord(lin, v);
        setSp(nsp);
    }

    final void pushV(int v) {
        if (o16) push16(v); else push32(v);
    }

    final int pop32() {
        int s = sp();
        if (((segBase[SS] + s) & 3) != 0) alignCheck();
        int v = mmu.readInt(segBase[SS] + s);
        setSp(s + 4);
        return v;
    }

    final int pop16() {
        int s = sp();
        if (((segBase[SS] + s) & 1) != 0) alignCheck();
        int v = mmu.readWord(segBase[SS] + s);
        setSp(s + 2);
        return v;
    }

    final int popV() { return o16 ? pop16() : pop32(); }

    /** Reads the stack slot {@code offset} bytes above the top without popping. */
    final int peekStack(int size, int offset) {
        int a = sp() + offset;
        return readMem(size, segBase[SS] + (stack32 ? a : a & 0xffff));
    }

    // ---- segments ----

    /** Loads a segment register following the rules of the current mode. */
    final void loadSeg(int sreg, int sel) {
        sel &= 0xffff;
        if (!protectedMode() || v86()) {
            seg[sreg] = sel;
            segBase[sreg] = sel << 4;
            if (v86()) { segLimit[sreg] = 0xffff; segAttr[sreg] = 0xf300; }
            // real mode keeps the cached limit (unreal mode) but a loaded data segment is usable
            // read/write data again, even if it was null in protected mode (as Bochs models it)
            else if (sreg != CS) segAttr[sreg] = (segAttr[sreg] & 0x00f00000) | 0x9300;
            if (sreg == CS) { code32 = false; invalidateCodeCache(); }
            if (sreg == SS && v86()) stack32 = false;
            return;
        }
        if ((sel & ~3) == 0) {
            if (sreg == SS || sreg == CS) throw gp(0);
            seg[sreg] = sel;
            segBase[sreg] = 0;
            segLimit[sreg] = 0;
            segAttr[sreg] = 0; // unusable
            return;
        }
        int lo = readDescriptor(sel, Fault.GP);
        int hi = descHi;
        int attr = hi & 0x00f0ff00;
        boolean present = (hi & 0x8000) != 0;
        int dpl = (hi >>> 13) & 3, rpl = sel & 3;
        int type = (hi >>> 8) & 0x1f;
        if (sreg == SS) {
            // writable data segment with RPL == DPL == CPL
            if ((type & 0x1a) != 0x12 || rpl != cpl || dpl != cpl) throw gp(sel & 0xfffc);
            if (!present) throw fault(Fault.SS, sel & 0xfffc);
        } else if (sreg != CS) {
            // data or readable code; for data and non-conforming code DPL >= max(CPL, RPL)
            if ((type & 0x10) == 0 || (type & 0x1a) == 0x18) throw gp(sel & 0xfffc);
            boolean conformingCode = (type & 0x1c) == 0x1c;
            if (!conformingCode && (dpl < cpl || dpl < rpl)) throw gp(sel & 0xfffc);
            if (!present) throw fault(Fault.NP, sel & 0xfffc);
        }
        setAccessed(sel);
        seg[sreg] = sel;
        segBase[sreg] = descBase(lo, hi);
        segLimit[sreg] = descLimit(lo, hi);
        segAttr[sreg] = attr;
        if (sreg == SS) stack32 = (hi & 0x400000) != 0;
        if (sreg == CS) { code32 = (hi & 0x400000) != 0; invalidateCodeCache(); }
    }

    /** High dword of the descriptor last read by {@link #readDescriptor}. */
    int descHi;

    /** Reads the descriptor for {@code sel} from the GDT or LDT; returns the low dword. */
    final int readDescriptor(int sel, int vector) {
        int index = sel & 0xfff8;
        int base, limit;
        if ((sel & 4) != 0) {
            if ((ldtSel & ~3) == 0) throw fault(vector, sel & 0xfffc);
            base = ldtBase;
            limit = ldtLimit;
        } else {
            base = gdtBase;
            limit = gdtLimit;
        }
        if (index + 7 > limit) throw fault(vector, sel & 0xfffc);
        int lo = mmu.readIntSystem(base + index);
        descHi = mmu.readIntSystem(base + index + 4);
        return lo;
    }

    private void setAccessed(int sel) {
        if ((descHi & 0x100) != 0) return;
        int base = (sel & 4) != 0 ? ldtBase : gdtBase;
        mmu.writeByteSystem(base + (sel & 0xfff8) + 5, (descHi >>> 8) | 1);
        descHi |= 0x100;
    }

    static int descBase(int lo, int hi) {
        return (lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
    }

    static int descLimit(int lo, int hi) {
        int limit = (lo & 0xffff) | (hi & 0xf0000);
        if ((hi & 0x800000) != 0) limit = (limit << 12) | 0xfff;
        return limit;
    }

    /** Sets CPL and tells the paging unit which privilege accesses carry. */
    public final void setCpl(int cpl) {
        this.cpl = cpl;
        mmu.setUserMode(cpl == 3);
        invalidateCodeCache();
    }

    /** Sets up a flat 32-bit protected-mode user context (what the kernel model runs). */
    public final void loadFlatUserSegment(int sreg, int sel, int base, int limit, int attr) {
        seg[sreg] = sel;
        segBase[sreg] = base;
        segLimit[sreg] = limit;
        segAttr[sreg] = attr;
        if (sreg == CS) { code32 = (attr & 0x400000) != 0; invalidateCodeCache(); }
        if (sreg == SS) stack32 = (attr & 0x400000) != 0;
    }
}
