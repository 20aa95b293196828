/* A deep tree: a chain of 12 processes, each the parent of the next. The deepest waits in
 * read() on a pipe, every other one waits in waitpid() for its own child. Level 4 leads its
 * own process group, level 8 its own session (so the chain crosses groups and sessions).
 * After SIGUSR1 the top writes the go byte; the deepest exits with 50, and each level,
 * after checking that its pid, parent, group and session did not change and that waitpid
 * gave its own child with the expected status, exits with its child's status plus one.
 * So the top sees 50 + 11 only if every level of the chain came back intact. */
#include "zdtm.h"
#include <sys/wait.h>

#define DEPTH 12
#define LEAF_STATUS 50

static int ready[2], go[2];

/* Level 1 and, in its children, every deeper level: fork the next one unless deepest, then wait for it. */
static void level_body(int level) {
    pid_t kid = 0;
    for (;;) { /* a new group or session first, then the next level (a child) goes one deeper */
        if (level == 4) setpgid(0, 0);
        if (level == 8) setsid();
        if (level == DEPTH - 1 || (kid = fork()) != 0) break;
        level++;
    }
    pid_t me = getpid(), pp = getppid(), pg = getpgrp(), sid = getsid(0);
    if (level == DEPTH - 1) {
        close(go[1]);
        char c = 'r';
        write(ready[1], &c, 1);
        int ok = read(go[0], &c, 1) == 1 && c == 'g';
        ok = ok && getpid() == me && getppid() == pp && getpgrp() == pg && getsid(0) == sid;
        _exit(ok ? LEAF_STATUS : 1);
    }
    close(go[0]);
    close(go[1]);
    int st = 0;
    pid_t w = waitpid(kid, &st, 0);
    int ok = w == kid && WIFEXITED(st) && WEXITSTATUS(st) == LEAF_STATUS + (DEPTH - 2 - level);
    ok = ok && getpid() == me && getppid() == pp && getpgrp() == pg && getsid(0) == sid;
    ok = ok && waitpid(-1, 0, WNOHANG) == -1;
    _exit(ok ? WEXITSTATUS(st) + 1 : 1);
}

int main(void) {
    zdtm_init();
    pipe(ready);
    pipe(go);
    pid_t top = fork();
    if (top == 0) level_body(1);
    char c;
    CHECK(read(ready[0], &c, 1) == 1, "the deepest level did not report");
    close(go[0]);
    zdtm_ready_and_wait();

    CHECK(write(go[1], "g", 1) == 1, "cannot release the deepest level");
    int st = 0;
    CHECK(waitpid(top, &st, 0) == top, "cannot wait for the chain");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == LEAF_STATUS + DEPTH - 2, "chain status %x, want exit %d", st, LEAF_STATUS + DEPTH - 2);
    CHECK(waitpid(-1, 0, WNOHANG) == -1, "a child is left");
    return zdtm_end();
}
