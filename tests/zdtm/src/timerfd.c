/* timerfd across a restart: a CLOCK_MONOTONIC timer with 100 s to go and a 50 s interval, a
 * CLOCK_REALTIME timer that fired three times (5 ms interval, disarmed by nobody: it keeps
 * firing, so at least 3), and a 1 ms one-shot that expired unread. After SIGUSR1: the long
 * timer still has between 80 and 100 s left and its interval, the one-shot reads exactly 1,
 * and a child blocked reading a 200 ms timer armed after READY... is armed by the parent
 * after the restart and wakes with 1 expiration. */
#include "zdtm.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

int main(void) {
    zdtm_init();
    int longt = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), oneshot = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    int rt = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK), later = timerfd_create(CLOCK_MONOTONIC, 0);
    CHECK(longt >= 0 && oneshot >= 0 && rt >= 0 && later >= 0, "timerfd_create: %d", errno);
    struct itimerspec a = {{50, 0}, {100, 0}}, b = {{0, 0}, {0, 1000000}}, r = {{0, 5000000}, {0, 5000000}};
    CHECK(timerfd_settime(longt, 0, &a, 0) == 0 && timerfd_settime(oneshot, 0, &b, 0) == 0 && timerfd_settime(rt, 0, &r, 0) == 0, "settime");
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, 0);
    uint64_t n = 0;
    CHECK(read(rt, &n, 8) == 8 && n >= 3, "the 5 ms timer fired %llu times in 20 ms", (unsigned long long) n);
    pid_t c = fork();
    if (c == 0) {
        uint64_t got = 0;
        if (read(later, &got, 8) != 8 || got != 1) _exit(1);
        _exit(0);
    }
    zdtm_ready_and_wait();

    struct itimerspec cur;
    CHECK(timerfd_gettime(longt, &cur) == 0, "gettime");
    CHECK(cur.it_value.tv_sec >= 80 && cur.it_value.tv_sec < 100, "the 100 s timer has %ld s left", (long) cur.it_value.tv_sec);
    CHECK(cur.it_interval.tv_sec == 50 && cur.it_interval.tv_nsec == 0, "interval %ld s", (long) cur.it_interval.tv_sec);
    CHECK(read(longt, &n, 8) == -1 && errno == EAGAIN, "the 100 s timer expired");
    CHECK(read(oneshot, &n, 8) == 8 && n == 1, "the one-shot: %llu expirations, want 1", (unsigned long long) n);
    CHECK(timerfd_gettime(oneshot, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "the one-shot is still armed");
    CHECK(timerfd_gettime(rt, &cur) == 0 && cur.it_interval.tv_nsec == 5000000, "the 5 ms interval is gone");
    nanosleep(&ts, 0);
    CHECK(read(rt, &n, 8) == 8 && n >= 1, "the 5 ms timer stopped");
    struct itimerspec l = {{0, 0}, {0, 200000000}};
    CHECK(timerfd_settime(later, 0, &l, 0) == 0, "arming the child's timer");
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: status %x", st);
    return zdtm_end();
}
