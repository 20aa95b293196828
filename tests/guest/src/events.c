/* Event descriptors: epoll over pipes and an eventfd, eventfd counting and semaphore mode, timerfd expirations, signalfd. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *en(int e) { return e == EAGAIN ? "EAGAIN" : e == EEXIST ? "EEXIST" : e == ENOENT ? "ENOENT" : e == EINVAL ? "EINVAL" : e == EPERM ? "EPERM" : "other"; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* --- eventfd --- */
    int efd = eventfd(3, EFD_NONBLOCK);
    uint64_t v;
    int got = read(efd, &v, 8);
    printf("eventfd read: %d value %llu\n", got, (unsigned long long) v);
    int r = read(efd, &v, 8);
    printf("empty read: %d %s\n", r, en(errno));
    v = 5; write(efd, &v, 8); v = 7; write(efd, &v, 8);
    read(efd, &v, 8);
    printf("two writes add up: %llu\n", (unsigned long long) v);
    r = read(efd, &v, 4);
    printf("short read: %d %s\n", r, en(errno));
    int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    int a = read(sem, &v, 8); uint64_t v1 = v;
    int b = read(sem, &v, 8); uint64_t v2 = v;
    r = read(sem, &v, 8);
    printf("semaphore reads: %d:%llu %d:%llu then %d %s\n", a, (unsigned long long) v1, b, (unsigned long long) v2, r, en(errno));

    /* --- epoll over two pipes and the eventfd --- */
    int p1[2], p2[2];
    pipe(p1); pipe(p2);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x10};
    printf("ctl add p1: %d\n", epoll_ctl(ep, EPOLL_CTL_ADD, p1[0], &ev));
    ev.data.u64 = 0x20;
    epoll_ctl(ep, EPOLL_CTL_ADD, p2[0], &ev);
    ev.data.u64 = 0x40;
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    r = epoll_ctl(ep, EPOLL_CTL_ADD, p1[0], &ev);
    printf("add twice: %d %s\n", r, en(errno));
    r = epoll_ctl(ep, EPOLL_CTL_MOD, 1000, &ev);
    printf("mod of a bad fd: %d %s\n", r, errno == EBADF ? "EBADF" : en(errno));
    struct epoll_event out[8];
    printf("nothing ready, timeout 0: %d\n", epoll_wait(ep, out, 8, 0));
    write(p2[1], "x", 1);
    v = 1; write(efd, &v, 8);
    int n = epoll_wait(ep, out, 8, -1);
    printf("ready: %d\n", n);
    unsigned long long seen = 0;
    for (int i = 0; i < n; i++) seen |= out[i].data.u64;
    printf("  data seen: %llx, events IN: %d\n", seen, (out[0].events & EPOLLIN) != 0);
    /* a writer in a child wakes the waiting parent */
    pid_t c = fork();
    if (c == 0) { struct timespec ts = {0, 20000000}; nanosleep(&ts, NULL); write(p1[1], "y", 1); _exit(0); }
    char ch;
    read(p2[0], &ch, 1);
    read(efd, &v, 8);
    n = epoll_wait(ep, out, 8, 5000);
    printf("woken by the child: %d data %llx\n", n, (unsigned long long) out[0].data.u64);
    waitpid(c, NULL, 0);
    read(p1[0], &ch, 1);
    /* EPOLLONESHOT reports once until re-armed with MOD */
    ev.events = EPOLLIN | EPOLLONESHOT; ev.data.u64 = 0x4444;
    epoll_ctl(ep, EPOLL_CTL_MOD, p1[0], &ev);
    write(p1[1], "ab", 2);
    int first = epoll_wait(ep, out, 8, 0), second = epoll_wait(ep, out, 8, 0);
    epoll_ctl(ep, EPOLL_CTL_MOD, p1[0], &ev);
    int third = epoll_wait(ep, out, 8, 0);
    printf("oneshot: %d %d rearmed %d\n", first, second, third);
    /* hang-up: the write end closed */
    epoll_ctl(ep, EPOLL_CTL_DEL, p1[0], NULL);
    r = epoll_ctl(ep, EPOLL_CTL_DEL, p1[0], NULL);
    printf("delete twice: %d %s\n", r, en(errno));
    close(p2[1]);
    n = epoll_wait(ep, out, 8, 0);
    printf("hang-up: %d HUP %d\n", n, n > 0 && (out[0].events & EPOLLHUP) != 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, p2[0], NULL);
    int file = open("events.tmp", O_CREAT | O_RDWR, 0600);
    r = epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev);
    printf("a regular file: %d %s\n", r, en(errno));
    close(file);
    unlink("events.tmp");

    /* --- timerfd --- */
    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 10000000}, {0, 10000000}};
    timerfd_settime(tfd, 0, &its, NULL);
    read(tfd, &v, 8);
    printf("timerfd first read: %llu expiration(s)\n", (unsigned long long) v);
    struct timespec nap = {0, 55000000};
    nanosleep(&nap, NULL);
    read(tfd, &v, 8);
    printf("after 55 ms: at least 4: %d\n", v >= 4);
    struct itimerspec cur;
    timerfd_gettime(tfd, &cur);
    printf("interval %ld ms, left in (0, 10ms]: %d\n", cur.it_interval.tv_nsec / 1000000, cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10000000);
    struct itimerspec off = {{0, 0}, {0, 0}};
    timerfd_settime(tfd, 0, &off, NULL);
    fcntl(tfd, F_SETFL, O_NONBLOCK);
    r = read(tfd, &v, 8);
    printf("disarmed, non-blocking read: %d %s\n", r, en(errno));
    int tfd2 = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec once = {{0, 0}, {0, 30000000}};
    timerfd_settime(tfd2, 0, &once, NULL);
    ev.events = EPOLLIN; ev.data.u64 = 0x5555;
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd2, &ev);
    n = epoll_wait(ep, out, 8, 1000);
    printf("epoll wakes at the timer: %d data %llx\n", n, (unsigned long long) out[0].data.u64);

    /* --- signalfd --- */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
    struct signalfd_siginfo si[2];
    r = read(sfd, si, sizeof si);
    printf("signalfd, nothing pending: %d %s\n", r, en(errno));
    kill(getpid(), SIGUSR2);
    union sigval val = {.sival_int = 99};
    sigqueue(getpid(), SIGUSR1, val);
    r = read(sfd, si, sizeof si);
    printf("signalfd read %d bytes: %u (code SI_QUEUE %d, int %d, pid ok %d) %u (code SI_USER %d)\n", r, si[0].ssi_signo,
           si[0].ssi_code == SI_QUEUE, si[0].ssi_int, si[0].ssi_pid == (uint32_t) getpid(), si[1].ssi_signo, si[1].ssi_code == SI_USER);
    c = fork();
    if (c == 0) { struct timespec ts = {0, 20000000}; nanosleep(&ts, NULL); kill(getppid(), SIGUSR1); _exit(0); }
    int sfd2 = signalfd(-1, &mask, 0);
    r = read(sfd2, si, sizeof si[0]);
    printf("blocking signalfd read: %d signo %u from the child %d\n", r, si[0].ssi_signo, si[0].ssi_pid == (uint32_t) c);
    waitpid(c, NULL, 0);
    return 0;
}
