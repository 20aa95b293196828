package org.j386.cpu.fpu;

import java.math.BigInteger;

import static org.j386.cpu.fpu.F80.*;

/**
 * The x87 transcendental instructions (F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN, FSIN, FCOS,
 * FSINCOS), computed in about 256 bits of binary precision with {@link BigInteger} and then
 * rounded once to the 64-bit significand with the current rounding control. These paths
 * allocate; they are not hot.
 *
 * The special cases (zeros, infinities, NaNs, out-of-range arguments) follow the tables of the
 * Intel SDM vol. 2. Argument reduction for the trigonometric instructions uses the same finite
 * approximation of pi as the hardware, so large arguments give the hardware's answers rather
 * than the mathematically exact ones.
 */
final class Transcendentals {
    static final int F2XM1 = 0, FPTAN = 1, FSIN = 2, FCOS = 3, FSINCOS = 4;
    static final int FYL2X = 0, FYL2XP1 = 1, FPATAN = 2;

    private final X87Math m;

    /** Set by unary() when the argument is out of range (|x| >= 2^63): C2 = 1, nothing changes. */
    boolean outOfRange;
    /** Value pushed by FPTAN (1.0) and FSINCOS (the cosine). */
    long pushSig;
    int pushSe;

    Transcendentals(X87Math m) {
        this.m = m;
    }

    // =====================================================================================
    // a small binary floating-point type: value = mant * 2^exp
    // =====================================================================================

    static final int P = 256;

    static final class BF {
        final BigInteger mant;
        final int exp;

        BF(BigInteger mant, int exp) {
            int bl = mant.bitLength();
            if (bl > P + 24) {
                int sh = bl - P;
                mant = mant.shiftRight(sh);
                exp += sh;
            }
            this.mant = mant;
            this.exp = exp;
        }

        static BF of(long v) { return new BF(BigInteger.valueOf(v), 0); }

        static BF ofExtended(long sig, int se) {
            BigInteger b = new BigInteger(1, new byte[] {
                    (byte) (sig >>> 56), (byte) (sig >>> 48), (byte) (sig >>> 40), (byte) (sig >>> 32),
                    (byte) (sig >>> 24), (byte) (sig >>> 16), (byte) (sig >>> 8), (byte) sig });
            int e = se & 0x7FFF;
            int ex = (e == 0 ? 1 : e) - BIAS - 63;
            if ((se & 0x8000) != 0) b = b.negate();
            return new BF(b, ex);
        }

        int signum() { return mant.signum(); }

        boolean isZero() { return mant.signum() == 0; }

        /** Exponent of the leading bit: value in [2^ilog, 2^(ilog+1)). */
        int ilog() { return mant.abs().bitLength() - 1 + exp; }

        BF negate() { return new BF(mant.negate(), exp); }

        BF abs() { return mant.signum() < 0 ? negate() : this; }

        BF shift(int n) { return new BF(mant, exp + n); }

        BF add(BF o) {
            if (isZero()) return o;
            if (o.isZero()) return this;
            // an operand far below the other's precision only nudges it (keeps the sign of the rest)
            if (o.ilog() < ilog() - P - 16) return nudge(o.signum());
            if (ilog() < o.ilog() - P - 16) return o.nudge(signum());
            if (exp <= o.exp) return new BF(mant.add(o.mant.shiftLeft(o.exp - exp)), exp);
            return new BF(mant.shiftLeft(exp - o.exp).add(o.mant), o.exp);
        }

        BF sub(BF o) { return add(o.negate()); }

        /** This value plus a tiny amount of the given sign (below every bit that matters). */
        private BF nudge(int sign) {
            int s = P + 16 - mant.abs().bitLength();
            if (s < 0) s = 0;
            return new BF(mant.shiftLeft(s).add(BigInteger.valueOf(sign)), exp - s);
        }

        BF mul(BF o) { return new BF(mant.multiply(o.mant), exp + o.exp); }

        BF div(BF o) {
            int s = P + 8 + o.mant.abs().bitLength() - mant.abs().bitLength();
            BigInteger num = s >= 0 ? mant.shiftLeft(s) : mant.shiftRight(-s);
            BigInteger[] qr = num.divideAndRemainder(o.mant);
            BigInteger q = qr[0];
            if (qr[1].signum() != 0) {
                // keep a sticky bit so that an inexact quotient never looks exact
                q = q.shiftLeft(1).add(BigInteger.valueOf(qr[1].signum() * o.mant.signum()));
                return new BF(q, exp - o.exp - s - 1);
            }
            return new BF(q, exp - o.exp - s);
        }

