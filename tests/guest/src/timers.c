/* POSIX timers: signal, thread-id, none and thread notification; intervals, overruns, CPU-time clocks, errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int hits, last_code, last_value, last_overrun;

static void on_timer(int sig, siginfo_t *si, void *uc) {
    (void) sig; (void) uc;
    hits++;
    last_code = si->si_code;
    last_value = si->si_value.sival_int;
    last_overrun = si->si_overrun;
}

static sem_t fired;
static volatile int thread_value;
static void notify_fn(union sigval v) {
    thread_value = v.sival_int;
    sem_post(&fired);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);

    /* 1. a periodic SIGEV_SIGNAL timer on CLOCK_MONOTONIC: three expiries */
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 4242;
    timer_t t1;
    printf("create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t1));
    struct itimerspec its = {{0, 20 * 1000 * 1000}, {0, 10 * 1000 * 1000}};
    printf("settime: %d\n", timer_settime(t1, 0, &its, NULL));
    struct itimerspec cur;
    timer_gettime(t1, &cur);
    printf("gettime: interval %ld ms, value in (0, 10ms]: %d\n", cur.it_interval.tv_nsec / 1000000,
           cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10 * 1000 * 1000);
    while (hits < 3) pause();
    printf("hits %d code SI_TIMER %d value %d\n", hits, last_code == SI_TIMER, last_value);

    /* 2. blocked while it expires many times: one signal, the rest as overrun */
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, &old);
    hits = 0;
    struct timespec nap = {0, 205 * 1000 * 1000};
    nanosleep(&nap, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("after unblocking: hits %d, overrun in signal >= 8: %d, timer_getoverrun >= 8: %d\n",
           hits, last_overrun >= 8, timer_getoverrun(t1) >= 8);

    /* 3. disarm, old value returned; delete; a deleted id is EINVAL */
    struct itimerspec zero = {{0, 0}, {0, 0}}, oldv;
    timer_settime(t1, 0, &zero, &oldv);
    printf("old interval %ld ms\n", oldv.it_interval.tv_nsec / 1000000);
    timer_gettime(t1, &cur);
    printf("disarmed: %ld %ld\n", (long) cur.it_value.tv_sec, cur.it_value.tv_nsec);
    printf("delete: %d\n", timer_delete(t1));
    errno = 0;
    int r = timer_gettime(t1, &cur);
    printf("gettime after delete: %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");

    /* 4. a one-shot absolute timer, SIGEV_THREAD_ID to this thread, caught by sigwaitinfo */
    sigprocmask(SIG_BLOCK, &s, &old);
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 7;
#if defined(__GLIBC__) && !defined(sigev_notify_thread_id)
    ev._sigev_un._tid = (pid_t) syscall(SYS_gettid);
#else
    ev.sigev_notify_thread_id = (pid_t) syscall(SYS_gettid);
#endif
    timer_t t2;
    printf("create thread-id timer: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t2));
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 30 * 1000 * 1000;
    if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    struct itimerspec abs = {{0, 0}, now};
    timer_settime(t2, TIMER_ABSTIME, &abs, NULL);
    siginfo_t si;
    int sig = sigwaitinfo(&s, &si);
    printf("sigwaitinfo: %s code SI_TIMER %d value %d\n", sig == SIGUSR1 ? "SIGUSR1" : "other", si.si_code == SI_TIMER, si.si_value.sival_int);
    timer_gettime(t2, &cur);
    printf("one-shot disarmed after firing: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    timer_delete(t2);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* 5. a process CPU-time timer fires only while the process computes */
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 99;
    timer_t t3;
    printf("create cpu timer: %d\n", timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t3));
    struct itimerspec cpu = {{0, 5 * 1000 * 1000}, {0, 5 * 1000 * 1000}};
    hits = 0;
    timer_settime(t3, 0, &cpu, NULL);
    nap.tv_nsec = 50 * 1000 * 1000;
    nanosleep(&nap, NULL);
    printf("hits while sleeping: %d\n", hits);
    volatile unsigned long x = 0;
    while (hits < 2) x++;
    printf("cpu timer hits %d value %d\n", hits, last_value);
    timer_delete(t3);

    /* 6. SIGEV_NONE: nothing is sent, the time left still counts down */
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    timer_t t4;
    timer_create(CLOCK_MONOTONIC, &ev, &t4);
    struct itimerspec one = {{0, 0}, {1, 0}};
    timer_settime(t4, 0, &one, NULL);
    nap.tv_nsec = 100 * 1000 * 1000;
    nanosleep(&nap, NULL);
    timer_gettime(t4, &cur);
    printf("SIGEV_NONE left between 0.8 and 0.9 s: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 800000000 && cur.it_value.tv_nsec <= 900000000);
    timer_delete(t4);

    /* 7. SIGEV_THREAD: the C library runs the function in a thread */
    sem_init(&fired, 0, 0);
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = notify_fn;
    ev.sigev_value.sival_int = 31337;
    timer_t t5;
    printf("create SIGEV_THREAD: %d\n", timer_create(CLOCK_REALTIME, &ev, &t5));
    struct itimerspec soon = {{0, 0}, {0, 10 * 1000 * 1000}};
    timer_settime(t5, 0, &soon, NULL);
    sem_wait(&fired);
    printf("thread notified with %d\n", thread_value);
    timer_delete(t5);

    /* 8. errors */
    timer_t bad;
    errno = 0;
    r = timer_create(12345, NULL, &bad);
    printf("bad clock: %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 200;
    errno = 0;
    r = timer_create(CLOCK_MONOTONIC, &ev, &bad);
    printf("bad signal: %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");
    return 0;
}
