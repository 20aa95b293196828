/* Copy-on-write after fork: parent and child start with the same 1 MiB (plus the rest of
 * the address space); before the checkpoint the child rewrites half of it. After the
 * restart each must see its own contents, and writes of one must not show in the other
 * (j386 saves such pages with each process, so they come back as private copies). */
#include "zdtm.h"
#include <stdint.h>
#include <sys/wait.h>

#define WORDS (256 * 1024)
static uint32_t buf[WORDS];

static int check(uint32_t lowSeed, uint32_t highSeed) {
    for (int i = 0; i < WORDS; i++) {
        uint32_t want = (i < WORDS / 2 ? lowSeed : highSeed) * 40503u + (uint32_t) i;
        if (buf[i] != want) return 0;
    }
    return 1;
}

int main(void) {
    zdtm_init();
    for (int i = 0; i < WORDS; i++) buf[i] = 1u * 40503u + (uint32_t) i;
    int go[2], done[2], back[2];
    pipe(go);
    pipe(done);
    pipe(back);
    pid_t c = fork();
    if (c == 0) {
        for (int i = 0; i < WORDS / 2; i++) buf[i] = 2u * 40503u + (uint32_t) i;
        write(done[1], "d", 1);
        char g;
        if (read(go[0], &g, 1) != 1) _exit(1);
        int ok = check(2, 1);
        for (int i = WORDS / 2; i < WORDS; i++) buf[i] = 3u * 40503u + (uint32_t) i; /* must not reach the parent */
        write(back[1], "b", 1);
        if (read(go[0], &g, 1) != 1) _exit(1);
        ok = ok && check(2, 3);
        _exit(ok ? 0 : 1);
    }
    char d;
    CHECK(read(done[0], &d, 1) == 1, "the child did not write");
    CHECK(check(1, 1), "the child's writes showed in the parent before the checkpoint");
    zdtm_ready_and_wait();

    CHECK(check(1, 1), "the parent's memory changed");
    CHECK(write(go[1], "g", 1) == 1, "release");
    CHECK(read(back[0], &d, 1) == 1, "the child did not write again");
    CHECK(check(1, 1), "the child's write after the restart showed in the parent");
    for (int i = 0; i < WORDS / 2; i++) buf[i] = 4u * 40503u + (uint32_t) i; /* must not reach the child */
    CHECK(write(go[1], "g", 1) == 1, "release");
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child saw wrong memory: %x", st);
    return zdtm_end();
}
