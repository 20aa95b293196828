/* Pipes between two processes with data in flight: 20000 bytes written by the parent
 * sit unread in pipe 1; the child is blocked reading pipe 2, which is empty. After
 * SIGUSR1 the parent writes 5 bytes to pipe 2 and closes its write ends; the child must
 * read exactly those bytes, then the 20000-byte pattern, then EOF on both pipes (so
 * both ends' reference counts survived), and the parent sees EPIPE-free completion. */
#include "zdtm.h"
#include <fcntl.h>
#include <sys/wait.h>

#define N 20000

static int pattern(int i) { return (i * 7 + 3) & 0xff; }

int main(void) {
    zdtm_init();
    int p1[2], p2[2];
    pipe(p1);
    pipe(p2);
    pid_t c = fork();
    if (c == 0) {
        close(p1[1]);
        close(p2[1]);
        char b[8];
        int ok = 1;
        if (read(p2[0], b, 8) != 5 || memcmp(b, "hello", 5) != 0) ok = 0;
        static char buf[N + 10];
        int got = 0, n;
        while ((n = read(p1[0], buf + got, sizeof buf - got)) > 0) got += n;
        if (got != N) ok = 0;
        for (int i = 0; i < N && ok; i++) if ((buf[i] & 0xff) != pattern(i)) ok = 0;
        if (read(p2[0], b, 8) != 0) ok = 0;
        _exit(ok ? 0 : 1);
    }
    close(p1[0]);
    close(p2[0]);
    static char out[N];
    for (int i = 0; i < N; i++) out[i] = pattern(i);
    CHECK(write(p1[1], out, N) == N, "cannot fill pipe 1");
    zdtm_ready_and_wait();

    CHECK(write(p2[1], "hello", 5) == 5, "cannot write to pipe 2");
    close(p1[1]);
    close(p2[1]);
    int st;
    CHECK(waitpid(c, &st, 0) == c, "waitpid");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the reader found wrong data or no EOF: status %x", st);
    return zdtm_end();
}
