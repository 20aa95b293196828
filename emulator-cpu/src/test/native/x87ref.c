/*
 * x87ref: runs x87 instructions on the host's real FPU and prints, for each case, the input
 * state and the resulting state, so that the Java FPU model can be compared bit for bit
 * (org.j386.cpu.fpu.X87ReferenceTest).
 *
 * Build and run (i386 code, the host runs it natively):
 *     gcc -m32 -O0 -o x87ref x87ref.c && ./x87ref | gzip -9n > x87ref.txt.gz
 * (see the Makefile next to this file).
 *
 * Every case is executed by a small machine-code stub written into an executable page:
 *     frstor [in]; popfd(eflags); <the instruction, memory operand at [eax]>; pushfd; fnsave [out]
 * so the whole FPU state going in (control word, status word with TOP, tags, the eight
 * registers, which can hold any 80-bit pattern) is chosen freely, and FNSAVE (which does not
 * wait) captures everything coming out, including flags of unmasked exceptions.
 *
 * Output format, one case per line (all numbers hex):
 *   OPMODRM CW SW EFL ST0..ST(n-1) [M membytes] | SW TW EFL ST0..ST(m-1) [M membytes]
 * where the input registers listed are the non-empty ones ST(0)..ST(n-1) (all others empty),
 * and the output lists every non-empty register in stack order as "i:value" (value = 4 hex
 * digits of sign/exponent then 16 of significand). Memory is 10 bytes (lowest address first);
 * in the output it is "=" when unchanged. EFL out is (EFLAGS & 0x45) after the instruction.
 * Lines starting with '#' are comments naming the group.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>

typedef struct { uint64_t sig; uint16_t se; } f80;

#pragma pack(push, 1)
typedef struct {
    uint16_t cw, r0, sw, r1, tw, r2;
    uint32_t fip;
    uint16_t fcs, fop;
    uint32_t fdp;
    uint16_t fds, r3;
    uint8_t st[8][10];
} fsave_t;
#pragma pack(pop)

typedef void (*stub_fn)(fsave_t *in, uint8_t *mem, fsave_t *out, uint32_t efl, uint32_t *eflout);

static uint8_t *stub;
static int instr_off;

static void make_stub(void) {
    stub = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stub == MAP_FAILED) { perror("mmap"); exit(1); }
    static const uint8_t code1[] = {
        0x8B, 0x44, 0x24, 0x04,   /* mov eax,[esp+4] */
        0xDD, 0x20,               /* frstor [eax] */
        0xFF, 0x74, 0x24, 0x10,   /* push dword [esp+16] */
        0x9D,                     /* popfd */
        0x8B, 0x44, 0x24, 0x08,   /* mov eax,[esp+8] */
    };
    static const uint8_t code2[] = {
        0x9C,                     /* pushfd */
        0x59,                     /* pop ecx */
        0x8B, 0x54, 0x24, 0x14,   /* mov edx,[esp+20] */
        0x89, 0x0A,               /* mov [edx],ecx */
        0x8B, 0x44, 0x24, 0x0C,   /* mov eax,[esp+12] */
        0xDD, 0x30,               /* fnsave [eax] */
        0xC3                      /* ret */
    };
    memcpy(stub, code1, sizeof code1);
    instr_off = sizeof code1;
    stub[instr_off] = 0x90; stub[instr_off + 1] = 0x90;
    memcpy(stub + instr_off + 2, code2, sizeof code2);
}

/* ---- deterministic pseudo-random numbers (xorshift64*) ---- */
static uint64_t rs = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) {
    rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27;
    return rs * 0x2545F4914F6CDD1DULL;
}
static uint32_t rndn(uint32_t n) { return (uint32_t)((rnd() >> 33) % n); }

static f80 F(uint16_t se, uint64_t sig) { f80 v = { sig, se }; return v; }

/* a random normal number with unbiased exponent in [lo, hi], random sign */
static f80 rnorm(int lo, int hi) {
    uint64_t s = rnd() | 0x8000000000000000ULL;
    uint32_t k = rndn(16);
    if (k == 0) s &= ~((1ULL << rndn(64)) - 1);           /* trailing zeros: exact and tie cases */
    else if (k == 1) s |= (1ULL << rndn(64)) - 1;         /* trailing ones */
    else if (k == 2) s = 0x8000000000000000ULL | (rnd() & 0xFFFFFFFFFFULL << rndn(24));
    int e = lo + (int)rndn((uint32_t)(hi - lo + 1)) + 16383;
    if (e < 1) e = 1;
    if (e > 0x7FFE) e = 0x7FFE;
    return F((uint16_t)(e | (rndn(2) << 15)), s);
}

static f80 rdenorm(void) {
    uint64_t s = rnd() >> rndn(64);
    if (s == 0) s = 1;
    return F((uint16_t)(rndn(2) << 15), s & 0x7FFFFFFFFFFFFFFFULL);
}

