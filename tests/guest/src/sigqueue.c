/* Pending signals as Linux keeps them: a standard signal is pending once (the first
 * siginfo wins), real-time signals queue every instance in order with its value, lower
 * real-time numbers are delivered first, a signal sent to the process waits in a set all
 * threads share until one unblocks it (and runs there), a signal sent to one thread is that
 * thread's alone, and making a pending signal ignored discards it. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int tid(void) { return (int) syscall(SYS_gettid); }

static void block(int sig, int how) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    pthread_sigmask(how, &s, 0);
}

static int pending(int sig) {
    sigset_t s;
    sigpending(&s);
    return sigismember(&s, sig);
}

static int take(int sig, int *value) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    siginfo_t si;
    struct timespec zero = {0, 0};
    int r = sigtimedwait(&s, &si, &zero);
    if (r > 0 && value) *value = si.si_value.sival_int;
    return r;
}

static void queue(int sig, int value) {
    union sigval v;
    v.sival_int = value;
    if (sigqueue(getpid(), sig, v) != 0) printf("sigqueue %d failed: %s\n", sig, strerror(errno));
}

static volatile int order[8], norder, ran_in;

static void record(int sig, siginfo_t *si, void *ctx) {
    (void) ctx;
    if (norder < 8) order[norder++] = (sig - SIGRTMIN) * 100 + si->si_value.sival_int;
    ran_in = tid();
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int step, worker_tid;

static void wait_step(int s) {
    pthread_mutex_lock(&mu);
    while (step < s) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

static void set_step(int s) {
    pthread_mutex_lock(&mu);
    step = s;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void *worker(void *arg) {
    (void) arg;
    worker_tid = tid();
    set_step(1);
    wait_step(2);            /* main sent SIGUSR1 to the process and SIGUSR2 to this thread */
    printf("worker sees process SIGUSR1 pending: %d, its own SIGUSR2: %d\n", pending(SIGUSR1), pending(SIGUSR2));
    ran_in = 0;
    block(SIGUSR1, SIG_UNBLOCK);
    printf("process SIGUSR1 ran in the worker: %d\n", ran_in == worker_tid);
    int v = -1;
    int got = take(SIGUSR2, &v);
    printf("worker takes its SIGUSR2: %d (value %d)\n", got == SIGUSR2, v);
    set_step(3);
    return 0;
}

int main(void) {
    setvbuf(stdout, 0, _IONBF, 0);
    int v;

    /* a standard signal: pending once, the first siginfo kept */
    block(SIGUSR2, SIG_BLOCK);
    queue(SIGUSR2, 1);
    queue(SIGUSR2, 2);
    v = -1;
    int r = take(SIGUSR2, &v);
    printf("standard: took %d value %d\n", r == SIGUSR2, v);
    r = take(SIGUSR2, 0);
    printf("standard: second take %d (%s)\n", r, errno == EAGAIN ? "EAGAIN" : "?");

    /* a real-time signal: every instance, in order */
    block(SIGRTMIN + 2, SIG_BLOCK);
    for (int i = 0; i < 5; i++) queue(SIGRTMIN + 2, 10 + i);
    printf("rt values:");
    while (take(SIGRTMIN + 2, &v) > 0) printf(" %d", v);
    printf("\n");

    /* delivery: the lowest real-time number is taken first, but each further deliverable
     * signal's frame goes on top (Linux delivers all it can before returning to user mode),
     * so handlers run in the reverse order of taking, each instance once */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = record;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 1, &sa, 0);
    sigaction(SIGRTMIN + 3, &sa, 0);
    sigaction(SIGUSR1, &sa, 0);
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGRTMIN + 1);
    sigaddset(&both, SIGRTMIN + 3);
    pthread_sigmask(SIG_BLOCK, &both, 0);
    queue(SIGRTMIN + 3, 7);
    queue(SIGRTMIN + 1, 5);
    queue(SIGRTMIN + 3, 8);
    queue(SIGRTMIN + 1, 6);
    pthread_sigmask(SIG_UNBLOCK, &both, 0);
    printf("delivered:");
    for (int i = 0; i < norder; i++) printf(" %d", order[i]);
    printf("\n");

    /* ignoring a pending signal discards it */
    block(SIGHUP, SIG_BLOCK);
    kill(getpid(), SIGHUP);
    printf("SIGHUP pending: %d\n", pending(SIGHUP));
    signal(SIGHUP, SIG_IGN);
    printf("SIGHUP pending after SIG_IGN: %d\n", pending(SIGHUP));
    signal(SIGHUP, SIG_DFL);
    block(SIGHUP, SIG_UNBLOCK);

    /* process-directed versus thread-directed, with two threads */
    block(SIGUSR1, SIG_BLOCK); /* the worker inherits both blocked */
    pthread_t th;
    pthread_create(&th, 0, worker, 0);
    wait_step(1);
    kill(getpid(), SIGUSR1);
    union sigval sv;
    sv.sival_int = 42;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR2;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value = sv;
    syscall(SYS_rt_tgsigqueueinfo, getpid(), worker_tid, SIGUSR2, &si);
    printf("main sees process SIGUSR1 pending: %d, the worker's SIGUSR2: %d\n", pending(SIGUSR1), pending(SIGUSR2));
    set_step(2);
    wait_step(3);
    pthread_join(th, 0);
    printf("main sees SIGUSR1 pending after the worker took it: %d\n", pending(SIGUSR1));
    return 0;
}
