/* Process groups and sessions, signals between processes, waiting for signals (sigsuspend,
 * pause), the interval timer, alarm, and SA_RESTART versus EINTR on a blocked read. Only
 * the parent prints; children report through exit statuses. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *what, int ok) {
    printf("%-56s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static volatile int hits;
static void on_signal(int sig) { hits++; }

static int child_status(pid_t pid) {
    int st;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void) {
    fflush(stdout);

    /* sessions and groups */
    signal(SIGPIPE, SIG_IGN);   /* the EINTR case below writes to a pipe whose reader is gone */
    pid_t pid = fork();
    if (pid == 0) {
        int ok = 1;
        pid_t orig = getpgrp();
        ok &= setpgid(0, 0) == 0 && getpgrp() == getpid();
        ok &= getsid(0) != getpid();
        setpgid(0, orig);                         /* back, so setsid works */
        pid_t s = setsid();
        ok &= s == getpid() && getsid(0) == getpid() && getpgrp() == getpid();
        ok &= setsid() == -1 && errno == EPERM;   /* already a session leader */
        _exit(ok ? 0 : 1);
    }
    check("setpgid, setsid, getsid in a child", child_status(pid) == 0);
    check("getpgid(0) == getpgrp()", getpgid(0) == getpgrp());
    check("kill of a missing pid: ESRCH", kill(99999, 0) == -1 && errno == ESRCH);

    /* a signal to another process, waited for with sigsuspend */
    int ready[2];
    pipe(ready);
    pid = fork();
    if (pid == 0) {
        sigset_t block, empty;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        sigprocmask(SIG_BLOCK, &block, 0);
        signal(SIGUSR1, on_signal);
        write(ready[1], "r", 1);
        sigemptyset(&empty);
        int r = sigsuspend(&empty);
        sigset_t now;
        sigprocmask(SIG_BLOCK, 0, &now);
        _exit(r == -1 && errno == EINTR && hits == 1 && sigismember(&now, SIGUSR1) ? 0 : 1);
    }
    char c;
    read(ready[0], &c, 1);
    kill(pid, SIGUSR1);
    check("kill wakes sigsuspend: EINTR, handler ran, mask back", child_status(pid) == 0);

    /* the default action of SIGTERM sent to a child sitting in pause() */
    pid = fork();
    if (pid == 0) {
        write(ready[1], "r", 1);
        for (;;) pause();
    }
    read(ready[0], &c, 1);
    kill(pid, SIGTERM);
    check("SIGTERM ends a child in pause()", child_status(pid) == 128 + SIGTERM);

    /* ITIMER_REAL: one shot, then periodic */
    signal(SIGALRM, on_signal);
    hits = 0;
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, 0);
    int r = pause();
    check("one-shot ITIMER_REAL interrupts pause()", r == -1 && errno == EINTR && hits == 1);
    hits = 0;
    struct itimerval per = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &per, 0);
    while (hits < 3) pause();
    struct itimerval off = {{0, 0}, {0, 0}}, old;
    setitimer(ITIMER_REAL, &off, &old);
    check("periodic ITIMER_REAL fires again and again", hits == 3);
    check("the old value keeps the 10 ms interval", old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 10000);

    struct itimerval longer = {{0, 0}, {10, 0}}, cur;
    setitimer(ITIMER_REAL, &longer, 0);
    getitimer(ITIMER_REAL, &cur);
    check("getitimer shows the time left", cur.it_value.tv_sec <= 10 && cur.it_value.tv_sec >= 9);
    setitimer(ITIMER_REAL, &off, 0);
    alarm(5);
    check("alarm returns the previous alarm's seconds", alarm(0) == 5);

    /* CPU-time timers and clocks: a busy loop is interrupted by ITIMER_PROF and ITIMER_VIRTUAL */
    for (int which = ITIMER_VIRTUAL; which <= ITIMER_PROF; which++) {
        int sig = which == ITIMER_VIRTUAL ? SIGVTALRM : SIGPROF;
        signal(sig, on_signal);
        hits = 0;
        struct timespec c0, c1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        struct itimerval cpu = {{0, 5000}, {0, 5000}};
        setitimer(which, &cpu, 0);
        volatile unsigned spin = 0;
        while (hits < 3) spin++;
        setitimer(which, &off, 0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        long used = (c1.tv_sec - c0.tv_sec) * 1000000000L + (c1.tv_nsec - c0.tv_nsec);
        check(which == ITIMER_VIRTUAL ? "ITIMER_VIRTUAL fires during a busy loop" : "ITIMER_PROF fires during a busy loop", hits == 3);
        check("process CPU clock advanced by at least 10 ms", used >= 10000000L);
    }

    /* a read blocked on an empty pipe: SA_RESTART resumes it, without it the read fails EINTR */
    for (int restart = 0; restart <= 1; restart++) {
        int p[2];
        pipe(p);
        pid = fork();
        if (pid == 0) {
            hits = 0;
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_signal;
            sa.sa_flags = restart ? SA_RESTART : 0;
            sigaction(SIGUSR2, &sa, 0);
            close(p[1]);
            write(ready[1], "r", 1);
            char buf[8];
            ssize_t n = read(p[0], buf, sizeof buf);
            if (restart) _exit(n == 3 && hits == 1 ? 0 : 1);
            _exit(n == -1 && errno == EINTR && hits == 1 ? 0 : 1);
        }
        close(p[0]);
        read(ready[0], &c, 1);
        usleep(30000);                 /* let the child reach its read() */
        kill(pid, SIGUSR2);
        usleep(30000);
        write(p[1], "abc", 3);
        close(p[1]);
        check(restart ? "SA_RESTART: the interrupted read resumes" : "no SA_RESTART: the interrupted read fails EINTR",
              child_status(pid) == 0);
    }

    printf("procs: %s\n", failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
