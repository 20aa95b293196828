/* Job control: two children stopped by SIGSTOP, the first stop already reported to the
 * parent (waitpid WUNTRACED before the checkpoint), the second not yet. After SIGUSR1 the
 * parent sees the second stop reported, proves neither child ran (their pipe is empty),
 * continues them and reaps them with their exit codes. */
#include "zdtm.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>

int main(void) {
    zdtm_init();
    int p[2];
    pipe(p);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, 0);
    struct timespec zero = {0, 0};
    siginfo_t si;
    int st;
    pid_t c[2];
    for (int i = 0; i < 2; i++) {
        if (i == 1) {
            CHECK(waitpid(c[0], &st, WUNTRACED) == c[0] && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "child 1 did not stop: %x", st);
            while (sigtimedwait(&chld, &si, &zero) > 0) {}
        }
        c[i] = fork();
        if (c[i] == 0) {
            close(p[0]);
            raise(SIGSTOP);
            char b = 'A' + i;
            write(p[1], &b, 1);
            _exit(10 + i);
        }
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    /* child 2: its SIGCHLD says it stopped; the stop stays unreported to wait */
    CHECK(sigwaitinfo(&chld, &si) == SIGCHLD && si.si_pid == c[1] && si.si_code == CLD_STOPPED, "child 2 did not stop (code %d)", si.si_code);
    zdtm_ready_and_wait();

    CHECK(waitpid(c[0], &st, WUNTRACED | WNOHANG) == 0, "child 1's stop reported twice");
    CHECK(waitpid(c[1], &st, WUNTRACED) == c[1] && WIFSTOPPED(st), "child 2's stop was not reported: %x", st);
    char b;
    CHECK(read(p[0], &b, 1) == -1 && errno == EAGAIN, "a stopped child ran");
    for (int i = 0; i < 2; i++) {
        kill(c[i], SIGCONT);
        /* the continue is reported unless the child's exit overtook it */
        CHECK(waitpid(c[i], &st, WCONTINUED) == c[i], "child %d: waitpid", i + 1);
        if (WIFCONTINUED(st)) CHECK(waitpid(c[i], &st, 0) == c[i], "child %d: waitpid after WCONTINUED", i + 1);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 10 + i, "child %d status %x", i + 1, st);
    }
    int got = 0;
    while (read(p[0], &b, 1) == 1) got++;
    CHECK(got == 2, "%d bytes from the continued children", got);
    return zdtm_end();
}