        BF div(long d) { return div(of(d)); }

        BF sqrt() {
            // make the exponent even and the mantissa wide
            int s = 2 * P + 16 - mant.bitLength();
            if (s < 0) s = 0;
            if (((exp - s) & 1) != 0) s++;
            BigInteger a = mant.shiftLeft(s);
            return new BF(a.sqrt(), (exp - s) / 2);
        }

        int compareAbs(BF o) {
            if (isZero() || o.isZero()) return Integer.compare(mant.signum() == 0 ? 0 : 1, o.mant.signum() == 0 ? 0 : 1);
            int a = ilog(), b = o.ilog();
            if (a != b) return a < b ? -1 : 1;
            return abs().sub(o.abs()).signum();
        }

        /** Nearest integer (ties away), for argument reduction. */
        BigInteger roundToInteger() {
            if (exp >= 0) return mant.shiftLeft(exp);
            BigInteger h = mant.add(BigInteger.ONE.shiftLeft(-exp - 1));
            return h.shiftRight(-exp);
        }
    }

    // ---- constants ----
    private static BF PI, LN2, PI_REDUCE;

    private static BF ln2() {
        if (LN2 == null) {
            // ln 2 = 2 atanh(1/3)
            LN2 = atanhSeries(BF.of(1).div(3)).shift(1);
        }
        return LN2;
    }

    private static BF pi() {
        if (PI == null) {
            // Machin: pi = 16 atan(1/5) - 4 atan(1/239)
            PI = atanSeries(BF.of(1).div(5)).shift(4).sub(atanSeries(BF.of(1).div(239)).shift(2));
        }
        return PI;
    }

    /**
     * The pi used by the hardware for argument reduction: pi rounded to 66 bits (found by
     * comparing against the host, see X87ReferenceTest; 66 to 68 bits give the same results
     * on the reference data, a longer pi does not).
     */
    static final int REDUCTION_PI_BITS = 66;

    private static BF reductionPi() {
        if (PI_REDUCE == null) {
            BF p = pi();
            if (REDUCTION_PI_BITS > 0) {
                BigInteger a = p.mant;
                int sh = a.bitLength() - REDUCTION_PI_BITS;
                BigInteger t = a.shiftRight(sh);
                // round to nearest
                if (a.testBit(sh - 1)) t = t.add(BigInteger.ONE);
                p = new BF(t, p.exp + sh);
            }
            PI_REDUCE = p;
        }
        return PI_REDUCE;
    }

    /** atanh(z) = z + z^3/3 + z^5/5 + ... for |z| <= 1/2. */
    private static BF atanhSeries(BF z) {
        BF z2 = z.mul(z);
        BF term = z;
        BF sum = z;
        for (int k = 3; ; k += 2) {
            term = term.mul(z2);
            BF t = term.div(k);
            sum = sum.add(t);
            if (t.isZero() || t.ilog() < sum.ilog() - P - 8) break;
        }
        return sum;
    }

    /** atan(z) = z - z^3/3 + ... for small |z|. */
    private static BF atanSeries(BF z) {
        BF z2 = z.mul(z);
        BF term = z;
        BF sum = z;
        for (int k = 3; ; k += 2) {
            term = term.mul(z2).negate();
            BF t = term.div(k);
            sum = sum.add(t);
            if (t.isZero() || t.ilog() < sum.ilog() - P - 8) break;
        }
        return sum;
    }

    /** atan(z) for any finite z >= 0 with |z| <= 1, using two halvings of the angle. */
    private static BF atan(BF z) {
        if (z.isZero()) return z;
        BF one = BF.of(1);
        int doublings = 0;
        while (z.ilog() >= -4) {
            z = z.div(one.add(one.add(z.mul(z)).sqrt()));
            doublings++;
        }
        return atanSeries(z).shift(doublings);
    }

    /** ln(x) for x > 0. */
    private static BF ln(BF x) {
        // x = a * 2^k with a in [sqrt(1/2), sqrt(2))
        int k = x.ilog();
        BF a = x.shift(-k);
        if (a.compareAbs(BF.of(181).div(128)) > 0) { a = a.shift(-1); k++; }
        BF one = BF.of(1);
        BF num = a.sub(one);
        BF lnA = num.isZero() ? num : atanhSeries(num.div(a.add(one))).shift(1);
        if (k == 0) return lnA;
        return lnA.add(ln2().mul(BF.of(k)));
    }

