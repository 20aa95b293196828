package org.j386.cpu;

import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/**
 * The i386 interpreter: the run loop, prefix decoding and the one-byte opcode map.
 * Faults rewind EIP to the instruction start and go to the {@link TrapHandler} (the kernel
 * model) or through the IDT.
 */
public final class Cpu extends CpuTwoByte {
    /** Installed by the kernel model; null for a bare machine that delivers through the IDT. */
    public TrapHandler trapHandler;
    /** Set by a triple fault: the processor stopped (a board would pulse RESET). */
    public boolean shutdown;

    /** Pre-decoded blocks of 32-bit code (see BlockDecoder); null disables them. */
    private final BlockCache blocks;
    private final BlockDecoder decoder = new BlockDecoder();
    /** Set when decoded code was overwritten: the running block must stop. */
    private boolean codeChanged;

    public Cpu(Mmu mmu, IoBus io) {
        this(mmu, io, !Boolean.getBoolean("j386.noBlocks"));
    }

    public Cpu(Mmu mmu, IoBus io, boolean useBlocks) {
        super(mmu, io);
        this.blocks = useBlocks ? new BlockCache(mmu.ram().size()) : null;
        if (useBlocks) mmu.setCodeWriteListener(frame -> {
            blocks.dropFrame(frame);
            codeChanged = true;
        });
        reset();
    }

    /** The documented power-on state: real mode, CS:IP = F000:FFF0 with CS base FFFF0000. */
    public void reset() {
        java.util.Arrays.fill(r, 0);
        r[EDX] = 0x00000633;
        setFlags(2);
        cr0 = 0x60000010;
        cr2 = cr3 = cr4 = 0;
        syncPaging();
        for (int s = 0; s < 6; s++) {
            seg[s] = 0;
            segBase[s] = 0;
            segLimit[s] = 0xffff;
            segAttr[s] = 0x9300;
        }
        seg[CS] = 0xf000;
        segBase[CS] = 0xffff0000;
        segAttr[CS] = 0x9b00;
        eip = 0xfff0;
        gdtBase = idtBase = 0;
        gdtLimit = idtLimit = 0xffff;
        ldtSel = ldtBase = 0;
        trSel = trBase = 0;
        ldtLimit = trLimit = 0xffff;
        code32 = stack32 = false;
        halted = false;
        shutdown = false;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xffff0ff0;
        dr[7] = 0x400;
        taskTrap = false;
        armBreakpoints();
        stiShadow = Long.MIN_VALUE / 2;
        setCpl(0);
        fpu.reset();
        invalidateCodeCache();
    }

    /**
     * Runs until {@code maxInstructions} have retired, a halt, or a stop request.
     * @return instructions retired by this call
     */
    public long run(long maxInstructions) {
        long start = icount;
        long limit = start + maxInstructions;
        stopRequested = false;
        checkCodeWindow();
        while (icount < limit && !stopRequested && !halted) {
            opStart = eip;
            try {
                Block blk = blocks != null && code32 && (flags & (0x40000 | TF)) == 0 && !interpretNext && !debugArmed
                        && (segLimit[CS] & segLimit[DS] & segLimit[ES] & segLimit[SS]) == -1 ? blockAtEip() : BlockCache.NONE;
                interpretNext = false;
                if (blk != BlockCache.NONE && icount + blk.n <= limit) {
                    // run chained blocks while each next one is known
                    do {
                        runBlock(blk);
                        opStart = eip; // a fault while finding the next block rewinds here
                        if (codeChanged) break;
                        Block next = blk.link;
                        if (next == null || next.start != eip || blk.linkEpoch != blocks.epoch) {
                            next = blockAtEip();
                            if (next == BlockCache.NONE) break;
                            blk.link = next;
                            blk.linkEpoch = blocks.epoch;
                        }
                        blk = next;
                    } while (icount + blk.n <= limit);
                } else if ((flags & TF) == 0 && !debugArmed) {
                    step();
                    icount++;
                } else {
                    tracedStep();
                }
            } catch (Fault f) {
                eip = opStart;
                raise(f);
            } catch (SegmentBail b) {
                interpretNext = true; // runBlock rewound to the instruction; the interpreter checks it
            }
        }
        return icount - start;
    }

    /** The decoded block starting at EIP, decoding it on first use; NONE when there is none. */
    private Block blockAtEip() {
        if (!windowAtEip()) return BlockCache.NONE;
        int off = eip - winLo;
        long frame = winFrame;
        Block blk = blocks.get(frame, off);
        if (blk != null && (blk == BlockCache.NONE || blk.start == eip)) return blk;
        blk = decoder.decode(eip, winHost, winLo, frame);
        if (blk == null) blk = BlockCache.NONE;
        if (blocks.put(frame, off, blk)) mmu.markCode(frame);
        return blk;
    }

    /** Thrown by a block's FS/GS access through a segment that is not flat: the interpreter redoes the instruction with checks. */
    static final class SegmentBail extends RuntimeException {
        SegmentBail() { super(null, null, false, false); }
    }

    private static final SegmentBail BAIL = new SegmentBail();
    private boolean interpretNext;

    private int ea(Block b, int i) {
        int m = b.ea[i];
        int[] r = this.r;
        if ((m >>> 12) >= FS && segLimit[m >>> 12] != -1) throw BAIL;
        return segBase[m >>> 12] + r[m & 15] + (r[(m >>> 4) & 15] << ((m >>> 8) & 3)) + b.disp[i];
    }

    private int eaOffset(Block b, int i) {
        int m = b.ea[i];
        int[] r = this.r;
        return r[m & 15] + (r[(m >>> 4) & 15] << ((m >>> 8) & 3)) + b.disp[i];
    }

