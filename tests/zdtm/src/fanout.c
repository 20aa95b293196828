/* A wide tree: one parent, 24 children in four process groups of six (the first child of
 * each group leads it). In every group two children have already exited (zombies, checked
 * with waitid WNOWAIT before the checkpoint) and four sleep in sigsuspend. After SIGUSR1 the
 * parent wakes each group with kill(-pgid) and reaps it a different way: group 0 by
 * waitpid on each pid in reverse order, group 1 by waitpid(-pgid), group 2 by
 * waitid(P_PGID), group 3 by wait(). Each child exits with its own index (plus 100 if its
 * pid, parent or group changed), so every status says which child it came from. */
#include "zdtm.h"
#include <sys/wait.h>

#define GROUPS 4
#define PER 6
#define N (GROUPS * PER)

static volatile sig_atomic_t usr2;
static void on_usr2(int s) { (void) s; usr2 = 1; }

static pid_t kids[N];
static int reaped[N];

static int index_of(pid_t p) {
    for (int i = 0; i < N; i++) if (kids[i] == p) return i;
    return -1;
}

static int zombie_index(int i) { return i % PER == 2 || i % PER == 5; }

static void child(int i, pid_t leader, int ready) {
    if (leader == 0) setpgid(0, 0);
    else setpgid(0, leader);
    pid_t me = getpid(), pp = getppid();
    pid_t pg = leader == 0 ? me : leader;
    char c = 'r';
    write(ready, &c, 1);
    if (zombie_index(i)) _exit(i);
    sigset_t s;
    sigemptyset(&s);
    while (!usr2) sigsuspend(&s);
    _exit(i + (getpid() == me && getppid() == pp && getpgrp() == pg ? 0 : 100));
}

/* One reaped child: its status must be its own index. */
static void reaped_one(pid_t w, int st, int group) {
    int i = index_of(w);
    CHECK(i >= 0 && i / PER == group, "group %d: reaped %d, not one of its children", group, (int) w);
    if (i < 0) return;
    CHECK(!reaped[i], "child %d reaped twice", i);
    reaped[i] = 1;
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == i, "child %d: status %x", i, st);
}

int main(void) {
    zdtm_init();
    zdtm_catch_blocked(SIGUSR2, on_usr2);
    int ready[2];
    pipe(ready);
    for (int i = 0; i < N; i++) {
        pid_t leader = i % PER == 0 ? 0 : kids[i - i % PER];
        pid_t p = fork();
        if (p == 0) { close(ready[0]); child(i, leader, ready[1]); }
        setpgid(p, leader == 0 ? p : leader); /* both sides, as a shell does */
        kids[i] = p;
    }
    close(ready[1]);
    for (int i = 0; i < N; i++) {
        char c;
        CHECK(read(ready[0], &c, 1) == 1, "child %d did not report", i);
    }
    for (int i = 0; i < N; i++) {
        if (!zombie_index(i)) continue;
        siginfo_t si;
        memset(&si, 0, sizeof si);
        CHECK(waitid(P_PID, kids[i], &si, WEXITED | WNOWAIT) == 0 && si.si_pid == kids[i] && si.si_status == i,
              "child %d did not become a zombie", i);
    }
    for (int i = 0; i < N; i++) {
        pid_t want = kids[i - i % PER];
        CHECK(getpgid(kids[i]) == want, "child %d in group %d, want %d", i, (int) getpgid(kids[i]), (int) want);
    }
    zdtm_ready_and_wait();

    for (int i = 0; i < N; i++) {
        pid_t want = kids[i - i % PER];
        CHECK(getpgid(kids[i]) == want, "after: child %d in group %d, want %d", i, (int) getpgid(kids[i]), (int) want);
    }
    int st;
    /* group 0: each pid, last first */
    CHECK(kill(-kids[0], SIGUSR2) == 0, "kill group 0");
    for (int i = PER - 1; i >= 0; i--) {
        pid_t w = waitpid(kids[i], &st, 0);
        CHECK(w == kids[i], "waitpid(%d) = %d", (int) kids[i], (int) w);
        reaped_one(w, st, 0);
    }
    /* group 1: waitpid(-pgid) */
    CHECK(kill(-kids[PER], SIGUSR2) == 0, "kill group 1");
    for (int n = 0; n < PER; n++) { pid_t w = waitpid(-kids[PER], &st, 0); reaped_one(w, st, 1); }
    CHECK(waitpid(-kids[PER], &st, WNOHANG) == -1, "group 1 still has a child");
    /* group 2: waitid(P_PGID) */
    CHECK(kill(-kids[2 * PER], SIGUSR2) == 0, "kill group 2");
    for (int n = 0; n < PER; n++) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        CHECK(waitid(P_PGID, kids[2 * PER], &si, WEXITED) == 0 && si.si_code == CLD_EXITED, "waitid P_PGID");
        reaped_one(si.si_pid, (si.si_status & 0xff) << 8, 2);
    }
    /* group 3: any child */
    CHECK(kill(-kids[3 * PER], SIGUSR2) == 0, "kill group 3");
    for (int n = 0; n < PER; n++) { pid_t w = wait(&st); reaped_one(w, st, 3); }
    for (int i = 0; i < N; i++) CHECK(reaped[i], "child %d never reaped", i);
    CHECK(waitpid(-1, 0, WNOHANG) == -1, "a child is left");
    return zdtm_end();
}
