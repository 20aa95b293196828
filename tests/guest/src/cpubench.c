/* cpubench: a CPU-bound integer benchmark for speed comparisons.
 * Usage: cpubench [ITERATIONS]  (default 30000, about 1 s natively).
 * Each iteration mixes an LCG, xorshift, table indexing, small non-inlined
 * function calls, branches, and byte-string work. Prints a checksum that
 * depends only on the iteration count. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TBL 4096
static uint32_t table[TBL];
static unsigned char text[1024];

static __attribute__((noinline)) uint32_t rotl(uint32_t x, int k)
{
    return (x << (k & 31)) | (x >> ((32 - k) & 31));
}

static __attribute__((noinline)) uint32_t step(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x01000193u;
    return h ^ (h >> 15);
}

static __attribute__((noinline)) int classify(unsigned c)
{
    if (c < 32) return 0;
    if (c >= 'a' && c <= 'z') return 1;
    if (c >= 'A' && c <= 'Z') return 2;
    if (c >= '0' && c <= '9') return 3;
    return c & 1 ? 4 : 5;
}

/* byte-string work: a tiny run-length encoder into a local buffer */
static __attribute__((noinline)) uint32_t rle(const unsigned char *p, int n)
{
    unsigned char out[2 * 1024];
    int o = 0;
    for (int i = 0; i < n;) {
        int j = i;
        while (j < n && j - i < 255 && p[j] == p[i])
            j++;
        out[o++] = (unsigned char)(j - i);
        out[o++] = p[i];
        i = j;
    }
    uint32_t h = 2166136261u;
    for (int i = 0; i < o; i++)
        h = (h ^ out[i]) * 16777619u;
    return h + (uint32_t)o;
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 30000;
    uint32_t lcg = 1, xs = 0x9e3779b9u, sum = 0;
    unsigned counts[6] = { 0 };

    for (int i = 0; i < TBL; i++) {
        lcg = lcg * 1103515245u + 12345u;
        table[i] = lcg;
    }
    for (long it = 0; it < iters; it++) {
        /* table walk with data-dependent indexing */
        uint32_t idx = (uint32_t)it;
        for (int k = 0; k < 2000; k++) {
            xs ^= xs << 13;
            xs ^= xs >> 17;
            xs ^= xs << 5;
            idx = (idx + table[(idx ^ xs) & (TBL - 1)]) & (TBL - 1);
            table[idx] += xs;
            sum = step(sum, table[idx]);
            if (sum & 0x100)
                sum = rotl(sum, (int)(xs & 31));
        }
        /* byte strings */
        for (int k = 0; k < (int)sizeof text; k++) {
            lcg = lcg * 1103515245u + 12345u;
            text[k] = (unsigned char)((lcg >> 16) % 7 == 0 ? text[k ? k - 1 : 0]
                                                             : (lcg >> 24));
        }
        for (int k = 0; k < (int)sizeof text; k += 8)
            counts[classify(text[k])]++;
        sum ^= rle(text, sizeof text);
        memmove(text + 1, text, sizeof text - 1);
        sum += (uint32_t)(strlen((const char *)text + 1) & 0xff);
    }
    printf("cpubench: iterations=%ld checksum=%08x classes=%u,%u,%u,%u,%u,%u\n",
           iters, sum, counts[0], counts[1], counts[2], counts[3], counts[4],
           counts[5]);
    return 0;
}
