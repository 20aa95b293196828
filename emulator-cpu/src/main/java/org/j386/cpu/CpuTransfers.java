package org.j386.cpu;

import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/**
 * Control transfers that cross segments or privilege levels: far JMP/CALL/RET, IRET,
 * interrupt and exception delivery through the IVT (real mode) or the IDT, and the
 * privilege rules for loading EFLAGS.
 */
public abstract class CpuTransfers extends CpuTasks {
    /** Set by HLT; cleared when an interrupt is delivered. */
    public boolean halted;

    /**
     * Recomputes the debug machinery after DR0-DR3, DR7 or CR4.DE changed: execute breakpoints
     * (R/W = 00) are matched before each instruction, data breakpoints (01 write, 11 read or
     * write) become MMU watches over LEN bytes at the address aligned down to LEN, I/O
     * breakpoints (10, only with CR4.DE) are matched by IN/OUT/INS/OUTS.
     */
    public final void armBreakpoints() {
        int d7 = dr[7];
        boolean armed = false, io = false;
        mmu.clearWatches();
        for (int i = 0; i < 4; i++) {
            if (((d7 >>> (2 * i)) & 3) == 0) continue;
            int rw = (d7 >>> (16 + 4 * i)) & 3, len = breakpointLength(d7, i);
            if (rw == 1 || rw == 3) mmu.addWatch(dr[i] & -len, len, rw == 1, 1 << i);
            else if (rw == 2 && (cr4 & 8) == 0) continue; // I/O breakpoints need CR4.DE (undefined otherwise)
            else if (rw == 2) io = true;
            armed = true;
        }
        ioWatch = io;
        breakpointsArmed = armed;
        debugArmed = armed || taskTrap || (flags & RF) != 0;
    }

