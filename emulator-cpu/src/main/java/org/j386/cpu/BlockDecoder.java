package org.j386.cpu;

import org.j386.mmu.Mmu;
import sun.misc.Unsafe;

/**
 * Decodes the common 32-bit instruction forms that compilers emit into a {@link Block}.
 * Anything else (other operand or address sizes, REP, system instructions, x87, rare
 * opcodes) ends the block and is left to the interpreter, so this decoder only has to be
 * right, never complete. It reads the code page's bytes in host memory and never crosses
 * the page, so decoding cannot fault.
 */
final class BlockDecoder {
    private static final Unsafe U = Mmu.unsafe();

    static final byte MOV_RR = 1, LOAD = 2, STORE = 3, MOV_RI = 4, STORE_I = 5, ALU_RR = 6, ALU_RM = 7, ALU_MR = 8,
            ALU_RI = 9, ALU_MI = 10, TEST_RR = 11, INC_R = 12, DEC_R = 13, PUSH_R = 14, POP_R = 15, PUSH_I = 16,
            LEA = 17, JCC = 18, JMP = 19, CALL = 20, RET = 21, SHIFT_RI = 22, IMUL_RRI = 23, IMUL_RR = 24,
            MOVZX8_RR = 25, MOVZX8_RM = 26, MOVZX16_RM = 27, MOVSX8_RM = 28, LOAD8 = 29, STORE8 = 30,
            CMOV_RR = 31, CMOV_RM = 32, MOVSX16_RM = 33, SETCC_R = 34, TEST_RI = 35, UNUSED_36 = 36, NOP = 37,
            TEST_MR = 38, MOVZX16_RR = 39, LEAVE = 40, STORE8_I = 41, ALU8_RR = 42, ALU8_RM = 43, ALU8_MR = 44,
            ALU8_RI = 45, ALU8_MI = 46, TEST8_RR = 47, TEST8_RI = 48, TEST8_MI = 49, SHIFT_RCL = 50, MOV8_RR = 51,
            INC_M = 52, DEC_M = 53, CALL_IND = 54, JMP_IND = 55, PUSH_M = 56, NOT_R = 57, NEG_R = 58, MULDIV_R = 59,
            CDQ = 60, CWDE = 61, XCHG_RR = 62, RET_I = 63, IMUL_RM = 64, IMUL_RMI = 65, MULDIV_M = 66;

    /** Register index that always reads zero (CpuState.r has 9 slots). */
    static final int NOREG = 8;

    private long page;      // host address of the page
    private int pageLo;     // eip of the page's first byte
    private int pos;        // eip of the next byte to read
    private int seg;        // segment override or -1

    /**
     * Decodes from {@code eip}; {@code host} is the host address of the page holding it and
     * {@code pageLo} the eip of that page's first byte. Returns null when the first
     * instruction is not one this decoder handles.
     */
    Block decode(int eip, long host, int pageLo, long frame) {
        this.page = host;
        this.pageLo = pageLo;
        Block blk = new Block(eip, frame);
        pos = eip;
        while (blk.n < Block.MAX) {
            int start = pos;
            int i = blk.n;
            blk.at[i] = start;
            boolean ends;
            try {
                ends = decodeOne(blk, i);
            } catch (IndexOutOfBoundsException pageEnd) {
                break;
            }
            if (blk.kind[i] == 0) break;
            blk.len[i] = (byte) (pos - start);
            blk.n++;
            if (ends) break;
        }
        blk.at[blk.n] = blk.n == 0 ? eip : blk.at[blk.n - 1] + blk.len[blk.n - 1];
        pos = 0;
        return blk.n == 0 ? null : blk;
    }

    private int u8() {
        int off = pos - pageLo;
        if (off >= 4096 || off < 0) throw new IndexOutOfBoundsException();
        pos++;
        return U.getByte(page + off) & 0xff;
    }

    private int s8() { return (byte) u8(); }

    private int i32() {
        int b0 = u8(), b1 = u8(), b2 = u8();
        return b0 | b1 << 8 | b2 << 16 | u8() << 24;
    }

    /** Decodes the memory operand of a ModRM byte with mod != 3 into blk.ea/disp. */
    private void memOperand(Block blk, int i, int modrm) {
        int mod = modrm >>> 6, rm = modrm & 7;
        int base, index = NOREG, scale = 0, disp = 0;
        int sreg = CpuState.DS;
        if (rm == 4) {
            int sib = u8();
            index = (sib >>> 3) & 7;
            if (index == 4) index = NOREG;
            scale = sib >>> 6;
            base = sib & 7;
            if (base == 5 && mod == 0) {
                base = NOREG;
                disp = i32();
            } else if (base == 4 || base == 5) {
                sreg = CpuState.SS;
            }
        } else if (rm == 5 && mod == 0) {
            base = NOREG;
            disp = i32();
        } else {
            base = rm;
            if (rm == 5) sreg = CpuState.SS;
        }
        if (mod == 1) disp += s8();
        else if (mod == 2) disp += i32();
        if (seg >= 0) sreg = seg;
        blk.ea[i] = base | index << 4 | scale << 8 | sreg << 12;
        blk.disp[i] = disp;
    }

