package org.j386.kernel;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;

/**
 * Builds i386 signal frames on the user stack and takes them down again in sigreturn and
 * rt_sigreturn, with the layouts of Linux's arch/x86 (struct sigframe_ia32 and
 * rt_sigframe_ia32): the sigcontext with trapno, err and cr2, the FPU state in the
 * _fpstate_32 format (FNSAVE header, then the FXSAVE image at +112), the saved mask and the
 * alternate stack. The handler starts with a clean FPU, as on Linux.
 */
final class SignalDelivery {
    static final int SIGCONTEXT_SIZE = 88, FPSTATE_SIZE = 624, UCONTEXT_SIZE = 116;
    static final int SIGFRAME_SIZE = 4 + 4 + SIGCONTEXT_SIZE + FPSTATE_SIZE + 4 + 8;
    static final int RT_SIGFRAME_SIZE = 4 + 4 + 4 + 4 + 128 + UCONTEXT_SIZE + 8;
    /** EFLAGS bits sigreturn may restore (Linux FIX_EFLAGS). */
    static final int FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;
    private static final int SS_ONSTACK = 1, SS_DISABLE = 2;

    private final Kernel k;

    SignalDelivery(Kernel k) {
        this.k = k;
    }

    private static boolean onAltStack(SignalState s, int sp) {
        return s.altStackSize != 0 && Integer.compareUnsigned(sp - s.altStackBase, s.altStackSize) < 0;
    }

    /**
     * Sets up a frame for {@code info.signo} and points the CPU at the handler. Returns false
     * if the frame cannot be written (the caller then kills the task with SIGSEGV).
     */
    boolean deliver(Task t, SigInfo info) {
        Cpu cpu = k.cpu;
        SignalState s = t.signals;
        int sig = info.signo();
        int flags = s.flags[sig];
        boolean rt = (flags & SignalState.SA_SIGINFO) != 0;
        int sp = cpu.r[CpuState.ESP];
        boolean wasOnAlt = onAltStack(s, sp);
        if ((flags & SignalState.SA_ONSTACK) != 0 && s.altStackSize != 0 && !wasOnAlt) sp = s.altStackBase + s.altStackSize;
        int fpstate = (sp - FPSTATE_SIZE) & ~63;
        int frameSize = rt ? RT_SIGFRAME_SIZE : SIGFRAME_SIZE;
        int frame = ((fpstate - frameSize + 4) & ~15) - 4; // the ABI: (esp + 4) 16-aligned at entry
        long oldBlocked = t.suspendSavedMask != -1 ? t.suspendSavedMask : s.blocked; // sigsuspend's mask comes back after the handler
        t.suspendSavedMask = -1;
        UserMemory m = t.mem;
        try {
            m.clear(frame, fpstate + FPSTATE_SIZE - frame);
            int sc = rt ? frame + 16 + 128 + 20 : frame + 8;
            saveFpu(t, fpstate);
            writeSigcontext(t, sc, fpstate, info, (int) oldBlocked);
            int restorer = (flags & SignalState.SA_RESTORER) != 0 ? s.restorer[sig] : 0;
            if (rt) {
                int infoAddr = frame + 16, uc = frame + 16 + 128, retcode = uc + UCONTEXT_SIZE;
                m.writeInt(frame, restorer != 0 ? restorer : retcode);
                m.writeInt(frame + 4, sig);
                m.writeInt(frame + 8, infoAddr);
                m.writeInt(frame + 12, uc);
                m.write(infoAddr, info.encode());
                m.writeInt(uc, 0);                       // uc_flags
                m.writeInt(uc + 4, 0);                   // uc_link
                m.writeInt(uc + 8, s.altStackBase);      // uc_stack
                m.writeInt(uc + 12, s.altStackSize == 0 ? SS_DISABLE : wasOnAlt ? SS_ONSTACK : 0);
                m.writeInt(uc + 16, s.altStackSize);
                m.writeLong(uc + 20 + SIGCONTEXT_SIZE, oldBlocked);
                m.write(retcode, new byte[] {(byte) 0xb8, (byte) 173, 0, 0, 0, (byte) 0xcd, (byte) 0x80, 0});
                cpu.r[CpuState.EDX] = infoAddr;
                cpu.r[CpuState.ECX] = uc;
            } else {
                int retcode = frame + 8 + SIGCONTEXT_SIZE + FPSTATE_SIZE + 4;
                m.writeInt(frame, restorer != 0 ? restorer : retcode);
                m.writeInt(frame + 4, sig);
                m.writeInt(retcode - 4, (int) (oldBlocked >>> 32)); // extramask
                m.write(retcode, new byte[] {0x58, (byte) 0xb8, 119, 0, 0, 0, (byte) 0xcd, (byte) 0x80});
                cpu.r[CpuState.EDX] = 0;
                cpu.r[CpuState.ECX] = 0;
            }
        } catch (SyscallException e) {
            return false;
        }
        cpu.fpu.reset();
        cpu.r[CpuState.EAX] = sig;
        cpu.r[CpuState.ESP] = frame;
        cpu.eip = s.handler[sig];
        cpu.setFlags(cpu.getFlags() & ~(CpuState.TF | CpuState.DF | CpuState.RF));
        s.blocked |= s.mask[sig];
        if ((flags & SignalState.SA_NODEFER) == 0) s.blocked |= 1L << (sig - 1);
        s.blocked &= ~Signals.UNBLOCKABLE;
        if ((flags & SignalState.SA_RESETHAND) != 0) {
            s.handler[sig] = Signals.SIG_DFL;
            s.flags[sig] &= ~SignalState.SA_SIGINFO;
        }
        return true;
    }

