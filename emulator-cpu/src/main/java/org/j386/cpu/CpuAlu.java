package org.j386.cpu;

import org.j386.mmu.Fault;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;

/** Arithmetic: the eight ALU operations, shifts and rotates, multiply and divide, BCD adjust. */
public abstract class CpuAlu extends CpuCore {
    static final int ALU_ADD = 0, ALU_OR = 1, ALU_ADC = 2, ALU_SBB = 3, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7;

    protected CpuAlu(Mmu mmu, IoBus io) {
        super(mmu, io);
    }

    static int shiftOf(int size) { return 32 - (size << 3); }

    static int maskOf(int size) { return size == 4 ? -1 : (1 << (size << 3)) - 1; }

    /** Performs ALU operation {@code kind} (the reg field of 80-83, or opcode bits 3..5) and sets the flags. */
    final int alu(int kind, int a, int b, int size) {
        int sh = 32 - (size << 3);
        int res;
        switch (kind) {
            case ALU_ADD: res = a + b; lazy(LF_ADD, a, b, res, sh); return res;
            case ALU_OR: res = a | b; lazy(LF_LOGIC, a, b, res, sh); return res;
            case ALU_ADC: {
                int c = cf() ? 1 : 0;
                res = a + b + c;
                lfCarry = c;
                lazy(LF_ADC, a, b, res, sh);
                return res;
            }
            case ALU_SBB: {
                int c = cf() ? 1 : 0;
                res = a - b - c;
                lfCarry = c;
                lazy(LF_SBB, a, b, res, sh);
                return res;
            }
            case ALU_AND: res = a & b; lazy(LF_LOGIC, a, b, res, sh); return res;
            case ALU_SUB: res = a - b; lazy(LF_SUB, a, b, res, sh); return res;
            case ALU_XOR: res = a ^ b; lazy(LF_LOGIC, a, b, res, sh); return res;
            default: lazy(LF_SUB, a, b, a - b, sh); return a;
        }
    }

    final int inc(int a, int size) {
        lfCarry = cf() ? 1 : 0;
        int res = a + 1;
        lazy(LF_INC, a, 1, res, shiftOf(size));
        return res;
    }

    final int dec(int a, int size) {
        lfCarry = cf() ? 1 : 0;
        int res = a - 1;
        lazy(LF_DEC, a, 1, res, shiftOf(size));
        return res;
    }

    final int neg(int a, int size) {
        int res = -a;
        lazy(LF_SUB, 0, a, res, shiftOf(size));
        return res;
    }

    /** Group 2: ROL ROR RCL RCR SHL SHR SAL SAR by {@code count} (already read, not yet masked). */
    final int shift(int kind, int v, int count, int size) {
        count &= 0x1f;
        if (count == 0) return v;
        int bits = size << 3, sh = 32 - bits, mask = maskOf(size);
        v &= mask;
        int res, f;
        switch (kind) {
            case 0: { // ROL: only CF and OF change
                int c = count & (bits - 1);
                res = c == 0 ? v : ((v << c) | (v >>> (bits - c))) & mask;
                boolean cf = (res & 1) != 0;
                boolean of = ((res << sh) < 0) != cf;
                setCfOf(cf, of);
                return res;
            }
            case 1: { // ROR
                int c = count & (bits - 1);
                res = c == 0 ? v : ((v >>> c) | (v << (bits - c))) & mask;
                boolean cf = (res << sh) < 0;
                boolean of = cf != ((res << (sh + 1)) < 0);
                setCfOf(cf, of);
                return res;
            }
            case 2: { // RCL through CF, rotating bits+1 positions
                int c = count % (bits + 1);
                long x = (v & 0xffffffffL) | ((cf() ? 1L : 0L) << bits);
                for (int i = 0; i < c; i++) x = ((x << 1) | (x >>> bits)) & ((1L << (bits + 1)) - 1);
                res = (int) x & mask;
                boolean cf = ((x >>> bits) & 1) != 0;
                boolean of = ((res << sh) < 0) != cf;
                if (c != 0) setCfOf(cf, of);
                return res;
            }
            case 3: { // RCR
                int c = count % (bits + 1);
                boolean cin = cf();
                long x = (v & 0xffffffffL) | ((cin ? 1L : 0L) << bits);
                for (int i = 0; i < c; i++) x = ((x >>> 1) | ((x & 1) << bits)) & ((1L << (bits + 1)) - 1);
                res = (int) x & mask;
                boolean cf = ((x >>> bits) & 1) != 0;
                // OF: MSB of result XOR next-most-significant bit (defined for count 1)
                boolean of = ((res << sh) < 0) != ((res << (sh + 1)) < 0);
                if (c != 0) setCfOf(cf, of);
                return res;
            }
            case 4: case 6: { // SHL/SAL
                long x = (v & 0xffffffffL) << count;
                boolean cf = ((x >>> bits) & 1) != 0;
                res = (int) x & mask;
                boolean of = ((res << sh) < 0) != cf;
                f = (cf ? CF : 0) | (of ? OF : 0);
                lazySzp(res, sh, f);
                return res;
            }
            case 5: { // SHR
                boolean cf = count <= bits && ((v >>> (count - 1)) & 1) != 0;
                res = count >= bits ? 0 : v >>> count;
                boolean of = (v << sh) < 0;
                lazySzp(res, sh, (cf ? CF : 0) | (of ? OF : 0));
                return res;
            }
            default: { // SAR
                int sv = (v << sh) >> sh;
                int c = Math.min(count, 31);
                boolean cf = ((sv >> (c - 1)) & 1) != 0;
                res = (sv >> c) & mask;
                lazySzp(res, sh, cf ? CF : 0);
                return res;
            }
        }
    }

