/* Thread-directed pending signals in a process of five threads. Every thread blocks
 * SIGHUP, SIGURG and SIGRTMIN+1..+4, and worker i also has its own extra signal blocked
 * (a per-thread mask). Before the checkpoint the main thread queues, with
 * rt_tgsigqueueinfo, SIGRTMIN+1+i carrying the value 1000+i to worker i, and sends SIGHUP
 * with tgkill to workers 1 and 3 only and SIGURG to worker 2 only. After SIGUSR1 the
 * workers take turns: each checks its mask, that its pending set holds exactly its own
 * signals, takes its real-time signal with its value and sender, then unblocks SIGURG
 * (only worker 2's handler may run, in worker 2) and SIGHUP (its handler runs in workers 1
 * and 3 only). Nothing may be left pending in the main thread.
 *
 * Built with SHARED 1 (sharedsig.c) it adds process-directed signals: every thread also
 * blocks SIGWINCH and SIGRTMIN+5, the process gets SIGWINCH and SIGRTMIN+5 twice (values
 * 77 and 78); each worker must see them in its pending set, worker 3 alone unblocks
 * SIGWINCH and must run its handler, and the main thread takes the two SIGRTMIN+5 in
 * order. */
#include "zdtm.h"
#include <pthread.h>
#include <sys/syscall.h>

#ifndef SHARED
#define SHARED 0
#endif
#define W 4

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started, turn = -1;
static pid_t tids[W];
static volatile pid_t urg_tid, winch_tid, hup_tid[W];
static volatile int urgs, winches;
static int ok[W];

static void on_urg(int s) { (void) s; urg_tid = syscall(SYS_gettid); urgs++; }
static void on_winch(int s) { (void) s; winch_tid = syscall(SYS_gettid); winches++; }
static void on_hup(int s) {
    (void) s;
    pid_t t = syscall(SYS_gettid);
    for (int i = 0; i < W; i++) if (tids[i] == t) hup_tid[i]++;
}

static int extra_sig(int i) { return (int[]) {SIGPROF, SIGXCPU, SIGTTIN, SIGPWR}[i]; }

static void common_set(sigset_t *s) {
    sigemptyset(s);
    sigaddset(s, SIGUSR1);
    sigaddset(s, SIGHUP);
    sigaddset(s, SIGURG);
    for (int r = 1; r <= 4; r++) sigaddset(s, SIGRTMIN + r);
    if (SHARED) {
        sigaddset(s, SIGWINCH);
        sigaddset(s, SIGRTMIN + 5);
    }
}

static int same_set(const sigset_t *a, const sigset_t *b) {
    for (int s = 1; s < 65; s++) if (sigismember(a, s) != sigismember(b, s)) return 0;
    return 1;
}

#define T_CHECK(i, cond, ...) do { if (!(cond)) { ok[i] = 0; zdtm_say("FAIL: worker %d: ", i); zdtm_say(__VA_ARGS__); zdtm_say("\n"); } } while (0)

static void unblock(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    pthread_sigmask(SIG_UNBLOCK, &s, 0);
}

