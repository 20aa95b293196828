/* fpe: integer division by zero (idiv raises #DE). Natively the process is
 * killed by SIGFPE (shell status 136). The line before the fault must reach
 * stdout. */
#include <stdio.h>

int main(void)
{
    volatile int a = 1234, b = 0;
    int q;
    puts("fpe: about to divide by zero");
    fflush(stdout);
    q = a / b;
    printf("fpe: BAD, still alive, q=%d\n", q);
    return 1;
}
