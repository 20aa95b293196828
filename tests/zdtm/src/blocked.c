/* Tasks asleep in system calls at the checkpoint: a parent in wait4, a reader on an empty
 * pipe, a writer on a full pipe, a thread in FUTEX_WAIT. After restart each call finishes
 * as if nothing happened once the host's SIGUSR1 lets the test go on. */
#include "zdtm.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

static int word;
static void *waiter(void *a) {
    (void) a;
    while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0) syscall(SYS_futex, &word, FUTEX_WAIT, 0, 0, 0, 0);
    return (void *) 7;
}

int main(void) {
    zdtm_init();
    int empty[2], full[2], go[2];
    pipe(empty); pipe(full); pipe(go);
    pid_t reader = fork();
    if (reader == 0) { char c; _exit(read(empty[0], &c, 1) == 1 && c == 'r' ? 11 : 1); }
    pid_t writer = fork();
    if (writer == 0) {
        char buf[4096];
        memset(buf, 'w', sizeof buf);
        long total = 0;
        for (int i = 0; i < 20; i++) total += write(full[1], buf, sizeof buf); /* blocks after 64 KiB */
        _exit(total == 20 * 4096 ? 12 : 2);
    }
    pid_t middle = fork();
    if (middle == 0) { /* asleep in wait4 for its own child, which waits for the go byte */
        pid_t waitee = fork();
        if (waitee == 0) { char c; read(go[0], &c, 1); _exit(13); }
        int st;
        waitpid(waitee, &st, 0);
        _exit(WEXITSTATUS(st) == 13 ? 14 : 3);
    }
    pthread_t th;
    pthread_create(&th, 0, waiter, 0);
    usleep(20000);
    zdtm_ready_and_wait();
    write(empty[1], "r", 1);
    char buf[4096];
    long got = 0;
    while (got < 20 * 4096) { int n = read(full[0], buf, sizeof buf); if (n <= 0) break; got += n; }
    write(go[1], "g", 1);
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &word, FUTEX_WAKE, 1, 0, 0, 0);
    void *r;
    pthread_join(th, &r);
    CHECK(r == (void *) 7, "the futex waiter");
    int st;
    waitpid(reader, &st, 0);
    CHECK(WEXITSTATUS(st) == 11, "reader status %d", WEXITSTATUS(st));
    waitpid(writer, &st, 0);
    CHECK(WEXITSTATUS(st) == 12 && got == 20 * 4096, "writer status %d, %ld bytes", WEXITSTATUS(st), got);
    waitpid(middle, &st, 0);
    CHECK(WEXITSTATUS(st) == 14, "the waiting parent's status %d", WEXITSTATUS(st));
    return zdtm_end();
}
