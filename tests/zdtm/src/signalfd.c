/* signalfd across a restart: SIGUSR2 and SIGRTMIN+1 blocked and read through a signalfd
 * (O_NONBLOCK). SIGUSR2 is pending at the checkpoint; a child is blocked reading the same
 * kind of signalfd (inherited). After SIGUSR1: the parent reads SIGUSR2 with its sender pid,
 * then nothing; the mask still takes SIGRTMIN+1 sent with sigqueue (its value too) and not
 * SIGUSR1's neighbour SIGTERM; the child wakes on a SIGUSR2 from the parent. */
#include "zdtm.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

int main(void) {
    zdtm_init();
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    sigaddset(&m, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &m, 0);
    int fd = signalfd(-1, &m, SFD_NONBLOCK);
    CHECK(fd >= 0, "signalfd: %d", errno);
    pid_t c = fork();
    if (c == 0) {
        int cfd = signalfd(-1, &m, 0);
        struct signalfd_siginfo si;
        if (read(cfd, &si, sizeof si) != sizeof si || si.ssi_signo != SIGUSR2 || (pid_t) si.ssi_pid != getppid()) _exit(1);
        _exit(0);
    }
    kill(getpid(), SIGUSR2);
    zdtm_ready_and_wait();

    struct signalfd_siginfo si;
    CHECK(read(fd, &si, sizeof si) == sizeof si, "no pending SIGUSR2: %d", errno);
    CHECK(si.ssi_signo == SIGUSR2 && (pid_t) si.ssi_pid == getpid(), "read signal %u from %u", si.ssi_signo, si.ssi_pid);
    CHECK(read(fd, &si, sizeof si) == -1 && errno == EAGAIN, "a second signal was pending");
    union sigval v = {.sival_int = 4242};
    sigqueue(getpid(), SIGRTMIN + 1, v);
    CHECK(read(fd, &si, sizeof si) == sizeof si && (int) si.ssi_signo == SIGRTMIN + 1 && si.ssi_int == 4242,
          "SIGRTMIN+1: signo %u value %d", si.ssi_signo, si.ssi_int);
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
    kill(c, SIGUSR2);
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: status %x", st);
    return zdtm_end();
}
