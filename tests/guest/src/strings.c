/* strings: the C library's string and memory functions over many sizes
 * (0..300) and source/destination alignments (0..15), compared byte for byte
 * against simple reference loops in this file. Guard bytes around every
 * destination catch overruns. Prints per-function case counts, a checksum
 * and the number of mismatches (expected 0). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 300
#define PAD 64
#define BUFSZ (PAD + 16 + MAXN + 16 + PAD)

/* The reference routines read and write through volatile pointers so that
 * the compiler cannot turn them back into calls to the library. */
typedef volatile unsigned char vu8;

static void ref_memcpy(void *d, const void *s, size_t n)
{
    vu8 *dp = d; const vu8 *sp = s;
    for (size_t i = 0; i < n; i++) dp[i] = sp[i];
}
static void ref_memmove(void *d, const void *s, size_t n)
{
    vu8 *dp = d; const vu8 *sp = s;
    if (dp < sp)
        for (size_t i = 0; i < n; i++) dp[i] = sp[i];
    else
        for (size_t i = n; i-- > 0;) dp[i] = sp[i];
}
static void ref_memset(void *d, int c, size_t n)
{
    vu8 *dp = d;
    for (size_t i = 0; i < n; i++) dp[i] = (unsigned char)c;
}
static int ref_memcmp(const void *a, const void *b, size_t n)
{
    const vu8 *p = a, *q = b;
    for (size_t i = 0; i < n; i++)
        if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
    return 0;
}
static size_t ref_strlen(const char *s)
{
    const vu8 *p = (const vu8 *)s; size_t n = 0;
    while (p[n]) n++;
    return n;
}
static int ref_strncmp(const char *a, const char *b, size_t n)
{
    const vu8 *p = (const vu8 *)a, *q = (const vu8 *)b;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
        if (!p[i]) return 0;
    }
    return 0;
}
static const char *ref_strchr(const char *s, int c)
{
    const vu8 *p = (const vu8 *)s;
    for (;; p++) {
        if (*p == (unsigned char)c) return (const char *)p;
        if (!*p) return 0;
    }
}
static const char *ref_strrchr(const char *s, int c)
{
    const char *r = 0; const vu8 *p = (const vu8 *)s;
    for (;; p++) {
        if (*p == (unsigned char)c) r = (const char *)p;
        if (!*p) return r;
    }
}
static const void *ref_memchr(const void *s, int c, size_t n)
{
    const vu8 *p = s;
    for (size_t i = 0; i < n; i++)
        if (p[i] == (unsigned char)c) return (const void *)(p + i);
    return 0;
}
static const char *ref_strstr(const char *h, const char *nd)
{
    size_t hl = ref_strlen(h), nl = ref_strlen(nd);
    if (nl == 0) return h;
    for (size_t i = 0; i + nl <= hl; i++)
        if (ref_memcmp(h + i, nd, nl) == 0) return h + i;
    return 0;
}

static int sgn(int x) { return (x > 0) - (x < 0); }

/* ---- bookkeeping */
static uint32_t seed = 2463534242u;
static uint32_t rnd(void)
{
    seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
    return seed;
}
static uint32_t sum = 2166136261u;
static void mix(uint32_t v)
{
    for (int i = 0; i < 4; i++) { sum ^= (v >> (8 * i)) & 0xff; sum *= 16777619u; }
}
static long mismatches;
static long cases;
static void bad(const char *fn, size_t n, int sa, int da)
{
    if (mismatches < 20)
        printf("MISMATCH %s n=%u sa=%d da=%d\n", fn, (unsigned)n, sa, da);
    mismatches++;
}

static unsigned char A[BUFSZ], B[BUFSZ], RA[BUFSZ], RB[BUFSZ];

/* non-zero pseudo-random bytes, half of them >= 0x80, taken from a pool at
 * a random offset (cheaper than one generator step per byte) */
static unsigned char pool[8192];
static void randfill(unsigned char *p, size_t n)
{
    const unsigned char *q = pool + (rnd() & 4095);
    for (size_t i = 0; i < n; i++)
        p[i] = q[i];
}
static void init_pool(void)
{
    for (size_t i = 0; i < sizeof pool; i++) {
        unsigned char c = (unsigned char)rnd();
        pool[i] = c ? c : 0x41;
    }
}

