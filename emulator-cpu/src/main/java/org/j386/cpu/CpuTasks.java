package org.j386.cpu;

import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/**
 * Hardware task switching through 32-bit TSSs: JMP or CALL to a TSS or task gate, an
 * interrupt or exception through a task gate, and IRET with EFLAGS.NT back along the link.
 * The outgoing task's registers go into its TSS, the incoming task's come from its TSS
 * (CR3, LDTR, EFLAGS, EIP, general and segment registers), the busy bits, the back-link and
 * NT follow the rules of the source of the switch, and CR0.TS is set.
 */
public abstract class CpuTasks extends CpuStrings {
    static final int TASK_JMP = 0, TASK_CALL = 1, TASK_IRET = 2, TASK_INT = 3;

    protected CpuTasks(Mmu mmu, IoBus io) {
        super(mmu, io);
    }

    /** Loads CS (selector and descriptor cache, from the descriptor's two dwords) and jumps to {@code off}. */
    final void enterCode(int sel, int lo, int hi, int off) {
        seg[CS] = sel;
        segBase[CS] = descBase(lo, hi);
        segLimit[CS] = descLimit(lo, hi);
        segAttr[CS] = hi & 0x00f0ff00;
        code32 = (hi & 0x400000) != 0;
        invalidateCodeCache();
        eip = off;
    }

    /**
     * Switches to the task whose TSS selector is {@code sel}. EIP must already be where the
     * outgoing task resumes. With {@code hasError} the error code is pushed on the new task's
     * stack (a word for a 16-bit TSS). Either TSS may be a 32-bit one (types 9/11, 0x68 bytes:
     * CR3, the T bit, FS and GS) or a 16-bit one (types 1/3, 0x2C bytes: 16-bit IP, FLAGS and
     * registers, no CR3; the upper halves of the general registers are left as they were).
     */
    final void taskSwitch(int sel, int source, boolean hasError, int error) {
        if ((sel & 4) != 0 || (sel & ~3) == 0) throw source == TASK_IRET ? fault(Fault.TS, sel & 0xfffc) : gp(sel & 0xfffc);
        int lo = readDescriptor(sel, source == TASK_IRET ? Fault.TS : Fault.GP);
        int hi = descHi;
        int type = (hi >>> 8) & 0x1f;
        if (source == TASK_IRET) {
            if (type != 11 && type != 3) throw fault(Fault.TS, sel & 0xfffc);
        } else if (type != 9 && type != 1) {
            throw gp(sel & 0xfffc); // busy, or not a TSS
        }
        if ((hi & 0x8000) == 0) throw fault(Fault.NP, sel & 0xfffc);
        boolean new32 = (type & 8) != 0;
        int newBase = descBase(lo, hi), newLimit = descLimit(lo, hi);
        if (Integer.compareUnsigned(newLimit, new32 ? 0x67 : 0x2b) < 0) throw fault(Fault.TS, sel & 0xfffc);

        // the incoming state is read before anything changes (a fault here leaves the old task intact)
        int nCr3 = 0, nEip, nFlags, nLdt;
        int[] nr = taskRegs;
        int[] ns = taskSegs;
        if (new32) {
            nCr3 = mmu.readIntSystem(newBase + 0x1c);
            nEip = mmu.readIntSystem(newBase + 0x20);
            nFlags = mmu.readIntSystem(newBase + 0x24);
            for (int i = 0; i < 8; i++) nr[i] = mmu.readIntSystem(newBase + 0x28 + 4 * i);
            for (int i = 0; i < 6; i++) ns[i] = mmu.readWordSystem(newBase + 0x48 + 4 * i);
            nLdt = mmu.readWordSystem(newBase + 0x60);
        } else {
            nEip = mmu.readWordSystem(newBase + 0x0e);
            nFlags = mmu.readWordSystem(newBase + 0x10);
            for (int i = 0; i < 8; i++) nr[i] = (r[i] & 0xffff0000) | mmu.readWordSystem(newBase + 0x12 + 2 * i);
            for (int i = 0; i < 4; i++) ns[i] = mmu.readWordSystem(newBase + 0x22 + 2 * i);
            ns[FS] = ns[GS] = 0;
            nLdt = mmu.readWordSystem(newBase + 0x2a);
        }

        // save the outgoing task
        int oldSel = trSel, oldBase = trBase;
        int flagsOut = getFlags();
        if (source == TASK_IRET) flagsOut &= ~NT;
        if ((trAttr & 0x800) != 0 || (trSel & ~3) == 0) {
            mmu.writeIntSystem(oldBase + 0x20, eip);
            mmu.writeIntSystem(oldBase + 0x24, flagsOut);
            for (int i = 0; i < 8; i++) mmu.writeIntSystem(oldBase + 0x28 + 4 * i, r[i]);
            for (int i = 0; i < 6; i++) mmu.writeWordSystem(oldBase + 0x48 + 4 * i, seg[i]);
        } else {
            mmu.writeWordSystem(oldBase + 0x0e, eip);
            mmu.writeWordSystem(oldBase + 0x10, flagsOut);
            for (int i = 0; i < 8; i++) mmu.writeWordSystem(oldBase + 0x12 + 2 * i, r[i]);
            for (int i = 0; i < 4; i++) mmu.writeWordSystem(oldBase + 0x22 + 2 * i, seg[i]);
        }
        if (source == TASK_JMP || source == TASK_IRET) setBusy(oldSel, false);
        if (source == TASK_CALL || source == TASK_INT) {
            mmu.writeWordSystem(newBase, oldSel);
            nFlags |= NT;
        }
        if (source != TASK_IRET) setBusy(sel, true);

        trSel = sel;
        trBase = newBase;
        trLimit = newLimit;
        trAttr = (hi & 0x00f0ff00) | 0x200;
        cr0 |= 8; // TS

        // load the incoming task
        if (new32 && (cr0 & 0x80000000) != 0) {
            cr3 = nCr3;
            mmu.setCr3(nCr3);
            checkCodeWindow();
        }
        System.arraycopy(nr, 0, r, 0, 8);
        setFlags(nFlags);
        if ((nFlags & RF) != 0) debugArmed = true;
        eip = nEip;
        if (new32 && (mmu.readWordSystem(newBase + 0x64) & 1) != 0) { // the T bit: a debug trap in the new task
            dr[6] |= 0x8000;
            taskTrap = true;
            debugArmed = true;
        }
        // segment registers get their selectors first, descriptors after LDTR is loaded
        for (int i = 0; i < 6; i++) { seg[i] = ns[i]; segAttr[i] = 0; }
        taskLoadLdt(nLdt);
        if ((nFlags & VM) != 0) {
            setCpl(3);
            for (int i = 0; i < 6; i++) loadSeg(i, ns[i]); // real-mode style loads in V86
            stack32 = false;
            return;
        }
        int cs = ns[CS];
        setCpl(cs & 3);
        taskLoadCode(cs);
        try {
            int ss = ns[SS];
            checkNewStack(ss, cpl);
            loadSeg(SS, ss);
            for (int s : DATA_SEGS) loadSeg(s, ns[s]);
        } catch (Fault f) {
            if (f.vector == Fault.GP) f.vector = Fault.TS;
            throw f;
        }
        if (hasError) {
            if (new32) push32(error); else push16(error);
        }
    }