#define NEDGE 30
static f80 edges[NEDGE];
static void init_edges(void) {
    int i = 0;
    edges[i++] = F(0x0000, 0);                      /* +0 */
    edges[i++] = F(0x8000, 0);                      /* -0 */
    edges[i++] = F(0x3FFF, 0x8000000000000000ULL);  /* +1 */
    edges[i++] = F(0xBFFF, 0x8000000000000000ULL);  /* -1 */
    edges[i++] = F(0x4000, 0xC000000000000000ULL);  /* 3 */
    edges[i++] = F(0xBFFD, 0xAAAAAAAAAAAAAAABULL);  /* -1/3 */
    edges[i++] = F(0x4000, 0xC90FDAA22168C235ULL);  /* pi */
    edges[i++] = F(0x3FFE, 0xFFFFFFFFFFFFFFFFULL);  /* 1-ulp */
    edges[i++] = F(0x403D, 0xFFFFFFFFFFFFFFFFULL);  /* 2^63 - 0.5 */
    edges[i++] = F(0x0001, 0x8000000000000000ULL);  /* min normal */
    edges[i++] = F(0x8001, 0xC000000000000001ULL);  /* -small normal */
    edges[i++] = F(0x0000, 0x7FFFFFFFFFFFFFFFULL);  /* max denormal */
    edges[i++] = F(0x8000, 0x0000000000000001ULL);  /* -min denormal */
    edges[i++] = F(0x0000, 0x0000000123456789ULL);  /* denormal */
    edges[i++] = F(0x0000, 0x8000000000000000ULL);  /* pseudo-denormal */
    edges[i++] = F(0x8000, 0xC000000000000000ULL);  /* -pseudo-denormal */
    edges[i++] = F(0x7FFE, 0xFFFFFFFFFFFFFFFFULL);  /* max finite */
    edges[i++] = F(0xFFFE, 0x8000000000000001ULL);  /* -huge */
    edges[i++] = F(0x7FFF, 0x8000000000000000ULL);  /* +inf */
    edges[i++] = F(0xFFFF, 0x8000000000000000ULL);  /* -inf */
    edges[i++] = F(0xFFFF, 0xC000000000000000ULL);  /* indefinite */
    edges[i++] = F(0x7FFF, 0xC000000000001234ULL);  /* QNaN */
    edges[i++] = F(0x7FFF, 0x8000000000000001ULL);  /* SNaN */
    edges[i++] = F(0xFFFF, 0xA000000000005678ULL);  /* -SNaN */
    edges[i++] = F(0x3FFF, 0x4000000000000000ULL);  /* unnormal */
    edges[i++] = F(0x7FFF, 0x0000000000000000ULL);  /* pseudo-infinity */
    edges[i++] = F(0x7FFF, 0x4000000000000001ULL);  /* pseudo-NaN */
    edges[i++] = F(0x0000, 0x4000000000000000ULL);  /* denormal */
    edges[i++] = F(0x3FFF, 0x0000000000000000ULL);  /* unnormal zero */
    edges[i++] = F(0x43FE, 0x8000000000000000ULL);  /* 2^1023 */
}

static int counter;
static int gtop = -1;          /* if >= 0, the TOP to use, else rotating */
static uint16_t gswin = 0;     /* extra status word bits for the input */

static void put80(uint8_t *p, f80 v) { memcpy(p, &v.sig, 8); memcpy(p + 8, &v.se, 2); }
static f80 get80(const uint8_t *p) { f80 v; memcpy(&v.sig, p, 8); memcpy(&v.se, p + 8, 2); return v; }

/* mem: NULL for register forms; otherwise 10 bytes of input memory */
static void run(int op, int modrm, uint16_t cw, int n, const f80 *regs, const uint8_t *mem, uint32_t efl) {
    fsave_t in, out;
    uint8_t m[16], m0[16];
    uint32_t eo = 0;
    memset(&in, 0, sizeof in);
    int top = gtop >= 0 ? gtop : (counter * 3) & 7;
    counter++;
    in.cw = cw;
    in.sw = (uint16_t)(gswin | (top << 11));
    in.tw = 0xFFFF;
    for (int i = 0; i < n; i++) {
        in.tw &= (uint16_t)~(3 << (((top + i) & 7) * 2));
        put80(in.st[i], regs[i]);
    }
    memset(m, 0xA5, sizeof m);
    if (mem) memcpy(m, mem, 10);
    memcpy(m0, m, sizeof m);
    efl &= 0x8D5;
    efl |= 0x202;
    stub[instr_off] = (uint8_t)op;
    stub[instr_off + 1] = (uint8_t)modrm;
    ((stub_fn)stub)(&in, m, &out, efl, &eo);

    printf("%02X%02X %04X %04X %02X", op, modrm, in.cw, in.sw, efl & 0xD5);
    for (int i = 0; i < n; i++) printf(" %04X%016llX", regs[i].se, (unsigned long long)regs[i].sig);
    if (modrm < 0xC0) { printf(" M"); for (int i = 0; i < 10; i++) printf("%02X", m0[i]); }
    printf(" | %04X %04X %02X", out.sw, out.tw, eo & 0x45);
    int otop = (out.sw >> 11) & 7;
    for (int i = 0; i < 8; i++) {
        if (((out.tw >> (((otop + i) & 7) * 2)) & 3) != 3) {
            f80 v = get80(out.st[i]);
            printf(" %d:%04X%016llX", i, v.se, (unsigned long long)v.sig);
        }
    }
    if (modrm < 0xC0) {
        if (memcmp(m, m0, 16) == 0) printf(" M=");
        else { printf(" M"); for (int i = 0; i < 10; i++) printf("%02X", m[i]); }
        if (memcmp(m + 10, m0 + 10, 6) != 0) printf(" OVERRUN");
    }
    printf("\n");
}

static void run1(int op, int modrm, uint16_t cw, f80 a) { run(op, modrm, cw, 1, &a, NULL, 0); }
static void run2(int op, int modrm, uint16_t cw, f80 a, f80 b) { f80 r[2] = { a, b }; run(op, modrm, cw, 2, r, NULL, 0); }
static void runm(int op, int modrm, uint16_t cw, int n, f80 a, const void *mem, int len) {
    uint8_t m[10];
    f80 r[8];
    memset(m, 0xA5, 10);
    if (mem) memcpy(m, mem, len);
    r[0] = a;
    for (int i = 1; i < 8; i++) r[i] = edges[i + 1];
    run(op, modrm, cw, n, r, m, 0);
}