    /**
     * Executes a decoded block. EIP stays at the start of the current instruction until it
     * completes, so a fault rewinds exactly as in the interpreter.
     */
    private void runBlock(Block b) {
        final int[] r = this.r;
        final byte[] kind = b.kind, ra = b.a, rb = b.b;
        final int[] imm = b.imm;
        final int n = b.n;
        codeChanged = false;
        icount += n;
        int next = b.at[n];
        int i = 0;
        try {
            for (; i < n; i++) {
            switch (kind[i]) {
                case BlockDecoder.MOV_RR: r[ra[i]] = r[rb[i]]; break;
                case BlockDecoder.LOAD: r[ra[i]] = mmu.readInt(ea(b, i)); break;
                case BlockDecoder.STORE: mmu.writeInt(ea(b, i), r[ra[i]]); if (codeChanged) { stopAfter(b, i); return; } break;
                case BlockDecoder.MOV_RI: r[ra[i]] = imm[i]; break;
                case BlockDecoder.STORE_I: mmu.writeInt(ea(b, i), imm[i]); if (codeChanged) { stopAfter(b, i); return; } break;
                case BlockDecoder.ALU_RR: {
                    int k = imm[i];
                    int res = alu(k, r[ra[i]], r[rb[i]], 4);
                    if (k != ALU_CMP) r[ra[i]] = res;
                    break;
                }
                case BlockDecoder.ALU_RM: {
                    int k = imm[i];
                    int res = alu(k, r[ra[i]], mmu.readInt(ea(b, i)), 4);
                    if (k != ALU_CMP) r[ra[i]] = res;
                    break;
                }
                case BlockDecoder.ALU_MR: {
                    int k = imm[i], lin = ea(b, i);
                    if (k == ALU_CMP) alu(k, mmu.readInt(lin), r[ra[i]], 4);
                    else mmu.writeInt(lin, alu(k, mmu.readIntRW(lin), r[ra[i]], 4));
                    if (codeChanged) { stopAfter(b, i); return; }
                    break;
                }
                case BlockDecoder.ALU_RI: {
                    int k = rb[i];
                    int res = alu(k, r[ra[i]], imm[i], 4);
                    if (k != ALU_CMP) r[ra[i]] = res;
                    break;
                }
                case BlockDecoder.ALU_MI: {
                    int k = rb[i], lin = ea(b, i);
                    if (k == ALU_CMP) alu(k, mmu.readInt(lin), imm[i], 4);
                    else mmu.writeInt(lin, alu(k, mmu.readIntRW(lin), imm[i], 4));
                    if (codeChanged) { stopAfter(b, i); return; }
                    break;
                }
                case BlockDecoder.TEST_RR: alu(ALU_AND, r[ra[i]], r[rb[i]], 4); break;
                case BlockDecoder.TEST_MR: alu(ALU_AND, mmu.readInt(ea(b, i)), r[ra[i]], 4); break;
                case BlockDecoder.TEST_RI: alu(ALU_AND, r[ra[i]], imm[i], 4); break;
                case BlockDecoder.INC_R: r[ra[i]] = inc(r[ra[i]], 4); break;
                case BlockDecoder.DEC_R: r[ra[i]] = dec(r[ra[i]], 4); break;
                case BlockDecoder.PUSH_R: push32(r[ra[i]]); if (codeChanged) { stopAfter(b, i); return; } break;
                case BlockDecoder.POP_R: { int v = pop32(); r[ra[i]] = v; break; }
                case BlockDecoder.PUSH_I: push32(imm[i]); if (codeChanged) { stopAfter(b, i); return; } break;
                case BlockDecoder.LEA: r[ra[i]] = eaOffset(b, i); break;
                case BlockDecoder.JCC: if (cond(ra[i])) next = imm[i]; break;
                case BlockDecoder.JMP: next = imm[i]; break;
                case BlockDecoder.CALL: push32(next); next = imm[i]; break;
                case BlockDecoder.RET: next = pop32(); break;
                case BlockDecoder.SHIFT_RI: r[ra[i]] = shift(rb[i], r[ra[i]], imm[i], 4); break;
                case BlockDecoder.IMUL_RRI: r[ra[i]] = imul(r[rb[i]], imm[i], 4); break;
                case BlockDecoder.IMUL_RR: r[ra[i]] = imul(r[ra[i]], r[rb[i]], 4); break;
                case BlockDecoder.MOVZX8_RR: r[ra[i]] = getReg8(rb[i]); break;
                case BlockDecoder.MOVZX16_RR: r[ra[i]] = r[rb[i]] & 0xffff; break;
                case BlockDecoder.MOVZX8_RM: r[ra[i]] = mmu.readByte(ea(b, i)); break;
                case BlockDecoder.MOVZX16_RM: r[ra[i]] = mmu.readWord(ea(b, i)); break;
                case BlockDecoder.MOVSX8_RM: r[ra[i]] = (byte) mmu.readByte(ea(b, i)); break;
                case BlockDecoder.MOVSX16_RM: r[ra[i]] = (short) mmu.readWord(ea(b, i)); break;
                case BlockDecoder.LOAD8: setReg8(ra[i], mmu.readByte(ea(b, i))); break;
                case BlockDecoder.STORE8: mmu.writeByte(ea(b, i), getReg8(ra[i])); if (codeChanged) { stopAfter(b, i); return; } break;
                case BlockDecoder.STORE8_I: mmu.writeByte(ea(b, i), imm[i]); if (codeChanged) { stopAfter(b, i); return; } break;
                case BlockDecoder.CMOV_RR: if (cond(imm[i])) r[ra[i]] = r[rb[i]]; break;
                case BlockDecoder.CMOV_RM: { int v = mmu.readInt(ea(b, i)); if (cond(imm[i])) r[ra[i]] = v; break; }
                case BlockDecoder.SETCC_R: setReg8(ra[i], cond(imm[i]) ? 1 : 0); break;
                case BlockDecoder.ALU8_RR: {
                    int k = imm[i];
                    int res = alu(k, getReg8(ra[i]), getReg8(rb[i]), 1);
                    if (k != ALU_CMP) setReg8(ra[i], res);
                    break;
                }
                case BlockDecoder.ALU8_RM: {
                    int k = imm[i];
                    int res = alu(k, getReg8(ra[i]), mmu.readByte(ea(b, i)), 1);
                    if (k != ALU_CMP) setReg8(ra[i], res);
                    break;
                }
                case BlockDecoder.ALU8_MR: {
                    int k = imm[i], lin = ea(b, i);
                    if (k == ALU_CMP) alu(k, mmu.readByte(lin), getReg8(ra[i]), 1);
                    else mmu.writeByte(lin, alu(k, mmu.readByteRW(lin), getReg8(ra[i]), 1));
                    if (codeChanged) { stopAfter(b, i); return; }
                    break;
                }
                case BlockDecoder.ALU8_RI: {
                    int k = rb[i];
                    int res = alu(k, getReg8(ra[i]), imm[i], 1);
                    if (k != ALU_CMP) setReg8(ra[i], res);
                    break;
                }
                case BlockDecoder.ALU8_MI: {
                    int k = rb[i], lin = ea(b, i);
                    if (k == ALU_CMP) alu(k, mmu.readByte(lin), imm[i], 1);
                    else mmu.writeByte(lin, alu(k, mmu.readByteRW(lin), imm[i], 1));
                    if (codeChanged) { stopAfter(b, i); return; }
                    break;
                }
                case BlockDecoder.TEST8_RR: alu(ALU_AND, getReg8(ra[i]), getReg8(rb[i]), 1); break;
                case BlockDecoder.TEST8_RI: alu(ALU_AND, getReg8(ra[i]), imm[i], 1); break;
                case BlockDecoder.TEST8_MI: alu(ALU_AND, mmu.readByte(ea(b, i)), imm[i], 1); break;
                case BlockDecoder.SHIFT_RCL: r[ra[i]] = shift(rb[i], r[ra[i]], r[ECX], 4); break;
                case BlockDecoder.MOV8_RR: setReg8(ra[i], getReg8(rb[i])); break;
                case BlockDecoder.INC_M: { int lin = ea(b, i); mmu.writeInt(lin, inc(mmu.readIntRW(lin), 4)); if (codeChanged) { stopAfter(b, i); return; } break; }
                case BlockDecoder.DEC_M: { int lin = ea(b, i); mmu.writeInt(lin, dec(mmu.readIntRW(lin), 4)); if (codeChanged) { stopAfter(b, i); return; } break; }
                case BlockDecoder.CALL_IND: {
                    int target = b.ea[i] == -1 ? r[ra[i]] : mmu.readInt(ea(b, i));
                    push32(next);
                    next = target;
                    break;
                }
                case BlockDecoder.JMP_IND: next = b.ea[i] == -1 ? r[ra[i]] : mmu.readInt(ea(b, i)); break;
                case BlockDecoder.PUSH_M: push32(mmu.readInt(ea(b, i))); if (codeChanged) { stopAfter(b, i); return; } break;
                case BlockDecoder.NOT_R: r[ra[i]] = ~r[ra[i]]; break;
                case BlockDecoder.NEG_R: r[ra[i]] = neg(r[ra[i]], 4); break;
                case BlockDecoder.MULDIV_R: mulDiv(rb[i], r[ra[i]], 4); break;
                case BlockDecoder.MULDIV_M: mulDiv(rb[i], mmu.readInt(ea(b, i)), 4); break;
                case BlockDecoder.CDQ: r[EDX] = r[EAX] >> 31; break;
                case BlockDecoder.CWDE: r[EAX] = (short) r[EAX]; break;
                case BlockDecoder.XCHG_RR: { int t = r[ra[i]]; r[ra[i]] = r[rb[i]]; r[rb[i]] = t; break; }
                case BlockDecoder.RET_I: { int target = pop32(); setSp(sp() + imm[i]); next = target; break; }
                case BlockDecoder.IMUL_RM: r[ra[i]] = imul(r[ra[i]], mmu.readInt(ea(b, i)), 4); break;
                case BlockDecoder.IMUL_RMI: r[ra[i]] = imul(mmu.readInt(ea(b, i)), imm[i], 4); break;
                case BlockDecoder.NOP: break;
                case BlockDecoder.LEAVE: {
                    int bp = stack32 ? r[EBP] : r[EBP] & 0xffff;
                    int v = mmu.readInt(segBase[SS] + bp);
                    setSp(bp + 4);
                    r[EBP] = v;
                    break;
                }
                default: throw new IllegalStateException("undecodable block kind " + kind[i]);
            }
            }
        } catch (Fault | SegmentBail f) {
            // the instruction at i did not complete: un-count it and those after it
            icount -= n - i;
            eip = opStart = b.at[i];
            throw f;
        }
        eip = next;
    }

