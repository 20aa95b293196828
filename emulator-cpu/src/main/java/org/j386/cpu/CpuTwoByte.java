package org.j386.cpu;

import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/** The 0F two-byte opcode map. */
public abstract class CpuTwoByte extends CpuTransfers {
    protected CpuTwoByte(Mmu mmu, IoBus io) {
        super(mmu, io);
    }

    /** CPUID leaf 1 EDX: FPU, PSE, TSC, CX8, CMOV, FXSR — exactly what is implemented. */
    public static final int CPUID_FEATURES_EDX = 1 | (1 << 3) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 24);

    /** The 0F map: the common compiler-emitted forms first, the rest in {@link #exec0FRest}. */
    final void exec0F() {
        int op = fetchByte();
        int size = vsize();
        switch (op >>> 4) {
            case 0x4: { // CMOVcc
                decodeModrm();
                int v = readRM(size);
                if (cond(op & 0xf)) setReg(size, regField(), v);
                return;
            }
            case 0x8: { // Jcc rel16/32
                int d = fetchImmV();
                if (o16) d = (short) d;
                if (cond(op & 0xf)) jumpNear(eip + d);
                return;
            }
            case 0x9: // SETcc
                decodeModrm();
                writeRM(1, cond(op & 0xf) ? 1 : 0);
                return;
            default:
                break;
        }
        switch (op) {
            case 0xb6: decodeModrm(); setReg(size, regField(), readRM(1)); return;
            case 0xb7: decodeModrm(); setReg(size, regField(), readRM(2)); return;
            case 0xbe: decodeModrm(); setReg(size, regField(), (byte) readRM(1)); return;
            case 0xbf: decodeModrm(); setReg(size, regField(), (short) readRM(2)); return;
            case 0xaf: {
                decodeModrm();
                int v = readRM(size);
                setReg(size, regField(), imul(getReg(size, regField()), v, size));
                return;
            }
            default: exec0FRest(op, size);
        }
    }

    private void exec0FRest(int op, int size) {
        switch (op) {
            case 0x00: group6(); return;
            case 0x01: group7(); return;
            case 0x02: larLsl(false); return;
            case 0x03: larLsl(true); return;
            case 0x06: requireCpl0(); cr0 &= ~8; return; // CLTS
            case 0x08: case 0x09: requireCpl0(); return; // INVD, WBINVD
            case 0x0b: throw ud();
            case 0x0d: decodeModrm(); if (modrm >= 0xc0) throw ud(); return; // prefetch hints
            case 0x18: case 0x19: case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e: case 0x1f:
                decodeModrm(); // hint NOPs (the multi-byte NOP is 0F 1F /0)
                return;
            case 0x20: case 0x21: case 0x22: case 0x23: moveControl(op); return;
            case 0x31: { // RDTSC from the virtual clock
                if ((cr4 & 4) != 0 && cpl != 0 && protectedMode()) throw gp(0);
                long tsc = icount;
                r[EAX] = (int) tsc;
                r[EDX] = (int) (tsc >>> 32);
                return;
            }
            case 0xa2: cpuid(); return;
            case 0xa0: pushV(seg[FS]); return;
            case 0xa8: pushV(seg[GS]); return;
            case 0xa1: { int v = peekStack(size, 0); loadSeg(FS, v); setSp(sp() + size); return; }
            case 0xa9: { int v = peekStack(size, 0); loadSeg(GS, v); setSp(sp() + size); return; }
            case 0xa3: bitOp(0, false, size); return;
            case 0xab: bitOp(1, false, size); return;
            case 0xb3: bitOp(2, false, size); return;
            case 0xbb: bitOp(3, false, size); return;
            case 0xba: {
                decodeModrm();
                int kind = regField();
                if (kind < 4) throw ud();
                bitOp(kind - 4, true, size);
                return;
            }
            case 0xa4: case 0xa5: case 0xac: case 0xad: {
                decodeModrm();
                int count = (op & 1) == 0 ? fetchByte() : r[ECX];
                int v = readRMrw(size);
                int res = shiftDouble(op < 0xa8, v, getReg(size, regField()), count, size);
                writeRM(size, res);
                return;
            }
            case 0xb0: case 0xb1: { // CMPXCHG
                int sz = op == 0xb0 ? 1 : size;
                decodeModrm();
                int dst = readRMrw(sz);
                int acc = getReg(sz, EAX);
                alu(ALU_CMP, acc, dst, sz);
                if (zf()) writeRM(sz, getReg(sz, regField()));
                else {
                    if (modrm < 0xc0) writeRM(sz, dst); // the destination is always written
                    setReg(sz, EAX, dst);
                }
                return;
            }
            case 0xb2: loadFarPointer(SS); return;
            case 0xb4: loadFarPointer(FS); return;
            case 0xb5: loadFarPointer(GS); return;
            case 0xbc: case 0xbd: { // BSF, BSR
                decodeModrm();
                int v = readRM(size);
                if (size == 2) v &= 0xffff;
                settleFlags();
                if (v == 0) {
                    flags |= ZF;
                    return; // destination unchanged (as hardware does)
                }
                flags &= ~ZF;
                setReg(size, regField(), op == 0xbc ? Integer.numberOfTrailingZeros(v) : 31 - Integer.numberOfLeadingZeros(v));
                return;
            }
            case 0xc0: case 0xc1: { // XADD
                int sz = op == 0xc0 ? 1 : size;
                decodeModrm();
                int dst = readRMrw(sz);
                int src = getReg(sz, regField());
                int sum = alu(ALU_ADD, dst, src, sz);
                setReg(sz, regField(), dst);
                writeRM(sz, sum);
                return;
            }
            case 0xc7: cmpxchg8b(); return;
            case 0xae: group15(); return;
            default:
                if (op >= 0xc8) { // BSWAP
                    int i = op & 7;
                    r[i] = o16 ? r[i] & 0xffff0000 : Integer.reverseBytes(r[i]);
                    return;
                }
                throw ud();
        }
    }

    private void requireCpl0() {
        if (protectedMode() && cpl != 0) throw gp(0);
    }

    /** BT/BTS/BTR/BTC: kind 0..3. With a register bit offset on memory, the offset addresses beyond the operand. */
    private void bitOp(int kind, boolean imm, int size) {
        if (!imm) decodeModrm();
        int bits = size << 3;
        int off = imm ? fetchByte() : getReg(size, regField());
        if (modrm >= 0xc0) {
            int bit = off & (bits - 1);
            int v = getReg(size, modrm & 7);
            bitFlag(((v >>> bit) & 1) != 0);
            if (kind != 0) setReg(size, modrm & 7, bitApply(kind, v, bit));
            return;
        }
        int lin = eaLin;
        int bit;
        if (imm) {
            bit = off & (bits - 1);
        } else {
            int signedOff = size == 2 ? (short) off : off;
            lin += (signedOff >> (size == 2 ? 4 : 5)) * size;
            bit = signedOff & (bits - 1);
        }
        int segOff = eaOff + (lin - eaLin);
        if (segLimit[eaSeg] != -1 || (kind != 0 && (segAttr[eaSeg] & 0xa00) != 0x200)) checkSeg(eaSeg, segOff, size, kind != 0);
        int v = kind == 0 ? readMem(size, lin) : readMemRW(size, lin);
        bitFlag(((v >>> bit) & 1) != 0);
        if (kind != 0) writeMem(size, lin, bitApply(kind, v, bit));
    }

    private void bitFlag(boolean set) {
        setCF(set);
    }

    private static int bitApply(int kind, int v, int bit) {
        switch (kind) {
            case 1: return v | (1 << bit);
            case 2: return v & ~(1 << bit);
            default: return v ^ (1 << bit);
        }
    }

    private void cmpxchg8b() {
        decodeModrm();
        if (modrm >= 0xc0 || regField() != 1) throw ud();
        int lin = eaLin;
        checkEa(8, true);
        mmu.probeWrite(lin, 8);
        long m = mmu.readLong(lin);
        long edxEax = ((long) r[EDX] << 32) | (r[EAX] & 0xffffffffL);
        settleFlags();
        if (m == edxEax) {
            mmu.writeLong(lin, ((long) r[ECX] << 32) | (r[EBX] & 0xffffffffL));
            flags |= ZF;
        } else {
            mmu.writeLong(lin, m);
            r[EAX] = (int) m;
            r[EDX] = (int) (m >>> 32);
            flags &= ~ZF;
        }
    }

    private void group15() {
        decodeModrm();
        int kind = regField();
        if (modrm >= 0xc0) {
            throw ud(); // LFENCE/MFENCE/SFENCE need SSE2, which CPUID does not report
        }
        if ((cr0 & 0xc) != 0 && kind <= 1) throw fault(Fault.NM);
        switch (kind) {
            case 0: fpu.fxsave(eaLin); return;
            case 1: fpu.fxrstor(eaLin); return;
            default: throw ud();
        }
    }

    /** LES/LDS/LSS/LFS/LGS: offset and selector from memory; the segment is loaded first, so a bad selector changes nothing. */
    final void loadFarPointer(int sreg) {
        decodeModrm();
        if (modrm >= 0xc0) throw ud();
        int size = vsize();
        int off = readMem(size, eaLin);
        int sel = mmu.readWord(eaLin + size);
        loadSeg(sreg, sel);
        setReg(size, regField(), off);
    }

    private void cpuid() {
        int leaf = r[EAX];
        switch (leaf) {
            case 0:
                r[EAX] = 1;
                // "GenuineJ386" padded: vendor string EBX, EDX, ECX
                r[EBX] = 0x756e6547; // "Genu"
                r[EDX] = 0x4a656e69; // "ineJ"
                r[ECX] = 0x20363833; // "386 "
                return;
            case 1:
                r[EAX] = 0x00000633; // family 6, model 3, stepping 3 (a P6-class integer core)
                r[EBX] = 0;
                r[ECX] = 0;
                r[EDX] = CPUID_FEATURES_EDX;
                return;
            case 0x80000000:
                r[EAX] = 0x80000004;
                r[EBX] = r[ECX] = r[EDX] = 0;
                return;
            case 0x80000002: case 0x80000003: case 0x80000004: {
                byte[] brand = "j386 virtual i386 processor".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                int base = (leaf - 0x80000002) * 16;
                for (int reg = 0; reg < 4; reg++) {
                    int v = 0;
                    for (int i = 3; i >= 0; i--) {
                        int idx = base + reg * 4 + i;
                        v = (v << 8) | (idx < brand.length ? brand[idx] & 0xff : 0);
                    }
                    int target = reg == 0 ? EAX : reg == 1 ? EBX : reg == 2 ? ECX : EDX;
                    r[target] = v;
                }
                return;
            }
            default:
                r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
        }
    }

    private void moveControl(int op) {
        decodeModrm();
        requireCpl0();
        int reg = regField(), rm = modrm & 7;
        switch (op) {
            case 0x20:
                r[rm] = reg == 0 ? cr0 : reg == 2 ? cr2 : reg == 3 ? cr3 : reg == 4 ? cr4 : crUndefined();
                return;
            case 0x22: {
                int v = r[rm];
                switch (reg) {
                    case 0: setCr0(v); return;
                    case 2: cr2 = v; return;
                    case 3: cr3 = v; mmu.setCr3(v); invalidateCodeCache(); return;
                    case 4: cr4 = v; syncPaging(); armBreakpoints(); return;
                    default: throw ud();
                }
            }
            case 0x21:
                debugRegisterAccess(reg);
                r[rm] = dr[reg == 4 ? 6 : reg == 5 ? 7 : reg];
                return;
            default: {
                debugRegisterAccess(reg);
                int n = reg == 4 ? 6 : reg == 5 ? 7 : reg;
                dr[n] = n == 7 ? r[rm] | 0x400 : n == 6 ? r[rm] | 0xffff0ff0 : r[rm];
                if (n == 7) armBreakpoints();
            }
        }
    }

    private int crUndefined() { throw ud(); }

    /**
     * MOV to or from a debug register: #UD for DR4/DR5 with CR4.DE; with DR7.GD set, a #DB
     * fault before the access (DR6.BD set, GD cleared so the handler can use the registers).
     */
    private void debugRegisterAccess(int reg) {
        if ((cr4 & 8) != 0 && (reg == 4 || reg == 5)) throw ud();
        if ((dr[7] & 0x2000) != 0) {
            dr[6] |= 0x2000;
            dr[7] &= ~0x2000;
            throw fault(Fault.DB);
        }
    }

    public final void setCr0(int v) {
        boolean wasProtected = protectedMode();
        cr0 = v | 0x10;
        syncPaging();
        if (wasProtected != protectedMode()) invalidateCodeCache();
        if (!protectedMode()) setCpl(0);
    }

    /** Pushes CR0/CR3/CR4 into the paging unit. */
    public final void syncPaging() {
        mmu.setPaging((cr0 & 0x80000001) == 0x80000001, (cr0 & 0x10000) != 0, (cr4 & 0x10) != 0, cr3);
        invalidateCodeCache();
    }

    private void group6() {
        decodeModrm();
        if (!protectedMode() || v86()) throw ud();
        int kind = regField();
        switch (kind) {
            case 0: writeRM(modrm >= 0xc0 ? vsize() : 2, ldtSel); return; // SLDT
            case 1: writeRM(modrm >= 0xc0 ? vsize() : 2, trSel); return;  // STR
            case 2: { requireCpl0(); loadLdt(readRM(2)); return; }         // LLDT
            case 3: { requireCpl0(); loadTr(readRM(2)); return; }          // LTR
            case 4: case 5: verify(readRM(2), kind == 5); return;           // VERR, VERW
            default: throw ud();
        }
    }

    final void loadLdt(int sel) {
        if ((sel & ~3) == 0) { ldtSel = 0; ldtBase = 0; ldtLimit = 0; ldtAttr = 0; return; }
        if ((sel & 4) != 0) throw gp(sel & 0xfffc);
        int lo = readDescriptor(sel, Fault.GP);
        if (((descHi >>> 8) & 0x1f) != 2) throw gp(sel & 0xfffc);
        if ((descHi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
        ldtSel = sel;
        ldtBase = descBase(lo, descHi);
        ldtLimit = descLimit(lo, descHi);
        ldtAttr = descHi & 0x00f0ff00;
    }

    final void loadTr(int sel) {
        if ((sel & ~3) == 0 || (sel & 4) != 0) throw gp(sel & 0xfffc);
        int lo = readDescriptor(sel, Fault.GP);
        int type = (descHi >>> 8) & 0x1f;
        if (type != 1 && type != 9) throw gp(sel & 0xfffc);
        if ((descHi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
        trSel = sel;
        trBase = descBase(lo, descHi);
        trLimit = descLimit(lo, descHi);
        trAttr = descHi & 0x00f0ff00;
        mmu.writeByteSystem(gdtBase + (sel & 0xfff8) + 5, (descHi >>> 8) | 2); // mark busy
    }

    private void verify(int sel, boolean write) {
        settleFlags();
        flags &= ~ZF;
        if ((sel & ~3) == 0) return;
        int index = sel & 0xfff8;
        int limit = (sel & 4) != 0 ? ldtLimit : gdtLimit;
        if (index + 7 > limit) return;
        readDescriptor(sel, Fault.GP);
        int hi = descHi;
        int type = (hi >>> 8) & 0x1f;
        if ((type & 0x10) == 0) return;
        int dpl = (hi >>> 13) & 3;
        boolean code = (type & 8) != 0, conforming = code && (type & 4) != 0;
        if (!conforming && (dpl < cpl || dpl < (sel & 3))) return;
        boolean ok = write ? !code && (type & 2) != 0 : !code || (type & 2) != 0;
        if (ok) flags |= ZF;
    }

    private void group7() {
        decodeModrm();
        int kind = regField();
        switch (kind) {
            case 0: case 1: { // SGDT, SIDT
                if (modrm >= 0xc0) throw ud();
                int base = kind == 0 ? gdtBase : idtBase, limit = kind == 0 ? gdtLimit : idtLimit;
                mmu.probeWrite(eaLin, 6);
                mmu.writeWord(eaLin, limit);
                mmu.writeInt(eaLin + 2, o16 ? base & 0xffffff : base);
                return;
            }
            case 2: case 3: { // LGDT, LIDT
                if (modrm >= 0xc0) throw ud();
                requireCpl0();
                int limit = mmu.readWord(eaLin);
                int base = mmu.readInt(eaLin + 2);
                if (o16) base &= 0xffffff;
                if (kind == 2) { gdtBase = base; gdtLimit = limit; } else { idtBase = base; idtLimit = limit; }
                return;
            }
            case 4: writeRM(modrm >= 0xc0 ? vsize() : 2, cr0); return; // SMSW
            case 6: { // LMSW: can set PE but not clear it
                requireCpl0();
                int v = readRM(2);
                setCr0((cr0 & ~0xe) | (v & 0xf) | (cr0 & 1));
                return;
            }
            case 7: // INVLPG
                if (modrm >= 0xc0) throw ud();
                requireCpl0();
                mmu.invalidatePage(eaLin);
                invalidateCodeCache();
                return;
            default: throw ud();
        }
    }

    /** LAR (0F 02) and LSL (0F 03). */
    final void larLsl(boolean lsl) {
        decodeModrm();
        if (!protectedMode() || v86()) throw ud();
        int sel = readRM(2);
        settleFlags();
        flags &= ~ZF;
        if ((sel & ~3) == 0) return;
        int limit = (sel & 4) != 0 ? ldtLimit : gdtLimit;
        if ((sel & 0xfff8) + 7 > limit) return;
        int lo = readDescriptor(sel, Fault.GP);
        int hi = descHi;
        int type = (hi >>> 8) & 0x1f;
        int dpl = (hi >>> 13) & 3;
        boolean valid;
        if ((type & 0x10) != 0) {
            boolean conforming = (type & 0x1c) == 0x1c;
            valid = conforming || (dpl >= cpl && dpl >= (sel & 3));
        } else {
            int t = type & 0xf;
            valid = lsl ? (t == 1 || t == 2 || t == 3 || t == 9 || t == 11)
                        : (t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 11 || t == 12);
            valid &= dpl >= cpl && dpl >= (sel & 3);
        }
        if (!valid) return;
        flags |= ZF;
        int size = vsize();
        setReg(size, regField(), lsl ? descLimit(lo, hi) : hi & 0x00ffff00);
    }
}
