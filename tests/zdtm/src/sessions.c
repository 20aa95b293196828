/* Sessions and process groups: a child that made its own session, a child in a new group of
 * ours, a grandchild in its parent's group; after restart each keeps its sid and pgid. */
#include "zdtm.h"
#include <sys/wait.h>

int main(void) {
    zdtm_init();
    pid_t a = fork();
    if (a == 0) { setsid(); for (;;) pause(); }
    pid_t b = fork();
    if (b == 0) {
        setpgid(0, 0);
        pid_t c = fork();
        if (c == 0) for (;;) pause();
        for (;;) pause();
    }
    setpgid(b, b);
    /* wait until both children have moved */
    while (getsid(a) != a || getpgid(b) != b) usleep(1000);
    zdtm_ready_and_wait();
    CHECK(getsid(a) == a && getpgid(a) == a, "session leader: sid %d pgid %d (pid %d)", (int) getsid(a), (int) getpgid(a), (int) a);
    CHECK(getpgid(b) == b && getsid(b) == getsid(0), "group leader: pgid %d sid %d", (int) getpgid(b), (int) getsid(b));
    CHECK(getpgid(0) == getpid() || getpgid(0) != b, "our own group changed");
    kill(a, SIGKILL);
    kill(-b, SIGKILL);
    int st, n = 0;
    while (wait(&st) > 0) n++;
    /* 2, or 3 when we are the machine's first task: the orphaned grandchild is then ours to reap */
    CHECK(n == 2 || (n == 3 && getpid() == 1), "reaped %d children", n);
    return zdtm_end();
}
