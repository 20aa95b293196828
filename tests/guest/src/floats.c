/* floats: integer and floating-point formatting, x87 arithmetic done at run
 * time, libm functions, rounding modes, conversions and strtod. */
#include <errno.h>
#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* volatile copies: the compiler must compute everything at run time */
static volatile double vd[] = {
    0.1, 1e300, -0.0, 4.9406564584124654e-324, 2.2250738585072009e-308,
    1.0 / 3.0, M_PI, 1.4142135623730951, 9007199254740993.0, 1e22,
    123456789012345678.0, -2.5, 0.5, 1.5, 2.5, 1e-5, 65536.0, DBL_MAX,
};
#define NVD (sizeof vd / sizeof vd[0])

static volatile long double vld[] = {
    0.1L, 1e4000L, -0.0L, 3.6451995318824746025e-4951L, 1.0L / 3.0L,
    3.14159265358979323846264338327950288L, 18446744073709551615.0L,
    LDBL_MAX, LDBL_MIN, 2.5L,
};
#define NVLD (sizeof vld / sizeof vld[0])

static volatile float vf[] = { 0.1f, 3.4028235e38f, 1.17549435e-38f, 1e-45f,
                               -7.25f, 16777217.0f, 1.0f / 3.0f };
#define NVF (sizeof vf / sizeof vf[0])

static void ints(void)
{
    volatile int i[] = { 0, 1, -1, 42, INT_MAX, INT_MIN, 255, -256 };
    volatile unsigned u[] = { 0, 1, UINT_MAX, 0x80000000u, 0xdeadbeefu };
    volatile long l[] = { LONG_MAX, LONG_MIN, -12345678 };
    volatile long long ll[] = { LLONG_MAX, LLONG_MIN, -1, 1234567890123456789LL };
    volatile unsigned long long ull[] = { ULLONG_MAX, 0x8000000000000000ull,
                                          10000000000000000000ull };
    unsigned k;

    puts("== integers");
    for (k = 0; k < sizeof i / sizeof i[0]; k++)
        printf("%d|%5d|%-5d|%+d|%05d|%x|%X|%o|%#x|%#o|%u\n", i[k], i[k], i[k],
               i[k], i[k], i[k], i[k], i[k], i[k], i[k], (unsigned)i[k]);
    for (k = 0; k < sizeof u / sizeof u[0]; k++)
        printf("%u|%x|%o|%#X|%12u|%-12x|\n", u[k], u[k], u[k], u[k], u[k], u[k]);
    for (k = 0; k < sizeof l / sizeof l[0]; k++)
        printf("%ld|%lx|%lu\n", l[k], (unsigned long)l[k], (unsigned long)l[k]);
    for (k = 0; k < sizeof ll / sizeof ll[0]; k++)
        printf("%lld|%llx|%llo|%llu\n", ll[k], (unsigned long long)ll[k],
               (unsigned long long)ll[k], (unsigned long long)ll[k]);
    for (k = 0; k < sizeof ull / sizeof ull[0]; k++)
        printf("%llu|%llX|%#llo\n", ull[k], ull[k], ull[k]);
    printf("%hhd|%hhu|%hd|%hu|%c|%%|%5.3d|%.0d|\n", (char)-3, (unsigned char)250,
           (short)-30000, (unsigned short)60000, 'Z', 7, 0);
    printf("%jd|%zu|%td\n", (intmax_t)INT64_MIN, (size_t)SIZE_MAX, (ptrdiff_t)-5);

    /* 64-bit arithmetic (libgcc helpers __divdi3, __udivdi3, __moddi3) */
    volatile long long a = 9223372036854775807LL, b = -1234567891LL;
    volatile unsigned long long c = 18446744073709551557ull, d = 4294967311ull;
    printf("ll: %lld %lld %lld %lld\n", a / b, a % b, a * b, (a >> 7) ^ b);
    printf("ull: %llu %llu %llu %llu\n", c / d, c % d, c * d, c >> 33);
}

/* %a of subnormals is spelled differently by glibc (0x0.0...1p-1022) and
 * musl (0x1p-1074); both are right, so only normal numbers get %a. */
static void fmt_double(double x)
{
    printf("%f|%.3f|%e|%.10e|%g|%.17g|%20.5f|%-12.3e|%+g", x, x, x, x, x, x, x,
           x, x);
    if (isnormal(x) || x == 0 || isinf(x))
        printf("|%a|%A|%.3a", x, x, x);
    printf("\n");
}

/* The raw x87 extended bits, so that both libcs print the same thing
 * (their %La choose different leading digits). */
