/* epoll interest lists across a restart. The parent's instance watches a pipe's read end
 * with data in it (EPOLLIN, data 111), an empty eventfd (EPOLLIN, data 222), and a pipe's
 * write end (EPOLLOUT | EPOLLONESHOT, data 333) already reported once before READY. A
 * child is blocked in epoll_wait on a second instance watching another pipe (data 444).
 * After SIGUSR1: exactly the pipe is ready (the one-shot stays disabled); after a write to
 * the eventfd both are; EPOLL_CTL_MOD re-arms the one-shot; the child wakes on a byte. */
#include "zdtm.h"
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

static int ready(int ep, uint64_t *data, int max) {
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, max, 0);
    for (int i = 0; i < n; i++) data[i] = ev[i].data.u64;
    return n;
}

int main(void) {
    zdtm_init();
    int p[2], q[2], r[2];
    pipe(p);
    pipe(q);
    pipe(r);
    int efd = eventfd(0, EFD_NONBLOCK);
    int ep = epoll_create1(0), ep2 = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN, .data.u64 = 111};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e) == 0, "add pipe");
    e.data.u64 = 222;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &e) == 0, "add eventfd");
    e.events = EPOLLOUT | EPOLLONESHOT;
    e.data.u64 = 333;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, q[1], &e) == 0, "add one-shot");
    e.events = EPOLLIN;
    e.data.u64 = 444;
    CHECK(epoll_ctl(ep2, EPOLL_CTL_ADD, r[0], &e) == 0, "add child's pipe");
    uint64_t d[8];
    CHECK(ready(ep, d, 8) == 1 && d[0] == 333, "before: the one-shot alone should be ready");
    write(p[1], "x", 1);
    pid_t c = fork();
    if (c == 0) {
        struct epoll_event ev;
        if (epoll_wait(ep2, &ev, 1, -1) != 1 || ev.data.u64 != 444 || !(ev.events & EPOLLIN)) _exit(1);
        _exit(0);
    }
    zdtm_ready_and_wait();

    int n = ready(ep, d, 8);
    CHECK(n == 1 && d[0] == 111, "after: %d ready (first %llu), want the pipe alone", n, (unsigned long long) d[0]);
    uint64_t one = 1;
    write(efd, &one, 8);
    n = ready(ep, d, 8);
    CHECK(n == 2 && d[0] + d[1] == 333, "with the eventfd: %d ready", n);
    e.events = EPOLLOUT | EPOLLONESHOT;
    e.data.u64 = 555;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, q[1], &e) == 0, "MOD of the one-shot: %d", errno);
    n = ready(ep, d, 8);
    CHECK(n == 3, "after re-arming: %d ready", n);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e) == -1 && errno == EEXIST, "the pipe watch is gone");
    write(r[1], "y", 1);
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: status %x", st);
    return zdtm_end();
}
