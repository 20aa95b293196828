/* Timers with time left: ITIMER_VIRTUAL and ITIMER_PROF (process CPU time, which does not
 * advance while the process sleeps) and a POSIX timer on CLOCK_PROCESS_CPUTIME_ID, armed
 * with long values and intervals. After SIGUSR1 each must still be armed with nearly all
 * of its time left (the process used little CPU) and its interval unchanged. */
#include "zdtm.h"
#include <sys/time.h>
#include <time.h>

/* Time left in ms; Linux rounds itimers up to its tick, so a few ms over the value given is fine. */
static long ms(struct timeval v) { return v.tv_sec * 1000L + v.tv_usec / 1000; }

int main(void) {
    zdtm_init();
    struct itimerval iv = {{7, 0}, {50, 0}}, pv = {{3, 500000}, {60, 0}}, g;
    CHECK(setitimer(ITIMER_VIRTUAL, &iv, 0) == 0, "setitimer virtual");
    CHECK(setitimer(ITIMER_PROF, &pv, 0) == 0, "setitimer prof");
    timer_t tm;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR2;
    CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &tm) == 0, "timer_create");
    struct itimerspec ts = {{9, 0}, {40, 0}}, gt;
    CHECK(timer_settime(tm, 0, &ts, 0) == 0, "timer_settime");
    zdtm_ready_and_wait();

    CHECK(getitimer(ITIMER_VIRTUAL, &g) == 0, "getitimer virtual");
    CHECK(ms(g.it_value) > 45000 && ms(g.it_value) <= 50010 && g.it_interval.tv_sec == 7 && g.it_interval.tv_usec == 0,
          "ITIMER_VIRTUAL left %ld.%06ld interval %ld.%06ld", (long) g.it_value.tv_sec, (long) g.it_value.tv_usec,
          (long) g.it_interval.tv_sec, (long) g.it_interval.tv_usec);
    CHECK(getitimer(ITIMER_PROF, &g) == 0, "getitimer prof");
    CHECK(ms(g.it_value) > 55000 && ms(g.it_value) <= 60010 && g.it_interval.tv_sec == 3 && g.it_interval.tv_usec == 500000,
          "ITIMER_PROF left %ld.%06ld interval %ld.%06ld", (long) g.it_value.tv_sec, (long) g.it_value.tv_usec,
          (long) g.it_interval.tv_sec, (long) g.it_interval.tv_usec);
    CHECK(timer_gettime(tm, &gt) == 0, "timer_gettime");
    CHECK(gt.it_value.tv_sec >= 35 && (gt.it_value.tv_sec < 40 || (gt.it_value.tv_sec == 40 && gt.it_value.tv_nsec == 0)) && gt.it_interval.tv_sec == 9 && gt.it_interval.tv_nsec == 0,
          "POSIX timer left %ld.%09ld interval %ld", (long) gt.it_value.tv_sec, gt.it_value.tv_nsec, (long) gt.it_interval.tv_sec);
    CHECK(timer_getoverrun(tm) == 0, "overrun %d", timer_getoverrun(tm));
    return zdtm_end();
}