    private void setCfOf(boolean cf, boolean of) {
        settleFlags();
        flags = (flags & ~(CF | OF)) | (cf ? CF : 0) | (of ? OF : 0);
    }

    /** SHLD/SHRD: shifts {@code dst} by count filling from {@code src}. */
    final int shiftDouble(boolean left, int dst, int src, int count, int size) {
        count &= 0x1f;
        if (count == 0) return dst;
        int bits = size << 3, sh = 32 - bits, mask = maskOf(size);
        dst &= mask;
        src &= mask;
        int res;
        boolean cf;
        if (size == 4) {
            if (left) {
                res = (dst << count) | (src >>> (32 - count));
                cf = ((dst >>> (32 - count)) & 1) != 0;
            } else {
                res = (dst >>> count) | (src << (32 - count));
                cf = ((dst >>> (count - 1)) & 1) != 0;
            }
        } else {
            // 16-bit: count may exceed 16 (result undefined); use the 32-bit concatenation as hardware does
            if (left) {
                long x = ((dst & 0xffffL) << 32) | ((src & 0xffffL) << 16) | (dst & 0xffffL);
                long y = x << count;
                res = (int) (y >>> 32) & mask;
                cf = ((x << (count - 1)) >>> 47 & 1) != 0;
            } else {
                // dst:src:dst, so counts above 16 behave as the 48-bit rotate hardware performs
                long x = ((src & 0xffffL) << 16) | (dst & 0xffffL) | ((dst & 0xffffL) << 32);
                long y = x >>> count;
                res = (int) y & mask;
                cf = ((x >>> (count - 1)) & 1) != 0;
            }
        }
        boolean of = ((res ^ dst) << sh) < 0;
        lazySzp(res, sh, (cf ? CF : 0) | (of ? OF : 0));
        return res;
    }

    /** Group 3 MUL/IMUL/DIV/IDIV on the accumulator. */
    final void mulDiv(int kind, int src, int size) {
        switch (size) {
            case 1: mulDiv8(kind, src & 0xff); break;
            case 2: mulDiv16(kind, src & 0xffff); break;
            default: mulDiv32(kind, src); break;
        }
    }

    private void mulDiv8(int kind, int src) {
        int al = r[EAX] & 0xff;
        switch (kind) {
            case 4: {
                int p = al * src;
                setReg(2, EAX, p);
                boolean c = (p & 0xff00) != 0;
                lazySzp(p, 24, c ? CF | OF : 0);
                break;
            }
            case 5: {
                int p = (byte) al * (byte) src;
                setReg(2, EAX, p);
                boolean c = p != (byte) p;
                lazySzp(p, 24, c ? CF | OF : 0);
                break;
            }
            case 6: {
                if (src == 0) throw fault(Fault.DE);
                int ax = r[EAX] & 0xffff;
                int q = ax / src;
                if (q > 0xff) throw fault(Fault.DE);
                setReg(2, EAX, ((ax % src) << 8) | q);
                break;
            }
            default: {
                int d = (byte) src;
                if (d == 0) throw fault(Fault.DE);
                int ax = (short) r[EAX];
                int q = ax / d;
                if (q != (byte) q) throw fault(Fault.DE);
                setReg(2, EAX, ((ax % d & 0xff) << 8) | (q & 0xff));
            }
        }
    }

