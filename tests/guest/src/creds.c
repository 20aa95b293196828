/*
 * Credentials (run as root: set*id in all forms, groups, capabilities, kill permissions),
 * waitid, scheduling parameters, the System V signal() call and sigqueue.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int e) {
    switch (e) {
    case 0: return "ok";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case ECHILD: return "ECHILD";
    case ESRCH: return "ESRCH";
    case EACCES: return "EACCES";
    default: return "other";
    }
}
#define TRY(what, call) do { errno = 0; int r_ = (call); printf("%s: %d %s\n", what, r_, r_ < 0 ? en(errno) : "ok"); } while (0)

static void ids(const char *when) {
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u %u %u gid %u %u %u fsuid %d\n", when, r, e, s, gr, ge, gs, setfsuid(-1));
}

static volatile int usr1_hits;
static void on_usr1(int s) { (void) s; usr1_hits++; }
static volatile int q_code, q_value, q_pid_ok;
static void on_usr2(int s, siginfo_t *si, void *uc) {
    (void) s; (void) uc;
    q_code = si->si_code; q_value = si->si_value.sival_int; q_pid_ok = si->si_pid == getpid();
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (geteuid() != 0) { printf("must run as root\n"); return 1; }

    /* --- waitid --- */
    siginfo_t si;
    pid_t c = fork();
    if (c == 0) _exit(5);
    memset(&si, 0xff, sizeof si);
    TRY("waitid WNOWAIT", waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    printf("  signo SIGCHLD %d code CLD_EXITED %d pid ok %d status %d\n", si.si_signo == SIGCHLD, si.si_code == CLD_EXITED, si.si_pid == c, si.si_status);
    TRY("waitid again", waitid(P_ALL, 0, &si, WEXITED));
    printf("  pid ok %d status %d\n", si.si_pid == c, si.si_status);
    TRY("waitid no child", waitid(P_ALL, 0, &si, WEXITED));
    TRY("waitid bad options", waitid(P_ALL, 0, &si, WNOHANG));
    int p[2];
    pipe(p);
    c = fork();
    if (c == 0) { char b; close(p[1]); read(p[0], &b, 1); _exit(0); }
    close(p[0]);
    memset(&si, 0xff, sizeof si);
    TRY("waitid WNOHANG running", waitid(P_PID, c, &si, WEXITED | WNOHANG));
    printf("  si_pid %d\n", si.si_pid);
    kill(c, SIGSTOP);
    TRY("waitid WSTOPPED", waitid(P_PID, c, &si, WSTOPPED));
    printf("  code CLD_STOPPED %d status %d\n", si.si_code == CLD_STOPPED, si.si_status);
    kill(c, SIGCONT);
    TRY("waitid WCONTINUED", waitid(P_PID, c, &si, WCONTINUED));
    printf("  code CLD_CONTINUED %d status %d\n", si.si_code == CLD_CONTINUED, si.si_status);
    kill(c, SIGKILL);
    TRY("waitid killed", waitid(P_PGID, 0, &si, WEXITED));
    printf("  code CLD_KILLED %d status %d\n", si.si_code == CLD_KILLED, si.si_status);
    close(p[1]);

    /* --- scheduling parameters --- */
    errno = 0;
    int base = getpriority(PRIO_PROCESS, 0);
    TRY("setpriority +3", setpriority(PRIO_PROCESS, 0, base + 3));
    printf("getpriority is base+3: %d\n", getpriority(PRIO_PROCESS, 0) == base + 3);
    TRY("setpriority back (root)", setpriority(PRIO_PROCESS, 0, base));
    TRY("getpriority bad which", getpriority(7, 0));
    printf("scheduler %d, FIFO max %d min %d, OTHER max %d\n", sched_getscheduler(0), sched_get_priority_max(SCHED_FIFO),
           sched_get_priority_min(SCHED_FIFO), sched_get_priority_max(SCHED_OTHER));
    struct sched_param sp = {0};
    TRY("sched_getparam", sched_getparam(0, &sp));
    printf("  priority %d\n", sp.sched_priority);
    sp.sched_priority = 5;
    TRY("sched_setscheduler OTHER with priority 5", sched_setscheduler(0, SCHED_OTHER, &sp));
    TRY("sched_get_priority_max bad", sched_get_priority_max(42));
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    TRY("sched_setaffinity cpu0", sched_setaffinity(0, sizeof set, &set));

    /* --- the System V signal() system call: reset to default on delivery --- */
    c = fork();
    if (c == 0) {
        long old = syscall(SYS_signal, SIGUSR1, on_usr1);
        printf("signal() returned the old handler SIG_DFL: %d\n", old == (long) SIG_DFL);
        raise(SIGUSR1);
        printf("handler ran %d time(s)\n", usr1_hits);
        raise(SIGUSR1);
        printf("not reached\n");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("second SIGUSR1 killed the child: %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);

    /* --- sigqueue --- */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr2;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    union sigval v = {.sival_int = 77};
    TRY("sigqueue", sigqueue(getpid(), SIGUSR2, v));
    printf("  code SI_QUEUE %d value %d pid ok %d\n", q_code == SI_QUEUE, q_value, q_pid_ok);

    /* --- credentials --- */
    ids("start");
    TRY("setresuid(-1, 1000, 0)", setresuid(-1, 1000, 0));
    ids("euid 1000");
    TRY("setuid(0) back through the saved uid", setuid(0));
    ids("root again");
    c = fork();
    if (c == 0) {
        gid_t g[3] = {30, 5, 20}, back[8];
        TRY("setgroups", setgroups(3, g));
        int n = getgroups(8, back);
        printf("getgroups %d: %u %u %u\n", n, back[0], back[1], back[2]);
        TRY("getgroups too small", getgroups(1, back));
        TRY("setgid(100)", setgid(100));
        TRY("setregid(200, -1)", setregid(200, -1));
        ids("gids changed");
        TRY("setreuid(1000, 1001)", setreuid(1000, 1001));
        ids("after setreuid");
        TRY("setuid(0) now", setuid(0));
        TRY("setuid(1000)", setuid(1000));
        ids("after setuid(1000)");
        TRY("setresuid(1001, -1, -1)", setresuid(1001, -1, -1));
        TRY("setresuid(1000, 1001, 1000)", setresuid(1000, 1001, 1000));
        ids("after setresuid");
        printf("setfsuid(0) returns old %d\n", setfsuid(0));
        printf("setfsuid(-1) shows it unchanged: %d\n", setfsuid(-1));
        TRY("setgroups unprivileged", setgroups(1, g));
        TRY("setgid(0)", setgid(0));
        TRY("kill(parent, 0)", kill(getppid(), 0));
        _exit(0);
    }
    waitpid(c, &st, 0);
    printf("child status %d\n", WEXITSTATUS(st));
    ids("end");
    return 0;
}
