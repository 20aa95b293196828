/* malloc: allocator stress. Thousands of blocks of varying sizes (small ones
 * come from brk, blocks over 128 KiB from mmap), realloc growth and shrink,
 * calloc zeroing, frees in a shuffled order driven by a fixed-seed LCG, and
 * content verification with memset/memcmp. Prints counts and a checksum,
 * never an address. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t lcg_state = 12345;
static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1103515245u + 12345u;
    return lcg_state >> 1;
}

#define NSLOTS 3000
static unsigned char *blk[NSLOTS];
static size_t len[NSLOTS];
static unsigned char tag[NSLOTS];

static uint32_t checksum = 2166136261u;
static void mix(uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        checksum ^= (v >> (8 * i)) & 0xff;
        checksum *= 16777619u;
    }
}

static int errors;

static size_t pick_size(void)
{
    uint32_t r = lcg() % 1000;
    if (r < 750)
        return lcg() % 128;            /* tiny */
    if (r < 970)
        return 128 + lcg() % 2000;     /* small */
    if (r < 997)
        return 4096 + lcg() % 30000;   /* medium */
    return 131072 + lcg() % 200000;    /* large: mmap territory */
}

static int verify(int i)
{
    unsigned char *p = blk[i];
    for (size_t k = 0; k < len[i]; k++)
        if (p[k] != (unsigned char)(tag[i] + k * 7)) {
            errors++;
            return 0;
        }
    return 1;
}

static void fill(int i)
{
    for (size_t k = 0; k < len[i]; k++)
        blk[i][k] = (unsigned char)(tag[i] + k * 7);
}

int main(void)
{
    unsigned long allocs = 0, frees = 0, reallocs = 0, callocs = 0, bigs = 0;
    unsigned long long bytes = 0;
    int round, i;

    for (round = 0; round < 5; round++) {
        /* fill every empty slot */
        for (i = 0; i < NSLOTS; i++) {
            if (blk[i])
                continue;
            len[i] = pick_size();
            tag[i] = (unsigned char)lcg();
            if (lcg() % 5 == 0) {
                blk[i] = calloc(1, len[i]);
                callocs++;
                if (!blk[i] && len[i]) { errors++; continue; }
                for (size_t k = 0; k < len[i]; k++)
                    if (blk[i][k] != 0) { errors++; break; }
            } else {
                blk[i] = malloc(len[i]);
                allocs++;
            }
            if (!blk[i]) {
                blk[i] = malloc(1);  /* malloc(0) may return NULL or not */
                len[i] = 0;
            }
            if (len[i] >= 131072)
                bigs++;
            bytes += len[i];
            fill(i);
        }
        /* grow or shrink some with realloc; contents must survive */
        for (i = 0; i < NSLOTS; i += 1 + lcg() % 7) {
            size_t old = len[i], nl;
            if (!verify(i))
                continue;
            nl = (lcg() & 1) ? old * 2 + 1 + lcg() % 300 : old / 2;
            unsigned char *q = realloc(blk[i], nl ? nl : 1);
            reallocs++;
            if (!q) { errors++; continue; }
            blk[i] = q;
            size_t keep = old < nl ? old : nl;
            for (size_t k = 0; k < keep; k++)
                if (q[k] != (unsigned char)(tag[i] + k * 7)) { errors++; break; }
            len[i] = nl;
            fill(i);
        }
        /* free about half of the slots, in a shuffled order */
        static int order[NSLOTS];
        for (i = 0; i < NSLOTS; i++)
            order[i] = i;
        for (i = NSLOTS - 1; i > 0; i--) {
            int j = lcg() % (i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (i = 0; i < NSLOTS / 2; i++) {
            int s = order[i];
            if (!blk[s])
                continue;
            verify(s);
            for (size_t k = 0; k < len[s]; k += 61)
                mix(blk[s][k]);
            mix((uint32_t)len[s]);
            free(blk[s]);
            blk[s] = 0;
            frees++;
        }
    }

    /* memset/memcmp over what is left, then free it all */
    unsigned char *ref = malloc(1 << 20);
    for (i = 0; i < NSLOTS; i++) {
        if (!blk[i])
            continue;
        verify(i);
        size_t n = len[i] < (1u << 20) ? len[i] : (1u << 20);
        memset(blk[i], i & 0xff, n);
        memset(ref, i & 0xff, n);
        if (memcmp(blk[i], ref, n) != 0)
            errors++;
        mix((uint32_t)n);
        free(blk[i]);
        blk[i] = 0;
        frees++;
    }
    free(ref);

    /* a few very large blocks, touched page by page */
    for (i = 1; i <= 8; i++) {
        size_t n = (size_t)i * 1024 * 1024 + 123;
        unsigned char *p = malloc(n);
        if (!p) { errors++; continue; }
        for (size_t k = 0; k < n; k += 4096)
            p[k] = (unsigned char)(k >> 12);
        p[n - 1] = 0x5a;
        uint32_t s = 0;
        for (size_t k = 0; k < n; k += 4096)
            s += p[k];
        mix(s + p[n - 1]);
        free(p);
    }

    printf("malloc: allocs=%lu callocs=%lu reallocs=%lu frees=%lu big=%lu bytes=%llu\n",
           allocs, callocs, reallocs, frees, bigs, bytes);
    printf("malloc: checksum=%08x errors=%d\n", checksum, errors);
    return errors ? 1 : 0;
}
