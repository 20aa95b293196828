package org.j386.kernel.fs;

/**
 * The byte stream of /dev/random and /dev/urandom: SplitMix64 from the configured seed, so a
 * run is reproducible. The state is one long, to be saved and restored by checkpoints.
 */
public final class DeviceRandom {
    private long state;

    public DeviceRandom(long seed) { this.state = seed; }

    public long state() { return state; }

    public void setState(long state) { this.state = state; }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public void nextBytes(byte[] b, int off, int len) {
        while (len > 0) {
            long v = nextLong();
            for (int i = 0; i < 8 && len > 0; i++, len--) {
                b[off++] = (byte) v;
                v >>>= 8;
            }
        }
    }
}
