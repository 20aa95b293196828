/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) inherited over fork by two children,
 * next to private memory the fork left copy-on-write. After the restart the shared pages are
 * one memory again (a store by one process is seen by the others, both ways) while the
 * private pages stay private. */
#include "zdtm.h"
#include <sys/mman.h>
#include <sys/wait.h>

#define PAGES 4

int main(void) {
    zdtm_init();
    volatile int *s = mmap(0, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile int *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(s != MAP_FAILED && p != MAP_FAILED, "mmap");
    for (int i = 0; i < PAGES * 1024; i++) s[i] = i;
    p[0] = 7;
    int go[2][2];
    pid_t c[2];
    for (int k = 0; k < 2; k++) {
        pipe(go[k]);
        c[k] = fork();
        if (c[k] == 0) {
            p[0] = 100 + k;
            s[1024 * (k + 1)] = 500 + k;  /* before the checkpoint */
            char x;
            if (read(go[k][0], &x, 1) != 1) _exit(2);
            if (s[0] != 4242 || p[0] != 100 + k) _exit(3);  /* the parent's store after the restart */
            s[3 * 1024 + k] = 900 + k;  /* seen by the parent */
            _exit(0);
        }
    }
    while (s[1024] != 500 || s[2048] != 501) usleep(1000);
    zdtm_ready_and_wait();

    CHECK(s[1024] == 500 && s[2048] == 501 && s[5] == 5 && s[3 * 1024 + 5] == 3 * 1024 + 5, "shared contents");
    CHECK(p[0] == 7, "private page %d", p[0]);
    s[0] = 4242;
    int st;
    for (int k = 0; k < 2; k++) {
        write(go[k][1], "g", 1);
        CHECK(waitpid(c[k], &st, 0) == c[k] && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d: %x", k, st);
        CHECK(s[3 * 1024 + k] == 900 + k, "child %d's store after the restart: %d", k, s[3 * 1024 + k]);
    }
    CHECK(p[0] == 7, "private page after the children %d", p[0]);
    return zdtm_end();
}