    /** log2(x) for x > 0, exact when x is a power of two. */
    private static BF log2(BF x) {
        int k = x.ilog();
        BF a = x.shift(-k);
        if (a.compareAbs(BF.of(181).div(128)) > 0) { a = a.shift(-1); k++; }
        BF one = BF.of(1);
        BF num = a.sub(one);
        BF r = num.isZero() ? num : atanhSeries(num.div(a.add(one))).shift(1).div(ln2());
        return k == 0 ? r : r.add(BF.of(k));
    }

    /** log2(1 + x) for x > -1, accurate for tiny x. */
    private static BF log2p1(BF x) {
        if (x.ilog() >= -2) return log2(BF.of(1).add(x));
        // ln(1+x) = 2 atanh(x / (2 + x))
        BF s = x.div(BF.of(2).add(x));
        return atanhSeries(s).shift(1).div(ln2());
    }

    /** e^t - 1, accurate for tiny t (|t| < 1). */
    private static BF expm1(BF t) {
        BF term = t;
        BF sum = t;
        for (int k = 2; ; k++) {
            term = term.mul(t).div(k);
            sum = sum.add(term);
            if (term.isZero() || term.ilog() < sum.ilog() - P - 8) break;
        }
        return sum;
    }

    private static BF sinSeries(BF r) {
        BF r2 = r.mul(r);
        BF term = r;
        BF sum = r;
        for (int k = 2; ; k += 2) {
            term = term.mul(r2).div((long) k * (k + 1)).negate();
            sum = sum.add(term);
            if (term.isZero() || term.ilog() < sum.ilog() - P - 8) break;
        }
        return sum;
    }

    private static BF cosSeries(BF r) {
        BF r2 = r.mul(r);
        BF term = BF.of(1);
        BF sum = term;
        for (int k = 1; ; k += 2) {
            term = term.mul(r2).div((long) k * (k + 1)).negate();
            sum = sum.add(term);
            if (term.isZero() || term.ilog() < -P - 8) break;
        }
        return sum;
    }

    // =====================================================================================
    // rounding a BF into the result registers
    // =====================================================================================

    private void round(BF v) {
        if (v.isZero()) {
            m.rSig = 0;
            m.rSe = 0;
            return;
        }
        int sign = v.signum() < 0 ? 1 : 0;
        BigInteger a = v.mant.abs();
        int bl = a.bitLength();
        long hi, lo;
        if (bl >= 128) {
            BigInteger top = a.shiftRight(bl - 128);
            hi = top.shiftRight(64).longValue();
            lo = top.longValue();
            if (a.getLowestSetBit() < bl - 128) lo |= 1;
        } else {
            BigInteger top = a.shiftLeft(128 - bl);
            hi = top.shiftRight(64).longValue();
            lo = top.longValue();
        }
        long e = (long) bl - 1 + v.exp + BIAS;
        if (e > 0x7FFF + 30000) e = 0x7FFF + 30000;
        if (e < -30000 - 200) e = -30000 - 200;
        m.roundPack(sign, (int) e, hi, lo, 64);
        // the hardware reports every computed transcendental result as inexact
        m.flags |= X87Math.PE;
    }

    /**
     * FYL2X and FYL2XP1 behave as if log2 were rounded to nearest at 68 bits before the
     * multiplication by y (found by comparing with the host: e.g. log2(2^63 - 0.5) gives exactly
     * 63 with C1 clear). The final results of the other instructions match best without such a step.
     */
    static final int LOG_BITS = 68;

    /** Rounds to nearest-even at LOG_BITS significant bits (the hardware's intermediate precision). */
    private static BF internal(BF v) {
        if (v.isZero()) return v;
        BigInteger a = v.mant.abs();
        int bl = a.bitLength();
        if (bl <= LOG_BITS) return v;
        int sh = bl - LOG_BITS;
        BigInteger t = a.shiftRight(sh);
        boolean half = a.testBit(sh - 1);
        boolean rest = a.getLowestSetBit() < sh - 1;
        if (half && (rest || t.testBit(0))) t = t.add(BigInteger.ONE);
        if (v.signum() < 0) t = t.negate();
        return new BF(t, v.exp + sh);
    }

    private void setResult(long s, int e) {
        m.rSig = s;
        m.rSe = e;
    }