static void ld_bits(long double x)
{
    union { long double ld; struct { unsigned long long m; unsigned short se; } b; } u;
    u.ld = x;
    printf("bits=%04x:%016llx", u.b.se, u.b.m);
}

static void fmt_ldouble(long double x)
{
    if (fabsl(x) < 1e30L)
        printf("%Lf|%.3Lf|", x, x);
    printf("%Le|%.20Le|%Lg|%.21Lg|", x, x, x, x);
    ld_bits(x);
    printf("\n");
}

static void formatting(void)
{
    unsigned k;
    puts("== double formatting");
    for (k = 0; k < NVD; k++)
        fmt_double(vd[k]);
    fmt_double(NAN);
    fmt_double(-NAN);
    fmt_double(INFINITY);
    fmt_double(-INFINITY);
    puts("== long double formatting");
    for (k = 0; k < NVLD; k++)
        fmt_ldouble(vld[k]);
    fmt_ldouble(-INFINITY);
    puts("== float formatting (promoted)");
    for (k = 0; k < NVF; k++)
        printf("%.9g|%a|%e\n", (double)vf[k], (double)vf[k], (double)vf[k]);
}

static void arith(void)
{
    unsigned k;
    puts("== arithmetic");
    for (k = 0; k + 1 < NVD; k++) {
        double a = vd[k], b = vd[k + 1];
        printf("%.17g %.17g %.17g %.17g\n", a + b, a - b, a * b, a / b);
    }
    volatile double zero = 0.0, one = 1.0;
    printf("1/0=%g -1/0=%g 0/0 is nan=%d inf-inf is nan=%d\n", one / zero,
           -one / zero, isnan(zero / zero), isnan(one / zero - one / zero));
    printf("sqrt: %.17g %.17g %.17g %d\n", sqrt(vd[1]), sqrt(vd[6]),
           sqrt(vd[3]), isnan(sqrt(-one)));
    long double la = vld[4], lb = vld[5];
    printf("ld: %.21Lg %.21Lg %.21Lg %.21Lg\n", la + lb, la - lb, la * lb, la / lb);
    float fa = vf[0], fb = vf[6];
    printf("f: %.9g %.9g %.9g %.9g\n", (double)(fa + fb), (double)(fa - fb),
           (double)(fa * fb), (double)(fa / fb));
}

static void libm(void)
{
    static volatile double xs[] = { 0.0, 0.5, 1.0, -1.0, 2.0, 3.0, 10.0,
                                    -7.25, 100.5, 1e-10, 0.7853981633974483 };
    unsigned k;
    puts("== libm");
    for (k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        double x = xs[k];
        printf("x=%g sin=%.17g cos=%.17g tan=%.17g\n", x, sin(x), cos(x), tan(x));
        printf("  exp=%.17g atan2=%.17g fmod=%.17g floor=%g ceil=%g rint=%g\n",
               exp(x), atan2(x, 1.5), fmod(x, 0.75), floor(x), ceil(x), rint(x));
        if (x > 0)
            printf("  log=%.17g pow=%.17g pow2=%.17g\n", log(x), pow(x, 1.5),
                   pow(2.0, x));
    }
    printf("pow(-2,3)=%g pow(0,0)=%g exp(1000)=%g log(0)=%g atan2(0,-1)=%.17g\n",
           pow(-2.0, 3.0), pow(0.0, 0.0), exp(xs[6] * 100), log(xs[0]),
           atan2(xs[0], xs[3]));
    printf("fabs=%g fmin=%g fmax=%g hypot=%.17g cbrt=%.17g\n", fabs(xs[7]),
           fmin(xs[3], xs[4]), fmax(xs[3], xs[4]), hypot(xs[5], 4.0),
           cbrt(xs[6] * 2.7));
}

static const char *modename(int m)
{
    switch (m) {
    case FE_TONEAREST: return "nearest";
    case FE_DOWNWARD: return "down";
    case FE_UPWARD: return "up";
    case FE_TOWARDZERO: return "towardzero";
    }
    return "?";
}

