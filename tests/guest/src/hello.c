/* hello: the smallest guest program. Prints one line and exits 0. */
#include <stdio.h>

int main(void)
{
    puts("Hello from an i386 guest!");
    return 0;
}
