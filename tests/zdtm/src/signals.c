/* Pending signals with their siginfo: SIGUSR2 (from kill, SI_USER with our pid), a
 * real-time signal (kill), and SIGHUP sent with tgkill to the
 * thread are blocked and pending at checkpoint time; SIGTERM is ignored, SIGINT has a
 * handler. After SIGUSR1 they must still be pending, sigwaitinfo must return each with
 * its siginfo, and the dispositions must be unchanged. */
#include "zdtm.h"
#include <sys/syscall.h>

static volatile sig_atomic_t ints;
static void on_int(int s) { (void) s; ints++; }

int main(void) {
    zdtm_init();
    int rt = SIGRTMIN + 2;
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGUSR2);
    sigaddset(&b, rt);
    sigaddset(&b, SIGHUP);
    sigprocmask(SIG_BLOCK, &b, 0);
    signal(SIGTERM, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_int;
    sigaction(SIGINT, &sa, 0);
    kill(getpid(), SIGUSR2);
    kill(getpid(), rt);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGHUP);
    zdtm_ready_and_wait();

    sigset_t p;
    sigpending(&p);
    CHECK(sigismember(&p, SIGUSR2) && sigismember(&p, rt) && sigismember(&p, SIGHUP), "pending signals lost");
    siginfo_t si;
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR2);
    CHECK(sigwaitinfo(&one, &si) == SIGUSR2, "SIGUSR2 not taken");
    CHECK(si.si_code == SI_USER && si.si_pid == getpid(), "SIGUSR2 siginfo: code %d pid %d", si.si_code, (int) si.si_pid);
    sigemptyset(&one);
    sigaddset(&one, rt);
    CHECK(sigwaitinfo(&one, &si) == rt, "the real-time signal not taken");
    CHECK(si.si_code == SI_USER && si.si_pid == getpid(), "rt siginfo: code %d pid %d", si.si_code, (int) si.si_pid);
    sigemptyset(&one);
    sigaddset(&one, SIGHUP);
    CHECK(sigwaitinfo(&one, &si) == SIGHUP, "SIGHUP not taken");
    CHECK(si.si_code == SI_TKILL, "SIGHUP siginfo code %d", si.si_code);
    sigpending(&p);
    CHECK(!sigismember(&p, SIGUSR2) && !sigismember(&p, rt) && !sigismember(&p, SIGHUP), "signals still pending");
    kill(getpid(), SIGTERM); /* ignored: we live on */
    kill(getpid(), SIGINT);
    CHECK(ints == 1, "the SIGINT handler ran %d times", (int) ints);
    return zdtm_end();
}
