/* ckpt [-s] [-k] [-n] PID > IMAGE: checkpoint process PID (with -s its whole subtree) into
 * a j386 image on stdout, with the checkpoint(2) system call. The target must be frozen:
 * ckpt makes a freezer cgroup /sys/fs/cgroup/freezer/ckpt.MYPID, moves the target (with -s
 * every descendant) into it, writes FROZEN, takes the checkpoint, then thaws the tasks, moves
 * them back to the root cgroup and removes its cgroup. -k kills the checkpointed tasks instead
 * of letting them go on (and waits until they are gone from the cgroup). -n leaves the
 * freezer alone: the caller froze the target itself. On failure the kernel's reason is on
 * stderr (the log descriptor), then "ckpt: ..." with the error, status 1. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NR_CHECKPOINT 500
#define CHECKPOINT_SUBTREE 0x1
#define FREEZER "/sys/fs/cgroup/freezer"
#define MAXP 1024

static char group[64];

static int put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -1;
    int r = write(fd, text, strlen(text)) < 0 ? -1 : 0;
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

static int put_pid(const char *path, int pid) {
    char b[16];
    snprintf(b, sizeof b, "%d\n", pid);
    return put(path, b);
}

/* The pids listed in a cgroup file, at most max. */
static int pids_in(const char *path, int *out, int max) {
    char buf[8192];
    int fd = open(path, O_RDONLY), n = 0, len = 0, r;
    if (fd < 0) return -1;
    while (len < (int) sizeof buf - 1 && (r = read(fd, buf + len, sizeof buf - 1 - len)) > 0) len += r;
    close(fd);
    buf[len] = 0;
    for (char *p = strtok(buf, "\n"); p && n < max; p = strtok(NULL, "\n")) out[n++] = atoi(p);
    return n;
}

/* The parent of process pid, from /proc/PID/stat, or -1. */
static int ppid_of(int pid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    int ppid;
    char state;
    return p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 ? ppid : -1;
}

/* pid and (with subtree) its descendants, found through /proc. */
static int tree(int pid, int subtree, int *out, int max) {
    int n = 0;
    out[n++] = pid;
    if (!subtree) return n;
    int all[MAXP], parents[MAXP], m = 0;
    DIR *d = opendir("/proc");
    if (!d) return n;
    struct dirent *e;
    while ((e = readdir(d)) && m < MAXP) {
        int p = atoi(e->d_name);
        if (p > 0) { all[m] = p; parents[m++] = ppid_of(p); }
    }
    closedir(d);
    for (int i = 0; i < n; i++)              /* breadth first: children of out[i] */
        for (int j = 0; j < m && n < max; j++)
            if (parents[j] == out[i]) out[n++] = all[j];
    return n;
}

static void pause_ms(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
    int subtree = 0, kill_after = 0, nofreeze = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (char *o = argv[i] + 1; *o; o++) {
            if (*o == 's') subtree = 1;
            else if (*o == 'k') kill_after = 1;
            else if (*o == 'n') nofreeze = 1;
            else { fprintf(stderr, "usage: ckpt [-s] [-k] [-n] PID > IMAGE\n"); return 2; }
        }
    }
    if (i != argc - 1 || atoi(argv[i]) <= 0) { fprintf(stderr, "usage: ckpt [-s] [-k] [-n] PID > IMAGE\n"); return 2; }
    int pid = atoi(argv[i]);
    if (isatty(1)) { fprintf(stderr, "ckpt: the image goes to stdout: redirect it to a file\n"); return 2; }

    char path[128], state[128];
    if (!nofreeze) {
        snprintf(group, sizeof group, FREEZER "/ckpt.%d", getpid());
        if (mkdir(group, 0755) < 0) { fprintf(stderr, "ckpt: %s: %s\n", group, strerror(errno)); return 1; }
        int pids[MAXP], n = tree(pid, subtree, pids, MAXP);
        snprintf(path, sizeof path, "%s/cgroup.procs", group);
        for (int j = 0; j < n; j++) {
            if (put_pid(path, pids[j]) < 0 && j == 0) {
                int e = errno;
                rmdir(group);
                fprintf(stderr, "ckpt: cannot freeze %d: %s\n", pid, strerror(e));
                return 1;
            }
        }
        snprintf(state, sizeof state, "%s/freezer.state", group);
        if (put(state, "FROZEN") < 0) { fprintf(stderr, "ckpt: %s: %s\n", state, strerror(errno)); return 1; }
    }

    long r = syscall(NR_CHECKPOINT, pid, 1, subtree ? CHECKPOINT_SUBTREE : 0, 2);
    int err = errno;

    if (!nofreeze) {
        int pids[MAXP], n;
        snprintf(path, sizeof path, "%s/tasks", group);
        if (kill_after && r > 0) {
            n = pids_in(path, pids, MAXP);
            for (int j = 0; j < n; j++) kill(pids[j], SIGKILL);
        }
        put(state, "THAWED");
        if (kill_after && r > 0) {
            for (int tries = 0; tries < 1000 && pids_in(path, pids, MAXP) > 0; tries++) pause_ms(1);
        } else {
            n = pids_in(path, pids, MAXP);
            for (int j = 0; j < n; j++) put_pid(FREEZER "/tasks", pids[j]);
        }
        rmdir(group);
    }
    if (r < 0) {
        fprintf(stderr, "ckpt: checkpoint of %d failed: %s\n", pid, strerror(err));
        return 1;
    }
    return 0;
}
