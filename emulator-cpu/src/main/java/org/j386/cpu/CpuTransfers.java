package org.j386.cpu;

import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/**
 * Control transfers that cross segments or privilege levels: far JMP/CALL/RET, IRET,
 * interrupt and exception delivery through the IVT (real mode) or the IDT, and the
 * privilege rules for loading EFLAGS.
 */
public abstract class CpuTransfers extends CpuStrings {
    /** Set by HLT; cleared when an interrupt is delivered. */
    public boolean halted;

    protected CpuTransfers(Mmu mmu, IoBus io) {
        super(mmu, io);
    }

    final void jumpNear(int target) {
        eip = o16 ? target & 0xffff : target;
    }

    // ---- EFLAGS loads ----

    /** POPF/IRET-style flags load with the privilege filtering of the current CPL and IOPL. */
    final void loadFlags(int value, boolean size16) {
        int old = getFlags();
        int changeable = CF | PF | AF | ZF | SF | TF | DF | OF | NT | AC | ID;
        int iopl = (old >>> 12) & 3;
        if (!protectedMode() || cpl == 0) changeable |= IOPL | IF;
        else if (cpl <= iopl) changeable |= IF;
        if (size16) changeable &= 0xffff;
        setFlags((old & ~changeable) | (value & changeable));
    }

    // ---- far transfers ----

    final void farJump(int sel, int off) {
        if (!protectedMode() || v86()) {
            loadSeg(CS, sel);
            eip = off;
            return;
        }
        loadCodeSegment(sel, off, false);
    }

    final void farCall(int sel, int off) {
        int oldCs = seg[CS], oldEip = eip;
        if (!protectedMode() || v86()) {
            if (o16) { checkStack(4); push16(oldCs); push16(oldEip); }
            else { checkStack(8); push32(oldCs); push32(oldEip); }
            loadSeg(CS, sel);
            eip = off;
            return;
        }
        int size = o16 ? 2 : 4;
        checkStack(2 * size);
        loadCodeSegment(sel, off, true);
        if (o16) { push16(oldCs); push16(oldEip); } else { push32(oldCs); push32(oldEip); }
    }

    /** Verifies the next {@code bytes} of stack are writable before a multi-push sequence. */
    final void checkStack(int bytes) {
        int s = sp() - bytes;
        mmu.probeWrite(segBase[SS] + (stack32 ? s : s & 0xffff), bytes);
    }

