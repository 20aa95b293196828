/*
 * A guest that takes without limit: "fork" forks until fork fails, "memory" touches fresh
 * memory until it is stopped. Never run natively (no expected files): it exists to show that
 * j386's --max-processes and --memory stop it while the emulator stays healthy.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "fork")) {
        int n = 0;
        for (;;) {
            pid_t p = fork();
            if (p < 0) {
                printf("fork failed with %s after %d children\n", errno == EAGAIN ? "EAGAIN" : "another error", n);
                break;
            }
            if (p == 0) { pause(); _exit(0); }
            n++;
        }
        signal(SIGTERM, SIG_IGN);
        kill(0, SIGTERM); /* the children go */
        return 0;
    }
    size_t total = 0;
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p) { printf("malloc failed after %zu MiB\n", total >> 20); return 1; }
        memset(p, 1, 1 << 20);
        total += 1 << 20;
    }
}
