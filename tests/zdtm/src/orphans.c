/* Orphans and an orphaned process group: a child A starts its own session, forks B1 and
 * B2 into its group and exits, so B1 and B2 are reparented to the test (pid 1 in j386;
 * natively the test makes itself a child subreaper) and their group is orphaned: no
 * member has a parent in another group of the same session. B1 has a child N in a group
 * of its own in A's session; N's group is not orphaned (its parent B1 is in another group
 * of the same session). After SIGUSR1 every one of them checks its parent, group and
 * session and sends itself SIGTSTP: Linux discards it in the orphaned group (B1 and B2 go
 * on) but stops N, which B1 sees with WUNTRACED and continues with SIGCONT. */
#include "zdtm.h"
#include <sys/prctl.h>
#include <sys/wait.h>

#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif

static int ready[2], go[2], report[2];

static int await_go(void) {
    char c;
    return read(go[0], &c, 1) == 1 && c == 'g';
}

/* N: not orphaned, so SIGTSTP stops it until B1 continues it. */
static void non_orphan(pid_t parent, pid_t sid) {
    setpgid(0, 0);
    pid_t me = getpid();
    char c = 'n';
    write(ready[1], &c, 1);
    int ok = await_go() && getppid() == parent && getpgrp() == me && getsid(0) == sid;
    raise(SIGTSTP);
    _exit(ok ? 0 : 1);
}

/* B1 (with N) or B2: wait until reparented to the test, report, then check after the go. */
static void orphan(char tag, pid_t reaper, pid_t sid, pid_t n) {
    while (getppid() != reaper) usleep(1000);
    write(ready[1], &tag, 1);
    int ok = await_go() && getppid() == reaper && getpgrp() == sid && getsid(0) == sid;
    raise(SIGTSTP); /* discarded: the group is orphaned */
    if (n > 0) {
        int st = 0;
        ok = ok && waitpid(n, &st, WUNTRACED) == n && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP;
        ok = ok && kill(n, SIGCONT) == 0 && waitpid(n, &st, 0) == n && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    char r[2] = {tag, ok ? 'y' : 'n'};
    write(report[1], r, 2);
    _exit(ok ? 0 : 1);
}

int main(void) {
    zdtm_init();
    if (getpid() != 1) CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0, "cannot become a subreaper");
    pid_t me = getpid();
    pipe(ready);
    pipe(go);
    pipe(report);
    int ids[2];
    pipe(ids);
    pid_t a = fork();
    if (a == 0) {
        pid_t sid = setsid();
        int sync[2];
        pipe(sync);
        pid_t b1 = fork();
        if (b1 == 0) {
            pid_t n = fork();
            if (n == 0) non_orphan(getppid(), sid);
            setpgid(n, n);
            write(sync[1], "s", 1); /* A exits only once N is in its own group */
            orphan('1', me, sid, n);
        }
        pid_t b2 = fork();
        if (b2 == 0) orphan('2', me, sid, 0);
        char c;
        read(sync[0], &c, 1);
        pid_t both[2] = {b1, b2};
        write(ids[1], both, sizeof both);
        _exit(5);
    }
    pid_t b[2] = {0, 0};
    CHECK(read(ids[0], b, sizeof b) == sizeof b, "A did not say its children");
    int st = 0;
    CHECK(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 5, "A's status %x", st);
    for (int i = 0; i < 3; i++) {
        char c;
        CHECK(read(ready[0], &c, 1) == 1, "an orphan did not report");
    }
    CHECK(getpgid(b[0]) == a && getsid(b[0]) == a && getpgid(b[1]) == a, "B1/B2 not in A's group and session");
    zdtm_ready_and_wait();

    CHECK(getpgid(b[0]) == a && getsid(b[0]) == a && getpgid(b[1]) == a, "after: B1/B2 not in A's group and session");
    CHECK(write(go[1], "ggg", 3) == 3, "cannot release the orphans");
    char r[4];
    for (int got = 0; got < 4;) {
        int n = read(report[0], r + got, 4 - got);
        if (n <= 0) { CHECK(0, "an orphan did not report after the go"); break; }
        got += n;
    }
    for (int i = 0; i < 4; i += 2) CHECK(r[i + 1] == 'y', "orphan B%c saw its parent, group or session changed, or N did not stop", r[i]);
    for (int i = 0; i < 2; i++) {
        CHECK(waitpid(b[i], &st, 0) == b[i], "cannot reap B%d", i + 1);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "B%d status %x", i + 1, st);
    }
    CHECK(waitpid(-1, 0, WNOHANG) == -1, "a child is left");
    return zdtm_end();
}