    /** Leaves a block after instruction i because it overwrote decoded code. */
    private void stopAfter(Block b, int i) {
        icount -= b.n - i - 1;
        eip = b.at[i + 1];
    }

    /**
     * Reloads segment register {@code sreg} from its current selector (after the kernel
     * rewrote the descriptor); a selector that no longer loads becomes null.
     */
    public void reloadSegment(int sreg) {
        try {
            loadSeg(sreg, seg[sreg]);
        } catch (Fault f) {
            if (sreg == CS || sreg == SS) throw new IllegalStateException("CS/SS descriptor became invalid", f);
            seg[sreg] = 0;
            segBase[sreg] = 0;
            segLimit[sreg] = 0;
            segAttr[sreg] = 0;
        }
    }

    private void raise(Fault f) {
        if (f.vector == Fault.PF) cr2 = f.cr2;
        if (trapHandler != null) {
            trapHandler.exception(this, f);
            checkCodeWindow(); // the handler may have changed mappings
            return;
        }
        // a fault-class exception pushes RF = 1, so the faulting instruction is not stopped by
        // its own execute breakpoint when the handler returns to it
        flags |= RF;
        deliverException(f.vector, f.hasErrorCode, f.errorCode);
    }

    /**
     * Delivers an exception through the IDT. A fault while delivering it is handled serially,
     * or becomes a double fault when both are contributory (#DE #TS #NP #SS #GP) or the first
     * is #PF and the second contributory or #PF; a fault while delivering #DF shuts the
     * processor down (the triple fault).
     */
    private void deliverException(int vector, boolean hasError, int error) {
        int first = vector;
        for (;;) {
            try {
                deliver(vector, false, hasError, error);
                return;
            } catch (Fault second) {
                int v2 = second.vector;
                if (v2 == Fault.PF) cr2 = second.cr2;
                if (first == Fault.DF) {
                    shutdown = true;
                    halted = true;
                    stopRequested = true;
                    return;
                }
                if ((contributory(first) || first == Fault.PF) && (contributory(v2) || (first == Fault.PF && v2 == Fault.PF))) {
                    vector = Fault.DF;
                    hasError = true;
                    error = 0;
                } else {
                    vector = v2;
                    hasError = second.hasErrorCode;
                    error = second.errorCode;
                }
                first = vector;
            }
        }
    }

