package org.j386.cpu.fpu;

import static org.j386.cpu.fpu.F80.*;

/**
 * Soft-float arithmetic on 80-bit extended values, with the x87's rounding control, precision
 * control, exception flags and C1 (round-up) reporting. An instance holds the current
 * instruction's rounding parameters and the result registers, so that nothing on these paths
 * allocates: every operation leaves its result in {@link #rSig}/{@link #rSe} (or sets
 * {@link #noResult} when an unmasked exception suppresses it) and ORs status bits into
 * {@link #flags}.
 *
 * Internally a finite value is (sign, biased exponent e, 128-bit significand hi:lo) with the
 * integer bit at bit 63 of hi: value = hi.lo * 2^(e - 16383 - 63). Exponents below 1 are kept
 * unbounded until {@link #roundPack} denormalizes.
 */
final class X87Math {
    static final int IE = 0x01, DE = 0x02, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20, SF = 0x40;
    static final int C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
    static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_CHOP = 3;
    /** Exponent adjustment applied to results when overflow or underflow is unmasked. */
    static final int BIAS_ADJUST = 24576;

    // ---- current instruction parameters ----
    int rc;
    int masks;
    /** Precision of the basic arithmetic from the control word: 24, 53 or 64. */
    int prec;

    // ---- results ----
    long rSig;
    int rSe;
    int flags;
    boolean noResult;

    // secondary results of roundBits
    private boolean rInexact, rCarry, rInc;

    void begin(int cw) {
        rc = (cw >> 10) & 3;
        masks = cw & 0x3F;
        int pc = (cw >> 8) & 3;
        prec = pc == 0 ? 24 : pc == 2 ? 53 : 64;
        flags = 0;
        noResult = false;
    }

    // =====================================================================================
    // rounding
    // =====================================================================================

    private boolean decide(int sign, int cmpHalf, boolean odd, boolean inexact) {
        switch (rc) {
            case RC_NEAREST: return cmpHalf > 0 || (cmpHalf == 0 && odd);
            case RC_DOWN: return inexact && sign != 0;
            case RC_UP: return inexact && sign == 0;
            default: return false;
        }
    }

    /** Rounds hi:lo to p significant bits counted from bit 63 of hi; the bits below are cleared. */
    private long roundBits(int sign, long hi, long lo, int p) {
        boolean inc;
        if (p == 64) {
            rInexact = lo != 0;
            inc = decide(sign, Long.compareUnsigned(lo, INT_BIT), (hi & 1) != 0, rInexact);
            rCarry = false;
            if (inc) { hi++; rCarry = hi == 0; }
        } else {
            long mask = -1L >>> p;
            long r = hi & mask;
            long half = (mask >>> 1) + 1;
            rInexact = r != 0 || lo != 0;
            int c = r != half ? Long.compareUnsigned(r, half) : (lo != 0 ? 1 : 0);
            inc = decide(sign, c, (hi & (mask + 1)) != 0, rInexact);
            hi &= ~mask;
            rCarry = false;
            if (inc) { hi += mask + 1; rCarry = hi == 0; }
        }
        rInc = inc;
        return hi;
    }

    /**
     * Rounds and packs a finite non-zero value (hi normalized) into rSig/rSe with precision p,
     * handling denormal results, underflow and overflow as the x87 does (masked and unmasked).
     */
    void roundPack(int sign, int e, long hi, long lo, int p) {
        if (e <= 0) {
            boolean tiny;
            if (e < 0) tiny = true;
            else { roundBits(sign, hi, lo, p); tiny = !rCarry; }
            if (tiny && (masks & UE) == 0) {
                e += BIAS_ADJUST;
                if (e <= 0) {
                    // too small even for the bias-adjusted format: a signed zero
                    flags |= UE | PE;
                    rSig = 0;
                    rSe = sign << 15;
                    return;
                }
                hi = roundBits(sign, hi, lo, p);
                if (rCarry) { hi = INT_BIT; e++; }
                flags |= UE | (rInexact ? PE : 0) | (rInc ? C1 : 0);
                rSig = hi;
                rSe = sign << 15 | (e & 0x7FFF);
                return;
            }
            int sh = 1 - e;
            if (sh < 64) {
                lo = (lo >>> sh) | (hi << (64 - sh)) | ((lo << (64 - sh)) != 0 ? 1 : 0);
                hi >>>= sh;
            } else if (sh == 64) {
                lo = hi | (lo != 0 ? 1 : 0);
                hi = 0;
            } else if (sh < 128) {
                lo = (hi >>> (sh - 64)) | ((hi << (128 - sh)) != 0 || lo != 0 ? 1 : 0);
                hi = 0;
            } else {
                lo = (hi | lo) != 0 ? 1 : 0;
                hi = 0;
            }
            hi = roundBits(sign, hi, lo, p);
            if (rInexact) flags |= tiny ? PE | UE : PE;
            if (rInc) flags |= C1;
            rSig = hi;
            rSe = sign << 15 | (hi < 0 ? 1 : 0);
            return;
        }
        hi = roundBits(sign, hi, lo, p);
        if (rCarry) { hi = INT_BIT; e++; }
        if (e >= 0x7FFF) {
            if ((masks & OE) == 0 && e - BIAS_ADJUST < 0x7FFF) {
                e -= BIAS_ADJUST;
                flags |= OE | (rInexact ? PE : 0) | (rInc ? C1 : 0);
                rSig = hi;
                rSe = sign << 15 | (e & 0x7FFF);
                return;
            }
            overflowResult(sign, p);
            return;
        }
        if (rInexact) flags |= PE;
        if (rInc) flags |= C1;
        rSig = hi;
        rSe = sign << 15 | e;
    }

