/* The FPU across a checkpoint: a rounding mode and precision set in the x87 control word,
 * values kept on the x87 stack through the wait, and exception flags raised before it. */
#include "zdtm.h"
#include <fenv.h>

int main(void) {
    zdtm_init();
    fesetround(FE_UPWARD);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double one = 1.0, three = 3.0;
    volatile double third = one / three;   /* raises FE_INEXACT */
    long double acc = 0;
    for (int i = 1; i <= 100; i++) acc += 1.0L / i;
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    zdtm_ready_and_wait();
    unsigned short cw2;
    __asm__ volatile("fnstcw %0" : "=m"(cw2));
    CHECK(cw2 == cw, "control word %#x, was %#x", cw2, cw);
    CHECK(fegetround() == FE_UPWARD, "rounding mode lost");
    CHECK(fetestexcept(FE_INEXACT), "FE_INEXACT lost");
    long double again = 0;
    for (int i = 1; i <= 100; i++) again += 1.0L / i;
    CHECK(again == acc, "harmonic sum differs");
    CHECK(third * 3 >= 1.0, "rounding upward");
    return zdtm_end();
}
