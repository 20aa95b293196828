package org.j386.cpu.fpu;

/**
 * Static helpers on 80-bit extended values held as a pair (long significand, int signExp):
 * the significand has the explicit integer bit at bit 63, signExp is sign (bit 15) and biased
 * exponent (bits 0-14). Nothing here allocates.
 */
public final class F80 {
    private F80() {}

    public static final int BIAS = 16383;
    public static final int EXP_MAX = 0x7FFF;
    public static final long INT_BIT = 0x8000000000000000L;
    public static final long QUIET_BIT = 0x4000000000000000L;

    /** The default QNaN "real indefinite": sign 1, exponent all ones, significand 0xC000000000000000. */
    public static final long INDEFINITE_SIG = 0xC000000000000000L;
    public static final int INDEFINITE_SE = 0xFFFF;

    // value classes
    public static final int ZERO = 0, DENORMAL = 1, NORMAL = 2, INFINITY = 3, QNAN = 4, SNAN = 5, UNSUPPORTED = 6;

    /**
     * Classifies a value. Pseudo-denormals (exponent 0, integer bit 1) count as DENORMAL;
     * unnormals, pseudo-infinities and pseudo-NaNs as UNSUPPORTED.
     */
    public static int classify(long sig, int se) {
        int e = se & 0x7FFF;
        if (e == 0) return sig == 0 ? ZERO : DENORMAL;
        if (e == 0x7FFF) {
            if (sig >= 0) return UNSUPPORTED;
            if (sig == INT_BIT) return INFINITY;
            return (sig & QUIET_BIT) != 0 ? QNAN : SNAN;
        }
        return sig < 0 ? NORMAL : UNSUPPORTED;
    }

    public static boolean isNaN(long sig, int se) {
        return (se & 0x7FFF) == 0x7FFF && sig < 0 && (sig << 1) != 0;
    }

    public static boolean isSignalingNaN(long sig, int se) {
        return isNaN(sig, se) && (sig & QUIET_BIT) == 0;
    }

    public static boolean isNegative(int se) { return (se & 0x8000) != 0; }

    /** The high 64 bits of the unsigned 128-bit product a*b. */
    static long umulh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    // ---- conversions between the extended format and IEEE single/double (host types) ----

    /** Converts a Java double exactly (no rounding needed) into the extended format; returns the significand and stores signExp in seOut[0]. */
    public static long fromDouble(double d, int[] seOut) {
        long b = Double.doubleToRawLongBits(d);
        int sign = (int) (b >>> 63) << 15;
        int e = (int) (b >>> 52) & 0x7FF;
        long f = b & 0xFFFFFFFFFFFFFL;
        if (e == 0) {
            if (f == 0) { seOut[0] = sign; return 0; }
            int lz = Long.numberOfLeadingZeros(f);
            seOut[0] = sign | (BIAS + 63 - 1074 - lz);
            return f << lz;
        }
        if (e == 0x7FF) { seOut[0] = sign | 0x7FFF; return INT_BIT | f << 11; }
        seOut[0] = sign | (e - 1023 + BIAS);
        return INT_BIT | f << 11;
    }

    /** Converts to a Java double, rounding to nearest-even (for display and debugging only). */
    public static double toDouble(long sig, int se) {
        X87Math m = new X87Math();
        m.begin(0x037F);
        return Double.longBitsToDouble(m.toDoubleBits(sig, se));
    }

    /** A readable form, e.g. for test messages: "signExp:significand (approx. value)". */
    public static String toString(long sig, int se) {
        return String.format("%04X:%016X (%s)", se & 0xFFFF, sig, toDouble(sig, se));
    }
}