    // =====================================================================================
    // the instructions
    // =====================================================================================

    private static final BigInteger TWO63 = BigInteger.ONE.shiftLeft(63);

    void unary(int op, long sig, int se) {
        outOfRange = false;
        pushSig = INT_BIT;
        pushSe = 0x3FFF;
        int c = classify(sig, se);
        switch (c) {
            case UNSUPPORTED:
                m.invalid();
                pushSig = m.rSig; pushSe = m.rSe;
                return;
            case QNAN: case SNAN:
                m.propagateNaN1(sig, se);
                pushSig = m.rSig; pushSe = m.rSe;
                return;
            case INFINITY:
                if (op == F2XM1) {
                    if ((se & 0x8000) != 0) setResult(INT_BIT, 0xBFFF);
                    else setResult(sig, se);
                    return;
                }
                m.invalid();
                pushSig = m.rSig; pushSe = m.rSe;
                return;
            case ZERO:
                if (op == FCOS) { setResult(INT_BIT, 0x3FFF); return; }
                if (op == FSINCOS) { setResult(sig, se); pushSig = INT_BIT; pushSe = 0x3FFF; return; }
                setResult(sig, se);
                return;
            case DENORMAL:
                if (m.denormal()) return;
                break;
            default:
                break;
        }
        BF x = BF.ofExtended(sig, se);
        if (op == F2XM1) {
            int e = se & 0x7FFF;
            if (e >= 0x3FFF && !(e == 0x3FFF && sig == INT_BIT)) {
                // |x| > 1 is outside the domain: the host leaves the operand and reports PE
                setResult(sig, se);
                m.flags |= X87Math.PE;
                return;
            }
            if (e == 0x3FFF && sig == INT_BIT) {
                // 2^-1 - 1 = -0.5 exactly; 2^1 - 1 comes out of the hardware a little below 1
                // (1 - ulp when rounding down); both report PE
                if ((se & 0x8000) != 0) { setResult(INT_BIT, 0xBFFE); m.flags |= X87Math.PE; }
                else round(BF.of(1).nudge(-1));
                return;
            }
            BF t = x.mul(ln2());
            BF r;
            if (t.ilog() < 0) r = expm1(t);
            else {
                // split t = n ln2 + f ... only for |x| > 1 (undefined); use 2^n * e^f - 1
                BF ip = BF.of(x.roundToInteger().longValue());
                BF f = x.sub(ip).mul(ln2());
                r = expm1(f).add(BF.of(1)).shift(ip.mant.intValue()).sub(BF.of(1));
            }
            round(r);
            return;
        }
        // trigonometric: |x| < 2^63 required
        if ((se & 0x7FFF) >= BIAS + 63) {
            outOfRange = true;
            return;
        }
        BF halfPi = reductionPi().shift(-1);
        BF q = x.div(halfPi);
        BigInteger k = q.roundToInteger();
        BF r = x.sub(halfPi.mul(new BF(k, 0)));
        int quadrant = k.intValue() & 3;
        BF s = sinSeries(r), co = cosSeries(r);
        BF sinX, cosX;
        switch (quadrant) {
            case 0: sinX = s; cosX = co; break;
            case 1: sinX = co; cosX = s.negate(); break;
            case 2: sinX = s.negate(); cosX = co.negate(); break;
            default: sinX = co.negate(); cosX = s; break;
        }
        switch (op) {
            case FSIN: round(sinX); return;
            case FCOS: round(cosX); return;
            case FPTAN:
                if ((quadrant & 1) == 0 && r.ilog() < -P / 4) {
                    // tan r = r + r^3/3 + ... (keeps the direction of the error for tiny r)
                    round(r.add(r.mul(r).mul(r).div(3)));
                } else round(sinX.div(cosX));
                return;
            default: {
                round(cosX);
                long cs = m.rSig;
                int ce = m.rSe;
                m.flags &= ~X87Math.C1;      // C1 reports the rounding of the sine
                round(sinX);
                pushSig = cs;
                pushSe = ce;
            }
        }
    }