    private void overflowResult(int sign, int p) {
        flags |= OE | PE;
        boolean toInf = rc == RC_NEAREST || (rc == RC_DOWN && sign != 0) || (rc == RC_UP && sign == 0);
        if (toInf) {
            rSig = INT_BIT;
            rSe = sign << 15 | 0x7FFF;
            flags |= C1;
        } else {
            rSig = p == 64 ? -1L : ~(-1L >>> p);
            rSe = sign << 15 | 0x7FFE;
        }
    }

    // =====================================================================================
    // special operands
    // =====================================================================================

    void setIndefinite() {
        rSig = INDEFINITE_SIG;
        rSe = INDEFINITE_SE;
    }

    /** Masked response to an invalid operation: IE, result real indefinite. */
    void invalid() {
        flags |= IE;
        setIndefinite();
        if ((masks & IE) == 0) noResult = true;
    }

    private void set(long sig, int se) {
        rSig = sig;
        rSe = se;
    }

    /** NaN result for a binary operation where at least one operand is a NaN (x87 rules). */
    void propagateNaN(long aSig, int aSe, long bSig, int bSe) {
        boolean aN = isNaN(aSig, aSe), bN = isNaN(bSig, bSe);
        boolean aS = aN && (aSig & QUIET_BIT) == 0, bS = bN && (bSig & QUIET_BIT) == 0;
        if (aS || bS) flags |= IE;
        boolean pickA;
        if (aN && bN) {
            if (aS != bS) pickA = bS;
            else {
                int c = Long.compareUnsigned(aSig | QUIET_BIT, bSig | QUIET_BIT);
                pickA = c > 0 || (c == 0 && (aSe & 0xFFFF) <= (bSe & 0xFFFF));
            }
        } else pickA = aN;
        if (pickA) set(aSig | QUIET_BIT, aSe);
        else set(bSig | QUIET_BIT, bSe);
        if ((aS || bS) && (masks & IE) == 0) noResult = true;
    }

    /** NaN result for a one-operand operation. */
    void propagateNaN1(long sig, int se) {
        if ((sig & QUIET_BIT) == 0) {
            flags |= IE;
            if ((masks & IE) == 0) noResult = true;
        }
        set(sig | QUIET_BIT, se);
    }

    /** Marks a denormal operand; returns true when DE is unmasked (the operation is then suppressed). */
    boolean denormal() {
        flags |= DE;
        if ((masks & DE) == 0) {
            noResult = true;
            return true;
        }
        return false;
    }

    // normalized operand scratch (set by unpackA/unpackB)
    private long nSig;
    private int nExp;

    /** Normalizes a finite non-zero value (denormals and pseudo-denormals) into nSig/nExp. */
    private void normalize(long sig, int se) {
        int e = se & 0x7FFF;
        if (e == 0) {
            if (sig < 0) { nSig = sig; nExp = 1; }
            else {
                int lz = Long.numberOfLeadingZeros(sig);
                nSig = sig << lz;
                nExp = 1 - lz;
            }
        } else {
            nSig = sig;
            nExp = e;
        }
    }

    /** Rounds an exact finite value to the current precision p (e.g. x + 0). */
    private void roundValue(long sig, int se, int p) {
        if (sig == 0) { set(0, se & 0x8000); return; }
        normalize(sig, se);
        roundPack((se >> 15) & 1, nExp, nSig, 0, p);
    }

    // =====================================================================================
    // add / subtract
    // =====================================================================================