    private static boolean contributory(int v) {
        return v == Fault.DE || (v >= Fault.TS && v <= Fault.GP);
    }

    /**
     * One instruction under the debug machinery: an enabled execute breakpoint at CS:EIP
     * raises #DB before the instruction runs (unless EFLAGS.RF says the last one was already
     * taken here); TF set at the start traps after it. RF clears once an instruction completes.
     */
    private void tracedStep() {
        if (taskTrap) { // the T bit of the task just entered (DR6.BT is set)
            taskTrap = false;
            armBreakpoints();
            debugTrap();
            return;
        }
        if (debugArmed && (flags & RF) == 0) {
            int hits = codeBreakpoints(segBase[CS] + eip);
            if (hits != 0) {
                dr[6] = (dr[6] & ~0xf) | hits;
                if (trapHandler != null) {
                    trapHandler.exception(this, fault(Fault.DB));
                    checkCodeWindow();
                } else {
                    deliverException(Fault.DB, false, 0);
                }
                return;
            }
        }
        int tf = flags & TF, rf = flags & RF;
        int d = deliveries;
        mmu.watchHits = 0;
        step();
        icount++;
        if (rf != 0 && deliveries == d) { // (an IRET that just set RF keeps it for the next one)
            flags &= ~RF;
            debugArmed = breakpointsArmed || taskTrap || (flags & RF) != 0;
        }
        int hits = mmu.watchHits;
        // INT n, INT3 and INTO clear TF on the way in and trap no further
        boolean stepped = tf != 0 && deliveries == d;
        if (hits != 0 || stepped) {
            // data and I/O breakpoints trap after the access's instruction, with single-step in the same #DB
            mmu.watchHits = 0;
            if (hits != 0) dr[6] = (dr[6] & ~0xf) | hits;
            if (stepped) dr[6] |= 0x4000;
            debugTrap();
        }
    }

    /** Instruction count of the last STI that set IF (its one-instruction interrupt shadow). */
    private long stiShadow = Long.MIN_VALUE / 2;

    /** True when an external (maskable) interrupt may be delivered now: IF set and not right after STI. */
    public boolean interruptible() {
        return (flags & IF) != 0 && icount >= stiShadow + 2;
    }

    /**
     * Delivers an external interrupt (from the interrupt controller) through the IVT or IDT,
     * between instructions; wakes the CPU from HLT. Call only when {@link #interruptible()}.
     */
    public void externalInterrupt(int vector) {
        halted = false;
        checkCodeWindow();
        deliverException(vector, false, 0);
    }

    /** A trap-class #DB (single-step, data or I/O breakpoint, task T bit); DR6 already says why. */
    private void debugTrap() {
        if (trapHandler != null) {
            trapHandler.exception(this, fault(Fault.DB));
            checkCodeWindow();
            return;
        }
        deliverException(Fault.DB, false, 0);
    }

    private void softwareInterrupt(int vector) {
        if (trapHandler != null) {
            trapHandler.interrupt(this, vector);
            checkCodeWindow(); // a system call may have changed mappings
            return;
        }
        if (v86() && ((flags >>> 12) & 3) != 3) throw gp(0);
        deliver(vector, true, false, 0);
    }