    /** Protected-mode far JMP/CALL to a code segment at the same privilege (gates: TODO, #GP). */
    private void loadCodeSegment(int sel, int off, boolean call) {
        if ((sel & ~3) == 0) throw gp(0);
        int lo = readDescriptor(sel, Fault.GP);
        int hi = descHi;
        int type = (hi >>> 8) & 0x1f;
        int dpl = (hi >>> 13) & 3, rpl = sel & 3;
        if ((type & 0x18) != 0x18) throw gp(sel & 0xfffc); // system segments and gates not yet
        boolean conforming = (type & 4) != 0;
        if (conforming ? dpl > cpl : (rpl > cpl || dpl != cpl)) throw gp(sel & 0xfffc);
        if ((hi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
        int limit = descLimit(lo, hi);
        if (Integer.compareUnsigned(off, limit) > 0) throw gp(0);
        enterCode((sel & 0xfffc) | cpl, lo, hi, off);
    }

    final void farReturn(int extra) {
        int size = o16 ? 2 : 4;
        int newEip = peekStack(size, 0);
        int newCs = peekStack(size, size) & 0xffff;
        if (!protectedMode() || v86()) {
            loadSeg(CS, newCs);
            eip = newEip;
            setSp(sp() + 2 * size + extra);
            return;
        }
        int rpl = newCs & 3;
        if (rpl < cpl) throw gp(newCs & 0xfffc);
        if (rpl == cpl) {
            loadCodeSegmentForReturn(newCs, newEip);
            setSp(sp() + 2 * size + extra);
            return;
        }
        // return to an outer privilege level: SS:ESP follow the parameters
        int newEsp = peekStack(size, 2 * size + extra);
        int newSs = peekStack(size, 3 * size + extra) & 0xffff;
        loadCodeSegmentForReturn(newCs, newEip);
        setCpl(rpl);
        loadSeg(SS, newSs);
        r[ESP] = o16 ? (r[ESP] & 0xffff0000) | (newEsp & 0xffff) : newEsp + extra;
        clearDataSegmentsForOuterLevel();
    }

    private void loadCodeSegmentForReturn(int sel, int off) {
        if ((sel & ~3) == 0) throw gp(0);
        int lo = readDescriptor(sel, Fault.GP);
        int hi = descHi;
        int type = (hi >>> 8) & 0x1f;
        int dpl = (hi >>> 13) & 3, rpl = sel & 3;
        if ((type & 0x18) != 0x18) throw gp(sel & 0xfffc);
        boolean conforming = (type & 4) != 0;
        if (conforming ? dpl > rpl : dpl != rpl) throw gp(sel & 0xfffc);
        if ((hi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
        enterCode(sel, lo, hi, off);
    }

    /** Loads CS (selector and descriptor cache, from the descriptor's two dwords) and jumps to {@code off}. */
    private void enterCode(int sel, int lo, int hi, int off) {
        seg[CS] = sel;
        segBase[CS] = descBase(lo, hi);
        segLimit[CS] = descLimit(lo, hi);
        segAttr[CS] = hi & 0x00f0ff00;
        code32 = (hi & 0x400000) != 0;
        invalidateCodeCache();
        eip = off;
    }

    /** After a return to an outer level, data segments the new CPL may not use become null. */
    private void clearDataSegmentsForOuterLevel() {
        for (int s : new int[] {ES, DS, FS, GS}) {
            int attr = segAttr[s];
            int dpl = (attr >>> 13) & 3;
            boolean conformingCode = (attr & 0x1c00) == 0x1c00;
            if ((attr & 0x1000) != 0 && !conformingCode && dpl < cpl) {
                seg[s] = 0;
                segAttr[s] = 0;
                segBase[s] = 0;
                segLimit[s] = 0;
            }
        }
    }

    final void iret() {
        int size = o16 ? 2 : 4;
        if (!protectedMode()) {
            int newEip = peekStack(size, 0), newCs = peekStack(size, size), newFlags = peekStack(size, 2 * size);
            loadSeg(CS, newCs);
            eip = o16 ? newEip & 0xffff : newEip;
            setSp(sp() + 3 * size);
            loadFlags(newFlags, o16);
            return;
        }
        if (v86()) {
            if (((flags >>> 12) & 3) != 3) throw gp(0);
            int newEip = peekStack(size, 0), newCs = peekStack(size, size), newFlags = peekStack(size, 2 * size);
            loadSeg(CS, newCs);
            eip = newEip;
            setSp(sp() + 3 * size);
            int keep = IOPL | VM | VIP | VIF;
            int mask = o16 ? 0xffff : -1;
            setFlags((getFlags() & (keep | ~mask)) | (newFlags & ~keep & mask));
            return;
        }
        if ((flags & NT) != 0) throw gp(0); // nested task return: TODO with task switching
        int newEip = peekStack(size, 0);
        int newCs = peekStack(size, size) & 0xffff;
        int newFlags = peekStack(size, 2 * size);
        int rpl = newCs & 3;
        if (rpl < cpl) throw gp(newCs & 0xfffc);
        int oldCpl = cpl;
        if (rpl == cpl) {
            loadCodeSegmentForReturn(newCs, newEip);
            setSp(sp() + 3 * size);
            loadFlags(newFlags, o16);
            return;
        }
        int newEsp = peekStack(size, 3 * size);
        int newSs = peekStack(size, 4 * size) & 0xffff;
        loadCodeSegmentForReturn(newCs, newEip);
        // flags are loaded with the old CPL's rights
        loadFlags(newFlags, o16);
        setCpl(rpl);
        loadSeg(SS, newSs);
        r[ESP] = o16 ? (r[ESP] & 0xffff0000) | (newEsp & 0xffff) : newEsp;
        if (oldCpl != cpl) clearDataSegmentsForOuterLevel();
    }

    // ---- interrupt delivery ----

    /**
     * Delivers an interrupt or exception through the IVT or IDT (used when no TrapHandler is
     * installed). {@code software} is true for INT n (privilege check against the gate DPL).
     */
    final void deliver(int vector, boolean software, boolean hasError, int error) {
        // a fault part-way leaves the state as it was before the delivery began
        int sEsp = r[ESP], sFlags = getFlags(), sCpl = cpl;
        int sSs = seg[SS], sSsBase = segBase[SS], sSsLimit = segLimit[SS], sSsAttr = segAttr[SS];
        boolean sStack32 = stack32;
        try {
            deliverInner(vector, software, hasError, error);
            deliveries++;
        } catch (Fault f) {
            r[ESP] = sEsp;
            setFlags(sFlags);
            if (cpl != sCpl) setCpl(sCpl);
            seg[SS] = sSs; segBase[SS] = sSsBase; segLimit[SS] = sSsLimit; segAttr[SS] = sSsAttr;
            stack32 = sStack32;
            throw f;
        }
    }

    /** Interrupts and exceptions delivered so far (the single-step logic compares it across an instruction). */
    int deliveries;

    private void deliverInner(int vector, boolean software, boolean hasError, int error) {
        halted = false;
        if (!protectedMode()) {
            int off = mmu.readWord(vector * 4 + idtBase);
            int sel = mmu.readWord(vector * 4 + 2 + idtBase);
            int f = getFlags();
            o16 = true;
            checkStack(6);
            push16(f);
            push16(seg[CS]);
            push16(eip);
            flags &= ~(IF | TF | AC | RF);
            loadSeg(CS, sel);
            eip = off;
            return;
        }
        if (vector * 8 + 7 > idtLimit) throw gp(vector * 8 + 2);
        int lo = mmu.readIntSystem(idtBase + vector * 8);
        int hi = mmu.readIntSystem(idtBase + vector * 8 + 4);
        int type = (hi >>> 8) & 0x1f;
        int gateDpl = (hi >>> 13) & 3;
        if (software && gateDpl < cpl) throw gp(vector * 8 + 2);
        if ((hi & 0x8000) == 0) throw fault(Fault.NP, vector * 8 + 2);
        boolean gate32 = (type & 8) != 0;
        int kind = type & 7;
        if (kind != 6 && kind != 7) throw gp(vector * 8 + 2); // task gates: TODO
        int sel = lo >>> 16;
        int off = (lo & 0xffff) | (hi & 0xffff0000);
        if (!gate32) off &= 0xffff;
        int clo = readDescriptor(sel, Fault.GP);
        int chi = descHi;
        int cdpl = (chi >>> 13) & 3;
        if ((chi & 0x1800) != 0x1800 || cdpl > cpl) throw gp(sel & 0xfffc);
        if ((chi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
        boolean conforming = (chi & 0x400) != 0;
        int f = getFlags();
        int oldCs = seg[CS], oldEip = eip, oldSs = seg[SS], oldEsp = r[ESP];
        boolean wasV86 = v86();
        int newCpl = conforming ? cpl : cdpl;
        o16 = !gate32;
        if (newCpl < cpl || wasV86) {
            // inner privilege: switch to the stack in the TSS
            int tssSs = mmu.readWordSystem(trBase + 8 + newCpl * 8);
            int tssEsp = mmu.readIntSystem(trBase + 4 + newCpl * 8);
            int oldEs = seg[ES], oldDs = seg[DS], oldFs = seg[FS], oldGs = seg[GS];
            setCpl(newCpl);
            setFlags(f & ~VM);
            loadSeg(SS, tssSs);
            r[ESP] = tssEsp;
            if (wasV86) {
                pushV(oldGs); pushV(oldFs); pushV(oldDs); pushV(oldEs);
                for (int s : new int[] {ES, DS, FS, GS}) { seg[s] = 0; segBase[s] = 0; segLimit[s] = 0; segAttr[s] = 0; }
            }
            pushV(oldSs);
            pushV(oldEsp);
        }
        pushV(f);
        pushV(oldCs);
        pushV(oldEip);
        if (hasError) pushV(error);
        enterCode((sel & 0xfffc) | newCpl, clo, chi, off);
        int clear = TF | NT | RF | VM;
        if (kind == 6) clear |= IF;
        setFlags(getFlags() & ~clear);
    }
}