    private void saveFpu(Task t, int fpstate) {
        Cpu cpu = k.cpu;
        cpu.fpu.fxsave(fpstate + 112);
        // FNSAVE writes the 108-byte header that _fpstate_32 starts with (and reinitializes the FPU)
        cpu.fpu.execute(0xdd, 0x30, fpstate, false, cpu.getFlags(), cpu.eip);
        t.mem.writeWord(fpstate + 108, t.mem.readInt(fpstate + 4) & 0xffff); // status
        t.mem.writeWord(fpstate + 110, 0);                                  // magic: FXSR data follows
    }

    private void writeSigcontext(Task t, int sc, int fpstate, SigInfo info, int oldmask) {
        Cpu cpu = k.cpu;
        UserMemory m = t.mem;
        int[] r = cpu.r;
        m.writeInt(sc, cpu.seg[CpuState.GS]);
        m.writeInt(sc + 4, cpu.seg[CpuState.FS]);
        m.writeInt(sc + 8, cpu.seg[CpuState.ES]);
        m.writeInt(sc + 12, cpu.seg[CpuState.DS]);
        m.writeInt(sc + 16, r[CpuState.EDI]);
        m.writeInt(sc + 20, r[CpuState.ESI]);
        m.writeInt(sc + 24, r[CpuState.EBP]);
        m.writeInt(sc + 28, r[CpuState.ESP]);
        m.writeInt(sc + 32, r[CpuState.EBX]);
        m.writeInt(sc + 36, r[CpuState.EDX]);
        m.writeInt(sc + 40, r[CpuState.ECX]);
        m.writeInt(sc + 44, r[CpuState.EAX]);
        m.writeInt(sc + 48, info.trapno());
        m.writeInt(sc + 52, info.err());
        m.writeInt(sc + 56, cpu.eip);
        m.writeInt(sc + 60, cpu.seg[CpuState.CS]);
        m.writeInt(sc + 64, cpu.getFlags());
        m.writeInt(sc + 68, r[CpuState.ESP]);
        m.writeInt(sc + 72, cpu.seg[CpuState.SS]);
        m.writeInt(sc + 76, fpstate);
        m.writeInt(sc + 80, oldmask);
        m.writeInt(sc + 84, info.cr2());
    }

    /** sigreturn (119): the legacy frame's sigcontext sits 8 bytes below ESP's value at the call... */
    int sigreturn(Task t) {
        int frame = k.cpu.r[CpuState.ESP] - 8;
        int sc = frame + 8;
        long mask = (t.mem.readInt(sc + 80) & 0xffffffffL)
                | ((long) t.mem.readInt(frame + 8 + SIGCONTEXT_SIZE + FPSTATE_SIZE) << 32);
        return restore(t, sc, mask, -1);
    }

    /** rt_sigreturn (173): ucontext follows pretcode, sig, pinfo, puc and the siginfo. */
    int rtSigreturn(Task t) {
        int frame = k.cpu.r[CpuState.ESP] - 4;
        int uc = frame + 16 + 128;
        long mask = t.mem.readLong(uc + 20 + SIGCONTEXT_SIZE);
        return restore(t, uc + 20, mask, uc + 8);
    }

    private int restore(Task t, int sc, long mask, int stackAddr) {
        Cpu cpu = k.cpu;
        UserMemory m = t.mem;
        int[] v = new int[22];
        for (int i = 0; i < 22; i++) v[i] = m.readInt(sc + 4 * i);
        int cs = v[15] & 0xffff, ss = v[18] & 0xffff;
        if ((cs & 3) != 3 || (ss & 3) != 3 && (ss & ~3) != 0) throw new SyscallException(Errno.EFAULT);
        if (v[19] != 0) restoreFpu(t, v[19]);
        int[] r = cpu.r;
        r[CpuState.EDI] = v[4];
        r[CpuState.ESI] = v[5];
        r[CpuState.EBP] = v[6];
        r[CpuState.ESP] = v[7];
        r[CpuState.EBX] = v[8];
        r[CpuState.EDX] = v[9];
        r[CpuState.ECX] = v[10];
        cpu.eip = v[14];
        cpu.setFlags((cpu.getFlags() & ~FIX_EFLAGS) | (v[16] & FIX_EFLAGS));
        loadSelector(CpuState.GS, v[0]);
        loadSelector(CpuState.FS, v[1]);
        loadSelector(CpuState.ES, v[2]);
        loadSelector(CpuState.DS, v[3]);
        t.signals.blocked = mask & ~Signals.UNBLOCKABLE;
        if (stackAddr != 0 && stackAddr != -1) {
            // like sigaltstack() from the handler's saved uc_stack; errors are ignored, as Linux does
            int base = m.readInt(stackAddr), fl = m.readInt(stackAddr + 4), size = m.readInt(stackAddr + 8);
            if (!onAltStack(t.signals, cpu.r[CpuState.ESP]) && (fl == 0 || fl == SS_DISABLE)) {
                t.signals.altStackBase = fl == SS_DISABLE ? 0 : base;
                t.signals.altStackSize = fl == SS_DISABLE ? 0 : size;
                t.signals.altStackFlags = fl;
            }
        }
        return v[11]; // EAX as it was: sigreturn does not clobber it
    }

    private void loadSelector(int sreg, int value) {
        Cpu cpu = k.cpu;
        cpu.seg[sreg] = value & 0xffff;
        k.reloadSegment(sreg);
    }

    private void restoreFpu(Task t, int fpstate) {
        Cpu cpu = k.cpu;
        int magic = t.mem.readWord(fpstate + 110);
        if (magic == 0xffff) cpu.fpu.execute(0xdd, 0x20, fpstate, false, cpu.getFlags(), cpu.eip); // FRSTOR
        else cpu.fpu.fxrstor(fpstate + 112);
    }
}