    /** Decodes one instruction into slot i; returns true when it ends the block. kind 0 = not handled. */
    private boolean decodeOne(Block blk, int i) {
        seg = -1;
        int op = u8();
        while (true) {
            switch (op) {
                case 0x26: seg = CpuState.ES; break;
                case 0x2e: seg = CpuState.CS; break;
                case 0x36: seg = CpuState.SS; break;
                case 0x3e: seg = CpuState.DS; break;
                case 0x64: seg = CpuState.FS; break;
                case 0x65: seg = CpuState.GS; break;
                default: return decodeOp(blk, i, op);
            }
            op = u8();
        }
    }

    private boolean decodeOp(Block blk, int i, int op) {
        byte[] kind = blk.kind;
        if (op < 0x40 && ((op & 7) == 0 || (op & 7) == 2)) {
            // byte ALU Eb,Gb (00) and Gb,Eb (02) forms
            int m = u8(), reg = (m >>> 3) & 7;
            blk.imm[i] = op >>> 3;
            if ((op & 2) == 0) {
                if (m >= 0xc0) { kind[i] = ALU8_RR; blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) reg; }
                else { memOperand(blk, i, m); kind[i] = ALU8_MR; blk.a[i] = (byte) reg; }
            } else {
                if (m >= 0xc0) { kind[i] = ALU8_RR; blk.a[i] = (byte) reg; blk.b[i] = (byte) (m & 7); }
                else { memOperand(blk, i, m); kind[i] = ALU8_RM; blk.a[i] = (byte) reg; }
            }
            return false;
        }
        if (op < 0x40 && (op & 7) == 4) { // ALU AL, imm8
            kind[i] = ALU8_RI; blk.a[i] = 0; blk.b[i] = (byte) (op >>> 3); blk.imm[i] = u8();
            return false;
        }
        if (op < 0x40 && (op & 7) == 5) { // ALU EAX, imm32
            kind[i] = ALU_RI; blk.a[i] = 0; blk.b[i] = (byte) (op >>> 3); blk.imm[i] = i32();
            return false;
        }
        if (op < 0x40 && (op & 7) <= 3 && (op & 7) != 0 && (op & 7) != 2) {
            // ALU Ev,Gv (01) and Gv,Ev (03) forms
            int m = u8(), reg = (m >>> 3) & 7;
            blk.imm[i] = op >>> 3;
            if ((op & 2) == 0) { // Ev, Gv
                if (m >= 0xc0) { kind[i] = ALU_RR; blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) reg; }
                else { memOperand(blk, i, m); kind[i] = ALU_MR; blk.a[i] = (byte) reg; }
            } else {
                if (m >= 0xc0) { kind[i] = ALU_RR; blk.a[i] = (byte) reg; blk.b[i] = (byte) (m & 7); }
                else { memOperand(blk, i, m); kind[i] = ALU_RM; blk.a[i] = (byte) reg; }
            }
            return false;
        }
        switch (op) {
            case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
                kind[i] = INC_R; blk.a[i] = (byte) (op & 7); return false;
            case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
                kind[i] = DEC_R; blk.a[i] = (byte) (op & 7); return false;
            case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
                kind[i] = PUSH_R; blk.a[i] = (byte) (op & 7); return false;
            case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
                kind[i] = POP_R; blk.a[i] = (byte) (op & 7); return false;
            case 0x68: kind[i] = PUSH_I; blk.imm[i] = i32(); return false;
            case 0x6a: kind[i] = PUSH_I; blk.imm[i] = s8(); return false;
            case 0x69: case 0x6b: {
                int m = u8();
                blk.a[i] = (byte) ((m >>> 3) & 7);
                if (m >= 0xc0) { kind[i] = IMUL_RRI; blk.b[i] = (byte) (m & 7); }
                else { memOperand(blk, i, m); kind[i] = IMUL_RMI; }
                blk.imm[i] = op == 0x69 ? i32() : s8();
                return false;
            }
            case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
            case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f: {
                int d = s8();
                kind[i] = JCC; blk.a[i] = (byte) (op & 0xf); blk.imm[i] = pos + d;
                return true;
            }
            case 0x80: {
                int m = u8();
                blk.b[i] = (byte) ((m >>> 3) & 7);
                if (m >= 0xc0) { kind[i] = ALU8_RI; blk.a[i] = (byte) (m & 7); }
                else { memOperand(blk, i, m); kind[i] = ALU8_MI; }
                blk.imm[i] = u8();
                return false;
            }
            case 0x84: {
                int m = u8();
                if (m < 0xc0) return false;
                kind[i] = TEST8_RR; blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) ((m >>> 3) & 7);
                return false;
            }
            case 0xf6: {
                int m = u8();
                if (((m >>> 3) & 7) != 0) return false;
                if (m >= 0xc0) { kind[i] = TEST8_RI; blk.a[i] = (byte) (m & 7); }
                else { memOperand(blk, i, m); kind[i] = TEST8_MI; }
                blk.imm[i] = u8();
                return false;
            }
            case 0xd1: case 0xd3: {
                int m = u8();
                if (m < 0xc0 || ((m >>> 3) & 7) == 6) return false;
                kind[i] = op == 0xd1 ? SHIFT_RI : SHIFT_RCL;
                blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) ((m >>> 3) & 7); blk.imm[i] = 1;
                return false;
            }
            case 0x81: case 0x83: {
                int m = u8();
                int alu = (m >>> 3) & 7;
                if (m >= 0xc0) { kind[i] = ALU_RI; blk.a[i] = (byte) (m & 7); }
                else { memOperand(blk, i, m); kind[i] = ALU_MI; }
                blk.b[i] = (byte) alu;
                blk.imm[i] = op == 0x81 ? i32() : s8();
                return false;
            }
            case 0x85: {
                int m = u8();
                if (m >= 0xc0) { kind[i] = TEST_RR; blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) ((m >>> 3) & 7); }
                else { memOperand(blk, i, m); kind[i] = TEST_MR; blk.a[i] = (byte) ((m >>> 3) & 7); }
                return false;
            }
            case 0x88: {
                int m = u8();
                if (m >= 0xc0) { kind[i] = MOV8_RR; blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) ((m >>> 3) & 7); return false; }
                memOperand(blk, i, m); kind[i] = STORE8; blk.a[i] = (byte) ((m >>> 3) & 7);
                return false;
            }
            case 0x8a: {
                int m = u8();
                if (m >= 0xc0) return false;
                memOperand(blk, i, m); kind[i] = LOAD8; blk.a[i] = (byte) ((m >>> 3) & 7);
                return false;
            }
            case 0x89: case 0x8b: {
                int m = u8(), reg = (m >>> 3) & 7;
                if (m >= 0xc0) {
                    kind[i] = MOV_RR;
                    blk.a[i] = (byte) (op == 0x89 ? m & 7 : reg);
                    blk.b[i] = (byte) (op == 0x89 ? reg : m & 7);
                } else {
                    memOperand(blk, i, m);
                    kind[i] = op == 0x89 ? STORE : LOAD;
                    blk.a[i] = (byte) reg;
                }
                return false;
            }
            case 0x8d: {
                int m = u8();
                if (m >= 0xc0) return false;
                memOperand(blk, i, m); kind[i] = LEA; blk.a[i] = (byte) ((m >>> 3) & 7);
                return false;
            }
            case 0x90: kind[i] = NOP; return false;
            case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
                kind[i] = MOV_RI; blk.a[i] = (byte) (op & 7); blk.imm[i] = i32(); return false;
            case 0xc1: {
                int m = u8();
                if (m < 0xc0 || ((m >>> 3) & 7) == 6) return false;
                kind[i] = SHIFT_RI; blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) ((m >>> 3) & 7); blk.imm[i] = u8();
                return false;
            }
            case 0xc3: kind[i] = RET; return true;
            case 0xc6: {
                int m = u8();
                if (m >= 0xc0 || ((m >>> 3) & 7) != 0) return false;
                memOperand(blk, i, m); kind[i] = STORE8_I; blk.imm[i] = u8();
                return false;
            }
            case 0xc7: {
                int m = u8();
                if (m >= 0xc0 || ((m >>> 3) & 7) != 0) return false;
                memOperand(blk, i, m); kind[i] = STORE_I; blk.imm[i] = i32();
                return false;
            }
            case 0xc9: kind[i] = LEAVE; return false;
            case 0xe8: { int d = i32(); kind[i] = CALL; blk.imm[i] = pos + d; return true; }
            case 0xe9: { int d = i32(); kind[i] = JMP; blk.imm[i] = pos + d; return true; }
            case 0xeb: { int d = s8(); kind[i] = JMP; blk.imm[i] = pos + d; return true; }
            case 0xf7: {
                int m = u8();
                int sub = (m >>> 3) & 7;
                if (sub == 0) {
                    if (m < 0xc0) return false;
                    kind[i] = TEST_RI; blk.a[i] = (byte) (m & 7); blk.imm[i] = i32();
                } else if (sub == 2 || sub == 3) {
                    if (m < 0xc0) return false;
                    kind[i] = sub == 2 ? NOT_R : NEG_R; blk.a[i] = (byte) (m & 7);
                } else if (sub >= 4) {
                    blk.b[i] = (byte) sub;
                    if (m >= 0xc0) { kind[i] = MULDIV_R; blk.a[i] = (byte) (m & 7); }
                    else { memOperand(blk, i, m); kind[i] = MULDIV_M; }
                }
                return false;
            }
            case 0xff: {
                int m = u8();
                int sub = (m >>> 3) & 7;
                switch (sub) {
                    case 0: case 1:
                        if (m >= 0xc0) { kind[i] = sub == 0 ? INC_R : DEC_R; blk.a[i] = (byte) (m & 7); }
                        else { memOperand(blk, i, m); kind[i] = sub == 0 ? INC_M : DEC_M; }
                        return false;
                    case 2: case 4:
                        if (m >= 0xc0) { blk.a[i] = (byte) (m & 7); blk.ea[i] = -1; }
                        else memOperand(blk, i, m);
                        kind[i] = sub == 2 ? CALL_IND : JMP_IND;
                        return true;
                    case 6:
                        if (m >= 0xc0) { kind[i] = PUSH_R; blk.a[i] = (byte) (m & 7); }
                        else { memOperand(blk, i, m); kind[i] = PUSH_M; }
                        return false;
                    default:
                        return false;
                }
            }
            case 0x87: {
                int m = u8();
                if (m < 0xc0) return false; // the memory form is a locked read-modify-write: interpreter
                kind[i] = XCHG_RR; blk.a[i] = (byte) (m & 7); blk.b[i] = (byte) ((m >>> 3) & 7);
                return false;
            }
            case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
                kind[i] = XCHG_RR; blk.a[i] = 0; blk.b[i] = (byte) (op & 7); return false;
            case 0x98: kind[i] = CWDE; return false;
            case 0x99: kind[i] = CDQ; return false;
            case 0xc2: {
                int lo = u8();
                kind[i] = RET_I; blk.imm[i] = lo | u8() << 8;
                return true;
            }
            case 0x0f: return decode0F(blk, i);
            default: return false;
        }
    }

    private boolean decode0F(Block blk, int i) {
        byte[] kind = blk.kind;
        int op = u8();
        if (op >= 0x80 && op <= 0x8f) {
            int d = i32();
            kind[i] = JCC; blk.a[i] = (byte) (op & 0xf); blk.imm[i] = pos + d;
            return true;
        }
        if (op >= 0x40 && op <= 0x4f) {
            int m = u8();
            blk.imm[i] = op & 0xf;
            blk.a[i] = (byte) ((m >>> 3) & 7);
            if (m >= 0xc0) { kind[i] = CMOV_RR; blk.b[i] = (byte) (m & 7); }
            else { memOperand(blk, i, m); kind[i] = CMOV_RM; }
            return false;
        }
        if (op >= 0x90 && op <= 0x9f) {
            int m = u8();
            if (m < 0xc0) return false;
            kind[i] = SETCC_R; blk.a[i] = (byte) (m & 7); blk.imm[i] = op & 0xf;
            return false;
        }
        switch (op) {
            case 0xaf: {
                int m = u8();
                blk.a[i] = (byte) ((m >>> 3) & 7);
                if (m >= 0xc0) { kind[i] = IMUL_RR; blk.b[i] = (byte) (m & 7); }
                else { memOperand(blk, i, m); kind[i] = IMUL_RM; }
                return false;
            }
            case 0xb6: case 0xb7: case 0xbe: case 0xbf: {
                int m = u8();
                blk.a[i] = (byte) ((m >>> 3) & 7);
                if (m >= 0xc0) {
                    if (op == 0xb6) { kind[i] = MOVZX8_RR; blk.b[i] = (byte) (m & 7); }
                    else if (op == 0xb7) { kind[i] = MOVZX16_RR; blk.b[i] = (byte) (m & 7); }
                    return false;
                }
                memOperand(blk, i, m);
                kind[i] = op == 0xb6 ? MOVZX8_RM : op == 0xb7 ? MOVZX16_RM : op == 0xbe ? MOVSX8_RM : MOVSX16_RM;
                return false;
            }
            default: return false;
        }
    }
}
