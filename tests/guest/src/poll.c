/* poll and select on pipes: readiness, blocking until a child writes, hang-up, timeouts. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static volatile int usr1;
static void on_usr1(int sig) { usr1++; }
static void check(const char *what, int ok) {
    printf("%-52s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

int main(void) {
    int p[2];
    pipe(p);
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    int n = poll(pf, 2, 0);
    check("empty pipe: only the write end is ready", n == 1 && pf[0].revents == 0 && pf[1].revents == POLLOUT);

    n = poll(pf, 1, 30);
    check("poll with a 30 ms timeout on an empty pipe returns 0", n == 0 && pf[0].revents == 0);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        write(p[1], "x", 1);
        usleep(20000);
        _exit(0);
    }
    close(p[1]);
    n = poll(pf, 1, -1);
    check("poll blocks until the child writes", n == 1 && (pf[0].revents & POLLIN));
    char c;
    read(p[0], &c, 1);
    n = poll(pf, 1, -1);
    check("writer gone: POLLHUP", n == 1 && (pf[0].revents & POLLHUP));
    waitpid(pid, 0, 0);

    /* select on a fresh pipe */
    int q[2];
    pipe(q);
    fd_set r, w;
    FD_ZERO(&r); FD_ZERO(&w);
    FD_SET(q[0], &r); FD_SET(q[1], &w);
    struct timeval tv = {0, 0};
    n = select(q[1] + 1, &r, &w, 0, &tv);
    check("select: write end ready, read end not", n == 1 && !FD_ISSET(q[0], &r) && FD_ISSET(q[1], &w));
    write(q[1], "yz", 2);
    FD_ZERO(&r);
    FD_SET(q[0], &r);
    tv.tv_sec = 1; tv.tv_usec = 0;
    n = select(q[0] + 1, &r, 0, 0, &tv);
    check("select: data makes the read end ready", n == 1 && FD_ISSET(q[0], &r));
    FD_ZERO(&r);
    FD_SET(q[0], &r);
    read(q[0], &c, 1); read(q[0], &c, 1);
    tv.tv_sec = 0; tv.tv_usec = 20000;
    n = select(q[0] + 1, &r, 0, 0, &tv);
    check("select times out on an empty pipe", n == 0 && !FD_ISSET(q[0], &r));

    /* ppoll's mask: a pending, blocked SIGUSR1 is delivered during ppoll, which fails EINTR,
     * and the old mask (SIGUSR1 blocked) is back afterwards */
    signal(SIGUSR1, on_usr1);
    sigset_t block, empty, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, 0);
    raise(SIGUSR1);
    sigemptyset(&empty);
    struct timespec ts = {1, 0};
    struct pollfd none = {q[0], POLLIN, 0};
    n = ppoll(&none, 1, &ts, &empty);
    sigprocmask(SIG_BLOCK, 0, &now);
    check("ppoll with an empty mask lets the pending signal in: EINTR", n == -1 && errno == EINTR && usr1 == 1);
    check("the old mask is back after ppoll", sigismember(&now, SIGUSR1));

    struct pollfd bad = {12345, POLLIN, 0};
    check("poll of a closed descriptor: POLLNVAL", poll(&bad, 1, 0) == 1 && bad.revents == POLLNVAL);

    printf("poll: %s\n", failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
