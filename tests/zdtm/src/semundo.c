/* SEM_UNDO: two children change a semaphore set with SEM_UNDO (one of them twice, on two
 * sets) and sleep in read(); after the restart each child's exit must undo exactly its own
 * adjustments, and the values without undo stay. */
#include "zdtm.h"
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static pid_t child(int id, int id2, int go) {
    pid_t c = fork();
    if (c == 0) {
        struct sembuf ops[2] = {{0, -1, SEM_UNDO}, {1, 3, SEM_UNDO}};
        if (semop(id, ops, 2) != 0) _exit(1);
        struct sembuf plain = {2, 5, 0};
        if (semop(id, &plain, 1) != 0) _exit(2);
        if (id2 >= 0) {
            struct sembuf o2 = {0, 4, SEM_UNDO};
            if (semop(id2, &o2, 1) != 0) _exit(3);
        }
        char x;
        if (read(go, &x, 1) != 1) _exit(4);
        _exit(0);
    }
    return c;
}

int main(void) {
    zdtm_init();
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600), id2 = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (id < 0 || id2 < 0) { CHECK(0, "semget"); return zdtm_end(); }
    unsigned short init[3] = {10, 0, 0};
    union semun u;
    u.array = init;
    semctl(id, 0, SETALL, u);
    int go1[2], go2[2];
    pipe(go1);
    pipe(go2);
    pid_t a = child(id, -1, go1[0]), b = child(id, id2, go2[0]);
    while (semctl(id, 2, GETVAL) != 10 || semctl(id2, 0, GETVAL) != 4) usleep(1000);
    zdtm_ready_and_wait();

    CHECK(semctl(id, 0, GETVAL) == 8 && semctl(id, 1, GETVAL) == 6 && semctl(id, 2, GETVAL) == 10 && semctl(id2, 0, GETVAL) == 4,
          "values %d %d %d %d", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL), semctl(id, 2, GETVAL), semctl(id2, 0, GETVAL));
    int st;
    write(go1[1], "g", 1);
    CHECK(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0, "first child %x", st);
    CHECK(semctl(id, 0, GETVAL) == 9 && semctl(id, 1, GETVAL) == 3 && semctl(id, 2, GETVAL) == 10 && semctl(id2, 0, GETVAL) == 4,
          "after the first exit %d %d %d %d", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL), semctl(id, 2, GETVAL), semctl(id2, 0, GETVAL));
    CHECK(semctl(id, 0, GETPID) == a, "sempid after undo %d", semctl(id, 0, GETPID));
    write(go2[1], "g", 1);
    CHECK(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 0, "second child %x", st);
    CHECK(semctl(id, 0, GETVAL) == 10 && semctl(id, 1, GETVAL) == 0 && semctl(id, 2, GETVAL) == 10 && semctl(id2, 0, GETVAL) == 0,
          "after the second exit %d %d %d %d", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL), semctl(id, 2, GETVAL), semctl(id2, 0, GETVAL));
    semctl(id, 0, IPC_RMID);
    semctl(id2, 0, IPC_RMID);
    return zdtm_end();
}
