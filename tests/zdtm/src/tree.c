/* A tree of five processes in three sessions and four process groups:
 *   P (session leader of the test) -> A (setsid: new session) -> A1 (setpgid: own group in A's session)
 *                                  -> B (setpgid: own group) -> B1 (stays in B's group)
 * Each child remembers its ids, reports ready through a pipe and sleeps. After SIGUSR1 the
 * parent tells each child (SIGUSR2) to check its pid, parent, group and session, and to
 * exit 0 if they are unchanged; the parent checks its own and every exit status. */
#include "zdtm.h"
#include <sys/wait.h>

static volatile sig_atomic_t usr2;
static void on_usr2(int s) { (void) s; usr2 = 1; }

static int ready[2];

static int check_self(pid_t pid, pid_t ppid, pid_t pgid, pid_t sid) {
    return getpid() == pid && getppid() == ppid && getpgrp() == pgid && getsid(0) == sid;
}

/* A child: report, sleep until SIGUSR2, forward it to its own child if any, verify, exit. */
static void child_body(pid_t kid) {
    pid_t pid = getpid(), ppid = getppid(), pgid = getpgrp(), sid = getsid(0);
    char c = 'r';
    write(ready[1], &c, 1);
    sigset_t s;
    sigemptyset(&s);
    while (!usr2) sigsuspend(&s);
    int ok = check_self(pid, ppid, pgid, sid);
    if (kid > 0) {
        kill(kid, SIGUSR2);
        int st;
        if (waitpid(kid, &st, 0) != kid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) ok = 0;
    }
    _exit(ok ? 0 : 1);
}

static pid_t spawn(int mode) {
    pid_t p = fork();
    if (p != 0) return p;
    if (mode == 1) setsid();
    if (mode == 2) setpgid(0, 0);
    return 0;
}

int main(void) {
    zdtm_init();
    zdtm_catch_blocked(SIGUSR2, on_usr2);
    pipe(ready);

    pid_t a = spawn(1);
    if (a == 0) {
        pid_t a1 = spawn(2);
        if (a1 == 0) child_body(0);
        child_body(a1);
    }
    pid_t bb = spawn(2);
    if (bb == 0) {
        pid_t b1 = spawn(0);
        if (b1 == 0) child_body(0);
        child_body(b1);
    }
    for (int i = 0; i < 4; i++) {
        char c;
        if (read(ready[0], &c, 1) != 1) { zdtm_say("FAIL: a child did not report\n"); return 1; }
    }
    pid_t me = getpid(), pp = getppid(), pg = getpgrp(), sid = getsid(0);
    zdtm_ready_and_wait();

    CHECK(check_self(me, pp, pg, sid), "the parent's ids changed");
    CHECK(getsid(a) == a, "A is no longer a session leader (sid %d)", (int) getsid(a));
    CHECK(getpgid(a) == a, "A's group is %d", (int) getpgid(a));
    CHECK(getpgid(bb) == bb && getsid(bb) == sid, "B's group %d session %d", (int) getpgid(bb), (int) getsid(bb));
    pid_t kids[2] = {a, bb};
    for (int i = 0; i < 2; i++) {
        kill(kids[i], SIGUSR2);
        int st;
        pid_t w = waitpid(kids[i], &st, 0);
        CHECK(w == kids[i], "waitpid(%d) = %d", (int) kids[i], (int) w);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d (and its child) saw changed ids: status %x", (int) kids[i], st);
    }
    CHECK(waitpid(-1, 0, WNOHANG) == -1, "a child is left");
    return zdtm_end();
}
