/* ill: executes ud2. Natively the process is killed by SIGILL (shell
 * status 132). The line before the fault must reach stdout. */
#include <stdio.h>

int main(void)
{
    puts("ill: about to execute ud2");
    fflush(stdout);
    __asm__ volatile("ud2");
    puts("ill: BAD, still alive");
    return 1;
}
