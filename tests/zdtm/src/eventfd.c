/* eventfd counters across a restart: a plain counter holding 5 (O_NONBLOCK), an
 * EFD_SEMAPHORE counter holding 3, and an empty one a child is blocked reading. After
 * SIGUSR1 the parent reads 5 at once, takes the semaphore 1, 1, 1 then EAGAIN, writes 7
 * into the empty counter (the child must read exactly 7, so the object is shared), and
 * the child's own write of 40 to the plain counter is read by the parent. */
#include "zdtm.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

int main(void) {
    zdtm_init();
    int plain = eventfd(0, EFD_NONBLOCK), sem = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK), empty = eventfd(0, 0);
    CHECK(plain >= 0 && sem >= 0 && empty >= 0, "eventfd: %d", errno);
    uint64_t v = 5;
    CHECK(write(plain, &v, 8) == 8, "write 5");
    pid_t c = fork();
    if (c == 0) {
        uint64_t got = 0;
        if (read(empty, &got, 8) != 8 || got != 7) _exit(1);
        uint64_t w = 40;
        if (write(plain, &w, 8) != 8) _exit(2);
        _exit(0);
    }
    zdtm_ready_and_wait();

    CHECK((fcntl(plain, F_GETFL) & O_NONBLOCK) && !(fcntl(empty, F_GETFL) & O_NONBLOCK), "O_NONBLOCK flags lost");
    CHECK(read(plain, &v, 8) == 8 && v == 5, "plain counter: %llu, want 5", (unsigned long long) v);
    for (int i = 0; i < 3; i++) CHECK(read(sem, &v, 8) == 8 && v == 1, "semaphore read %d gave %llu", i, (unsigned long long) v);
    CHECK(read(sem, &v, 8) == -1 && errno == EAGAIN, "semaphore not empty after three reads");
    v = 7;
    CHECK(write(empty, &v, 8) == 8, "write 7");
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: status %x", st);
    CHECK(read(plain, &v, 8) == 8 && v == 40, "the child's write: %llu, want 40", (unsigned long long) v);
    return zdtm_end();
}
