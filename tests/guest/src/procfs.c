/* /proc as a program sees it: self, stat (52 fields), status, maps, cmdline, environ, exe,
 * fd and fdinfo, comm, task, thread-self, another process's stat, meminfo, cpuinfo, uptime,
 * mounts, sys/kernel. Prints facts that hold on any Linux, never host-specific values. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int failures;
static void check(const char *what, int ok) {
    printf("%-60s %s\n", what, ok ? "ok" : "BAD");
    fflush(stdout);
    if (!ok) failures++;
}

/* The whole file, NUL-terminated; returns the length or -1. */
static int slurp(const char *path, char *buf, int size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int total = 0, n;
    while (total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0) total += n;
    close(fd);
    buf[total] = 0;
    return total;
}

static const char *line_with(const char *text, const char *key) {
    const char *p = text;
    size_t k = strlen(key);
    while (p && *p) {
        if (strncmp(p, key, k) == 0) return p;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return NULL;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void usr2(int s) { (void) s; }

int main(int argc, char **argv) {
    static char buf[65536], buf2[4096];
    char want[128];
    int n;

    n = readlink("/proc/self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("readlink /proc/self is the pid", atoi(buf) == getpid());
    snprintf(want, sizeof want, "%d/task/%d", getpid(), getpid());
    n = readlink("/proc/thread-self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("readlink /proc/thread-self is PID/task/TID", strcmp(buf, want) == 0);
    struct stat st;
    check("/proc/self is a directory", stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode));

    /* stat */
    n = slurp("/proc/self/stat", buf, sizeof buf);
    int fields = 0;
    char *close_paren = strrchr(buf, ')');
    for (char *p = close_paren ? close_paren + 1 : buf; *p; p++) if (*p == ' ') fields++;
    check("stat has 52 fields", close_paren && fields + 2 == 52 && buf[n - 1] == '\n');
    int pid, ppid, pgrp, sid;
    char comm[64], state;
    check("stat: pid, (comm), state R, ppid, pgrp, session",
          sscanf(buf, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state, &ppid, &pgrp, &sid) == 6
          && pid == getpid() && strcmp(comm, "procfs") == 0 && state == 'R' && ppid == getppid()
          && pgrp == getpgrp() && sid == getsid(0));
    check("pread and lseek on a proc file; no SEEK_END", ({
        int fd = open("/proc/self/stat", O_RDONLY);
        char b[8] = {0};
        int ok = pread(fd, b, 5, 0) == 5 && lseek(fd, 1, SEEK_SET) == 1 && read(fd, b + 5, 1) == 1
                 && lseek(fd, 0, SEEK_END) < 0 && errno == EINVAL;
        close(fd);
        ok && strncmp(b, buf, 5) == 0 && b[5] == buf[1]; }));

    /* status */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGUSR2, usr2);
    signal(SIGPIPE, SIG_IGN);
    slurp("/proc/self/status", buf, sizeof buf);
    check("status: Name", line_with(buf, "Name:\tprocfs\n") != NULL);
    check("status: State running", line_with(buf, "State:\tR (running)\n") != NULL);
    snprintf(want, sizeof want, "Pid:\t%d\n", getpid());
    check("status: Pid", line_with(buf, want) != NULL);
    snprintf(want, sizeof want, "PPid:\t%d\n", getppid());
    check("status: PPid", line_with(buf, want) != NULL);
    snprintf(want, sizeof want, "Uid:\t%d\t%d\t%d\t%d\n", getuid(), geteuid(), getuid(), geteuid());
    check("status: Uid", line_with(buf, want) != NULL);
    check("status: Threads 1", line_with(buf, "Threads:\t1\n") != NULL);
    check("status: VmRSS and VmSize in kB", ({ const char *l = line_with(buf, "VmRSS:"); const char *m = line_with(buf, "VmSize:");
          l && m && strstr(l, " kB\n") && strstr(m, " kB\n"); }));
    const char *l = line_with(buf, "SigBlk:\t");
    check("status: SigBlk shows SIGUSR1", l && strtoull(l + 8, NULL, 16) == (1ull << (SIGUSR1 - 1)));
    l = line_with(buf, "SigCgt:\t");
    check("status: SigCgt has SIGUSR2", l && (strtoull(l + 8, NULL, 16) & (1ull << (SIGUSR2 - 1))));
    l = line_with(buf, "SigIgn:\t");
    check("status: SigIgn has SIGPIPE", l && (strtoull(l + 8, NULL, 16) & (1ull << (SIGPIPE - 1))));
    check("status: TracerPid 0, FDSize, Groups", line_with(buf, "TracerPid:\t0\n") && line_with(buf, "FDSize:\t") && line_with(buf, "Groups:\t"));

    /* statm */
    slurp("/proc/self/statm", buf, sizeof buf);
    unsigned long sm[7];
    check("statm has 7 numbers, resident <= size", sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu", &sm[0], &sm[1], &sm[2], &sm[3], &sm[4], &sm[5], &sm[6]) == 7
          && sm[1] <= sm[0] && sm[0] > 0);

    /* maps */
    long cur = syscall(SYS_brk, 0);
    syscall(SYS_brk, cur + 8192);
    *(volatile char *) cur = 1;
    slurp("/proc/self/maps", buf, sizeof buf);
    int lines = 0, parsed = 0, stack = 0, heap = 0, text = 0, sorted = 1;
    unsigned long prev_end = 0;
    for (char *p = buf; *p; ) {
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = 0;
        unsigned long s, e, off, ino;
        unsigned maj, min;
        char perms[8];
        int used = 0;
        lines++;
        if (sscanf(p, "%lx-%lx %4s %lx %x:%x %lu %n", &s, &e, perms, &off, &maj, &min, &ino, &used) == 7) {
            parsed++;
            if (s < prev_end || e <= s) sorted = 0;
            prev_end = e;
            const char *name = p + used;
            if (strcmp(name, "[stack]") == 0 && strcmp(perms, "rw-p") == 0) stack++;
            if (strcmp(name, "[heap]") == 0 && strcmp(perms, "rw-p") == 0 && s <= (unsigned long) cur && (unsigned long) cur < e) heap++;
            if (ends_with(name, "/procfs") && perms[2] == 'x' && ino != 0) text++;
        }
        p = nl + 1;
    }
    check("maps: every line parses", lines > 3 && parsed == lines);
    check("maps: ascending, non-overlapping", sorted);
    check("maps: one [stack] rw-p", stack == 1);
    check("maps: [heap] rw-p covers the brk area", heap == 1);
    check("maps: the program's code, executable, with an inode", text == 1);

    /* cmdline, environ, comm, exe, cwd, root */
    n = slurp("/proc/self/cmdline", buf, sizeof buf);
    int len = 0;
    for (int i = 0; i < argc; i++) { strcpy(buf2 + len, argv[i]); len += strlen(argv[i]) + 1; }
    check("cmdline is argv, NUL-separated", n == len && memcmp(buf, buf2, len) == 0);
    n = slurp("/proc/self/environ", buf, sizeof buf);
    len = 0;
    for (char **e = environ; *e; e++) { strcpy(buf2 + len, *e); len += strlen(*e) + 1; }
    check("environ is the initial environment", n == len && memcmp(buf, buf2, len) == 0);
    slurp("/proc/self/comm", buf, sizeof buf);
    check("comm", strcmp(buf, "procfs\n") == 0);
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("exe ends with the program name", buf[0] == '/' && ends_with(buf, "/procfs"));
    check("exe can be stat'ed: the program", stat("/proc/self/exe", &st) == 0 && S_ISREG(st.st_mode));
    n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("cwd is getcwd()", getcwd(buf2, sizeof buf2) && strcmp(buf, buf2) == 0);
    n = readlink("/proc/self/root", buf, sizeof buf - 1);
    check("root is /", n == 1 && buf[0] == '/');

    /* fd, fdinfo */
    int fd = open("/proc/self/cmdline", O_RDONLY);
    int p[2];
    pipe(p);
    read(fd, buf, 3);
    DIR *d = opendir("/proc/self/fd");
    static int seen[1024];
    int dfd = dirfd(d), exact = 1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        int k = atoi(e->d_name);
        if (k >= 0 && k < 1024) seen[k]++;
        else exact = 0;
    }
    closedir(d);
    for (int k = 0; k < 1024; k++) if ((fcntl(k, F_GETFD) >= 0 || k == dfd) != (seen[k] == 1)) exact = 0;
    check("fd lists exactly the open descriptors", exact && seen[0] && seen[1] && seen[2] && seen[fd] && seen[p[0]] && seen[p[1]] && seen[dfd]);
    snprintf(want, sizeof want, "/proc/self/fd/%d", fd);
    n = readlink(want, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof want, "/proc/%d/cmdline", getpid());
    check("fd link of a file: its path", strcmp(buf, want) == 0);
    snprintf(want, sizeof want, "/proc/self/fd/%d", p[0]);
    n = readlink(want, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("fd link of a pipe: pipe:[N]", strncmp(buf, "pipe:[", 6) == 0 && buf[n - 1] == ']');
    snprintf(want, sizeof want, "/proc/self/fdinfo/%d", fd);
    slurp(want, buf, sizeof buf);
    check("fdinfo: pos 3, flags, mnt_id", line_with(buf, "pos:\t3\n") && line_with(buf, "flags:\t0") && line_with(buf, "mnt_id:\t"));
    close(fd);
    snprintf(want, sizeof want, "/proc/self/fd/%d", fd);
    check("a closed fd is gone from fd/", access(want, F_OK) < 0 && errno == ENOENT);

    /* task, another process */
    d = opendir("/proc/self/task");
    int count = 0;
    int only = 0;
    while ((e = readdir(d))) if (e->d_name[0] != '.') { count++; only = atoi(e->d_name); }
    closedir(d);
    check("task/ lists the one thread", count == 1 && only == getpid());
    snprintf(want, sizeof want, "/proc/self/task/%d/stat", getpid());
    check("task/TID/stat", slurp(want, buf, sizeof buf) > 0 && atoi(buf) == getpid());
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(p[0], &c, 1);
        _exit(0);
    }
    usleep(50000);
    snprintf(want, sizeof want, "/proc/%d/stat", child);
    slurp(want, buf, sizeof buf);
    check("a child waiting in read: state S, ppid is us", sscanf(buf, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid) == 4
          && pid == child && state == 'S' && ppid == getpid());
    d = opendir("/proc");
    int found = 0;
    snprintf(want, sizeof want, "%d", child);
    while ((e = readdir(d))) if (strcmp(e->d_name, want) == 0) found++;
    closedir(d);
    check("/proc lists the child", found == 1);
    write(p[1], "x", 1);
    waitpid(child, NULL, 0);
    snprintf(want, sizeof want, "/proc/%d", child);
    check("a reaped child is gone", access(want, F_OK) < 0 && errno == ENOENT);

    /* system files */
    slurp("/proc/meminfo", buf, sizeof buf);
    unsigned long kb;
    check("meminfo: MemTotal in kB", sscanf(buf, "MemTotal: %lu kB", &kb) == 1 && kb > 0 && line_with(buf, "MemFree:"));
    slurp("/proc/cpuinfo", buf, sizeof buf);
    check("cpuinfo: processor, vendor_id, flags", line_with(buf, "processor\t: 0") && line_with(buf, "vendor_id\t: ") && line_with(buf, "flags\t\t: "));
    slurp("/proc/uptime", buf, sizeof buf);
    double up, idle;
    check("uptime: two numbers", sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0);
    slurp("/proc/loadavg", buf, sizeof buf);
    double l1, l5, l15;
    int run, total, last;
    check("loadavg", sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &run, &total, &last) == 6 && run >= 1);
    slurp("/proc/mounts", buf, sizeof buf);
    check("mounts: proc on /proc", strstr(buf, " /proc proc ") != NULL);
    struct statfs sfs;
    check("statfs /proc: PROC_SUPER_MAGIC", statfs("/proc", &sfs) == 0 && sfs.f_type == 0x9fa0);
    slurp("/proc/sys/kernel/ostype", buf, sizeof buf);
    check("sys/kernel/ostype", strcmp(buf, "Linux\n") == 0);
    struct utsname u;
    uname(&u);
    slurp("/proc/sys/kernel/hostname", buf, sizeof buf);
    snprintf(buf2, sizeof buf2, "%s\n", u.nodename);
    check("sys/kernel/hostname is uname's nodename", strcmp(buf, buf2) == 0);
    slurp("/proc/sys/kernel/osrelease", buf, sizeof buf);
    snprintf(buf2, sizeof buf2, "%s\n", u.release);
    check("sys/kernel/osrelease is uname's release", strcmp(buf, buf2) == 0);
    slurp("/proc/version", buf, sizeof buf);
    check("version starts with Linux version", strncmp(buf, "Linux version ", 14) == 0);
    check("creating in /proc fails", open("/proc/j386-new", O_CREAT | O_WRONLY, 0644) < 0);
    printf("%d failures\n", failures);
    return failures != 0;
}