static void *worker(void *arg) {
    int i = (int) (long) arg;
    sigset_t mine;
    common_set(&mine);
    sigaddset(&mine, extra_sig(i));
    pthread_sigmask(SIG_SETMASK, &mine, 0);
    pthread_mutex_lock(&mu);
    tids[i] = syscall(SYS_gettid);
    started++;
    pthread_cond_broadcast(&cv);
    while (turn != i) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);

    ok[i] = 1;
    sigset_t m;
    pthread_sigmask(SIG_BLOCK, 0, &m);
    T_CHECK(i, same_set(&m, &mine), "its signal mask changed");
    sigset_t want, p;
    sigemptyset(&want);
    sigaddset(&want, SIGRTMIN + 1 + i);
    if (i == 1 || i == 3) sigaddset(&want, SIGHUP);
    if (i == 2 && urgs == 0) sigaddset(&want, SIGURG);
    if (SHARED) {
        if (winches == 0) sigaddset(&want, SIGWINCH);
        sigaddset(&want, SIGRTMIN + 5);
    }
    sigpending(&p);
    for (int s = 1; s < 65; s++)
        T_CHECK(i, sigismember(&p, s) == sigismember(&want, s), "signal %d %s pending", s, sigismember(&p, s) ? "is" : "is not");
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGRTMIN + 1 + i);
    siginfo_t si;
    struct timespec zero = {0, 0};
    memset(&si, 0, sizeof si);
    T_CHECK(i, sigtimedwait(&one, &si, &zero) == SIGRTMIN + 1 + i, "its real-time signal is gone");
    T_CHECK(i, si.si_code == SI_QUEUE && si.si_value.sival_int == 1000 + i && si.si_pid == getpid(),
            "rt siginfo code %d value %d pid %d", si.si_code, si.si_value.sival_int, (int) si.si_pid);
    int urgs_before = urgs;
    unblock(SIGURG);
    if (i == 2) T_CHECK(i, urgs == urgs_before + 1 && urg_tid == tids[2], "SIGURG ran %d times, last in %d", urgs - urgs_before, (int) urg_tid);
    else T_CHECK(i, urgs == urgs_before, "SIGURG sent to worker 2 ran in worker %d", i);
    unblock(SIGHUP);
    T_CHECK(i, hup_tid[i] == (i == 1 || i == 3), "SIGHUP ran %d times here", hup_tid[i]);
    if (SHARED && i == 3) {
        unblock(SIGWINCH);
        T_CHECK(i, winches == 1 && winch_tid == tids[3], "process SIGWINCH ran %d times, in %d", winches, (int) winch_tid);
    }
    pthread_mutex_lock(&mu);
    turn++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

/* To thread tid, or with tid 0 to the process. */
static void queue(pid_t tid, int sig, int value) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    if (tid) syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, sig, &si);
    else syscall(SYS_rt_sigqueueinfo, getpid(), sig, &si);
}

int main(void) {
    zdtm_init();
    signal(SIGURG, on_urg);
    signal(SIGWINCH, on_winch);
    signal(SIGHUP, on_hup);
    sigset_t mine;
    common_set(&mine);
    pthread_sigmask(SIG_SETMASK, &mine, 0);
    pthread_t th[W];
    for (int i = 0; i < W; i++) pthread_create(&th[i], 0, worker, (void *) (long) i);
    pthread_mutex_lock(&mu);
    while (started < W) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < W; i++) queue(tids[i], SIGRTMIN + 1 + i, 1000 + i);
    syscall(SYS_tgkill, getpid(), tids[1], SIGHUP);
    syscall(SYS_tgkill, getpid(), tids[3], SIGHUP);
    syscall(SYS_tgkill, getpid(), tids[2], SIGURG);
    if (SHARED) {
        kill(getpid(), SIGWINCH);
        queue(0, SIGRTMIN + 5, 77);
        queue(0, SIGRTMIN + 5, 78);
    }
    zdtm_ready_and_wait();

    pthread_mutex_lock(&mu);
    turn = 0;
    pthread_cond_broadcast(&cv);
    while (turn < W) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < W; i++) {
        CHECK(pthread_join(th[i], 0) == 0, "join %d", i);
        CHECK(ok[i], "worker %d failed", i);
    }
    sigset_t p, one;
    if (SHARED) {
        sigemptyset(&one);
        sigaddset(&one, SIGRTMIN + 5);
        for (int v = 77; v <= 78; v++) {
            siginfo_t si;
            memset(&si, 0, sizeof si);
            struct timespec zero = {0, 0};
            CHECK(sigtimedwait(&one, &si, &zero) == SIGRTMIN + 5 && si.si_value.sival_int == v,
                  "SIGRTMIN+5: value %d, want %d", si.si_value.sival_int, v);
        }
    }
    sigpending(&p);
    for (int s = 1; s < 65; s++) CHECK(!sigismember(&p, s), "signal %d is pending in the main thread", s);
    return zdtm_end();
}
