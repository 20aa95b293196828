/* CLONE_FS across a restart: a child made with clone(CLONE_FS) shares the parent's working
 * directory and umask, a child made with fork does not. Both are blocked reading a pipe.
 * After SIGUSR1 the parent changes directory to /tmp and its umask to 027; the CLONE_FS child
 * must see both, the forked one neither. */
#include "zdtm.h"
#include <errno.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int go[2];
static char start[256];

static int shared(void *arg) {
    (void) arg;
    char b[256];
    if (read(go[0], b, 1) != 1) return 1;
    if (!getcwd(b, sizeof b) || strcmp(b, "/tmp") != 0) return 2;
    mode_t m = umask(0);
    if (m != 027) return 3;
    return 0;
}

static char stack[65536];

int main(void) {
    zdtm_init();
    pipe(go);
    umask(022);
    CHECK(getcwd(start, sizeof start) != 0, "getcwd");
    pid_t a = clone(shared, stack + sizeof stack, CLONE_FS | SIGCHLD, 0);
    CHECK(a > 0, "clone: %d", errno);
    pid_t b = fork();
    if (b == 0) {
        char buf[256];
        if (read(go[0], buf, 1) != 1) _exit(1);
        if (!getcwd(buf, sizeof buf) || strcmp(buf, start) != 0) _exit(2);
        if (umask(0) != 022) _exit(3);
        _exit(0);
    }
    zdtm_ready_and_wait();

    CHECK(chdir("/tmp") == 0, "chdir");
    umask(027);
    write(go[1], "gg", 2);
    int st;
    CHECK(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the CLONE_FS child: status %x", st);
    CHECK(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the forked child: status %x", st);
    return zdtm_end();
}
