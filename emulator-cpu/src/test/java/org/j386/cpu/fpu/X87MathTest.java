package org.j386.cpu.fpu;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks the soft-float core against straightforward BigInteger arithmetic on many random
 * operands, in every rounding mode and precision (the host reference test covers fewer
 * operands but also every special case and flag).
 */
class X87MathTest {
    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static BigInteger u(long v) { return BigInteger.valueOf(v).and(MASK64); }

    /** Correct rounding of the positive value m * 2^e (m > 0) to p bits with rounding control rc, exponent unbounded. */
    private static long[] roundRef(BigInteger m, int e, int p, int rc, boolean exact) {
        int bl = m.bitLength();
        int sh = bl - p;
        BigInteger kept;
        boolean inexact;
        int cmp;
        if (sh > 0) {
            kept = m.shiftRight(sh);
            BigInteger rest = m.subtract(kept.shiftLeft(sh));
            inexact = rest.signum() != 0 || !exact;
            BigInteger half = BigInteger.ONE.shiftLeft(sh - 1);
            cmp = rest.compareTo(half);
            if (cmp == 0 && !exact) cmp = 1;
        } else {
            kept = m.shiftLeft(-sh);
            inexact = !exact;
            cmp = exact ? -1 : -1;
        }
        boolean inc;
        switch (rc) {
            case 0: inc = cmp > 0 || (cmp == 0 && kept.testBit(0)); break;
            case 2: inc = inexact; break;
            default: inc = false; break;
        }
        if (inc) kept = kept.add(BigInteger.ONE);
        int exp = e + sh + p - 1;   // exponent of the leading bit
        if (kept.bitLength() > p) { kept = kept.shiftRight(1); exp++; }
        return new long[] { kept.shiftLeft(64 - p).longValue(), exp, inexact ? 1 : 0, inc ? 1 : 0 };
    }

    @Test
    void sqrtIsCorrectlyRounded() {
        X87Math m = new X87Math();
        SplittableRandom r = new SplittableRandom(42);
        int[] pcs = { 0x000, 0x200, 0x300 };
        int[] precs = { 24, 53, 64 };
        for (int i = 0; i < 50_000; i++) {
            long sig = r.nextLong() | F80.INT_BIT;
            if ((i & 7) == 0) sig = F80.INT_BIT | (r.nextLong() >>> r.nextInt(64));
            if ((i & 15) == 1) sig = -1L - r.nextInt(3);
            int ex = 0x3FFF + r.nextInt(-200, 200);
            int rcI = i & 1, pcI = (i >> 1) % 3;
            int rc = rcI == 0 ? 0 : 2 + (i >> 3) % 2 * 0;  // nearest and up (down == chop for positive)
            if ((i & 4) != 0) rc = 3;
            m.begin(0x037F & ~0x300 | pcs[pcI] | rc << 10);
            m.sqrt(sig, ex);
            // reference: sqrt(sig * 2^(ex - BIAS - 63))
            int bigE = ex - F80.BIAS - 63;
            BigInteger n = u(sig);
            int k = 300;                               // extra bits
            if (((bigE - k) & 1) != 0) k++;
            BigInteger scaled = n.shiftLeft(k);
            BigInteger root = scaled.sqrt();
            boolean exact = root.multiply(root).equals(scaled);
            long[] ref = roundRef(root, (bigE - k) / 2, precs[pcI], rc, exact);
            String ctx = String.format("sqrt %04X:%016X rc=%d pc=%d", ex, sig, rc, precs[pcI]);
            assertEquals(ref[0], m.rSig, ctx);
            assertEquals((int) ref[1] + F80.BIAS, m.rSe, ctx);
            assertEquals(ref[2] != 0, (m.flags & X87Math.PE) != 0, ctx);
            assertEquals(ref[3] != 0, (m.flags & X87Math.C1) != 0, ctx);
        }
    }

    @Test
    void mulAndDivAreCorrectlyRounded() {
        X87Math m = new X87Math();
        SplittableRandom r = new SplittableRandom(7);
        int[] pcs = { 0x000, 0x200, 0x300 };
        int[] precs = { 24, 53, 64 };
        for (int i = 0; i < 50_000; i++) {
            long a = r.nextLong() | F80.INT_BIT, b = r.nextLong() | F80.INT_BIT;
            if ((i & 7) == 0) b = F80.INT_BIT | (r.nextLong() >>> r.nextInt(64));
            int ea = 0x3FFF + r.nextInt(-100, 100), eb = 0x3FFF + r.nextInt(-100, 100);
            int pcI = i % 3;
            int rc = (i >> 2) % 2 == 0 ? 0 : ((i >> 3) % 2 == 0 ? 2 : 3);
            m.begin(0x037F & ~0x300 | pcs[pcI] | rc << 10);
            boolean div = (i & 1) != 0;
            if (div) m.div(a, ea, b, eb);
            else m.mul(a, ea, b, eb);
            BigInteger ref;
            int refE;
            boolean exact;
            if (div) {
                BigInteger num = u(a).shiftLeft(200);
                BigInteger[] qr = num.divideAndRemainder(u(b));
                ref = qr[0];
                exact = qr[1].signum() == 0;
                refE = (ea - eb) - 200;
            } else {
                ref = u(a).multiply(u(b));
                exact = true;
                refE = (ea - F80.BIAS - 63) + (eb - F80.BIAS - 63);
            }
            long[] exp = roundRef(ref, refE, precs[pcI], rc, exact);
            String ctx = String.format("%s %04X:%016X %04X:%016X rc=%d pc=%d", div ? "div" : "mul", ea, a, eb, b, rc, precs[pcI]);
            assertEquals(exp[0], m.rSig, ctx);
            assertEquals((int) exp[1] + F80.BIAS, m.rSe, ctx);
            assertEquals(exp[2] != 0, (m.flags & X87Math.PE) != 0, ctx);
            assertEquals(exp[3] != 0, (m.flags & X87Math.C1) != 0, ctx);
        }
    }
}
