package org.j386.cpu;

import org.j386.cpu.fpu.Fpu;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/**
 * The architectural state of the processor, in plain fields and arrays so that the
 * interpreter (and later a JIT) reaches it with direct field accesses. The kernel model and
 * the checkpoint module read and write it through these fields too.
 */
public abstract class CpuState {
    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    public static final int CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128, TF = 256, IF = 512, DF = 1024, OF = 2048,
            IOPL = 0x3000, NT = 0x4000, RF = 0x10000, VM = 0x20000, AC = 0x40000, VIF = 0x80000, VIP = 0x100000, ID = 0x200000;
    static final int ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

    /**
     * General registers, indexed as the ModRM reg field encodes them. Slot 8 is not a
     * register: it always holds zero, so decoded address arithmetic needs no branches.
     */
    public final int[] r = new int[9];
    public int eip;

    /** Segment registers: visible selector and the hidden descriptor cache. */
    public final int[] seg = new int[6];
    public final int[] segBase = new int[6];
    public final int[] segLimit = new int[6];
    /** Descriptor attribute bits as in the high dword of the descriptor: bits 8..23 (type, S, DPL, P, AVL, D/B, G). */
    public final int[] segAttr = new int[6];

    /** EFLAGS except the arithmetic flags while they are held lazily (see CpuFlags). */
    int flags = 2;

    public int cr0 = 0x60000010;
    public int cr2;
    public int cr3;
    public int cr4;
    public final int[] dr = new int[8];

    public int gdtBase, gdtLimit = 0xffff;
    public int idtBase, idtLimit = 0x3ff;
    public int ldtSel, ldtBase, ldtLimit, ldtAttr;
    public int trSel, trBase, trLimit, trAttr;

    /** Current privilege level. */
    public int cpl;
    /** Code segment default size is 32 bits (CS.D). */
    public boolean code32;
    /** Stack segment is 32-bit (SS.B): ESP rather than SP. */
    public boolean stack32;

    /** Instructions retired since reset. */
    public long icount;

    public final Mmu mmu;
    public final Fpu fpu;
    public final IoBus io;

    protected CpuState(Mmu mmu, IoBus io) {
        this.mmu = mmu;
        this.io = io;
        this.fpu = new Fpu(mmu);
    }

    public boolean protectedMode() { return (cr0 & 1) != 0; }

    public boolean v86() { return (flags & VM) != 0; }
}
