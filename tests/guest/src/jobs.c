/* Job control: stop and continue through signals, what wait reports, what SIGCHLD says. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int chld_codes[16], chld_status[16], nchld;

static void on_chld(int sig, siginfo_t *si, void *uc) {
    (void) sig; (void) uc;
    if (nchld < 16) { chld_codes[nchld] = si->si_code; chld_status[nchld] = si->si_status; nchld++; }
}

static const char *code_name(int c) {
    switch (c) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    default: return "other";
    }
}

static void describe(const char *what, int st) {
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
    else if (WIFSTOPPED(st)) printf("%s: stopped by %d\n", what, WSTOPSIG(st));
    else if (WIFCONTINUED(st)) printf("%s: continued\n", what);
    else printf("%s: status %#x\n", what, st);
}

static void flush_chld(void) {
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigprocmask(SIG_BLOCK, &s, &old);
    for (int i = 0; i < nchld; i++) printf("  SIGCHLD %s status %d\n", code_name(chld_codes[i]), chld_status[i]);
    nchld = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Waits until the handler has seen n notices in all: the next event then cannot merge with one still pending. */
static void await_chld(int n) {
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigprocmask(SIG_BLOCK, &s, &old);
    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGCHLD);
    while (nchld < n) sigsuspend(&wait_mask);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static volatile int tstp_handled;
static void on_tstp(int sig) { (void) sig; tstp_handled++; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);

    /* 1. SIGSTOP, SIGCONT and SIGTERM on a child that counts in a pipe-fed loop */
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        char b;
        while (read(p[0], &b, 1) == 1) { }
        _exit(7);
    }
    close(p[0]);
    int st;
    kill(c, SIGSTOP);
    pid_t w = waitpid(c, &st, WUNTRACED);
    describe("after SIGSTOP", st);
    await_chld(1);
    printf("  waited pid matches: %d\n", w == c);
    /* a second wait without a new stop finds nothing */
    w = waitpid(c, &st, WUNTRACED | WNOHANG);
    printf("  again with WNOHANG: %d\n", (int) w);
    /* a stopped process still takes signals into its pending set, and SIGKILL-less signals wait */
    kill(c, SIGCONT);
    w = waitpid(c, &st, WCONTINUED);
    describe("after SIGCONT", st);
    await_chld(2);
    w = waitpid(c, &st, WCONTINUED | WNOHANG);
    printf("  again with WNOHANG: %d\n", (int) w);
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    describe("stopped again", st);
    await_chld(3);
    /* without WUNTRACED the stop is not reported: the child ends by closing the pipe */
    kill(c, SIGCONT);
    await_chld(4);
    close(p[1]);
    w = waitpid(c, &st, 0);
    describe("after EOF", st);
    await_chld(5);
    flush_chld();

    /* 2. a child in its own process group stops itself with SIGTSTP */
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        raise(SIGTSTP);
        printf("child resumed after SIGTSTP\n");
        _exit(3);
    }
    waitpid(c, &st, WUNTRACED);
    describe("self SIGTSTP", st);
    await_chld(1);
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    describe("after SIGCONT", st);
    /* the child's CLD_CONTINUED and CLD_EXITED notices may merge natively: not printed */
    nchld = 0;

    /* 3. a handled SIGTSTP does not stop */
    signal(SIGTSTP, on_tstp);
    raise(SIGTSTP);
    printf("SIGTSTP handled %d time(s)\n", tstp_handled);
    signal(SIGTSTP, SIG_DFL);

    /* 4. SIGKILL ends a stopped process; SIGTERM waits until it is continued */
    c = fork();
    if (c == 0) { for (;;) pause(); }
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    await_chld(1);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    describe("SIGKILL while stopped", st);
    await_chld(2);
    flush_chld();

    c = fork();
    if (c == 0) { for (;;) pause(); }
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGTERM);
    w = waitpid(c, &st, WNOHANG);
    printf("SIGTERM while stopped, still there: %d\n", w == 0);
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    describe("after SIGCONT", st);
    /* the CLD_CONTINUED and CLD_KILLED notices may merge into one pending SIGCHLD: not printed */
    nchld = 0;

    /* 5. a sleeping child stopped and continued finishes its sleep */
    c = fork();
    if (c == 0) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        int r = nanosleep(&ts, NULL);
        printf("child nanosleep returned %d\n", r);
        _exit(0);
    }
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    await_chld(1);
    kill(c, SIGCONT);
    await_chld(2);
    waitpid(c, &st, 0);
    describe("sleeper", st);
    await_chld(3);
    flush_chld();

    /* 6. SA_NOCLDSTOP: no SIGCHLD for stop and continue, still one for exit */
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    c = fork();
    if (c == 0) { for (;;) pause(); }
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    describe("SA_NOCLDSTOP child", st);
    await_chld(1);
    flush_chld();
    return 0;
}
