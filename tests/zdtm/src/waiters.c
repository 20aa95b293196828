/* Zombies and waiting parents at three levels. The test has two zombie children (exit 3,
 * and killed by SIGKILL) and two live ones: W1 is blocked in waitpid() for its child C1
 * (which waits on a pipe) while its other child C2 is already a zombie, so the specific
 * wait must not take C2; W2 is blocked in waitid(P_ALL, WEXITED|WNOWAIT) for its child D1.
 * After SIGUSR1 the test releases C1 and D1: W1 must get C1's status 11 and then C2's 12;
 * W2 must see D1's exit twice (WNOWAIT keeps it) and then reap it with waitpid. The test
 * peeks at its first zombie with WNOWAIT, then reaps everything with the right statuses. */
#include "zdtm.h"
#include <fcntl.h>
#include <sys/wait.h>

static int go[2];

/* Wait until process {@code pid} sleeps (state S in /proc/PID/stat), at most a few seconds. */
static int sleeping(pid_t pid) {
    char path[64], b[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    for (int i = 0; i < 5000; i++) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) return 0;
        int n = read(fd, b, sizeof b - 1);
        close(fd);
        if (n <= 0) return 0;
        b[n] = 0;
        char *p = strrchr(b, ')');
        if (p && p[1] == ' ' && p[2] == 'S') return 1;
        usleep(1000);
    }
    return 0;
}

static void released_child(int status) {
    close(go[1]);
    char c;
    _exit(read(go[0], &c, 1) == 1 && c == 'g' ? status : 99);
}

static void w1(int ready) {
    pid_t c1 = fork();
    if (c1 == 0) released_child(11);
    pid_t c2 = fork();
    if (c2 == 0) _exit(12);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int ok = waitid(P_PID, c2, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == c2; /* C2 is a zombie now */
    write(ready, "1", 1);
    int st = 0;
    ok = ok && waitpid(c1, &st, 0) == c1 && WIFEXITED(st) && WEXITSTATUS(st) == 11;
    ok = ok && waitpid(-1, &st, 0) == c2 && WIFEXITED(st) && WEXITSTATUS(st) == 12;
    _exit(ok ? 0 : 1);
}

static void w2(int ready) {
    pid_t d1 = fork();
    if (d1 == 0) released_child(21);
    write(ready, "2", 1);
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        ok = ok && waitid(P_ALL, 0, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == d1 && si.si_code == CLD_EXITED && si.si_status == 21;
    }
    int st = 0;
    ok = ok && waitpid(-1, &st, 0) == d1 && WIFEXITED(st) && WEXITSTATUS(st) == 21;
    ok = ok && waitpid(-1, &st, WNOHANG) == -1;
    _exit(ok ? 0 : 1);
}

int main(void) {
    zdtm_init();
    int ready[2];
    pipe(ready);
    pipe(go);
    pid_t z1 = fork();
    if (z1 == 0) _exit(3);
    pid_t z2 = fork();
    if (z2 == 0) for (;;) pause();
    pid_t a = fork();
    if (a == 0) w1(ready[1]);
    pid_t b = fork();
    if (b == 0) w2(ready[1]);
    close(go[0]);
    kill(z2, SIGKILL);
    char c;
    for (int i = 0; i < 2; i++) CHECK(read(ready[0], &c, 1) == 1, "a waiter did not report");
    CHECK(sleeping(a) && sleeping(b), "the waiters did not go to sleep");
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, z2, &si, WEXITED | WNOWAIT) == 0 && si.si_code == CLD_KILLED, "zombie 2 not dead yet");
    zdtm_ready_and_wait();

    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, z1, &si, WEXITED | WNOWAIT) == 0, "waitid WNOWAIT on zombie 1");
    CHECK(si.si_pid == z1 && si.si_code == CLD_EXITED && si.si_status == 3, "zombie 1 seen as pid %d code %d status %d",
          (int) si.si_pid, si.si_code, si.si_status);
    CHECK(write(go[1], "gg", 2) == 2, "cannot release the grandchildren");
    int st = 0;
    CHECK(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0, "W1 (waitpid of a specific child) status %x", st);
    CHECK(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 0, "W2 (waitid WNOWAIT) status %x", st);
    CHECK(waitpid(z2, &st, 0) == z2 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "zombie 2 status %x", st);
    CHECK(waitpid(z1, &st, 0) == z1 && WIFEXITED(st) && WEXITSTATUS(st) == 3, "zombie 1 status %x", st);
    CHECK(waitpid(-1, 0, WNOHANG) == -1, "a child is left");
    return zdtm_end();
}