    /** DR6 B0-B3 bits of the enabled execute breakpoints at linear address {@code lin}, or 0. */
    final int codeBreakpoints(int lin) {
        int d7 = dr[7], hits = 0;
        for (int i = 0; i < 4; i++) {
            if (((d7 >>> (2 * i)) & 3) != 0 && ((d7 >>> (16 + 4 * i)) & 3) == 0 && dr[i] == lin) hits |= 1 << i;
        }
        return hits;
    }

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
        if (irqPending && (old & IF) == 0 && (value & changeable & IF) != 0) stopRequested = true;
    }

    /**
     * Set by the machine while its interrupt controller holds a deliverable interrupt: an
     * instruction that sets EFLAGS.IF then ends {@code run} so the machine can deliver it.
     */
    public boolean irqPending;
    /** Set to leave {@code run} after the current instruction. */
    public boolean stopRequested;

    // ---- far transfers ----

    final void farJump(int sel, int off) {
        if (!protectedMode() || v86()) {
            loadSeg(CS, sel);
            eip = off;
            return;
        }
        if ((sel & ~3) != 0 && isSystemDescriptor(sel)) {
            throughSystemDescriptor(sel, false);
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
        if ((sel & ~3) != 0 && isSystemDescriptor(sel)) {
            throughSystemDescriptor(sel, true);
            return;
        }
        int size = o16 ? 2 : 4;
        checkStack(2 * size);
        loadCodeSegment(sel, off, true);
        if (o16) { push16(oldCs); push16(oldEip); } else { push32(oldCs); push32(oldEip); }
    }

    /** True when {@code sel} names a system descriptor (gate or TSS) rather than a code or data segment. */
    private boolean isSystemDescriptor(int sel) {
        readDescriptor(sel, Fault.GP);
        return (descHi & 0x1000) == 0;
    }

    /**
     * A far JMP or CALL whose selector names a call gate (or a TSS or task gate: a task switch).
     * Through a call gate, CALL to a more privileged non-conforming segment switches to the
     * stack the TSS holds for that level and copies the gate's parameter count of words or
     * dwords from the caller's stack; JMP never changes privilege.
     */
    private void throughSystemDescriptor(int sel, boolean call) {
        int lo = readDescriptor(sel, Fault.GP);
        int hi = descHi;
        int type = (hi >>> 8) & 0xf;
        int dpl = (hi >>> 13) & 3, rpl = sel & 3;
        if (type == 1 || type == 9 || type == 5) {
            if (dpl < cpl || dpl < rpl) throw gp(sel & 0xfffc);
            if ((hi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
            int tss = type == 5 ? lo >>> 16 : sel;
            taskSwitch(tss, call ? TASK_CALL : TASK_JMP, false, 0);
            return;
        }
        if (type != 4 && type != 12) throw gp(sel & 0xfffc);
        if (dpl < cpl || dpl < rpl) throw gp(sel & 0xfffc);
        if ((hi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
        boolean gate32 = type == 12;
        int target = lo >>> 16;
        int off = gate32 ? (lo & 0xffff) | (hi & 0xffff0000) : lo & 0xffff;
        int params = hi & 0x1f;
        if ((target & ~3) == 0) throw gp(0);
        int clo = readDescriptor(target, Fault.GP);
        int chi = descHi;
        int cdpl = (chi >>> 13) & 3;
        if ((chi & 0x1800) != 0x1800 || cdpl > cpl) throw gp(target & 0xfffc);
        boolean conforming = (chi & 0x400) != 0;
        if (!call && !conforming && cdpl != cpl) throw gp(target & 0xfffc);
        if ((chi & 0x8000) == 0) throw fault(Fault.NP, target & 0xfffc);
        if (Integer.compareUnsigned(off, descLimit(clo, chi)) > 0) throw gp(0);
        int oldCs = seg[CS], oldEip = eip;
        if (!call) {
            enterCode((target & 0xfffc) | cpl, clo, chi, off);
            return;
        }
        int size = gate32 ? 4 : 2;
        boolean saveO16 = o16;
        o16 = !gate32;
        if (conforming || cdpl == cpl) {
            checkStack(2 * size);
            pushV(oldCs);
            pushV(oldEip);
            enterCode((target & 0xfffc) | cpl, clo, chi, off);
            o16 = saveO16;
            return;
        }
        // more privileged: the new level's stack from the TSS
        int sEsp = r[ESP], sCpl = cpl;
        int sSs = seg[SS], sSsBase = segBase[SS], sSsLimit = segLimit[SS], sSsAttr = segAttr[SS];
        boolean sStack32 = stack32;
        try {
            int newSs = tssStackSs(cdpl), newEsp = tssStackEsp(cdpl);
            checkNewStack(newSs, cdpl);
            int[] copy = paramBuf;
            for (int i = 0; i < params; i++) copy[i] = peekStack(size, i * size);
            int oldSs = seg[SS], oldEsp = r[ESP];
            setCpl(cdpl);
            loadSeg(SS, newSs);
            r[ESP] = newEsp;
            checkStack((4 + params) * size);
            pushV(oldSs);
            pushV(oldEsp);
            for (int i = params - 1; i >= 0; i--) pushV(copy[i]);
            pushV(oldCs);
            pushV(oldEip);
        } catch (Fault f) {
            r[ESP] = sEsp;
            if (cpl != sCpl) setCpl(sCpl);
            seg[SS] = sSs; segBase[SS] = sSsBase; segLimit[SS] = sSsLimit; segAttr[SS] = sSsAttr;
            stack32 = sStack32;
            o16 = saveO16;
            throw f;
        }
        enterCode((target & 0xfffc) | cdpl, clo, chi, off);
        o16 = saveO16;
    }

    private final int[] paramBuf = new int[32];

    /** The stack segment a privilege change is about to load: #TS when it is unfit, #SS when not present. */
    final void checkNewStack(int ss, int level) {
        if ((ss & ~3) == 0) throw fault(Fault.TS, 0);
        readDescriptor(ss, Fault.TS);
        int hi = descHi;
        int type = (hi >>> 8) & 0x1f;
        if ((ss & 3) != level || ((hi >>> 13) & 3) != level || (type & 0x1a) != 0x12) throw fault(Fault.TS, ss & 0xfffc);
        if ((hi & 0x8000) == 0) throw fault(Fault.SS, ss & 0xfffc);
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
        if ((flags & NT) != 0) {
            taskSwitch(mmu.readWordSystem(trBase), TASK_IRET, false, 0);
            return;
        }
        int newEip = peekStack(size, 0);
        int newCs = peekStack(size, size) & 0xffff;
        int newFlags = peekStack(size, 2 * size);
        if ((newFlags & VM) != 0 && cpl == 0 && !o16) {
            iretToV86(newEip, newCs, newFlags);
            return;
        }
        int rpl = newCs & 3;
        if (rpl < cpl) throw gp(newCs & 0xfffc);
        int oldCpl = cpl;
        if (rpl == cpl) {
            loadCodeSegmentForReturn(newCs, newEip);
            setSp(sp() + 3 * size);
            loadFlags(newFlags, o16);
            if (!o16) loadResumeFlag(newFlags);
            return;
        }
        int newEsp = peekStack(size, 3 * size);
        int newSs = peekStack(size, 4 * size) & 0xffff;
        loadCodeSegmentForReturn(newCs, newEip);
        // flags are loaded with the old CPL's rights
        loadFlags(newFlags, o16);
        if (!o16) loadResumeFlag(newFlags);
        setCpl(rpl);
        loadSeg(SS, newSs);
        r[ESP] = o16 ? (r[ESP] & 0xffff0000) | (newEsp & 0xffff) : newEsp;
        if (oldCpl != cpl) clearDataSegmentsForOuterLevel();
    }

    /**
     * IRET (not POPF) loads RF from the image. RF = 1 sends the next instruction through the
     * debug path, which clears RF once it completes (the fast paths never look at RF).
     */
    final void loadResumeFlag(int newFlags) {
        setFlags(getFlags() & ~RF | newFlags & RF);
        if ((newFlags & RF) != 0) debugArmed = true;
    }

    /** IRET from ring 0 with EFLAGS.VM in the popped image: into virtual-8086 mode at CPL 3. */
    private void iretToV86(int newEip, int newCs, int newFlags) {
        int newEsp = peekStack(4, 12), newSs = peekStack(4, 16);
        int newEs = peekStack(4, 20), newDs = peekStack(4, 24), newFs = peekStack(4, 28), newGs = peekStack(4, 32);
        setFlags(newFlags);
        loadResumeFlag(newFlags);
        setCpl(3);
        loadSeg(CS, newCs);
        loadSeg(SS, newSs);
        loadSeg(ES, newEs);
        loadSeg(DS, newDs);
        loadSeg(FS, newFs);
        loadSeg(GS, newGs);
        r[ESP] = newEsp;
        eip = newEip & 0xffff;
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
        // error codes of faults met while delivering an event not caused by INT n carry EXT (bit 0)
        int ext = software ? 0 : 1;
        if (vector * 8 + 7 > idtLimit) throw gp(vector * 8 + 2 + ext);
        int lo = mmu.readIntSystem(idtBase + vector * 8);
        int hi = mmu.readIntSystem(idtBase + vector * 8 + 4);
        int type = (hi >>> 8) & 0x1f;
        int gateDpl = (hi >>> 13) & 3;
        if (type != 5 && type != 6 && type != 7 && type != 14 && type != 15) throw gp(vector * 8 + 2 + ext);
        if (software && gateDpl < cpl) throw gp(vector * 8 + 2);
        if ((hi & 0x8000) == 0) throw fault(Fault.NP, vector * 8 + 2 + ext);
        boolean gate32 = (type & 8) != 0;
        int kind = type & 7;
        if (type == 5) {
            halted = false;
            taskSwitch(lo >>> 16, TASK_INT, hasError, error);
            return;
        }
        int sel = lo >>> 16;
        int off = (lo & 0xffff) | (hi & 0xffff0000);
        if (!gate32) off &= 0xffff;
        if ((sel & ~3) == 0) throw gp(ext);
        int clo = readDescriptor(sel, Fault.GP);
        int chi = descHi;
        int cdpl = (chi >>> 13) & 3;
        if ((chi & 0x1800) != 0x1800 || cdpl > cpl) throw gp((sel & 0xfffc) + ext);
        if ((chi & 0x8000) == 0) throw fault(Fault.NP, (sel & 0xfffc) + ext);
        boolean conforming = (chi & 0x400) != 0;
        if (v86() && (conforming || cdpl != 0)) throw gp((sel & 0xfffc) + ext); // V86 interrupts go to ring 0
        int f = getFlags();
        int oldCs = seg[CS], oldEip = eip, oldSs = seg[SS], oldEsp = r[ESP];
        boolean wasV86 = v86();
        int newCpl = conforming ? cpl : cdpl;
        o16 = !gate32;
        if (newCpl < cpl || wasV86) {
            // inner privilege: switch to the stack in the TSS
            int tssSs = tssStackSs(newCpl);
            int tssEsp = tssStackEsp(newCpl);
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