    /**
     * One instruction. Prefixes loop; every other opcode is one jump of a single table
     * switch: the common ones straight to their handler, the rest to the quarter tables.
     * Handlers are separate methods so each compiles with its helpers inlined.
     */
    private void step() {
        segOverride = -1;
        o16 = a16 = !code32;
        rep = 0;
        for (;;) {
            int op = fetchByte();
            switch (op) {
                case 0x26: segOverride = ES; continue;
                case 0x2e: segOverride = CS; continue;
                case 0x36: segOverride = SS; continue;
                case 0x3e: segOverride = DS; continue;
                case 0x64: segOverride = FS; continue;
                case 0x65: segOverride = GS; continue;
                case 0x66: o16 = code32; continue;
                case 0x67: a16 = code32; continue;
                case 0xf0: checkLockable(); continue;
                case 0xf2: case 0xf3: rep = op; continue;
                case 0x00: case 0x01: case 0x08: case 0x09: case 0x10: case 0x11: case 0x18: case 0x19:
                case 0x20: case 0x21: case 0x28: case 0x29: case 0x30: case 0x31: case 0x38: case 0x39:
                    aluRmReg(op); return;
                case 0x02: case 0x03: case 0x0a: case 0x0b: case 0x12: case 0x13: case 0x1a: case 0x1b:
                case 0x22: case 0x23: case 0x2a: case 0x2b: case 0x32: case 0x33: case 0x3a: case 0x3b:
                    aluRegRm(op); return;
                case 0x04: case 0x05: case 0x0c: case 0x0d: case 0x14: case 0x15: case 0x1c: case 0x1d:
                case 0x24: case 0x25: case 0x2c: case 0x2d: case 0x34: case 0x35: case 0x3c: case 0x3d:
                    aluAccImm(op); return;
                case 0x0f: exec0F(); return;
                case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
                    incReg(op); return;
                case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
                    decReg(op); return;
                case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
                    pushV(r[op & 7]); return;
                case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
                    popReg(op); return;
                case 0x69: case 0x6b: imulImm(op); return;
                case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
                case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
                    jccShort(op); return;
                case 0x80: case 0x82: group1(1, 1); return;
                case 0x81: group1(vsize(), vsize()); return;
                case 0x83: group1(vsize(), 1); return;
                case 0x88: movEbGb(); return;
                case 0x89: movEvGv(); return;
                case 0x8a: movGbEb(); return;
                case 0x8b: movGvEv(); return;
                case 0x8d: lea(); return;
                case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
                    setReg(vsize(), op & 7, fetchImmV()); return;
                case 0xc2: retImm(); return;
                case 0xc3: jumpNear(popV()); return;
                case 0xe8: callRel(); return;
                case 0xe9: jmpRel(); return;
                case 0xeb: jmpShort(); return;
                case 0xf6: group3(1); return;
                case 0xf7: group3(vsize()); return;
                case 0xff: group5(vsize()); return;
                default: exec(op); return;
            }
        }
    }

    /**
     * LOCK is only legal on the read-modify-write instructions with a memory destination
     * (ADD ADC AND BTC BTR BTS CMPXCHG CMPXCHG8B DEC INC NEG NOT OR SBB SUB XOR XADD XCHG);
     * anything else raises #UD. Looks ahead over the remaining prefixes, opcode and ModRM
     * without consuming them.
     */
    private void checkLockable() {
        int save = eip;
        boolean ok;
        try {
            int op;
            do {
                op = fetchByte();
            } while (op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e || op == 0x64 || op == 0x65
                    || op == 0x66 || op == 0x67 || op == 0xf0 || op == 0xf2 || op == 0xf3);
            if (op == 0x0f) {
                int op2 = fetchByte();
                int m = fetchByte();
                int reg = (m >>> 3) & 7;
                ok = switch (op2) {
                    case 0xab, 0xb3, 0xbb, 0xb0, 0xb1, 0xc0, 0xc1 -> true;
                    case 0xba -> reg >= 5;
                    case 0xc7 -> reg == 1;
                    default -> false;
                } && (m >>> 6) != 3;
            } else {
                boolean form = switch (op) {
                    case 0x00, 0x01, 0x08, 0x09, 0x10, 0x11, 0x18, 0x19, 0x20, 0x21, 0x28, 0x29, 0x30, 0x31,
                            0x80, 0x81, 0x82, 0x83, 0x86, 0x87, 0xf6, 0xf7, 0xfe, 0xff -> true;
                    default -> false;
                };
                ok = false;
                if (form) {
                    int m = fetchByte();
                    int reg = (m >>> 3) & 7;
                    ok = (m >>> 6) != 3 && switch (op) {
                        case 0x80, 0x81, 0x82, 0x83 -> reg != 7;
                        case 0xf6, 0xf7 -> reg == 2 || reg == 3;
                        case 0xfe, 0xff -> reg <= 1;
                        default -> true;
                    };
                }
            }
        } finally {
            eip = save;
        }
        if (!ok) throw ud();
    }

    private void aluRmReg(int op) {
        int kind = op >>> 3;
        int size = (op & 1) == 0 ? 1 : vsize();
        decodeModrm();
        int a = kind == ALU_CMP ? readRM(size) : readRMrw(size);
        int res = alu(kind, a, getReg(size, regField()), size);
        if (kind != ALU_CMP) writeRM(size, res);
    }

    private void aluRegRm(int op) {
        int kind = op >>> 3;
        int size = (op & 1) == 0 ? 1 : vsize();
        decodeModrm();
        int b = readRM(size);
        int reg = regField();
        int res = alu(kind, getReg(size, reg), b, size);
        if (kind != ALU_CMP) setReg(size, reg, res);
    }

    private void aluAccImm(int op) {
        int kind = op >>> 3;
        int size = (op & 1) == 0 ? 1 : vsize();
        int res = alu(kind, getReg(size, EAX), fetchImm(size), size);
        if (kind != ALU_CMP) setReg(size, EAX, res);
    }

    private void incReg(int op) {
        int size = vsize();
        setReg(size, op & 7, inc(getReg(size, op & 7), size));
    }

    private void decReg(int op) {
        int size = vsize();
        setReg(size, op & 7, dec(getReg(size, op & 7), size));
    }

    private void popReg(int op) {
        int size = vsize();
        int v = popV();
        setReg(size, op & 7, v);
    }