/* ---- the case list: every size with 16 alignment pairs, and some sizes
 * with all 256 pairs */
static const int full_sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32,
                                  33, 63, 64, 65, 127, 128, 129, 257 };
typedef void (*case_fn)(size_t n, int sa, int da);

static void run(const char *name, case_fn f)
{
    /* every size with 6 alignment pairs (all 16 source alignments are
     * visited across neighbouring sizes), then the sizes above with all
     * 256 pairs */
    long before = cases, mb = mismatches;
    for (size_t n = 0; n <= MAXN; n++)
        for (int k = 0; k < 6; k++)
            f(n, ((int)n * 7 + k * 3) & 15, ((int)n * 5 + k * 11 + 3) & 15);
    for (unsigned k = 0; k < sizeof full_sizes / sizeof full_sizes[0]; k++)
        for (int sa = 0; sa < 16; sa++)
            for (int da = 0; da < 16; da++)
                f(full_sizes[k], sa, da);
    printf("%-10s cases=%ld mismatches=%ld\n", name, cases - before,
           mismatches - mb);
}

/* Only the window that a case can touch (plus 16 guard bytes on each side)
 * is refilled and compared, to keep the program quick under emulation. */
static size_t win;   /* bytes from PAD-16, set per case */
#define WIN(n) (win = (n) + 16 + 16 + 16 + 8)
static void wfill(unsigned char *p) { randfill(p + PAD - 16, win); }
static void wcopy(unsigned char *d, const unsigned char *s)
{
    ref_memcpy(d + PAD - 16, s + PAD - 16, win);
}
static int guards_ok(const unsigned char *x, const unsigned char *y)
{
    return ref_memcmp(x + PAD - 16, y + PAD - 16, win) == 0;
}

static void t_memcpy(size_t n, int sa, int da)
{
    if (n > MAXN) /* never; tells the compiler n is small */
        return;
    cases++;
    WIN(n);
    wfill(A); wfill(B);
    wcopy(RB, B);
    void *r = memcpy(B + PAD + da, A + PAD + sa, n);
    ref_memcpy(RB + PAD + da, A + PAD + sa, n);
    if (r != B + PAD + da || !guards_ok(B, RB)) bad("memcpy", n, sa, da);
    mix(B[PAD + da + n / 2]);
}

static void t_memmove(size_t n, int sa, int da)
{
    /* overlapping, both directions, distance 1..31 */
    int dist = 1 + (sa * 3 + da) % 31;
    for (int dir = 0; dir < 2; dir++) {
        cases++;
        WIN(n + 32);
        wfill(A);
        wcopy(RA, A);
        unsigned char *s = A + PAD + sa + (dir ? 0 : dist);
        unsigned char *d = A + PAD + sa + (dir ? dist : 0);
        void *r = memmove(d, s, n);
        ref_memmove(RA + (d - A), RA + (s - A), n);
        if (r != d || !guards_ok(A, RA)) bad(dir ? "memmove+" : "memmove-", n, sa, da);
        mix(A[PAD + sa + n / 2]);
    }
}

static void t_memset(size_t n, int sa, int da)
{
    if (n > MAXN) /* never; tells the compiler n is small */
        return;
    int c = (int)(rnd() & 0x1ff) - 0x80;   /* also values outside 0..255 */
    cases++;
    WIN(n);
    wfill(B);
    wcopy(RB, B);
    void *r = memset(B + PAD + da, c, n);
    ref_memset(RB + PAD + da, c, n);
    if (r != B + PAD + da || !guards_ok(B, RB)) bad("memset", n, sa, da);
    (void)sa;
    mix(B[PAD + da]);
}

static void t_memcmp(size_t n, int sa, int da)
{
    WIN(n);
    wfill(A);
    ref_memcpy(B + PAD + da, A + PAD + sa, n);
    for (int k = 0; k < 3; k++) {
        cases++;
        if (k && n) /* change one byte */
            B[PAD + da + rnd() % n] = (unsigned char)rnd();
        int a = sgn(memcmp(A + PAD + sa, B + PAD + da, n));
        int b = ref_memcmp(A + PAD + sa, B + PAD + da, n);
        if (a != b) bad("memcmp", n, sa, da);
        mix((uint32_t)(a + 1));
    }
}