static const uint16_t RC[4] = { 0x0000, 0x0400, 0x0800, 0x0C00 };
static const uint16_t PC[3] = { 0x0300, 0x0200, 0x0000 };
static uint16_t cwof(int rc, int pc) { return (uint16_t)(0x003F | 0x0040 | RC[rc] | PC[pc]); }
#define CW0 0x037F

static float rfloat(void) {
    uint32_t k = rndn(10);
    uint32_t b = (uint32_t)rnd();
    if (k == 0) b &= 0x807FFFFF;                  /* denormal / zero */
    else if (k == 1) b |= 0x7F800000;             /* inf / NaN */
    else if (k == 2) b = (b & 0x80FFFFFF) | 0x3F000000;
    float f; memcpy(&f, &b, 4); return f;
}
static double rdouble(void) {
    uint32_t k = rndn(10);
    uint64_t b = rnd();
    if (k == 0) b &= 0x800FFFFFFFFFFFFFULL;
    else if (k == 1) b |= 0x7FF0000000000000ULL;
    else if (k == 2) b = (b & 0x801FFFFFFFFFFFFFULL) | 0x3FC0000000000000ULL;
    double d; memcpy(&d, &b, 8); return d;
}

/* a random value suited to an operation class */
static f80 rany(void) {
    uint32_t k = rndn(20);
    if (k == 0) return edges[rndn(NEDGE)];
    if (k == 1) return rdenorm();
    if (k == 2) return rnorm(-16382, -16300);
    if (k == 3) return rnorm(16300, 16383);
    return rnorm(-80, 80);
}

