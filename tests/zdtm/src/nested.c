/* New processes after the restart: before the checkpoint the test has used up 30 pids
 * (children forked and reaped), and keeps a live child, a zombie and a second thread. After
 * SIGUSR1 it forks 20 children, each of which forks and reaps a grandchild, and starts a
 * thread: every new pid and tid must differ from every pid and tid that was restored (the
 * zombie's included) and from each other, each child must see the test as its parent, and
 * waitpid must give each child's own status, the zombie's included. */
#include "zdtm.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NEW 20

static pid_t old_ids[4];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go, started;
static pid_t thread_tid, new_tid;

static void *sleeper(void *arg) {
    (void) arg;
    pthread_mutex_lock(&mu);
    thread_tid = syscall(SYS_gettid);
    started = 1;
    pthread_cond_broadcast(&cv);
    while (!go) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return 0;
}

static void *fresh(void *arg) {
    (void) arg;
    new_tid = syscall(SYS_gettid);
    return 0;
}

static int is_old(pid_t p) {
    for (int i = 0; i < 4; i++) if (old_ids[i] == p) return 1;
    return 0;
}

int main(void) {
    zdtm_init();
    for (int i = 0; i < 30; i++) {
        pid_t p = fork();
        if (p == 0) _exit(0);
        waitpid(p, 0, 0);
    }
    int hold[2];
    pipe(hold);
    pid_t live = fork();
    if (live == 0) {
        close(hold[1]);
        char c;
        _exit(read(hold[0], &c, 1) == 0 ? 9 : 1); /* until the test closes its end */
    }
    close(hold[0]);
    pid_t zombie = fork();
    if (zombie == 0) _exit(5);
    siginfo_t si;
    CHECK(waitid(P_PID, zombie, &si, WEXITED | WNOWAIT) == 0, "the zombie");
    pthread_t th;
    pthread_create(&th, 0, sleeper, 0);
    pthread_mutex_lock(&mu);
    while (!started) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    pid_t me = getpid();
    old_ids[0] = me;
    old_ids[1] = live;
    old_ids[2] = zombie;
    old_ids[3] = thread_tid;
    zdtm_ready_and_wait();

    pid_t kids[NEW];
    for (int i = 0; i < NEW; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            int ok = getppid() == me && !is_old(getpid());
            pid_t g = fork();
            if (g == 0) _exit(getppid() == getpid() ? 1 : 7);
            int st = 0;
            ok = ok && g != me && !is_old(g) && waitpid(g, &st, 0) == g && WIFEXITED(st) && WEXITSTATUS(st) == 7;
            _exit(ok ? i : 100 + i);
        }
        CHECK(kids[i] > 0 && !is_old(kids[i]), "new child %d got pid %d, which was restored", i, (int) kids[i]);
        for (int j = 0; j < i; j++) CHECK(kids[j] != kids[i], "children %d and %d got the same pid %d", j, i, (int) kids[i]);
    }
    for (int i = NEW - 1; i >= 0; i--) {
        int st = 0;
        CHECK(waitpid(kids[i], &st, 0) == kids[i], "waitpid(%d)", (int) kids[i]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == i, "new child %d: status %x", i, st);
    }
    pthread_t t2;
    CHECK(pthread_create(&t2, 0, fresh, 0) == 0 && pthread_join(t2, 0) == 0, "a new thread");
    CHECK(new_tid > 0 && !is_old(new_tid), "the new thread got tid %d, which was restored", (int) new_tid);
    for (int i = 0; i < NEW; i++) CHECK(new_tid != kids[i], "the new thread's tid %d is a new child's pid", (int) new_tid);
    pthread_mutex_lock(&mu);
    go = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    CHECK(pthread_join(th, 0) == 0, "join the restored thread");
    int st = 0;
    CHECK(waitpid(zombie, &st, 0) == zombie && WIFEXITED(st) && WEXITSTATUS(st) == 5, "zombie status %x", st);
    close(hold[1]);
    CHECK(waitpid(live, &st, 0) == live && WIFEXITED(st) && WEXITSTATUS(st) == 9, "live child status %x", st);
    CHECK(waitpid(-1, 0, WNOHANG) == -1, "a child is left");
    return zdtm_end();
}