    /** a + b (set negB to 0x8000 for a - b). */
    void add(long aSig, int aSe, long bSig, int bSe, int negB) {
        int bSeOrig = bSe;
        bSe ^= negB;
        int ea = aSe & 0x7FFF, eb = bSe & 0x7FFF;
        if (ea == 0 || ea == 0x7FFF || eb == 0 || eb == 0x7FFF || aSig >= 0 || bSig >= 0) {
            if (addSpecial(aSig, aSe, bSig, bSe, bSeOrig)) return;
            normalize(aSig, aSe);
            aSig = nSig; ea = nExp;
            normalize(bSig, bSe);
            bSig = nSig; eb = nExp;
        }
        addCore((aSe >> 15) & 1, ea, aSig, (bSe >> 15) & 1, eb, bSig, prec);
    }

    private boolean addSpecial(long aSig, int aSe, long bSig, int bSe, int bSeOrig) {
        int ca = classify(aSig, aSe), cb = classify(bSig, bSe);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) { invalid(); return true; }
        if (ca >= QNAN || cb >= QNAN) { propagateNaN(aSig, aSe, bSig, bSeOrig); return true; }
        if (ca == INFINITY) {
            if (cb == INFINITY) {
                if (((aSe ^ bSe) & 0x8000) != 0) invalid();
                else set(aSig, aSe);
                return true;
            }
            if (cb == DENORMAL && denormal()) return true;
            set(aSig, aSe);
            return true;
        }
        if (cb == INFINITY) {
            if (ca == DENORMAL && denormal()) return true;
            set(bSig, bSe);
            return true;
        }
        if ((ca == DENORMAL || cb == DENORMAL) && denormal()) return true;
        if (ca == ZERO) {
            if (cb == ZERO) {
                int s = ((aSe & bSe) & 0x8000) != 0 ? 0x8000 : (((aSe | bSe) & 0x8000) != 0 && rc == RC_DOWN) ? 0x8000 : 0;
                set(0, s);
                return true;
            }
            roundValue(bSig, bSe, prec);
            return true;
        }
        if (cb == ZERO) {
            roundValue(aSig, aSe, prec);
            return true;
        }
        return false;
    }

    private void addCore(int sa, int ea, long aSig, int sb, int eb, long bSig, int p) {
        // order by magnitude: a >= b
        if (ea < eb || (ea == eb && Long.compareUnsigned(aSig, bSig) < 0)) {
            int t = sa; sa = sb; sb = t;
            t = ea; ea = eb; eb = t;
            long u = aSig; aSig = bSig; bSig = u;
        }
        int d = ea - eb;
        long bh, bl;
        if (d == 0) { bh = bSig; bl = 0; }
        else if (d < 64) { bh = bSig >>> d; bl = bSig << (64 - d); }
        else if (d == 64) { bh = 0; bl = bSig; }
        else if (d < 128) { bh = 0; bl = (bSig >>> (d - 64)) | ((bSig << (128 - d)) != 0 ? 1 : 0); }
        else { bh = 0; bl = 1; }
        long h, l;
        int e = ea;
        if (sa == sb) {
            l = bl;
            h = aSig + bh;
            if (Long.compareUnsigned(h, aSig) < 0) {
                l = (l >>> 1) | (h << 63) | (l & 1);
                h = (h >>> 1) | INT_BIT;
                e++;
            }
        } else {
            l = -bl;
            h = aSig - bh - (bl != 0 ? 1 : 0);
            if (h == 0 && l == 0) {
                set(0, rc == RC_DOWN ? 0x8000 : 0);
                return;
            }
            if (h == 0) { h = l; l = 0; e -= 64; }
            int lz = Long.numberOfLeadingZeros(h);
            if (lz != 0) {
                h = (h << lz) | (l >>> (64 - lz));
                l <<= lz;
                e -= lz;
            }
        }
        roundPack(sa, e, h, l, p);
    }

    // =====================================================================================
    // multiply
    // =====================================================================================

    void mul(long aSig, int aSe, long bSig, int bSe) {
        int ea = aSe & 0x7FFF, eb = bSe & 0x7FFF;
        int sign = ((aSe ^ bSe) >> 15) & 1;
        if (ea == 0 || ea == 0x7FFF || eb == 0 || eb == 0x7FFF || aSig >= 0 || bSig >= 0) {
            int ca = classify(aSig, aSe), cb = classify(bSig, bSe);
            if (ca == UNSUPPORTED || cb == UNSUPPORTED) { invalid(); return; }
            if (ca >= QNAN || cb >= QNAN) { propagateNaN(aSig, aSe, bSig, bSe); return; }
            if (ca == INFINITY || cb == INFINITY) {
                if (ca == ZERO || cb == ZERO) { invalid(); return; }
                if ((ca == DENORMAL || cb == DENORMAL) && denormal()) return;
                set(INT_BIT, sign << 15 | 0x7FFF);
                return;
            }
            if ((ca == DENORMAL || cb == DENORMAL) && denormal()) return;
            if (ca == ZERO || cb == ZERO) { set(0, sign << 15); return; }
            normalize(aSig, aSe);
            aSig = nSig; ea = nExp;
            normalize(bSig, bSe);
            bSig = nSig; eb = nExp;
        }
        long lo = aSig * bSig;
        long hi = umulh(aSig, bSig);
        int e = ea + eb - BIAS + 1;
        if (hi >= 0) {
            hi = (hi << 1) | (lo >>> 63);
            lo <<= 1;
            e--;
        }
        roundPack(sign, e, hi, lo, prec);
    }

    // =====================================================================================
    // divide
    // =====================================================================================

    private long remainder;

    /**
     * Divides u1:u0 by v (v normalized, MSB set) where u1 < v (unsigned); returns the 64-bit
     * quotient and leaves the remainder in {@link #remainder}.
     */
    long divlu(long u1, long u0, long v) {
        long vn1 = v >>> 32, vn0 = v & 0xFFFFFFFFL;
        long un1 = u0 >>> 32, un0 = u0 & 0xFFFFFFFFL;
        long q1 = Long.divideUnsigned(u1, vn1);
        long rhat = u1 - q1 * vn1;
        while (q1 >>> 32 != 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (rhat >>> 32 != 0) break;
        }
        long un21 = (u1 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (q0 >>> 32 != 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (rhat >>> 32 != 0) break;
        }
        remainder = (un21 << 32) + un0 - q0 * v;
        return (q1 << 32) | q0;
    }

    void div(long aSig, int aSe, long bSig, int bSe) {
        int ea = aSe & 0x7FFF, eb = bSe & 0x7FFF;
        int sign = ((aSe ^ bSe) >> 15) & 1;
        if (ea == 0 || ea == 0x7FFF || eb == 0 || eb == 0x7FFF || aSig >= 0 || bSig >= 0) {
            int ca = classify(aSig, aSe), cb = classify(bSig, bSe);
            if (ca == UNSUPPORTED || cb == UNSUPPORTED) { invalid(); return; }
            if (ca >= QNAN || cb >= QNAN) { propagateNaN(aSig, aSe, bSig, bSe); return; }
            if (ca == INFINITY) {
                if (cb == INFINITY) { invalid(); return; }
                if (cb == DENORMAL && denormal()) return;
                set(INT_BIT, sign << 15 | 0x7FFF);
                return;
            }
            if (cb == INFINITY) {
                if (ca == DENORMAL && denormal()) return;
                set(0, sign << 15);
                return;
            }
            if (cb == ZERO) {
                if (ca == ZERO) { invalid(); return; }
                flags |= ZE;
                if ((masks & ZE) == 0) { noResult = true; return; }
                set(INT_BIT, sign << 15 | 0x7FFF);
                return;
            }
            if ((ca == DENORMAL || cb == DENORMAL) && denormal()) return;
            if (ca == ZERO) { set(0, sign << 15); return; }
            normalize(aSig, aSe);
            aSig = nSig; ea = nExp;
            normalize(bSig, bSe);
            bSig = nSig; eb = nExp;
        }
        long q, lo;
        int e;
        if (Long.compareUnsigned(aSig, bSig) < 0) {
            q = divlu(aSig, 0, bSig);
            e = ea - eb + BIAS - 1;
        } else {
            q = divlu(aSig >>> 1, aSig << 63, bSig);
            e = ea - eb + BIAS;
        }
        long r = remainder;
        lo = divlu(r, 0, bSig);
        if (remainder != 0) lo |= 1;
        roundPack(sign, e, q, lo, prec);
    }

    // =====================================================================================
    // square root
    // =====================================================================================

    void sqrt(long sig, int se) {
        int c = classify(sig, se);
        if (c != NORMAL) {
            switch (c) {
                case UNSUPPORTED: invalid(); return;
                case QNAN: case SNAN: propagateNaN1(sig, se); return;
                case ZERO: set(0, se); return;
                case INFINITY:
                    if ((se & 0x8000) != 0) invalid();
                    else set(sig, se);
                    return;
                default:
                    break;
            }
        }
        if ((se & 0x8000) != 0) { invalid(); return; }
        if (c == DENORMAL && denormal()) return;
        normalize(sig, se);
        int bigE = nExp - BIAS;
        long nHi, nLo;
        int e;
        if ((bigE & 1) != 0) {         // N = sig * 2^64
            nHi = nSig; nLo = 0;
            e = ((bigE - 1) >> 1) + BIAS;
        } else {                        // N = sig * 2^63
            nHi = nSig >>> 1; nLo = nSig << 63;
            e = (bigE >> 1) + BIAS;
        }
        // integer square root of the 128-bit N: a double estimate from above, one Newton step, then correct
        double d = (double) (nHi >>> 11) * 0x1p75;
        double est = Math.sqrt(d) + 0x1p13;
        long root = est >= 0x1p64 ? -1L : est >= 0x1p63 ? ((long) (est - 0x1p63)) | INT_BIT : (long) est;
        if (Long.compareUnsigned(root, nHi) <= 0) root = -1L;
        long q = divlu(nHi, nLo, root);
        root = (root >>> 1) + (q >>> 1) + (root & q & 1);
        // root >= floor(sqrt(N)) here, by at most one or two
        long sqLo = root * root, sqHi = umulh(root, root);
        while (Long.compareUnsigned(sqHi, nHi) > 0 || (sqHi == nHi && Long.compareUnsigned(sqLo, nLo) > 0)) {
            // (r-1)^2 = r^2 - 2r + 1
            long t = sqLo - (root << 1);
            sqHi -= (root >>> 63) + (Long.compareUnsigned(sqLo, t) < 0 ? 1 : 0);
            sqLo = t + 1;
            if (sqLo == 0) sqHi++;
            root--;
        }
        long rl = nLo - sqLo;
        long rh = nHi - sqHi - (Long.compareUnsigned(nLo, sqLo) < 0 ? 1 : 0);
        long lo;
        if (rh != 0 || Long.compareUnsigned(rl, root) > 0) lo = INT_BIT | 1;
        else lo = (rl != 0) ? 1 : 0;
        roundPack(0, e, root, lo, prec);
    }

    // =====================================================================================
    // round to integer, scale, extract, remainder
    // =====================================================================================

    // results of roundToIntMag
    boolean iInexact, iInc;

    /**
     * Rounds |value| (normalized sig, unbiased exponent bigE < 63) to an integer with the
     * current rounding control and the given sign; returns the unsigned magnitude (at most 2^63).
     */
    long roundToIntMag(long sig, int bigE, int sign, boolean chop) {
        long ip;
        int cmp;
        boolean inexact;
        int sh = 63 - bigE;
        if (sh >= 64) {
            ip = 0;
            cmp = sh == 64 ? Long.compareUnsigned(sig, INT_BIT) : -1;
            inexact = sig != 0;
        } else {
            ip = sig >>> sh;
            long frac = sig << (64 - sh);
            cmp = Long.compareUnsigned(frac, INT_BIT);
            inexact = frac != 0;
        }
        boolean inc;
        if (chop) inc = false;
        else inc = decide(sign, cmp, (ip & 1) != 0, inexact);
        iInexact = inexact;
        iInc = inc;
        return inc ? ip + 1 : ip;
    }

    /** FRNDINT. */
    void roundInt(long sig, int se) {
        int c = classify(sig, se);
        switch (c) {
            case UNSUPPORTED: invalid(); return;
            case QNAN: case SNAN: propagateNaN1(sig, se); return;
            case ZERO: case INFINITY: set(sig, se); return;
            case DENORMAL: if (denormal()) return; break;
            default: break;
        }
        normalize(sig, se);
        int bigE = nExp - BIAS;
        if (bigE >= 63) { set(sig, se); return; }
        int sign = (se >> 15) & 1;
        long m = roundToIntMag(nSig, bigE, sign, false);
        if (iInexact) flags |= PE;
        if (iInc) flags |= C1;
        if (m == 0) { set(0, se & 0x8000); return; }
        int lz = Long.numberOfLeadingZeros(m);
        set(m << lz, (se & 0x8000) | (BIAS + 63 - lz));
    }

    /** FSCALE: a * 2^trunc(b). */
    void scale(long aSig, int aSe, long bSig, int bSe) {
        int ca = classify(aSig, aSe), cb = classify(bSig, bSe);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) { invalid(); return; }
        if (ca >= QNAN || cb >= QNAN) { propagateNaN(aSig, aSe, bSig, bSe); return; }
        if (cb == INFINITY) {
            if ((bSe & 0x8000) == 0) {
                if (ca == ZERO) { invalid(); return; }
                if (ca == DENORMAL && denormal()) return;
                set(INT_BIT, (aSe & 0x8000) | 0x7FFF);
            } else {
                if (ca == INFINITY) { invalid(); return; }
                if (ca == DENORMAL && denormal()) return;
                set(0, aSe & 0x8000);
            }
            return;
        }
        if ((ca == DENORMAL || cb == DENORMAL) && denormal()) return;
        if (ca == INFINITY || ca == ZERO) { set(aSig, aSe); return; }
        int n;
        if (cb == ZERO || cb == DENORMAL) n = 0;
        else {
            int be = (bSe & 0x7FFF) - BIAS;
            if (be < 0) n = 0;
            else if (be > 30) n = 0x10000;
            else n = (int) (bSig >>> (63 - be));
            if ((bSe & 0x8000) != 0) n = -n;
        }
        normalize(aSig, aSe);
        roundPack((aSe >> 15) & 1, nExp + n, nSig, 0, 64);
    }

    // FPREM results
    int quotientBits;   // C0/C3/C1 encoded as status bits
    boolean incomplete;

    /**
     * FPREM (round=false, truncating quotient) and FPREM1 (round=true, nearest quotient):
     * partial remainder of a by b. Sets quotientBits and incomplete (C2).
     */
    void prem(long aSig, int aSe, long bSig, int bSe, boolean round) {
        quotientBits = 0;
        incomplete = false;
        int ca = classify(aSig, aSe), cb = classify(bSig, bSe);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) { invalid(); return; }
        if (ca >= QNAN || cb >= QNAN) { propagateNaN(aSig, aSe, bSig, bSe); return; }
        if (ca == INFINITY || cb == ZERO) { invalid(); return; }
        if ((ca == DENORMAL || cb == DENORMAL) && denormal()) return;
        if (ca == ZERO || cb == INFINITY) {
            if (ca == ZERO) { set(aSig, aSe); return; }
            roundValue(aSig, aSe, 64);
            return;
        }
        normalize(aSig, aSe);
        long as = nSig;
        int ea = nExp;
        normalize(bSig, bSe);
        long bs = nSig;
        int eb = nExp;
        int signA = (aSe >> 15) & 1;
        int d = ea - eb;
        long q;
        long r;
        int re;
        if (d >= 64) {
            // partial reduction: bring the exponent difference down
            incomplete = true;
            int n = 32 + (d & 31);
            r = remainderShifted(as, bs, n);
            q = quotientLow;
            re = eb + (d - n);
            round = false;
        } else if (d < 0) {
            q = 0;
            if (round && d == -1 && Long.compareUnsigned(as, bs) > 0) {
                // |a| > |b|/2: quotient 1
                // r = b - a (as value with exponent ea), sign flips
                long bh = bs, bl = 0;
                // a has exponent eb-1: a = as/2 relative to b's scale
                long ah = as >>> 1, al = as << 63;
                long l = bl - al;
                long h = bh - ah - (Long.compareUnsigned(bl, al) < 0 ? 1 : 0);
                q = 1;
                quotientBits = C1;
                signA ^= 1;
                normalizeAndPack(signA, eb, h, l);
                return;
            }
            roundValue(aSig, aSe, 64);
            return;
        } else {
            r = remainderShifted(as, bs, d);
            q = quotientLow;
            re = eb;
        }
        if (round) {
            // nearest: compare r with b/2 (ties to an even quotient)
            long half = bs >>> 1;
            int c = Long.compareUnsigned(r, half);
            if ((bs & 1) != 0 && c == 0) c = -1;
            if (c > 0 || (c == 0 && (q & 1) != 0)) {
                r = bs - r;
                q++;
                signA ^= 1;
            }
        }
        quotientBits = ((q & 1) != 0 ? C1 : 0) | ((q & 2) != 0 ? C3 : 0) | ((q & 4) != 0 ? C0 : 0);
        if (incomplete) quotientBits = 0;
        if (r == 0) { set(0, aSe & 0x8000); return; }
        normalizeAndPack(signA, re, r, 0);
    }

    private long quotientLow;

    /** (a * 2^n) mod b for 0 <= n <= 63, a and b normalized; the low quotient bits go to quotientLow. */
    private long remainderShifted(long a, long b, int n) {
        long u1, u0;
        if (n == 0) {
            if (Long.compareUnsigned(a, b) >= 0) { quotientLow = 1; return a - b; }
            quotientLow = 0;
            return a;
        }
        u1 = a >>> (64 - n);
        u0 = a << n;
        quotientLow = divlu(u1, u0, b);
        return remainder;
    }

    private void normalizeAndPack(int sign, int e, long h, long l) {
        if (h == 0 && l == 0) { set(0, sign << 15); return; }
        if (h == 0) { h = l; l = 0; e -= 64; }
        int lz = Long.numberOfLeadingZeros(h);
        if (lz != 0) {
            h = (h << lz) | (l >>> (64 - lz));
            l <<= lz;
            e -= lz;
        }
        roundPack(sign, e, h, l, 64);
    }

    // FXTRACT results: exponent in rSig/rSe, significand here
    long xSig;
    int xSe;

    void extract(long sig, int se) {
        int c = classify(sig, se);
        switch (c) {
            case UNSUPPORTED: invalid(); xSig = rSig; xSe = rSe; return;
            case QNAN: case SNAN: propagateNaN1(sig, se); xSig = rSig; xSe = rSe; return;
            case ZERO:
                flags |= ZE;
                if ((masks & ZE) == 0) { noResult = true; return; }
                set(INT_BIT, 0xFFFF);
                xSig = 0; xSe = se & 0x8000;
                return;
            case INFINITY:
                set(INT_BIT, 0x7FFF);
                xSig = sig; xSe = se;
                return;
            case DENORMAL:
                if (denormal()) return;
                break;
            default:
                break;
        }
        normalize(sig, se);
        xSig = nSig;
        xSe = (se & 0x8000) | BIAS;
        fromInt(nExp - BIAS);
    }

    // =====================================================================================
    // compare
    // =====================================================================================

    static final int CMP_LESS = 0, CMP_EQUAL = 1, CMP_GREATER = 2, CMP_UNORDERED = 3;

    /** Compares a with b; quiet = FUCOM semantics (QNaN does not raise IE). */
    int compare(long aSig, int aSe, long bSig, int bSe, boolean quiet) {
        int ea = aSe & 0x7FFF, eb = bSe & 0x7FFF;
        if (ea == 0 || ea == 0x7FFF || eb == 0 || eb == 0x7FFF || aSig >= 0 || bSig >= 0) {
            int ca = classify(aSig, aSe), cb = classify(bSig, bSe);
            if (ca == UNSUPPORTED || cb == UNSUPPORTED) { flags |= IE; return CMP_UNORDERED; }
            if (ca >= QNAN || cb >= QNAN) {
                if (!quiet || ca == SNAN || cb == SNAN) flags |= IE;
                return CMP_UNORDERED;
            }
            if (ca == DENORMAL || cb == DENORMAL) flags |= DE;
            if (ca == ZERO) { aSe &= 0x8000; }
            if (cb == ZERO) { bSe &= 0x8000; }
            if (ca == ZERO && cb == ZERO) return CMP_EQUAL;
            if (ea == 0 && aSig < 0) ea = 1;
            if (eb == 0 && bSig < 0) eb = 1;
        }
        int sa = aSe & 0x8000, sb = bSe & 0x8000;
        if (sa != sb) {
            return sa != 0 ? CMP_LESS : CMP_GREATER;
        }
        int c = ea != eb ? (ea < eb ? -1 : 1) : Long.compareUnsigned(aSig, bSig);
        if (c == 0) return CMP_EQUAL;
        if (sa != 0) c = -c;
        return c < 0 ? CMP_LESS : CMP_GREATER;
    }

    // =====================================================================================
    // conversions
    // =====================================================================================

    /** Exact conversion of a signed integer into rSig/rSe. */
    void fromInt(long v) {
        if (v == 0) { set(0, 0); return; }
        int sign = 0;
        if (v < 0) { sign = 0x8000; v = -v; }
        int lz = Long.numberOfLeadingZeros(v);
        set(v << lz, sign | (BIAS + 63 - lz));
    }

    /** IEEE single bits to extended (rSig/rSe): exact; SNaN raises IE and is quieted, denormals raise DE. */
    void fromFloatBits(int b, boolean signalSNaN) {
        int sign = (b >>> 31) << 15;
        int e = (b >>> 23) & 0xFF;
        long f = b & 0x7FFFFFL;
        if (e == 0) {
            if (f == 0) { set(0, sign); return; }
            flags |= DE;
            int lz = Long.numberOfLeadingZeros(f);
            set(f << lz, sign | (BIAS + 63 - 149 - lz));
            return;
        }
        if (e == 0xFF) {
            long s = INT_BIT | f << 40;
            if (f != 0 && (s & QUIET_BIT) == 0 && signalSNaN) {
                flags |= IE;
                s |= QUIET_BIT;
            }
            set(s, sign | 0x7FFF);
            return;
        }
        set(INT_BIT | f << 40, sign | (e - 127 + BIAS));
    }

    void fromDoubleBits(long b, boolean signalSNaN) {
        int sign = (int) (b >>> 63) << 15;
        int e = (int) (b >>> 52) & 0x7FF;
        long f = b & 0xFFFFFFFFFFFFFL;
        if (e == 0) {
            if (f == 0) { set(0, sign); return; }
            flags |= DE;
            int lz = Long.numberOfLeadingZeros(f);
            set(f << lz, sign | (BIAS + 63 - 1074 - lz));
            return;
        }
        if (e == 0x7FF) {
            long s = INT_BIT | f << 11;
            if (f != 0 && (s & QUIET_BIT) == 0 && signalSNaN) {
                flags |= IE;
                s |= QUIET_BIT;
            }
            set(s, sign | 0x7FFF);
            return;
        }
        set(INT_BIT | f << 11, sign | (e - 1023 + BIAS));
    }

    /**
     * Narrows to IEEE single (p=24, fracBits 23, bias 127) or double (p=53, bias 1023) with the
     * current rounding control; returns the raw bits. Flags IE/UE/OE/PE/C1 as FST does; when a
     * flag that suppresses the store is unmasked, noResult is set.
     */
    long narrow(long sig, int se, int p, int bias) {
        int total = p == 24 ? 32 : 64;
        long signBit = (long) ((se >> 15) & 1) << (total - 1);
        int expAll = p == 24 ? 0xFF : 0x7FF;
        int sign = (se >> 15) & 1;
        int c = classify(sig, se);
        switch (c) {
            case ZERO: return signBit;
            case INFINITY: return signBit | (long) expAll << (p - 1);
            case UNSUPPORTED:
                flags |= IE;
                if ((masks & IE) == 0) noResult = true;
                return p == 24 ? 0xFFC00000L : 0xFFF8000000000000L;
            case SNAN: case QNAN:
                if (c == SNAN) {
                    flags |= IE;
                    if ((masks & IE) == 0) noResult = true;
                }
                return signBit | (long) expAll << (p - 1) | ((sig | QUIET_BIT) << 1 >>> (64 - (p - 1)));
            default:
                break;
        }
        normalize(sig, se);
        int bigE = nExp - BIAS;
        int emin = 1 - bias, emax = bias;
        long hi = nSig, lo = 0;
        boolean tiny = false;
        if (bigE < emin) {
            // tininess after rounding
            if (bigE < emin - 1) tiny = true;
            else { roundBits(sign, hi, 0, p); tiny = !rCarry; }
            if ((masks & UE) == 0) {
                flags |= UE;
                noResult = true;
                return 0;
            }
            int sh = emin - bigE;
            if (sh < 64) { lo = hi << (64 - sh); hi >>>= sh; }
            else if (sh == 64) { lo = hi; hi = 0; }
            else { lo = 1; hi = 0; }
            hi = roundBits(sign, hi, lo, p);
            if (rInexact) flags |= tiny ? PE | UE : PE;
            if (rInc) flags |= C1;
            return signBit | (hi >>> (64 - p));
        }
        hi = roundBits(sign, hi, 0, p);
        if (rCarry) { hi = INT_BIT; bigE++; }
        if (bigE > emax) {
            if ((masks & OE) == 0) { flags |= OE; noResult = true; return 0; }
            flags |= OE | PE;
            boolean toInf = rc == RC_NEAREST || (rc == RC_DOWN && sign != 0) || (rc == RC_UP && sign == 0);
            if (toInf) { flags |= C1; return signBit | (long) expAll << (p - 1); }
            return signBit | ((long) expAll << (p - 1)) - 1;
        }
        if (rInexact) flags |= PE;
        if (rInc) flags |= C1;
        return signBit + ((long) (bigE + bias - 1) << (p - 1)) + (hi >>> (64 - p));
    }

    long toDoubleBits(long sig, int se) { return narrow(sig, se, 53, 1023); }

    int toFloatBits(long sig, int se) { return (int) narrow(sig, se, 24, 127); }

    /**
     * Converts to a signed integer of the given width (16, 32, 64) with the current rounding
     * control (or truncation); invalid gives the integer indefinite (the most negative value).
     */
    long toInt(long sig, int se, int bits, boolean chop) {
        long indefinite = Long.MIN_VALUE >> (64 - bits);
        int c = classify(sig, se);
        switch (c) {
            case ZERO: return 0;
            case UNSUPPORTED: case QNAN: case SNAN: case INFINITY:
                flags |= IE;
                if ((masks & IE) == 0) noResult = true;
                return indefinite;
            default:
                break;
        }
        normalize(sig, se);
        int bigE = nExp - BIAS;
        int sign = (se >> 15) & 1;
        long mag;
        if (bigE >= 63) {
            if (bigE == 63 && sign != 0 && nSig == INT_BIT && bits == 64) return Long.MIN_VALUE;
            flags |= IE;
            if ((masks & IE) == 0) noResult = true;
            return indefinite;
        }
        mag = roundToIntMag(nSig, bigE, sign, chop);
        long limit = 1L << (bits - 1);  // for bits == 64 this is MIN_VALUE, treated unsigned
        boolean ok = sign != 0 ? Long.compareUnsigned(mag, limit) <= 0 : Long.compareUnsigned(mag, limit) < 0;
        if (!ok) {
            flags |= IE;
            if ((masks & IE) == 0) noResult = true;
            return indefinite;
        }
        if (iInexact) flags |= PE;
        if (iInc) flags |= C1;
        return sign != 0 ? -mag : mag;
    }
}
