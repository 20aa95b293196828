/*
 * kill [-SIGNAL | -s SIGNAL | -N] PID...: send a signal (default TERM) to processes
 * (a negative PID names a process group). kill -l lists the signal names.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *names[32] = {
    "0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
    "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

static int signum(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s && !*end) return n >= 0 && n < 65 ? (int)n : -1;
    if (strncasecmp(s, "SIG", 3) == 0) s += 3;
    for (int i = 1; i < 32; i++) if (strcasecmp(s, names[i]) == 0) return i;
    return -1;
}

int main(int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        for (int k = 1; k < 32; k++) printf("%2d) SIG%s\n", k, names[k]);
        return 0;
    }
    if (i < argc && strcmp(argv[i], "-s") == 0) {
        if (i + 1 >= argc || (sig = signum(argv[i + 1])) < 0) { fprintf(stderr, "kill: bad signal %s\n", i + 1 < argc ? argv[i + 1] : ""); return 1; }
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && !(argv[i][1] >= '0' && argv[i][1] <= '9' && signum(argv[i] + 1) < 0)) {
        if (strcmp(argv[i], "--") != 0 && (sig = signum(argv[i] + 1)) < 0) { fprintf(stderr, "kill: bad signal %s\n", argv[i] + 1); return 1; }
        i++;
    }
    if (i == argc) { fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID... | kill -l\n"); return 1; }
    int st = 0;
    for (; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (!*argv[i] || *end) { fprintf(stderr, "kill: %s: not a process id\n", argv[i]); st = 1; continue; }
        if (kill((pid_t)pid, sig) < 0) { fprintf(stderr, "kill: %ld: %s\n", pid, strerror(errno)); st = 1; }
    }
    return st;
}
