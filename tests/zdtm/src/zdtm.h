/* The zdtm protocol of j386's checkpoint/restart suite (in the style of CRIU's ZDTM):
 * a test builds its state, says READY on stdout, waits for SIGUSR1 (the host sends it
 * after zero, one or two checkpoint/restart cycles), verifies everything and says PASS or
 * FAIL. Output goes through write(2): no stdio buffers to lose or duplicate. */
#ifndef ZDTM_H
#define ZDTM_H
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t zdtm_go;

static void zdtm_on_usr1(int sig) { (void) sig; zdtm_go = 1; }

static void zdtm_say(const char *fmt, ...) {
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n > (int) sizeof b - 1) n = sizeof b - 1;
    for (int off = 0; off < n;) {
        int w = write(1, b + off, n - off);
        if (w <= 0) break;
        off += w;
    }
}

/* Installs handler fn for sig (no flags, empty mask) and blocks sig. */
static void zdtm_catch_blocked(int sig, void (*fn)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigaction(sig, &sa, 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_BLOCK, &s, 0);
}

/* Call first: SIGUSR1 is blocked from here on (children inherit that) until zdtm_wait. */
static void zdtm_init(void) {
    zdtm_catch_blocked(SIGUSR1, zdtm_on_usr1);
}

/* Says READY, then sleeps until SIGUSR1 arrives. */
static void zdtm_ready_and_wait(void) {
    zdtm_say("READY\n");
    sigset_t s;
    sigprocmask(SIG_BLOCK, 0, &s);
    sigdelset(&s, SIGUSR1);
    while (!zdtm_go) sigsuspend(&s);
}

static int zdtm_failed;

#define CHECK(cond, ...) do { if (!(cond)) { zdtm_failed = 1; zdtm_say("FAIL: "); zdtm_say(__VA_ARGS__); zdtm_say("\n"); } } while (0)

static int zdtm_end(void) {
    zdtm_say(zdtm_failed ? "FAIL\n" : "PASS\n");
    return zdtm_failed ? 1 : 0;
}
#endif