    private void imulImm(int op) {
        int size = vsize();
        decodeModrm();
        int v = readRM(size);
        int imm = op == 0x69 ? fetchImmV() : (byte) fetchByte();
        setReg(size, regField(), imul(v, imm, size));
    }

    private void jccShort(int op) {
        int d = (byte) fetchByte();
        if (cond(op & 0xf)) jumpNear(eip + d);
    }

    private void movEbGb() { decodeModrm(); writeRM(1, getReg8(regField())); }

    private void movEvGv() { decodeModrm(); writeRM(vsize(), r[regField()]); }

    private void movGbEb() { decodeModrm(); setReg8(regField(), readRM(1)); }

    private void movGvEv() {
        int size = vsize();
        decodeModrm();
        setReg(size, regField(), readRM(size));
    }

    private void lea() {
        decodeModrm();
        if (modrm >= 0xc0) throw ud();
        setReg(vsize(), regField(), eaOff);
    }

    private void retImm() {
        int n = fetchWord();
        int target = popV();
        jumpNear(target);
        setSp(sp() + n);
    }

    private void callRel() {
        int d = fetchImmV();
        if (o16) d = (short) d;
        pushV(eip);
        jumpNear(eip + d);
    }

    private void jmpRel() {
        int d = fetchImmV();
        if (o16) d = (short) d;
        jumpNear(eip + d);
    }

    private void jmpShort() {
        int d = (byte) fetchByte();
        jumpNear(eip + d);
    }

    // The one-byte map is split in four quarters so that each compiles on its own with its
    // helpers inlined: one method for all of it exceeds C2's inlining budget, and the
    // later opcodes (MOV among them) would then call fetchByte, getReg and friends.
    private void exec(int op) {
        if (op < 0x80) {
            if (op < 0x40) exec00(op); else exec40(op);
        } else {
            if (op < 0xc0) exec80(op); else execC0(op);
        }
    }

    /** Opcodes 00-3F other than the ALU forms. */
    private void exec00(int op) {
        int size = vsize();
        switch (op) {
            case 0x06: pushSeg(ES); return;
            case 0x07: popSeg(ES); return;
            case 0x0e: pushSeg(CS); return;
            case 0x0f: exec0F(); return;
            case 0x16: pushSeg(SS); return;
            case 0x17: popSeg(SS); return;
            case 0x1e: pushSeg(DS); return;
            case 0x1f: popSeg(DS); return;
            case 0x27: daa(); return;
            case 0x2f: das(); return;
            case 0x37: aaa(false); return;
            case 0x3f: aaa(true); return;
            default:
                throw ud();
        }
    }

    /** Opcodes 40-7F. */
    private void exec40(int op) {
        int size = vsize();
        switch (op) {
            case 0x60: pusha(size); return;
            case 0x61: popa(size); return;
            case 0x62: bound(size); return;
            case 0x63: arpl(); return;
            case 0x68: pushV(fetchImmV()); return;
            case 0x6a: pushV((byte) fetchByte()); return;
            case 0x6c: stringOp(INS, 1); return;
            case 0x6d: stringOp(INS, size); return;
            case 0x6e: stringOp(OUTS, 1); return;
            case 0x6f: stringOp(OUTS, size); return;
            default:
                throw ud();
        }
    }

