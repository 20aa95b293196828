/* A ring of five processes joined by five pipes: process k reads pipe k and writes pipe
 * k+1 (mod 5), the parent being process 0. A token goes round once before the checkpoint and
 * waits in pipe 0 (data in flight) while every child is blocked in read(); after SIGUSR1
 * the parent takes it and sends it round twice more, each child adding its index. */
#include "zdtm.h"
#include <poll.h>
#include <sys/wait.h>

#define K 5

int main(void) {
    zdtm_init();
    int p[K][2];
    for (int i = 0; i < K; i++) pipe(p[i]);
    pid_t kids[K];
    for (int k = 1; k < K; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            int in = p[k][0], out = p[(k + 1) % K][1];
            for (int i = 0; i < K; i++) {
                if (i != k) close(p[i][0]);
                if (i != (k + 1) % K) close(p[i][1]);
            }
            int v;
            for (int round = 0; round < 3; round++) {
                if (read(in, &v, sizeof v) != sizeof v) _exit(1);
                v += k;
                if (write(out, &v, sizeof v) != sizeof v) _exit(2);
            }
            _exit(0);
        }
    }
    for (int i = 0; i < K; i++) {
        if (i != 0) close(p[i][0]);
        if (i != 1) close(p[i][1]);
    }
    /* round 1 before the checkpoint: the token comes back and stays in flight in pipe 0 */
    int v = 0;
    CHECK(write(p[1][1], &v, sizeof v) == sizeof v, "cannot send the token");
    struct pollfd pf = {p[0][0], POLLIN, 0};
    CHECK(poll(&pf, 1, 60000) == 1, "the token did not come round before the checkpoint");
    zdtm_ready_and_wait();

    CHECK(read(p[0][0], &v, sizeof v) == sizeof v, "the token in flight was lost");
    CHECK(v == 10, "token after round 1: %d", v);
    for (int round = 1; round < 3; round++) {
        CHECK(write(p[1][1], &v, sizeof v) == sizeof v, "cannot send the token");
        CHECK(read(p[0][0], &v, sizeof v) == sizeof v, "the token did not come back");
    }
    CHECK(v == 3 * (1 + 2 + 3 + 4), "token %d, want %d", v, 3 * (1 + 2 + 3 + 4));
    for (int k = 1; k < K; k++) {
        int st;
        CHECK(waitpid(kids[k], &st, 0) == kids[k] && WIFEXITED(st) && WEXITSTATUS(st) == 0, "ring member %d status %x", k, st);
    }
    return zdtm_end();
}
