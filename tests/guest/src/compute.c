/* compute: a compute kernel. Fills 1 MB with an LCG, qsorts it and hashes
 * the sorted array (FNV-1a), then a sieve of Eratosthenes, 64-bit
 * multiply/divide, and a bitwise CRC-32. Prints the results. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM (1u << 18)          /* 1 MiB of uint32_t: musl's qsort is slow */
#define SIEVE_MAX 2000000u

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint32_t fnv1a(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t crc32_bitwise(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

int main(void)
{
    uint32_t *a = malloc(NELEM * sizeof *a);
    uint32_t x = 1;
    size_t i;

    if (!a) {
        puts("compute: out of memory");
        return 1;
    }
    for (i = 0; i < NELEM; i++) {
        x = x * 1664525u + 1013904223u;
        a[i] = x ^ (x >> 13);
    }
    printf("unsorted fnv1a=%08x\n", fnv1a(a, NELEM * sizeof *a));
    qsort(a, NELEM, sizeof *a, cmp_u32);
    int sorted = 1;
    for (i = 1; i < NELEM; i++)
        if (a[i - 1] > a[i])
            sorted = 0;
    printf("sorted=%d min=%08x median=%08x max=%08x fnv1a=%08x\n", sorted, a[0],
           a[NELEM / 2], a[NELEM - 1], fnv1a(a, NELEM * sizeof *a));

    /* sieve */
    unsigned char *comp = calloc(SIEVE_MAX + 1, 1);
    unsigned nprimes = 0, last = 0;
    uint64_t psum = 0;
    for (uint32_t p = 2; p <= SIEVE_MAX; p++) {
        if (comp[p])
            continue;
        nprimes++;
        last = p;
        psum += p;
        for (uint32_t m = p * 2; m <= SIEVE_MAX; m += p)
            comp[m] = 1;
    }
    printf("primes<=%u: count=%u last=%u sum=%llu\n", SIEVE_MAX, nprimes, last,
           (unsigned long long)psum);
    free(comp);

    /* 64-bit multiply, divide, modulo, shifts (libgcc helpers on i386) */
    uint64_t h = 0x0123456789abcdefull, acc = 0;
    int64_t s = -987654321012345ll;
    for (i = 0; i < 200000; i++) {
        h = h * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t d = (h >> 35) | 1;
        acc += h / d + h % (d + 7);
        s = s / 3 + (int64_t)(h >> 20) % 1000003 - (s >> 5);
        acc ^= (uint64_t)s << (i & 31);
    }
    printf("u64: h=%016llx acc=%016llx s=%lld\n", (unsigned long long)h,
           (unsigned long long)acc, (long long)s);

    /* CRC-32 of the sorted array's first 256 KiB and of a known string */
    printf("crc32(\"123456789\")=%08x\n",
           crc32_bitwise((const unsigned char *)"123456789", 9));
    printf("crc32(sorted[0..64K))=%08x\n",
           crc32_bitwise((const unsigned char *)a, 65536 * sizeof *a));
    free(a);
    puts("compute: done");
    return 0;
}