    /** Opcodes 80-BF. */
    private void exec80(int op) {
        int size = vsize();
        switch (op) {
            case 0x84: case 0x85: {
                int sz = op == 0x84 ? 1 : size;
                decodeModrm();
                alu(ALU_AND, readRM(sz), getReg(sz, regField()), sz);
                return;
            }
            case 0x86: case 0x87: {
                int sz = op == 0x86 ? 1 : size;
                decodeModrm();
                int a = readRMrw(sz);
                writeRM(sz, getReg(sz, regField()));
                setReg(sz, regField(), a);
                return;
            }
            case 0x8c: {
                decodeModrm();
                int sreg = regField();
                if (sreg > 5) throw ud();
                writeRM(modrm >= 0xc0 ? size : 2, seg[sreg]);
                return;
            }
            case 0x8e: {
                decodeModrm();
                int sreg = regField();
                if (sreg == CS || sreg > 5) throw ud();
                loadSeg(sreg, readRM(2));
                return;
            }
            case 0x8f: popRM(size); return;
            case 0x90:
                return; // NOP, PAUSE
            case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
                int i = op & 7;
                int t = getReg(size, i);
                setReg(size, i, getReg(size, EAX));
                setReg(size, EAX, t);
                return;
            }
            case 0x98:
                if (o16) setReg(2, EAX, (byte) r[EAX]); else r[EAX] = (short) r[EAX];
                return;
            case 0x99:
                if (o16) setReg(2, EDX, (short) r[EAX] >> 15); else r[EDX] = r[EAX] >> 31;
                return;
            case 0x9a: {
                int off = fetchImmV();
                int sel = fetchWord();
                farCall(sel, off);
                return;
            }
            case 0x9b: fpuWait(); return;
            case 0x9c: {
                if (v86() && ((flags >>> 12) & 3) != 3) throw gp(0);
                int f = getFlags() & ~(RF | VM);
                pushV(f);
                return;
            }
            case 0x9d: {
                if (v86() && ((flags >>> 12) & 3) != 3) throw gp(0);
                int v = peekStack(size, 0);
                loadFlags(v, o16);
                setSp(sp() + size);
                return;
            }
            case 0x9e: {
                settleFlags();
                int ah = (r[EAX] >>> 8) & 0xff;
                flags = (flags & ~(SF | ZF | AF | PF | CF)) | (ah & (SF | ZF | AF | PF | CF));
                return;
            }
            case 0x9f: setReg8(4, (getFlags() & 0xd7) | 2); return;
            case 0xa0: case 0xa1: case 0xa2: case 0xa3: {
                int sz = (op & 1) == 0 ? 1 : size;
                int off = a16 ? fetchWord() : fetchInt();
                int sg = segOverride >= 0 ? segOverride : DS;
                if (op < 0xa2) setReg(sz, EAX, readSeg(sg, off, sz));
                else writeSeg(sg, off, sz, getReg(sz, EAX));
                return;
            }
            case 0xa4: stringOp(MOVS, 1); return;
            case 0xa5: stringOp(MOVS, size); return;
            case 0xa6: stringOp(CMPS, 1); return;
            case 0xa7: stringOp(CMPS, size); return;
            case 0xa8: alu(ALU_AND, r[EAX] & 0xff, fetchByte(), 1); return;
            case 0xa9: alu(ALU_AND, getReg(size, EAX), fetchImmV(), size); return;
            case 0xaa: stringOp(STOS, 1); return;
            case 0xab: stringOp(STOS, size); return;
            case 0xac: stringOp(LODS, 1); return;
            case 0xad: stringOp(LODS, size); return;
            case 0xae: stringOp(SCAS, 1); return;
            case 0xaf: stringOp(SCAS, size); return;
            case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
                setReg8(op & 7, fetchByte());
                return;
            default:
                throw ud();
        }
    }

    /** Opcodes C0-FF. */
    private void execC0(int op) {
        int size = vsize();
        switch (op) {
            case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
                int sz = (op & 1) == 0 ? 1 : size;
                decodeModrm();
                int v = readRMrw(sz);
                int count = op <= 0xc1 ? fetchByte() : op <= 0xd1 ? 1 : r[ECX];
                writeRM(sz, shift(regField(), v, count, sz));
                return;
            }
            case 0xc4: loadFarPointer(ES); return;
            case 0xc5: loadFarPointer(DS); return;
            case 0xc6: case 0xc7: {
                int sz = op == 0xc6 ? 1 : size;
                decodeModrm();
                if (regField() != 0) throw ud();
                writeRM(sz, fetchImm(sz));
                return;
            }
            case 0xc8: enter(size); return;
            case 0xc9: {
                int bp = stack32 ? r[EBP] : r[EBP] & 0xffff;
                int v = readMem(size, segBase[SS] + bp);
                setSp(bp + size);
                setReg(size, EBP, v);
                return;
            }
            case 0xca: farReturn(fetchWord()); return;
            case 0xcb: farReturn(0); return;
            case 0xcc: softwareInterrupt(3); return;
            case 0xcd: softwareInterrupt(fetchByte()); return;
            case 0xce: if (of()) softwareInterrupt(4); return;
            case 0xcf: iret(); return;
            case 0xd4: aam(fetchByte()); return;
            case 0xd5: aad(fetchByte()); return;
            case 0xd6: setReg8(EAX, cf() ? 0xff : 0); return;
            case 0xd7: {
                int off = (a16 ? r[EBX] & 0xffff : r[EBX]) + (r[EAX] & 0xff);
                if (a16) off &= 0xffff;
                setReg8(EAX, readSeg(segOverride >= 0 ? segOverride : DS, off, 1));
                return;
            }
            case 0xd8: case 0xd9: case 0xda: case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf:
                fpuOp(op);
                return;
            case 0xe0: case 0xe1: case 0xe2: {
                int d = (byte) fetchByte();
                int c = (a16 ? r[ECX] & 0xffff : r[ECX]) - 1;
                if (a16) setReg(2, ECX, c); else r[ECX] = c;
                if (a16) c &= 0xffff;
                boolean take = c != 0 && (op == 0xe2 || (op == 0xe1) == zf());
                if (take) jumpNear(eip + d);
                return;
            }
            case 0xe3: {
                int d = (byte) fetchByte();
                if ((a16 ? r[ECX] & 0xffff : r[ECX]) == 0) jumpNear(eip + d);
                return;
            }
            case 0xe4: case 0xe5: case 0xec: case 0xed: {
                int sz = (op & 1) == 0 ? 1 : size;
                int port = op < 0xe8 ? fetchByte() : r[EDX] & 0xffff;
                checkIo(port, sz);
                setReg(sz, EAX, io.in(port, sz));
                return;
            }
            case 0xe6: case 0xe7: case 0xee: case 0xef: {
                int sz = (op & 1) == 0 ? 1 : size;
                int port = op < 0xe8 ? fetchByte() : r[EDX] & 0xffff;
                checkIo(port, sz);
                io.out(port, sz, getReg(sz, EAX));
                return;
            }
            case 0xea: {
                int off = fetchImmV();
                int sel = fetchWord();
                farJump(sel, off);
                return;
            }
            case 0xf1: softwareInterrupt(1); return;
            case 0xf4:
                if (protectedMode() && cpl != 0) throw gp(0);
                halted = true;
                return;
            case 0xf5: setCF(!cf()); return;
            case 0xf8: setCF(false); return;
            case 0xf9: setCF(true); return;
            case 0xfa: case 0xfb: {
                if (protectedMode() && cpl > ((flags >>> 12) & 3)) throw gp(0);
                if (op == 0xfa) flags &= ~IF;
                else {
                    if ((flags & IF) == 0) {
                        stiShadow = icount; // the next instruction runs before any interrupt
                        if (irqPending) stopRequested = true;
                    }
                    flags |= IF;
                }
                return;
            }
            case 0xfc: flags &= ~DF; return;
            case 0xfd: flags |= DF; return;
            case 0xfe: {
                decodeModrm();
                int kind = regField();
                if (kind > 1) throw ud();
                int v = readRMrw(1);
                writeRM(1, kind == 0 ? inc(v, 1) : dec(v, 1));
                return;
            }
            default:
                throw ud();
        }
    }


    private void pushSeg(int sreg) {
        // A 32-bit push of a segment register writes the zero-extended selector, as the AMD
        // host the differential suite (tests/cpu-diff) is recorded on does and as PUSH FS/GS
        // and far CALL do here (recent Intel cores write only the low word).
        if (o16) push16(seg[sreg]); else push32(seg[sreg]);
    }

    private void popSeg(int sreg) {
        int size = vsize();
        int v = peekStack(size, 0);
        loadSeg(sreg, v);
        setSp(sp() + size);
    }

    private void group1(int size, int immSize) {
        decodeModrm();
        int kind = regField();
        int a = kind == ALU_CMP ? readRM(size) : readRMrw(size);
        int imm = immSize == 1 ? (byte) fetchByte() : fetchImm(size);
        int res = alu(kind, a, imm, size);
        if (kind != ALU_CMP) writeRM(size, res);
    }

    private void group3(int size) {
        decodeModrm();
        int kind = regField();
        switch (kind) {
            case 0: case 1: alu(ALU_AND, readRM(size), fetchImm(size), size); return;
            case 2: writeRM(size, ~readRMrw(size)); return;
            case 3: writeRM(size, neg(readRMrw(size), size)); return;
            default: mulDiv(kind, readRM(size), size);
        }
    }

    private void group5(int size) {
        decodeModrm();
        int kind = regField();
        switch (kind) {
            case 0: writeRM(size, inc(readRMrw(size), size)); return;
            case 1: writeRM(size, dec(readRMrw(size), size)); return;
            case 2: {
                int target = readRM(size);
                pushV(eip);
                jumpNear(target);
                return;
            }
            case 3: case 5: {
                if (modrm >= 0xc0) throw ud();
                int off = readMem(size, eaLin);
                int sel = mmu.readWord(eaLin + size);
                if (kind == 3) farCall(sel, off); else farJump(sel, off);
                return;
            }
            case 4: jumpNear(readRM(size)); return;
            case 6: pushV(readRM(size)); return;
            default: throw ud();
        }
    }

    private void popRM(int size) {
        int v = peekStack(size, 0);
        int oldEsp = r[ESP];
        setSp(sp() + size); // the address is computed with ESP already incremented
        try {
            decodeModrm();
            if (regField() != 0) throw ud();
            writeRM(size, v);
        } catch (Fault f) {
            r[ESP] = oldEsp;
            throw f;
        }
    }

    private void pusha(int size) {
        int base = sp();
        checkStack(8 * size);
        int oldSp = r[ESP];
        for (int i = 0; i < 8; i++) {
            int a = base - (i + 1) * size;
            writeMem(size, segBase[SS] + (stack32 ? a : a & 0xffff), i == ESP ? oldSp : r[i]);
        }
        setSp(base - 8 * size);
    }

    private void popa(int size) {
        int[] vals = popaBuf;
        for (int i = 0; i < 8; i++) vals[7 - i] = peekStack(size, i * size);
        for (int i = 0; i < 8; i++) if (i != ESP) setReg(size, i, vals[i]);
        setSp(sp() + 8 * size);
    }

    private final int[] popaBuf = new int[8];

    private void bound(int size) {
        decodeModrm();
        if (modrm >= 0xc0) throw ud();
        int idx = getReg(size, regField());
        int lo = readMem(size, eaLin), hi = readMem(size, eaLin + size);
        if (size == 2) { idx = (short) idx; lo = (short) lo; hi = (short) hi; }
        if (idx < lo || idx > hi) throw fault(Fault.BR);
    }

    private void arpl() {
        if (!protectedMode() || v86()) throw ud();
        decodeModrm();
        int dst = readRMrw(2);
        int src = getReg(2, regField());
        settleFlags();
        if ((dst & 3) < (src & 3)) {
            writeRM(2, (dst & ~3) | (src & 3));
            flags |= ZF;
        } else {
            flags &= ~ZF;
        }
    }

    private void enter(int size) {
        int alloc = fetchWord();
        int level = fetchByte() & 31;
        int bp = r[EBP];
        int s = sp();
        checkStack(size * (level + 1) + alloc);
        int frame = s - size;
        writeMem(size, segBase[SS] + (stack32 ? frame : frame & 0xffff), bp);
        int cur = frame;
        for (int i = 1; i < level; i++) {
            bp -= size;
            int v = readMem(size, segBase[SS] + (stack32 ? bp : bp & 0xffff));
            cur -= size;
            writeMem(size, segBase[SS] + (stack32 ? cur : cur & 0xffff), v);
        }
        if (level > 0) {
            cur -= size;
            writeMem(size, segBase[SS] + (stack32 ? cur : cur & 0xffff), frame);
        }
        setReg(size, EBP, frame);
        setSp(cur - alloc);
    }

    private void fpuOp(int op) {
        decodeModrm();
        if ((cr0 & 0xc) != 0) throw fault(Fault.NM); // EM or TS
        if (op == 0xdf && modrm == 0xe0) { // FNSTSW AX
            setReg(2, EAX, fpu.statusWord());
            return;
        }
        int res = fpu.execute(op, modrm, eaLin, o16, getFlags(), opStart);
        if (res >= 0) {
            settleFlags();
            flags = (flags & ~(ZF | PF | CF | OF | SF | AF)) | (res & (ZF | PF | CF));
        }
    }

    private void fpuWait() {
        if ((cr0 & 0xa) == 0xa) throw fault(Fault.NM); // MP and TS
        fpu.fwait();
    }
}
