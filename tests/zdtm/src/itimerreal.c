/* Timers on the wall clocks: ITIMER_REAL (value 1000 s, interval 250 s, SIGALRM handled), a
 * POSIX timer on CLOCK_MONOTONIC (2000 s, interval 100 s, its real-time signal blocked) and
 * one on CLOCK_REALTIME armed at an absolute time 3000 s ahead (SIGEV_NONE). Each deadline
 * is noted on its clock when armed. After SIGUSR1 every timer must still be in phase with
 * its deadline: either it has not expired and now + time left is the deadline, or it has
 * (j386's idle guest jumps its virtual clock to the next deadline) and now + time left is
 * the deadline plus a whole number of intervals, with the handler run or the signal
 * pending and its siginfo right; a one-shot timer that expired is disarmed. The time left
 * never exceeds the value or interval it was given, and the clocks never went back. */
#include "zdtm.h"
#include <sys/time.h>
#include <time.h>

#define MS 1000000LL
#define SEC 1000000000LL
#define SLACK (5 * MS)

static volatile int alarms;
static void on_alrm(int s) { (void) s; alarms++; }

static long long now_ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * SEC + t.tv_nsec;
}

static long long ts_ns(struct timespec t) { return t.tv_sec * SEC + t.tv_nsec; }
static long long tv_ns(struct timeval t) { return t.tv_sec * SEC + t.tv_usec * 1000LL; }

static long long itimer_left(void) {
    struct itimerval v;
    getitimer(ITIMER_REAL, &v);
    return tv_ns(v.it_value);
}

static long long posix_left(timer_t t, long long *interval) {
    struct itimerspec v;
    timer_gettime(t, &v);
    if (interval) *interval = ts_ns(v.it_interval);
    return ts_ns(v.it_value);
}

/* Whether deadline d, now plus time left, is the first deadline plus whole intervals. */
static int in_phase(long long first, long long now, long long left, long long interval, long long *periods) {
    long long d = now + left - first;
    long long k = (d + interval / 2) / interval;
    *periods = k;
    return k >= 0 && d - k * interval > -SLACK && d - k * interval < SLACK;
}

int main(void) {
    zdtm_init();
    signal(SIGALRM, on_alrm);
    int rt = SIGRTMIN + 3;
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, rt);
    sigprocmask(SIG_BLOCK, &b, 0);

    struct itimerval iv = {{250, 0}, {1000, 0}};
    CHECK(setitimer(ITIMER_REAL, &iv, 0) == 0, "setitimer");
    long long mono = now_ns(CLOCK_MONOTONIC);
    long long real_first = mono + itimer_left();

    timer_t tm, tr;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = rt;
    ev.sigev_value.sival_int = 4242;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0, "timer_create monotonic");
    struct itimerspec ts = {{100, 0}, {2000, 0}};
    CHECK(timer_settime(tm, 0, &ts, 0) == 0, "timer_settime monotonic");
    long long mono_first = now_ns(CLOCK_MONOTONIC) + posix_left(tm, 0);

    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    CHECK(timer_create(CLOCK_REALTIME, &ev, &tr) == 0, "timer_create realtime");
    long long abs_deadline = (now_ns(CLOCK_REALTIME) / SEC + 3000) * SEC;
    struct itimerspec ta = {{0, 0}, {abs_deadline / SEC, 0}};
    CHECK(timer_settime(tr, TIMER_ABSTIME, &ta, 0) == 0, "timer_settime realtime");
    long long mono_before = now_ns(CLOCK_MONOTONIC), real_before = now_ns(CLOCK_REALTIME);
    zdtm_ready_and_wait();

    long long m = now_ns(CLOCK_MONOTONIC), r = now_ns(CLOCK_REALTIME);
    CHECK(m >= mono_before && r >= real_before - SLACK, "a clock went back: monotonic %lld -> %lld, realtime %lld -> %lld", mono_before, m, real_before, r);

    long long k, left = itimer_left();
    m = now_ns(CLOCK_MONOTONIC);
    CHECK(left > 0 && left <= (alarms ? 250 : 1000) * SEC, "ITIMER_REAL has %lld ns left after %d alarms", left, alarms);
    CHECK(in_phase(real_first, m, left, 250 * SEC, &k), "ITIMER_REAL out of phase: now %lld + left %lld, first deadline %lld",
          m, left, real_first);
    CHECK(k == 0 ? alarms == 0 : alarms >= 1, "ITIMER_REAL: %lld periods passed but %d alarms", k, alarms);

    long long interval;
    left = posix_left(tm, &interval);
    m = now_ns(CLOCK_MONOTONIC);
    CHECK(interval == 100 * SEC, "the monotonic timer's interval is %lld", interval);
    CHECK(left > 0 && left <= 2000 * SEC, "the monotonic timer has %lld ns left", left);
    CHECK(in_phase(mono_first, m, left, 100 * SEC, &k), "the monotonic timer is out of phase: now %lld + left %lld, first %lld",
          m, left, mono_first);
    sigset_t p;
    sigpending(&p);
    CHECK(sigismember(&p, rt) == (k > 0), "the monotonic timer's signal %s pending after %lld periods", sigismember(&p, rt) ? "is" : "is not", k);
    if (k > 0) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        CHECK(sigwaitinfo(&b, &si) == rt, "the timer's signal");
        CHECK(si.si_code == SI_TIMER && si.si_value.sival_int == 4242, "timer siginfo code %d value %d", si.si_code, si.si_value.sival_int);
        CHECK(timer_getoverrun(tm) >= 0, "overrun %d", timer_getoverrun(tm));
    }

    left = posix_left(tr, &interval);
    r = now_ns(CLOCK_REALTIME);
    if (r < abs_deadline - SLACK) CHECK(r + left > abs_deadline - SLACK && r + left < abs_deadline + SLACK,
                                        "the absolute realtime timer: now %lld + left %lld, deadline %lld", r, left, abs_deadline);
    else if (r > abs_deadline + SLACK) CHECK(left == 0, "the absolute realtime timer expired but has %lld left", left);
    CHECK(interval == 0, "the realtime timer got an interval");
    return zdtm_end();
}
