/* sleep SECONDS...: pause for the sum of the arguments (decimal fractions allowed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: sleep SECONDS...\n"); return 1; }
    double total = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        double v = strtod(argv[i], &end);
        if (end == argv[i] || *end || v < 0) { fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]); return 1; }
        total += v;
    }
    struct timespec ts = { (time_t)total, (long)((total - (double)(time_t)total) * 1e9) };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
    return 0;
}