int main(void) {
    make_stub();
    init_edges();

    /* ---------------- basic arithmetic, register forms ---------------- */
    static const int arith[6] = { 0xC1, 0xC9, 0xE1, 0xE9, 0xF1, 0xF9 }; /* add mul sub subr div divr st0,st1 */
    printf("# arith edges\n");
    for (int o = 0; o < 6; o++)
        for (int i = 0; i < NEDGE; i++)
            for (int j = 0; j < NEDGE; j++)
                run2(0xD8, arith[o], CW0, edges[i], edges[j]);
    printf("# arith edges rc/pc\n");
    for (int o = 0; o < 6; o++)
        for (int rc = 0; rc < 4; rc++)
            for (int pc = 0; pc < 3; pc++)
                for (int k = 0; k < 12; k++)
                    run2(0xD8, arith[o], cwof(rc, pc), edges[rndn(NEDGE)], edges[rndn(NEDGE)]);
    printf("# arith random\n");
    for (int o = 0; o < 6; o++)
        for (int rc = 0; rc < 4; rc++)
            for (int pc = 0; pc < 3; pc++)
                for (int k = 0; k < 70; k++) {
                    f80 a = rnorm(-40, 40), b;
                    if (k % 3 == 0) b = rnorm(-40, 40);
                    else { b = rnorm(0, 0); b.se = (uint16_t)((b.se & 0x8000) | ((a.se & 0x7FFF) + (int)rndn(140) - 70)); }
                    if (k % 7 == 0) { b.sig = a.sig ^ (rnd() & ((1ULL << rndn(64)) - 1)); }
                    run2(0xD8, arith[o], cwof(rc, pc), a, b);
                }
    printf("# arith extreme exponents\n");
    for (int o = 0; o < 6; o++)
        for (int rc = 0; rc < 4; rc++)
            for (int pc = 0; pc < 3; pc++)
                for (int k = 0; k < 25; k++) {
                    f80 a, b;
                    int t = rndn(6);
                    if (t == 0) { a = rdenorm(); b = rany(); }
                    else if (t == 1) { a = rnorm(-16382, -16330); b = rnorm(-16382, -16330); }
                    else if (t == 2) { a = rnorm(-8250, -8150); b = o >= 4 ? rnorm(8150, 8250) : rnorm(-8250, -8150); }
                    else if (t == 3) { a = rnorm(8150, 8250); b = o >= 4 ? rnorm(-8250, -8150) : rnorm(8150, 8250); }
                    else if (t == 4) { a = rnorm(16300, 16383); b = rnorm(16300, 16383); }
                    else { a = rnorm(-16382, -16382); b = rnorm(-16382, -16382); b.se ^= 0x8000; }
                    if (rndn(2)) { f80 c = a; a = b; b = c; }
                    run2(0xD8, arith[o], cwof(rc, pc), a, b);
                }
    printf("# arith unmasked exceptions\n");
    for (int o = 0; o < 6; o++)
        for (int k = 0; k < 40; k++) {
            uint16_t cw = (uint16_t)(0x0340 | (rnd() & 0x3F) | RC[rndn(4)]);
            run2(0xD8, arith[o], cw, rany(), rany());
        }
    printf("# arith other register forms\n");
    {
        static const int ops[][2] = {
            { 0xD8, 0xC2 }, { 0xD8, 0xE3 }, { 0xD8, 0xEA }, { 0xD8, 0xF2 }, { 0xD8, 0xFB }, { 0xD8, 0xC0 },
            { 0xDC, 0xC1 }, { 0xDC, 0xC9 }, { 0xDC, 0xE1 }, { 0xDC, 0xE9 }, { 0xDC, 0xF1 }, { 0xDC, 0xF9 }, { 0xDC, 0xC2 },
            { 0xDE, 0xC1 }, { 0xDE, 0xC9 }, { 0xDE, 0xE1 }, { 0xDE, 0xE9 }, { 0xDE, 0xF1 }, { 0xDE, 0xF9 }, { 0xDE, 0xC2 },
            { 0xDE, 0xC0 }, { 0xDE, 0xE8 }, { 0xDC, 0xC0 },
        };
        for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
            for (int k = 0; k < 24; k++) {
                f80 r[4] = { rany(), rany(), rany(), rany() };
                int n = k == 0 ? 1 : k == 1 ? 0 : 2 + (int)rndn(3);
                run(ops[o][0], ops[o][1], cwof(rndn(4), rndn(3)), n, r, NULL, 0);
            }
    }

    /* ---------------- arithmetic with memory operands ---------------- */
    printf("# arith m32fp\n");
    for (int reg = 0; reg < 8; reg++)
        for (int k = 0; k < 60; k++) {
            float f = rfloat();
            runm(0xD8, reg << 3, cwof(rndn(4), rndn(3)), 1, rany(), &f, 4);
        }
    printf("# arith m64fp\n");
    for (int reg = 0; reg < 8; reg++)
        for (int k = 0; k < 60; k++) {
            double d = rdouble();
            runm(0xDC, reg << 3, cwof(rndn(4), rndn(3)), 1, rany(), &d, 8);
        }
    printf("# arith m32int\n");
    for (int reg = 0; reg < 8; reg++)
        for (int k = 0; k < 40; k++) {
            int32_t v = (int32_t)rnd() >> rndn(32);
            if (k == 0) v = 0; else if (k == 1) v = INT32_MIN;
            runm(0xDA, reg << 3, cwof(rndn(4), rndn(3)), 1, rany(), &v, 4);
        }
    printf("# arith m16int\n");
    for (int reg = 0; reg < 8; reg++)
        for (int k = 0; k < 40; k++) {
            int16_t v = (int16_t)((int16_t)rnd() >> rndn(16));
            if (k == 0) v = 0; else if (k == 1) v = INT16_MIN;
            runm(0xDE, reg << 3, cwof(rndn(4), rndn(3)), 1, rany(), &v, 2);
        }

    /* ---------------- unary ---------------- */
    printf("# fsqrt\n");
    for (int i = 0; i < NEDGE; i++) run1(0xD9, 0xFA, CW0, edges[i]);
    for (int rc = 0; rc < 4; rc++)
        for (int pc = 0; pc < 3; pc++)
            for (int k = 0; k < 50; k++) {
                f80 a = k < 5 ? rdenorm() : rnorm(-100, 100);
                if (k % 4 == 0) { a.se &= 0x7FFF; }
                else a.se &= 0x7FFF;
                if (k == 7) a.se |= 0x8000;
                if (k % 9 == 0) { uint64_t r = rnd() >> 32 | 0x80000000ULL; a.sig = r * r; if ((int64_t)a.sig >= 0) a.sig = r << 32; a.se = (uint16_t)(0x3FFF + (int)rndn(20)); }
                run1(0xD9, 0xFA, cwof(rc, pc), a);
            }
    printf("# frndint\n");
    for (int i = 0; i < NEDGE; i++) run1(0xD9, 0xFC, CW0, edges[i]);
    for (int rc = 0; rc < 4; rc++)
        for (int k = 0; k < 70; k++) {
            f80 a = rnorm(-3, 66);
            if (k % 5 == 0) a = rnorm(-1, 2);
            if (k % 11 == 0) a.sig &= 0xFFFFFFFF00000000ULL;
            run1(0xD9, 0xFC, cwof(rc, rndn(3)), a);
        }
    printf("# fabs fchs\n");
    for (int i = 0; i < NEDGE; i++) { run1(0xD9, 0xE1, CW0, edges[i]); run1(0xD9, 0xE0, CW0, edges[i]); }
    printf("# fxtract\n");
    for (int i = 0; i < NEDGE; i++) run1(0xD9, 0xF4, CW0, edges[i]);
    for (int k = 0; k < 60; k++) run1(0xD9, 0xF4, cwof(rndn(4), rndn(3)), rany());
    printf("# fprem fprem1\n");
    for (int o = 0; o < 2; o++) {
        int mod = o ? 0xF5 : 0xF8;
        for (int i = 0; i < NEDGE; i += 1)
            for (int j = 0; j < NEDGE; j += 2)
                run2(0xD9, mod, CW0, edges[i], edges[j]);
        for (int k = 0; k < 400; k++) {
            f80 b = rnorm(-30, 30);
            f80 a = rnorm(0, 0);
            int d = k < 300 ? (int)rndn(70) - 3 : (int)rndn(400);
            if (k % 10 == 0) d = 63 + (int)rndn(3);
            a.se = (uint16_t)((a.se & 0x8000) | ((b.se & 0x7FFF) + d));
            if (k % 13 == 0) { a = rany(); b = rany(); }
            if (k % 17 == 0) { b = rdenorm(); }
            run2(0xD9, mod, cwof(rndn(4), rndn(3)), a, b);
        }
    }
    printf("# fscale\n");
    for (int i = 0; i < NEDGE; i++)
        for (int j = 0; j < NEDGE; j += 2)
            run2(0xD9, 0xFD, CW0, edges[i], edges[j]);
    for (int k = 0; k < 300; k++) {
        f80 a = rany();
        f80 b = rnorm(-2, 15);
        if (k % 4 == 0) b = rnorm(-2, 3);
        run2(0xD9, 0xFD, cwof(rndn(4), rndn(3)), a, b);
    }

    /* ---------------- loads ---------------- */
    printf("# fld m32\n");
    for (int k = 0; k < 150; k++) { float f = rfloat(); runm(0xD9, 0x00, cwof(rndn(4), rndn(3)), (int)rndn(2), rany(), &f, 4); }
    printf("# fld m64\n");
    for (int k = 0; k < 150; k++) { double d = rdouble(); runm(0xDD, 0x00, cwof(rndn(4), rndn(3)), (int)rndn(2), rany(), &d, 8); }
    printf("# fld m80\n");
    for (int k = 0; k < 60; k++) { f80 v = k < NEDGE ? edges[k] : rany(); uint8_t b[10]; put80(b, v); runm(0xDB, 0x28, CW0, (int)rndn(2), rany(), b, 10); }
    printf("# fild\n");
    for (int k = 0; k < 50; k++) {
        int64_t v = (int64_t)rnd() >> rndn(64);
        if (k == 0) v = 0; else if (k == 1) v = INT64_MIN;
        runm(0xDF, 0x00, CW0, 1, rany(), &v, 2);
        runm(0xDB, 0x00, CW0, 1, rany(), &v, 4);
        runm(0xDF, 0x28, cwof(rndn(4), rndn(3)), 1, rany(), &v, 8);
    }
    printf("# fld st(i), stack overflow\n");
    {
        f80 r[8];
        for (int i = 0; i < 8; i++) r[i] = rany();
        for (int n = 0; n <= 8; n++) {
            run(0xD9, 0xC1, CW0, n, r, NULL, 0);
            run(0xD9, 0xE8, CW0, n, r, NULL, 0);
            run(0xD9, 0xF2, CW0, n, r, NULL, 0);    /* fptan pushes */
            run(0xD9, 0xF4, CW0, n, r, NULL, 0);    /* fxtract pushes */
            run(0xD9, 0xFB, CW0, n, r, NULL, 0);    /* fsincos pushes */
            { double d = 1.5; uint8_t m[10]; memset(m, 0xA5, 10); memcpy(m, &d, 8); run(0xDD, 0x00, CW0, n, r, m, 0); }
            run(0xD9, 0xC1, 0x037E, n, r, NULL, 0); /* unmasked invalid */
        }
    }

    /* ---------------- stores ---------------- */
    printf("# fst m32/m64\n");
    for (int k = 0; k < 1200; k++) {
        int t = k % 6;
        f80 a = t == 0 ? rnorm(-160, -110) : t == 1 ? rnorm(100, 140) : t == 2 ? rnorm(-1090, -1000)
              : t == 3 ? rnorm(1000, 1040) : t == 4 ? rany() : rnorm(-10, 10);
        int dbl = (k / 6) & 1;
        int pop = (k / 12) % 3 == 0;
        uint16_t cw = cwof(rndn(4), rndn(3));
        if (k % 50 == 49) cw &= (uint16_t)~(1u << rndn(6));
        runm(dbl ? 0xDD : 0xD9, pop ? 0x18 : 0x10, cw, 1 + (int)rndn(2), a, NULL, 0);
    }
    printf("# fstp m80\n");
    for (int k = 0; k < 40; k++) runm(0xDB, 0x38, CW0, 1, k < NEDGE ? edges[k] : rany(), NULL, 0);
    printf("# fist\n");
    {
        static const int ops[][2] = { { 0xDF, 0x10 }, { 0xDF, 0x18 }, { 0xDB, 0x10 }, { 0xDB, 0x18 }, { 0xDF, 0x38 },
                                      { 0xDF, 0x08 }, { 0xDB, 0x08 }, { 0xDD, 0x08 } };
        static const int bits[] = { 16, 16, 32, 32, 64, 16, 32, 64 };
        for (int o = 0; o < 8; o++) {
            for (int i = 0; i < NEDGE; i++) runm(ops[o][0], ops[o][1], CW0, 1, edges[i], NULL, 0);
            for (int k = 0; k < 120; k++) {
                f80 a = rnorm(-3, bits[o] + 1);
                if (k % 4 == 0) a = rnorm(bits[o] - 3, bits[o]);
                if (k % 8 == 1) a = rnorm(-2, 2);
                if (k % 10 == 3) { a = rnorm(bits[o] - 1, bits[o] - 1); a.sig &= ~((1ULL << (64 - bits[o] + 2)) - 1); a.sig |= (uint64_t)rndn(4) << (64 - bits[o]); }
                if (k % 10 == 5) { a.sig &= ~0ULL << rndn(40); }
                uint16_t cw = cwof(rndn(4), rndn(3));
                if (k % 30 == 29) cw &= 0xFFFE;
                runm(ops[o][0], ops[o][1], cw, 1, a, NULL, 0);
            }
        }
    }

    /* ---------------- BCD ---------------- */
    printf("# fbld\n");
    for (int k = 0; k < 100; k++) {
        uint8_t b[10];
        int nd = 1 + (int)rndn(18);
        memset(b, 0, 10);
        for (int d = 0; d < nd; d++) b[d / 2] |= (uint8_t)(rndn(10) << ((d & 1) * 4));
        if (rndn(2)) b[9] = 0x80;
        if (k == 0) { memset(b, 0x99, 9); }
        if (k == 1) { memset(b, 0, 10); b[9] = 0x80; }
        runm(0xDF, 0x20, CW0, (int)rndn(2), rany(), b, 10);
    }
    printf("# fbstp\n");
    for (int i = 0; i < NEDGE; i++) runm(0xDF, 0x30, CW0, 1, edges[i], NULL, 0);
    for (int k = 0; k < 200; k++) {
        f80 a = rnorm(-2, 62);
        if (k % 5 == 0) a = rnorm(58, 60);
        if (k % 10 == 1) { a = F(0x403A, 0xDE0B6B3A763FFFFFULL + rndn(4)); } /* around 10^18 */
        run(0xDF, 0x30, cwof(rndn(4), rndn(3)), 1, &a, (uint8_t *)"\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5", 0);
    }

    /* ---------------- compares ---------------- */
    printf("# compares edges\n");
    {
        static const int cmp[][2] = { { 0xD8, 0xD1 }, { 0xDD, 0xE1 }, { 0xDB, 0xF1 }, { 0xDB, 0xE9 } };
        for (int o = 0; o < 4; o++)
            for (int i = 0; i < NEDGE; i++)
                for (int j = 0; j < NEDGE; j++)
                    run2(cmp[o][0], cmp[o][1], CW0, edges[i], edges[j]);
    }
    printf("# compares misc\n");
    {
        static const int cmp[][2] = { { 0xD8, 0xD9 }, { 0xDE, 0xD9 }, { 0xDD, 0xE9 }, { 0xDA, 0xE9 },
                                      { 0xDF, 0xF1 }, { 0xDF, 0xE9 }, { 0xD8, 0xD2 }, { 0xDC, 0xD1 }, { 0xDC, 0xD9 }, { 0xDE, 0xD1 } };
        for (int o = 0; o < 10; o++)
            for (int k = 0; k < 60; k++) {
                f80 r[3] = { rany(), rany(), rany() };
                if (k % 3 == 0) r[1] = r[0];
                int n = k == 0 ? 0 : k == 1 ? 1 : 3;
                uint16_t cw = k % 10 == 9 ? 0x037E : CW0;
                run(cmp[o][0], cmp[o][1], cw, n, r, NULL, (uint32_t)rnd());
            }
        for (int k = 0; k < 60; k++) { float f = rfloat(); runm(0xD8, 0x10, CW0, 1, rany(), &f, 4); runm(0xD8, 0x18, CW0, 1, rany(), &f, 4); }
        for (int k = 0; k < 60; k++) { double d = rdouble(); runm(0xDC, 0x10, CW0, 1, rany(), &d, 8); runm(0xDC, 0x18, CW0, 1, rany(), &d, 8); }
        for (int k = 0; k < 60; k++) {
            int32_t v = (int32_t)rnd() >> rndn(32);
            f80 a = rany();
            if (k % 3 == 0) { a = rnorm(0, 0); a.se = (uint16_t)(0x3FFF + 31 - __builtin_clz(v > 0 ? v : 1)); }
            runm(0xDA, 0x10, CW0, 1, a, &v, 4); runm(0xDA, 0x18, CW0, 1, a, &v, 4);
            runm(0xDE, 0x10, CW0, 1, a, &v, 2); runm(0xDE, 0x18, CW0, 1, a, &v, 2);
        }
    }
    printf("# ftst fxam\n");
    for (int i = 0; i < NEDGE; i++) { run1(0xD9, 0xE4, CW0, edges[i]); run1(0xD9, 0xE5, CW0, edges[i]); }
    run(0xD9, 0xE4, CW0, 0, edges, NULL, 0);
    run(0xD9, 0xE5, CW0, 0, edges, NULL, 0);
    { f80 r[8]; for (int i = 0; i < 8; i++) r[i] = edges[i + 16];
      gtop = 3; run(0xD9, 0xE5, CW0, 0, r, NULL, 0); gtop = -1; }

    /* ---------------- constants ---------------- */
    printf("# constants\n");
    for (int c = 0xE8; c <= 0xEE; c++)
        for (int rc = 0; rc < 4; rc++)
            for (int pc = 0; pc < 3; pc++)
                run(0xD9, c, cwof(rc, pc), 0, edges, NULL, 0);

    /* ---------------- stack and misc ---------------- */
    printf("# stack misc\n");
    {
        static const int ops[][2] = { { 0xD9, 0xC9 }, { 0xD9, 0xC8 }, { 0xD9, 0xCB }, { 0xD9, 0xC2 }, { 0xDD, 0xD1 }, { 0xDD, 0xD9 }, { 0xDD, 0xD0 },
                                      { 0xDD, 0xD8 }, { 0xDD, 0xC1 }, { 0xDF, 0xC1 }, { 0xD9, 0xF7 }, { 0xD9, 0xF6 }, { 0xD9, 0xD0 },
                                      { 0xD9, 0xD9 }, { 0xDD, 0xCA }, { 0xDF, 0xCA }, { 0xDF, 0xD1 }, { 0xDF, 0xD9 }, { 0xDB, 0xE2 },
                                      { 0xDB, 0xE0 }, { 0xDB, 0xE1 }, { 0xDB, 0xE4 } };
        for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
            for (int n = 0; n <= 4; n++) {
                f80 r[4] = { rany(), rany(), rany(), rany() };
                gswin = 0x4721 & 0x473F;       /* some sticky flags and condition codes */
                run(ops[o][0], ops[o][1], CW0, n, r, NULL, 0);
                gswin = 0;
                run(ops[o][0], ops[o][1], 0x037E, n, r, NULL, 0);
            }
    }
    printf("# fcmov\n");
    for (int m = 0; m < 4; m++)
        for (int k = 0; k < 16; k++) {
            f80 r[3] = { rany(), rany(), rany() };
            uint32_t efl = (k & 1 ? 1 : 0) | (k & 2 ? 4 : 0) | (k & 4 ? 0x40 : 0) | (k & 8 ? 0x80 : 0);
            int n = k == 15 ? 1 : 3;
            run(0xDA, 0xC2 + m * 8, CW0, n, r, NULL, efl);
            run(0xDB, 0xC2 + m * 8, CW0, n, r, NULL, efl);
        }

    /* ---------------- unmasked exceptions, preset status bits ---------------- */
    printf("# unmasked misc\n");
    {
        static const int ops[][2] = {
            { 0xD9, 0xFA }, { 0xD9, 0xFC }, { 0xD9, 0xF4 }, { 0xD9, 0xFD }, { 0xD9, 0xF8 }, { 0xD9, 0xF5 },
            { 0xD9, 0xE0 }, { 0xD9, 0xE4 }, { 0xD9, 0xE5 }, { 0xD9, 0xC1 }, { 0xD9, 0xC9 }, { 0xDD, 0xD9 },
            { 0xDE, 0xC1 }, { 0xDE, 0xE9 }, { 0xDE, 0xF9 }, { 0xDE, 0xD9 }, { 0xDA, 0xE9 }, { 0xDF, 0xE9 },
            { 0xD9, 0xF0 }, { 0xD9, 0xF1 }, { 0xD9, 0xF2 }, { 0xD9, 0xF3 }, { 0xD9, 0xF9 }, { 0xD9, 0xFB },
            { 0xD9, 0xFE }, { 0xD9, 0xFF }, { 0xD9, 0xE8 }, { 0xDA, 0xC1 },
        };
        for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
            for (int k = 0; k < 24; k++) {
                f80 r[8];
                for (int i = 0; i < 8; i++) r[i] = rany();
                if (ops[o][1] == 0xF0 || ops[o][1] == 0xF9) r[0] = k & 1 ? rdenorm() : rnorm(-20, -1);
                int n = k == 0 ? 0 : k == 1 ? 1 : k == 2 ? 8 : 2 + (int)rndn(2);
                uint16_t cw = (uint16_t)(0x0340 | (rnd() & 0x3F) | RC[rndn(4)] | PC[rndn(3)]);
                if (k >= 12) cw |= 0x20;            /* keep PE masked for half of them */
                run(ops[o][0], ops[o][1], cw, n, r, NULL, (uint32_t)rnd());
            }
        static const int mops[][2] = { { 0xD9, 0x00 }, { 0xDD, 0x00 }, { 0xD9, 0x10 }, { 0xD9, 0x18 }, { 0xDD, 0x18 },
                                       { 0xDB, 0x10 }, { 0xDF, 0x38 }, { 0xDF, 0x30 }, { 0xDB, 0x38 }, { 0xD8, 0x00 },
                                       { 0xDC, 0x38 }, { 0xDA, 0x08 }, { 0xDE, 0x18 }, { 0xDF, 0x20 }, { 0xDB, 0x00 } };
        for (unsigned o = 0; o < sizeof mops / sizeof mops[0]; o++)
            for (int k = 0; k < 24; k++) {
                uint8_t m[10];
                uint64_t v = rnd();
                if (k % 3 == 0) { float f = rfloat(); memcpy(m, &f, 4); memcpy(m + 4, &v, 4); }
                else if (k % 3 == 1) { double d = rdouble(); memcpy(m, &d, 8); }
                else memcpy(m, &v, 8);
                m[8] = (uint8_t)rnd(); m[9] = (uint8_t)rnd();
                f80 r[8];
                for (int i = 0; i < 8; i++) r[i] = rany();
                if (k % 4 == 0) r[0] = rnorm(-160, 160);
                int n = k == 0 ? 0 : k == 1 ? 8 : 1 + (int)rndn(2);
                uint16_t cw = (uint16_t)(0x0340 | (rnd() & 0x3F) | RC[rndn(4)] | PC[rndn(3)]);
                if (k >= 12) cw |= 0x20;
                run(mops[o][0], mops[o][1], cw, n, r, m, 0);
            }
    }
    printf("# preset status bits\n");
    {
        static const int ops[][2] = { { 0xD8, 0xC1 }, { 0xD8, 0xF1 }, { 0xD9, 0xFA }, { 0xD9, 0xFC }, { 0xD9, 0xFD },
                                      { 0xD9, 0xE1 }, { 0xD9, 0xC1 }, { 0xD9, 0xE8 }, { 0xD9, 0xF4 }, { 0xD9, 0xC9 },
                                      { 0xDD, 0xD9 }, { 0xDB, 0xF1 }, { 0xD9, 0xFE }, { 0xD9, 0xF2 }, { 0xD9, 0xF3 },
                                      { 0xDA, 0xC1 }, { 0xD9, 0xF6 }, { 0xDD, 0xC2 } };
        for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
            for (int k = 0; k < 16; k++) {
                f80 r[3] = { rany(), rany(), rany() };
                gswin = (uint16_t)(rnd() & 0x473F & ~0x80);
                run(ops[o][0], ops[o][1], CW0, 3, r, NULL, (uint32_t)rnd());
                gswin = 0;
            }
        static const int mops[][2] = { { 0xD9, 0x00 }, { 0xDD, 0x10 }, { 0xDF, 0x38 }, { 0xDE, 0x10 }, { 0xDF, 0x20 } };
        for (unsigned o = 0; o < sizeof mops / sizeof mops[0]; o++)
            for (int k = 0; k < 16; k++) {
                uint64_t v = rnd();
                gswin = (uint16_t)(rnd() & 0x473F & ~0x80);
                runm(mops[o][0], mops[o][1], CW0, 2, rany(), &v, 8);
                gswin = 0;
            }
    }
    printf("# memory operand corner cases\n");
    {
        f80 st[8] = { edges[21], edges[22], edges[18], edges[0], edges[4], edges[13], edges[24], edges[14] };
        static const uint32_t fl[6] = { 0x00000123, 0x80400001, 0x7F800001, 0xFFC00005, 0x00000000, 0x3F800000 };
        static const uint64_t db[6] = { 0x0000000000000123ULL, 0x8008000000000001ULL, 0x7FF0000000000001ULL,
                                        0xFFF8000000000005ULL, 0x8000000000000000ULL, 0x3FF0000000000000ULL };
        static const int regs[5] = { 0, 1, 2, 6, 7 };
        for (int a = 0; a < 8; a++)
            for (int b = 0; b < 6; b++)
                for (int r = 0; r < 5; r++) {
                    runm(0xD8, regs[r] << 3, CW0, 1, st[a], &fl[b], 4);
                    runm(0xDC, regs[r] << 3, CW0, 1, st[a], &db[b], 8);
                }
        for (int b = 0; b < 6; b++) {
            runm(0xD9, 0x00, 0x037D, 1, st[3], &fl[b], 4);
            runm(0xDD, 0x00, 0x037E, 1, st[3], &db[b], 8);
            runm(0xD8, 0x00, 0x037D, 1, st[4], &fl[b], 4);
            runm(0xD8, 0x10, 0x037D, 1, st[0], &fl[b], 4);
        }
    }
    printf("# fbld invalid digits\n");
    for (int k = 0; k < 30; k++) {
        uint64_t v = rnd();
        uint8_t b[10];
        memcpy(b, &v, 8);
        b[8] = (uint8_t)rnd();
        b[9] = (uint8_t)(rnd() & 0x80);
        runm(0xDF, 0x20, CW0, 1, rany(), b, 10);
    }

    /* ---------------- transcendentals ---------------- */
    printf("# transcendental edges\n");
    {
        static const int un[] = { 0xF0, 0xF2, 0xFE, 0xFF, 0xFB };
        static const int bin[] = { 0xF1, 0xF9, 0xF3 };
        for (int o = 0; o < 5; o++)
            for (int i = 0; i < NEDGE; i++) run1(0xD9, un[o], CW0, edges[i]);
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < NEDGE; i++)
                for (int j = 0; j < NEDGE; j++)
                    run2(0xD9, bin[o], CW0, edges[i], edges[j]);
    }
    printf("# f2xm1\n");
    for (int k = 0; k < 400; k++) {
        f80 a = rnorm(-70, -1);
        if (k % 10 == 0) a = rnorm(-16382, -100);
        if (k % 10 == 1) a = F((uint16_t)((rndn(2) << 15) | 0x3FFF), 0x8000000000000000ULL);
        run1(0xD9, 0xF0, cwof(k & 3, rndn(3)), a);
    }
    printf("# fyl2x\n");
    for (int k = 0; k < 400; k++) {
        f80 x = rnorm(-100, 100), y = rnorm(-20, 20);
        x.se &= 0x7FFF;
        if (k % 5 == 0) { x = rnorm(0, 0); x.se = 0x3FFF; x.sig = 0x8000000000000000ULL | rnd() >> rndn(64); }
        if (k % 5 == 1) { x = rnorm(-1, -1); x.se = 0x3FFE; x.sig |= 0xFFFFFF0000000000ULL; }
        if (k % 10 == 2) x = rnorm(-16380, 16380), x.se &= 0x7FFF;
        if (k % 10 == 3) { x.sig = 0x8000000000000000ULL; }
        run2(0xD9, 0xF1, cwof(k & 3, rndn(3)), x, y);
    }
    printf("# fyl2xp1\n");
    for (int k = 0; k < 300; k++) {
        f80 x = rnorm(-70, -2), y = rnorm(-20, 20);
        if (k % 10 == 0) x = rnorm(-16382, -100);
        run2(0xD9, 0xF9, cwof(k & 3, rndn(3)), x, y);
    }
    printf("# fpatan\n");
    for (int k = 0; k < 400; k++) {
        f80 x = rnorm(-40, 40), y = rnorm(-40, 40);
        if (k % 4 == 0) { y = x; y.sig ^= rnd() >> rndn(64); y.se ^= (uint16_t)(rndn(2) << 15); }
        if (k % 10 == 1) x = rnorm(-16382, 16383);
        run2(0xD9, 0xF3, cwof(k & 3, rndn(3)), x, y);
    }
    printf("# fsin fcos fptan fsincos\n");
    {
        static const int un[] = { 0xFE, 0xFF, 0xF2, 0xFB };
        for (int o = 0; o < 4; o++)
            for (int k = 0; k < 300; k++) {
                f80 a = rnorm(-30, 3);
                if (k % 5 == 0) a = rnorm(3, 62);
                if (k % 10 == 1) a = rnorm(-16382, -30);
                if (k % 20 == 2) a = rnorm(63, 64);
                if (k % 20 == 3) { a = F(0x3FFF, 0xC90FDAA22168C235ULL); a.sig += (int)rndn(2000) - 1000; a.se += (uint16_t)rndn(3); }
                run1(0xD9, un[o], cwof(k & 3, rndn(3)), a);
            }
    }
    return 0;
}
