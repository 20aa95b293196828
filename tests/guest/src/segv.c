/* segv: writes through a NULL pointer. Natively the process is killed by
 * SIGSEGV (shell status 139). The line before the fault must reach stdout. */
#include <stdio.h>

int main(void)
{
    /* both volatile: the compiler may neither assume p is NULL nor drop the
     * store */
    volatile int *volatile p = 0;
    puts("segv: about to write through NULL");
    fflush(stdout);
    *p = 42;
    puts("segv: BAD, still alive");
    return 1;
}