    private void mulDiv16(int kind, int src) {
        int ax = r[EAX] & 0xffff;
        switch (kind) {
            case 4: {
                int p = ax * src;
                setReg(2, EAX, p);
                setReg(2, EDX, p >>> 16);
                lazySzp(p, 16, (p >>> 16) != 0 ? CF | OF : 0);
                break;
            }
            case 5: {
                int p = (short) ax * (short) src;
                setReg(2, EAX, p);
                setReg(2, EDX, p >> 16);
                lazySzp(p, 16, p != (short) p ? CF | OF : 0);
                break;
            }
            case 6: {
                if (src == 0) throw fault(Fault.DE);
                long n = ((long) (r[EDX] & 0xffff) << 16) | ax;
                long q = n / src;
                if (q > 0xffff) throw fault(Fault.DE);
                setReg(2, EAX, (int) q);
                setReg(2, EDX, (int) (n % src));
                break;
            }
            default: {
                int d = (short) src;
                if (d == 0) throw fault(Fault.DE);
                int n = (r[EDX] << 16) | ax;
                long q = (long) n / d;
                if (q != (short) q) throw fault(Fault.DE);
                setReg(2, EAX, (int) q);
                setReg(2, EDX, (int) ((long) n % d));
            }
        }
    }

    private void mulDiv32(int kind, int src) {
        switch (kind) {
            case 4: {
                long p = (r[EAX] & 0xffffffffL) * (src & 0xffffffffL);
                r[EAX] = (int) p;
                r[EDX] = (int) (p >>> 32);
                lazySzp((int) p, 0, r[EDX] != 0 ? CF | OF : 0);
                break;
            }
            case 5: {
                long p = (long) r[EAX] * src;
                r[EAX] = (int) p;
                r[EDX] = (int) (p >>> 32);
                lazySzp((int) p, 0, p != (int) p ? CF | OF : 0);
                break;
            }
            case 6: {
                if (src == 0) throw fault(Fault.DE);
                long n = ((long) r[EDX] << 32) | (r[EAX] & 0xffffffffL);
                long d = src & 0xffffffffL;
                long q = Long.divideUnsigned(n, d);
                if ((q >>> 32) != 0) throw fault(Fault.DE);
                r[EAX] = (int) q;
                r[EDX] = (int) Long.remainderUnsigned(n, d);
                break;
            }
            default: {
                if (src == 0) throw fault(Fault.DE);
                long n = ((long) r[EDX] << 32) | (r[EAX] & 0xffffffffL);
                if (n == Long.MIN_VALUE && src == -1) throw fault(Fault.DE);
                long q = n / src;
                if (q != (int) q) throw fault(Fault.DE);
                r[EAX] = (int) q;
                r[EDX] = (int) (n % src);
            }
        }
    }

    /** Two- and three-operand IMUL: truncated signed product, CF = OF = overflow. */
    final int imul(int a, int b, int size) {
        if (size == 2) {
            int p = (short) a * (short) b;
            lazySzp(p, 16, p != (short) p ? CF | OF : 0);
            return p & 0xffff;
        }
        long p = (long) a * b;
        lazySzp((int) p, 0, p != (int) p ? CF | OF : 0);
        return (int) p;
    }

    // ---- BCD ----

    final void daa() {
        int al = r[EAX] & 0xff;
        boolean cf = cf(), af = af();
        int oldAl = al;
        boolean newCf = false, newAf = false;
        if ((al & 0xf) > 9 || af) {
            al = (al + 6) & 0xff;
            newCf = cf || oldAl > 0xf9;
            newAf = true;
        }
        if (oldAl > 0x99 || cf) {
            al = (al + 0x60) & 0xff;
            newCf = true;
        }
        setReg8(EAX, al);
        lazySzp(al, 24, (newCf ? CF : 0) | (newAf ? AF : 0));
    }

    final void das() {
        int al = r[EAX] & 0xff;
        boolean cf = cf(), af = af();
        int oldAl = al;
        boolean newCf = false, newAf = false;
        if ((al & 0xf) > 9 || af) {
            al = (al - 6) & 0xff;
            newCf = cf || oldAl < 6;
            newAf = true;
        }
        if (oldAl > 0x99 || cf) {
            al = (al - 0x60) & 0xff;
            newCf = true;
        }
        setReg8(EAX, al);
        lazySzp(al, 24, (newCf ? CF : 0) | (newAf ? AF : 0));
    }

    final void aaa(boolean sub) {
        int ax = r[EAX] & 0xffff;
        boolean adjust = (ax & 0xf) > 9 || af();
        if (adjust) {
            if (sub) {
                ax = (ax - 6) & 0xffff;
                ax = (ax - 0x100) & 0xffff;
            } else {
                ax = (ax + 0x106) & 0xffff;
            }
        }
        ax &= 0xff0f;
        setReg(2, EAX, ax);
        lazySzp(ax, 24, adjust ? CF | AF : 0);
    }

    final void aam(int base) {
        if (base == 0) throw fault(Fault.DE);
        int al = r[EAX] & 0xff;
        int ax = ((al / base) << 8) | (al % base);
        setReg(2, EAX, ax);
        lazySzp(ax, 24, 0);
    }

    final void aad(int base) {
        int ax = r[EAX] & 0xffff;
        int al = ((ax & 0xff) + (ax >>> 8) * base) & 0xff;
        setReg(2, EAX, al);
        lazySzp(al, 24, 0);
    }
}