/* a NUL-terminated string of length n at A+PAD+sa */
static char *mkstr(unsigned char *buf, size_t n, int a)
{
    WIN(n);
    wfill(buf);
    buf[PAD + a + n] = 0;
    return (char *)buf + PAD + a;
}

static void t_strlen(size_t n, int sa, int da)
{
    cases++;
    char *s = mkstr(A, n, sa);
    size_t l = strlen(s);
    if (l != n || ref_strlen(s) != n) bad("strlen", n, sa, da);
    mix((uint32_t)l);
}

static void t_strcpy(size_t n, int sa, int da)
{
    cases++;
    char *s = mkstr(A, n, sa);
    wfill(B);
    wcopy(RB, B);
    char *r = strcpy((char *)B + PAD + da, s);
    ref_memcpy(RB + PAD + da, s, n + 1);
    if (r != (char *)B + PAD + da || !guards_ok(B, RB)) bad("strcpy", n, sa, da);
    mix(B[PAD + da + n / 2]);
}

static void t_strncpy(size_t n, int sa, int da)
{
    /* source length vs. limit: shorter (zero padding), equal, longer */
    size_t lens[3] = { n / 2, n, n + 7 };
    for (int k = 0; k < 3; k++) {
        size_t sl = lens[k];
        cases++;
        char *s = mkstr(A, sl, sa);
        wfill(B);
        wcopy(RB, B);
        char *r = strncpy((char *)B + PAD + da, s, n);
        for (size_t i = 0; i < n; i++)
            RB[PAD + da + i] = i < sl ? (unsigned char)s[i] : 0;
        if (r != (char *)B + PAD + da || !guards_ok(B, RB)) bad("strncpy", n, sa, da);
        mix(B[PAD + da + n]);
    }
}

static void t_strcmp(size_t n, int sa, int da)
{
    char *s = mkstr(A, n, sa);
    char *t = (char *)B + PAD + da;
    ref_memcpy(t, s, n + 1);
    for (int k = 0; k < 4; k++) {
        cases++;
        if (k == 1 && n) t[rnd() % n] = (char)(rnd() | 1);   /* differ inside */
        if (k == 2) t[n] = 'x', t[n + 1] = 0;                 /* t longer */
        if (k == 3 && n) t[n - 1] = 0;                        /* t shorter */
        int a = sgn(strcmp(s, t)), b = ref_strncmp(s, t, (size_t)-1);
        int c = sgn(strncmp(s, t, n)), d = ref_strncmp(s, t, n);
        size_t m = n ? rnd() % n : 0;
        int e = sgn(strncmp(s, t, m)), f = ref_strncmp(s, t, m);
        if (a != b) bad("strcmp", n, sa, da);
        if (c != d || e != f) bad("strncmp", n, sa, da);
        mix((uint32_t)(a + 3 * c + 9 * e + 20));
    }
}

static void t_strchr(size_t n, int sa, int da)
{
    char *s = mkstr(A, n, sa);
    int cs[4] = { n ? (unsigned char)s[rnd() % n] : 'q', 0, 0x100 + 'a',
                  (unsigned char)(rnd() | 0x80) };
    for (int k = 0; k < 4; k++) {
        cases++;
        const char *a = strchr(s, cs[k]), *b = ref_strchr(s, cs[k]);
        const char *c = strrchr(s, cs[k]), *d = ref_strrchr(s, cs[k]);
        if (a != b) bad("strchr", n, sa, da);
        if (c != d) bad("strrchr", n, sa, da);
        mix(a ? (uint32_t)(a - s) : 0xffffu);
        mix(c ? (uint32_t)(c - s) : 0xffffu);
    }
}

