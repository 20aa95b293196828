/* Zombies with a waiting parent: one child exited with status 42, one was killed by
 * SIGTERM, both are zombies at checkpoint time; a third child is alive and waits in
 * read(). After SIGUSR1 the parent reaps the zombies (exit status and signal intact),
 * releases the live child and reaps it too. */
#include "zdtm.h"
#include <sys/wait.h>

int main(void) {
    zdtm_init();
    int done[2], go[2];
    pipe(done);
    pipe(go);
    pid_t z1 = fork();
    if (z1 == 0) { close(done[0]); _exit(42); }
    pid_t z2 = fork();
    if (z2 == 0) { close(done[0]); for (;;) pause(); }
    pid_t live = fork();
    if (live == 0) {
        close(done[0]);
        close(done[1]);
        close(go[1]);
        char c;
        _exit(read(go[0], &c, 1) == 1 && c == 'g' ? 7 : 1);
    }
    close(go[0]);
    close(done[1]);
    kill(z2, SIGTERM);
    char c;
    while (read(done[0], &c, 1) > 0) {} /* EOF: both zombie children have exited (the live one closed its end) */
    zdtm_ready_and_wait();

    int st;
    CHECK(waitpid(z1, &st, 0) == z1, "cannot reap zombie 1");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "zombie 1 status %x, want exit 42", st);
    CHECK(waitpid(z2, &st, 0) == z2, "cannot reap zombie 2");
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "zombie 2 status %x, want SIGTERM", st);
    CHECK(write(go[1], "g", 1) == 1, "cannot write to the live child");
    CHECK(waitpid(live, &st, 0) == live && WIFEXITED(st) && WEXITSTATUS(st) == 7, "live child status %x", st);
    CHECK(waitpid(-1, &st, WNOHANG) == -1, "a child is left");
    return zdtm_end();
}