    /** The stack selector the TSS holds for privilege level {@code level} (32- or 16-bit TSS). */
    final int tssStackSs(int level) {
        return (trAttr & 0x800) != 0 ? mmu.readWordSystem(trBase + 8 + level * 8) : mmu.readWordSystem(trBase + 4 + level * 4);
    }

    /** The stack pointer the TSS holds for privilege level {@code level} (SP, zero-extended, in a 16-bit TSS). */
    final int tssStackEsp(int level) {
        return (trAttr & 0x800) != 0 ? mmu.readIntSystem(trBase + 4 + level * 8) : mmu.readWordSystem(trBase + 2 + level * 4);
    }

    private static final int[] DATA_SEGS = {ES, DS, FS, GS};
    private final int[] taskRegs = new int[8];
    private final int[] taskSegs = new int[6];

    private void setBusy(int sel, boolean busy) {
        int a = gdtBase + (sel & 0xfff8) + 5;
        int b = mmu.readByteSystem(a);
        mmu.writeByteSystem(a, busy ? b | 2 : b & ~2);
    }

    private void taskLoadLdt(int sel) {
        if ((sel & ~3) == 0) { ldtSel = 0; ldtBase = 0; ldtLimit = 0; ldtAttr = 0; return; }
        if ((sel & 4) != 0) throw fault(Fault.TS, sel & 0xfffc);
        int lo = readDescriptor(sel, Fault.TS);
        if (((descHi >>> 8) & 0x1f) != 2) throw fault(Fault.TS, sel & 0xfffc);
        if ((descHi & 0x8000) == 0) throw fault(Fault.TS, sel & 0xfffc);
        ldtSel = sel;
        ldtBase = descBase(lo, descHi);
        ldtLimit = descLimit(lo, descHi);
        ldtAttr = descHi & 0x00f0ff00;
    }

    private void taskLoadCode(int cs) {
        if ((cs & ~3) == 0) throw fault(Fault.TS, 0);
        int lo = readDescriptor(cs, Fault.TS);
        int hi = descHi;
        int dpl = (hi >>> 13) & 3;
        if ((hi & 0x1800) != 0x1800) throw fault(Fault.TS, cs & 0xfffc);
        boolean conforming = (hi & 0x400) != 0;
        if (conforming ? dpl > (cs & 3) : dpl != (cs & 3)) throw fault(Fault.TS, cs & 0xfffc);
        if ((hi & 0x8000) == 0) throw fault(Fault.NP, cs & 0xfffc);
        int e = eip;
        enterCode(cs, lo, hi, e);
    }

    /** Where a new privilege level's stack selector is checked (call gates, interrupts, task switches). */
    abstract void checkNewStack(int ss, int level);
}
