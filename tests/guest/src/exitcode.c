/* exitcode: prints a line and exits with status 42, or with the status
 * given as the first argument (e.g. "3" exits 3). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int code = 42;
    if (argc > 1)
        code = atoi(argv[1]) & 255;
    printf("exitcode: exiting with status %d\n", code);
    fflush(stdout);
    exit(code);
}