    /** a = ST(0) (x), b = ST(1) (y); the result replaces ST(1). */
    void binary(int op, long aSig, int aSe, long bSig, int bSe) {
        int ca = classify(aSig, aSe), cb = classify(bSig, bSe);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) { m.invalid(); return; }
        if (ca >= QNAN || cb >= QNAN) { m.propagateNaN(aSig, aSe, bSig, bSe); return; }
        int sx = aSe & 0x8000, sy = bSe & 0x8000;
        switch (op) {
            case FYL2X: {
                // y * log2(x)
                if (sx != 0 && ca != ZERO) { m.invalid(); return; }
                if (ca == ZERO) {
                    if (cb == ZERO) { m.invalid(); return; }
                    if (cb == INFINITY) { setResult(INT_BIT, (sy ^ 0x8000) | 0x7FFF); return; }
                    m.flags |= X87Math.ZE;
                    if ((m.masks & X87Math.ZE) == 0) { m.noResult = true; return; }
                    setResult(INT_BIT, (sy ^ 0x8000) | 0x7FFF);
                    return;
                }
                if (ca == INFINITY) {
                    if (cb == ZERO) { m.invalid(); return; }
                    if (cb == DENORMAL && m.denormal()) return;
                    setResult(INT_BIT, sy | 0x7FFF);
                    return;
                }
                if ((ca == DENORMAL || cb == DENORMAL) && m.denormal()) return;
                BF x = BF.ofExtended(aSig, aSe);
                BF l = log2(x);
                if (cb == INFINITY) {
                    if (l.isZero()) { m.invalid(); return; }
                    setResult(INT_BIT, (sy ^ (l.signum() < 0 ? 0x8000 : 0)) | 0x7FFF);
                    return;
                }
                if (cb == ZERO || l.isZero()) {
                    setResult(0, sy ^ (l.signum() < 0 ? 0x8000 : 0));
                    return;
                }
                round(internal(l).mul(BF.ofExtended(bSig, bSe)));
                return;
            }
            case FYL2XP1: {
                // y * log2(x + 1)
                if (ca == ZERO) {
                    if (cb == INFINITY) { m.invalid(); return; }
                    if (cb == DENORMAL && m.denormal()) return;
                    setResult(0, sx ^ sy);
                    return;
                }
                if (ca == INFINITY) {
                    if (sx != 0) { m.invalid(); return; }
                    if (cb == ZERO) { m.invalid(); return; }
                    if (cb == DENORMAL && m.denormal()) return;
                    setResult(INT_BIT, sy | 0x7FFF);
                    return;
                }
                if (sx != 0 && (aSe & 0x7FFF) >= 0x3FFF) {
                    // x <= -1 is outside the domain: the host returns x (inexact), or a signed
                    // zero / infinity for y = 0 / infinity
                    if (cb == ZERO) { setResult(0, sx ^ sy); return; }
                    if (cb == INFINITY) { setResult(INT_BIT, (sy ^ 0x8000) | 0x7FFF); return; }
                    if (cb == DENORMAL && m.denormal()) return;
                    setResult(aSig, aSe);
                    m.flags |= X87Math.PE;
                    return;
                }
                if ((ca == DENORMAL || cb == DENORMAL) && m.denormal()) return;
                BF x = BF.ofExtended(aSig, aSe);
                BF l = log2p1(x);
                if (cb == INFINITY) { setResult(INT_BIT, (sy ^ (l.signum() < 0 ? 0x8000 : 0)) | 0x7FFF); return; }
                if (cb == ZERO) { setResult(0, sy ^ (l.signum() < 0 ? 0x8000 : 0)); return; }
                round(internal(l).mul(BF.ofExtended(bSig, bSe)));
                return;
            }
            default: {
                // atan2(y, x)
                if ((ca == DENORMAL || cb == DENORMAL) && m.denormal()) return;
                BF pi = pi();
                BF r;
                if (cb == ZERO) {
                    if (sx == 0) { setResult(0, sy); return; }
                    r = pi;
                } else if (cb == INFINITY) {
                    if (ca == INFINITY) r = sx == 0 ? pi.shift(-2) : pi.mul(BF.of(3)).shift(-2);
                    else r = pi.shift(-1);
                } else if (ca == ZERO) {
                    r = pi.shift(-1);
                } else if (ca == INFINITY) {
                    if (sx == 0) { setResult(0, sy); return; }
                    r = pi;
                } else {
                    BF x = BF.ofExtended(aSig, aSe).abs();
                    BF y = BF.ofExtended(bSig, bSe).abs();
                    if (y.compareAbs(x) <= 0) r = atan(y.div(x));
                    else r = pi.shift(-1).sub(atan(x.div(y)));
                    if (sx != 0) r = pi.sub(r);
                }
                if (sy != 0) r = r.negate();
                round(r);
            }
        }
    }
}