static void rounding(void)
{
    static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD,
                                 FE_TOWARDZERO };
    static volatile double rs[] = { 2.5, -2.5, 3.5, -3.5, 0.4999, 1.5, -0.5,
                                    1e10 + 0.5 };
    volatile double one = 1.0, three = 3.0;
    unsigned k, m;
    puts("== rounding modes");
    for (m = 0; m < 4; m++) {
        int r = fesetround(modes[m]);
        printf("%s: set=%d get_ok=%d\n", modename(modes[m]), r,
               fegetround() == modes[m]);
        for (k = 0; k < sizeof rs / sizeof rs[0]; k++)
            printf("  %g: rint=%g nearbyint=%g lrint=%ld llrint=%lld\n", rs[k],
                   rint(rs[k]), nearbyint(rs[k]), lrint(rs[k]), llrint(rs[k]));
        printf("  1/3=%.17g -1/3=%.17g 1/3L=%.21Lg\n", one / three, -one / three,
               (long double)one / (long double)three);
        printf("  sum=%.17g\n", vd[0] + vd[5]);
    }
    fesetround(FE_TONEAREST);
    /* exception flags */
    feclearexcept(FE_ALL_EXCEPT);
    volatile double z = 0.0, big = 1e308;
    volatile double r1 = one / z;
    printf("divbyzero=%d ", fetestexcept(FE_DIVBYZERO) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    r1 = big * big;
    printf("overflow=%d ", fetestexcept(FE_OVERFLOW) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    r1 = one / three;
    printf("inexact=%d ", fetestexcept(FE_INEXACT) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    r1 = z / z;
    printf("invalid=%d\n", fetestexcept(FE_INVALID) != 0);
    (void)r1;
}

static void conversions(void)
{
    static volatile double ds[] = { 0.0, 0.9, -0.9, 1.5, -1.5, 2147483647.0,
                                    -2147483648.0, 123456.789, -98765.4321,
                                    4294967295.0, 9.2233720368547748e18 };
    unsigned k;
    puts("== conversions");
    for (k = 0; k < sizeof ds / sizeof ds[0]; k++) {
        double d = ds[k];
        float f = (float)d;
        long double ld = d;
        printf("%.17g: f=%.9g ld=%.21Lg", d, (double)f, ld);
        if (d > -2147483649.0 && d < 2147483648.0)
            printf(" int=%d", (int)d);
        if (d > -1.0 && d < 4294967296.0)
            printf(" uint=%u", (unsigned)d);
        printf(" ll=%lld", (long long)d);
        if (d > -1.0)
            printf(" ull=%llu", (unsigned long long)d);
        printf("\n");
    }
    volatile int i = -123456789;
    volatile unsigned u = 4000000000u;
    volatile long long ll = -9007199254740993LL;
    volatile unsigned long long ull = 18446744073709551615ull;
    printf("int->d=%.17g u->d=%.17g ll->d=%.17g ull->d=%.17g\n", (double)i,
           (double)u, (double)ll, (double)ull);
    printf("ll->f=%.9g ll->ld=%.21Lg ull->ld=%.21Lg\n", (double)(float)ll,
           (long double)ll, (long double)ull);
    printf("ld->ll=%lld ld->ull=%llu\n", (long long)(vld[6] / 4),
           (unsigned long long)vld[6]);
}

static void parsing(void)
{
    static const char *ss[] = { "0.1", "1e-320", "2.2250738585072011e-308",
                                "123456789012345678901234567890", "1e400",
                                "-1e400", "  -12.5e-3xyz", "inf", "-Infinity",
                                "0x1.8p3", "0X10", ".5", "5.", "1e", "abc", "",
                                "9007199254740993", "4.9e-324", "2.5e-324",
                                "1.7976931348623157e308", "0.000001",
                                "3.14159265358979323846264338327950288" };
    unsigned k;
    puts("== strtod");
    for (k = 0; k < sizeof ss / sizeof ss[0]; k++) {
        char *end;
        errno = 0;
        double d = strtod(ss[k], &end);
        int e = errno;
        /* ERANGE for a subnormal result is set by glibc but not by musl */
        printf("\"%s\": %.17g consumed=%d erange=%d atof=%.17g\n", ss[k], d,
               (int)(end - ss[k]),
               fpclassify(d) == FP_SUBNORMAL ? -1 : e == ERANGE, atof(ss[k]));
    }
    printf("nan parse: %d %d\n", isnan(strtod("nan", 0)), isnan(strtod("NAN", 0)));
    printf("strtof: %.9g %.9g strtold: %.21Lg %.21Lg\n", (double)strtof("0.1", 0),
           (double)strtof("3.4e38", 0), strtold("0.1", 0), strtold("1e4000", 0));
    printf("strtol: %ld %ld %lld %llu %lu\n", strtol("-2147483648", 0, 10),
           strtol("0x7fffffff", 0, 16), strtoll("-9223372036854775808", 0, 10),
           strtoull("0777", 0, 0), strtoul("zz", 0, 36));
}

int main(void)
{
    ints();
    formatting();
    arith();
    libm();
    rounding();
    conversions();
    parsing();
    puts("floats: done");
    return 0;
}
