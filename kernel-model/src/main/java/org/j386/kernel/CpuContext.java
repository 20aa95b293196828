package org.j386.kernel;

import org.j386.cpu.Cpu;
import org.j386.cpu.fpu.Fpu;

/**
 * A task's user-mode processor state while it is not running: registers, flags, segments, x87.
 * Public fields so that a checkpoint can read, and a restart fill, a parked task's state.
 */
public final class CpuContext {
    public final int[] r = new int[8];
    public int eip, eflags;
    public final int[] seg = new int[6];
    // x87
    public final long[] fsig = new long[8];
    public final int[] fse = new int[8];
    public int fcw = 0x37f, fsw, ftw = 0xffff, fip, fcs, fop, fdp, fds;

    void saveFrom(Cpu cpu) {
        System.arraycopy(cpu.r, 0, r, 0, 8);
        eip = cpu.eip;
        eflags = cpu.getFlags();
        System.arraycopy(cpu.seg, 0, seg, 0, 6);
        Fpu f = cpu.fpu;
        for (int i = 0; i < 8; i++) {
            fsig[i] = f.registerSignificand(i);
            fse[i] = f.registerSignExponent(i);
        }
        fcw = f.controlWord();
        fsw = f.statusWord();
        ftw = f.tagWord();
        fip = f.lastInstructionPointer();
        fcs = f.lastInstructionSelector();
        fop = f.lastOpcode();
        fdp = f.lastDataPointer();
        fds = f.lastDataSelector();
    }

    /** Loads registers and the x87; segment selectors are reloaded by the kernel once the GDT/LDT are the task's. */
    void loadInto(Cpu cpu) {
        System.arraycopy(r, 0, cpu.r, 0, 8);
        cpu.r[8] = 0;
        cpu.eip = eip;
        cpu.setFlags(eflags);
        Fpu f = cpu.fpu;
        f.reset();
        for (int i = 0; i < 8; i++) f.setRegister(i, fsig[i], fse[i]);
        f.setControlWord(fcw);
        f.setStatusWord(fsw);
        f.setTagWord(ftw);
        f.setLastInstructionPointer(fip);
        f.setLastInstructionSelector(fcs);
        f.setLastOpcode(fop);
        f.setLastDataPointer(fdp);
        f.setLastDataSelector(fds);
    }
}
