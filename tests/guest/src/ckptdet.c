/* ckptdet: a long deterministic computation for checkpoint/restart determinism tests.
 * Usage: ckptdet [ROUNDS] [KIB]  (defaults 24 rounds over 3072 KiB).
 * A buffer of KIB KiB (from malloc: mmap-backed, so it spans several 256-page
 * image chunks) is filled from an LCG; each round mixes it with integer work
 * (xorshift, multiply, rotate, a data-dependent walk) and x87 work (sums,
 * products, divisions and square roots of doubles and long doubles, which are
 * exact IEEE operations), prints a progress line and carries the state on.
 * The last line is a checksum of the whole buffer and of the float state. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t lcg = 12345u;

static uint32_t next(void)
{
    lcg = lcg * 1103515245u + 12345u;
    return lcg;
}

static __attribute__((noinline)) uint32_t mix(uint32_t *buf, uint32_t n, uint32_t h)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = buf[i] ^ h;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = x * 0x9e3779b1u + i;
        h = (h << 7 | h >> 25) ^ buf[i];
    }
    /* a data-dependent walk touches the buffer out of order */
    uint32_t j = h % n;
    for (uint32_t k = 0; k < n / 8; k++) {
        j = (j + buf[j] % 1021u + 1u) % n;
        buf[j] += k;
        h += buf[j];
    }
    return h;
}

static __attribute__((noinline)) double fpu(const uint32_t *buf, uint32_t n, double acc, long double *ld)
{
    for (uint32_t i = 0; i < n; i += 61) {
        double v = (double)(buf[i] & 0xfffff) + 1.0;
        acc = acc * 0.999 + sqrt(v) / (1.0 + (double)(buf[i] >> 24));
        *ld += (long double)v / 3.0L - (long double)acc * 1e-6L;
        if (*ld > 1e12L)
            *ld = sqrtl(*ld);
    }
    return acc;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 24;
    uint32_t kib = argc > 2 ? (uint32_t)atoi(argv[2]) : 3072;
    uint32_t n = kib * 256;
    uint32_t *buf = malloc((size_t)n * 4);
    if (!buf) {
        printf("no memory\n");
        return 1;
    }
    for (uint32_t i = 0; i < n; i++)
        buf[i] = next();
    uint32_t h = 0x811c9dc5u;
    double acc = 1.0;
    long double ld = 0.0L;
    for (int r = 0; r < rounds; r++) {
        h = mix(buf, n, h + (uint32_t)r);
        acc = fpu(buf, n, acc, &ld);
        printf("round %2d: h=%08x acc=%.9f ld=%.6Lf\n", r, h, acc, ld);
        fflush(stdout);
    }
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum = (sum << 5 | sum >> 27) ^ buf[i];
    printf("checksum=%08x %.12e\n", sum ^ h, acc + (double)ld);
    free(buf);
    return 0;
}