static void t_memchr(size_t n, int sa, int da)
{
    unsigned char *s = A + PAD + sa;
    WIN(n);
    wfill(A);
    for (int k = 0; k < 3; k++) {
        cases++;
        int c = k == 0 && n ? s[rnd() % n] : k == 1 ? 0 : (int)(rnd() & 0xff);
        if (k == 1 && n) s[rnd() % n] = 0;
        const void *a = memchr(s, c, n), *b = ref_memchr(s, c, n);
        if (a != b) bad("memchr", n, sa, da);
        mix(a ? (uint32_t)((const unsigned char *)a - s) : 0xffffu);
    }
}

static void t_strstr(size_t n, int sa, int da)
{
    /* a haystack over a small alphabet so that partial matches happen */
    char *h = (char *)A + PAD + sa;
    char nd[40];
    for (size_t i = 0; i < n; i++) h[i] = "abcab"[rnd() % 5];
    h[n] = 0;
    for (int k = 0; k < 3; k++) {
        size_t nl = (size_t)(k == 0 ? 0 : 1 + rnd() % (k == 1 ? 4 : 12));
        cases++;
        if (nl <= n && k != 2) {
            size_t off = n - nl ? rnd() % (n - nl + 1) : 0;
            memcpy(nd, h + off, nl);
        } else {
            for (size_t i = 0; i < nl; i++) nd[i] = "abc"[rnd() % 3];
        }
        nd[nl] = 0;
        const char *a = strstr(h, nd), *b = ref_strstr(h, nd);
        if (a != b) bad("strstr", n, sa, da);
        mix(a ? (uint32_t)(a - h) : 0xffffu);
    }
}

static void t_strcat(size_t n, int sa, int da)
{
    size_t l1 = n / 3, l2 = n - l1;
    cases++;
    char *s = mkstr(A, l2, sa);
    WIN(n);
    wfill(B);
    B[PAD + da + l1] = 0;
    wcopy(RB, B);
    char *r = strcat((char *)B + PAD + da, s);
    ref_memcpy(RB + PAD + da + l1, s, l2 + 1);
    if (r != (char *)B + PAD + da || !guards_ok(B, RB)) bad("strcat", n, sa, da);
    mix((uint32_t)ref_strlen(r));
}

static void t_snprintf(size_t n, int sa, int da)
{
    if (n > MAXN) /* never; tells the compiler n is small */
        return;
    /* "%s|%d|%.*s" rendered into a buffer of size n at B+PAD+da */
    char *s = mkstr(A, n % 40, sa);
    char full[200];
    int v = (int)rnd();
    int prec = (int)(n % 7);
    int want = sprintf(full, "%s|%d|%.*s", s, v, prec, s);
    size_t fl = ref_strlen(full);
    cases++;
    WIN(n);
    wfill(B);
    wcopy(RB, B);
    int got = snprintf((char *)B + PAD + da, n, "%s|%d|%.*s", s, v, prec, s);
    if (n) {
        size_t k = fl < n - 1 ? fl : n - 1;
        ref_memcpy(RB + PAD + da, full, k);
        RB[PAD + da + k] = 0;
    }
    if (got != want || (size_t)want != fl || !guards_ok(B, RB))
        bad("snprintf", n, sa, da);
    mix((uint32_t)got);
}

int main(void)
{
    init_pool();
    run("memcpy", t_memcpy);
    run("memmove", t_memmove);
    run("memset", t_memset);
    run("memcmp", t_memcmp);
    run("strlen", t_strlen);
    run("strcpy", t_strcpy);
    run("strncpy", t_strncpy);
    run("strcmp", t_strcmp);
    run("strchr", t_strchr);
    run("memchr", t_memchr);
    run("strstr", t_strstr);
    run("strcat", t_strcat);
    run("snprintf", t_snprintf);

    char small[64];
    int r = sprintf(small, "[%5s|%-5s|%.2s|%c%c]", "ab", "cd", "xyz", 'o', 'k');
    printf("sprintf: %d \"%s\"\n", r, small);
    const char *volatile digits = "0123456789";
    r = snprintf(small, 8, "%s", digits);
    printf("snprintf truncation: %d \"%s\"\n", r, small);
    r = snprintf(0, 0, "%d-%s", 12345, "abc");
    printf("snprintf(NULL, 0): %d\n", r);

    printf("strings: cases=%ld checksum=%08x mismatches=%ld\n", cases, sum,
           mismatches);
    return mismatches ? 1 : 0;
}
