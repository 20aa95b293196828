/*
 * ps: list every process, from /proc in the Linux format: /proc/PID/stat gives the state
 * and the parent, /proc/PID/cmdline the arguments (the command name in brackets from stat
 * when cmdline is empty, as for kernel threads and zombies). Output: PID, PPID, state
 * letter, command line, sorted by PID. Without /proc it says so and exits with status 1.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* reads a whole small file; returns its length or -1 */
static int slurp(const char *path, char *buf, int size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += r;
        if (n == size - 1) break;
    }
    close(fd);
    buf[n] = 0;
    return n;
}

int main(void)
{
    DIR *d = opendir("/proc");
    if (!d) {
        fprintf(stderr, "ps: /proc: %s (ps needs procfs mounted on /proc)\n", strerror(errno));
        return 1;
    }
    int n = 0, cap = 64;
    int *pids = malloc(cap * sizeof *pids);
    struct dirent *e;
    while (pids && (e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (!isdigit((unsigned char)e->d_name[0]) || *end) continue;
        if (n == cap) {
            int *np = realloc(pids, (cap *= 2) * sizeof *pids);
            if (!np) break;
            pids = np;
        }
        pids[n++] = (int)pid;
    }
    closedir(d);
    if (!pids) { fprintf(stderr, "ps: out of memory\n"); return 1; }
    if (n == 0) { fprintf(stderr, "ps: /proc lists no processes (is procfs mounted on /proc?)\n"); return 1; }
    qsort(pids, n, sizeof *pids, cmp);
    printf("  PID  PPID S CMD\n");
    static char stat[4096], cmd[4096];
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/stat", pids[i]);
        if (slurp(path, stat, sizeof stat) < 0) continue;   /* gone meanwhile */
        /* "PID (COMM) S PPID ...": COMM may hold spaces and parentheses, so take the last ')' */
        char *open_paren = strchr(stat, '('), *close_paren = strrchr(stat, ')');
        if (!open_paren || !close_paren || close_paren < open_paren) continue;
        char state = '?';
        int ppid = 0;
        if (sscanf(close_paren + 1, " %c %d", &state, &ppid) < 2) continue;
        *close_paren = 0;
        snprintf(path, sizeof path, "/proc/%d/cmdline", pids[i]);
        int len = slurp(path, cmd, sizeof cmd);
        if (len > 0) {
            while (len > 0 && cmd[len - 1] == 0) len--;
            for (int k = 0; k < len; k++) if (cmd[k] == 0) cmd[k] = ' ';
            cmd[len] = 0;
        } else {
            snprintf(cmd, sizeof cmd, "[%s]", open_paren + 1);
        }
        printf("%5d %5d %c %s\n", pids[i], ppid, state, cmd);
    }
    return 0;
}
