/* A SysV semaphore set shared by three processes: values set with SETALL, a child asleep in
 * semop waiting to take semaphore 0, another asleep waiting for semaphore 1 to reach zero.
 * After the restart: the same id for the key, values, sempid, mode, GETNCNT/GETZCNT (the
 * sleepers are still there), and each sleeper completes when the parent changes the values. */
#include "zdtm.h"
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>

#define KEY 0x5e3a11

union semun { int val; struct semid_ds *buf; unsigned short *array; };

int main(void) {
    zdtm_init();
    int old = semget(KEY, 0, 0);
    if (old >= 0) semctl(old, 0, IPC_RMID);  /* left by an interrupted native run */
    int id = semget(KEY, 3, IPC_CREAT | IPC_EXCL | 0660);
    if (id < 0) { CHECK(0, "semget"); return zdtm_end(); }
    unsigned short init[3] = {0, 2, 7};
    union semun u;
    u.array = init;
    CHECK(semctl(id, 0, SETALL, u) == 0, "SETALL");
    pid_t take = fork();
    if (take == 0) {
        struct sembuf op = {0, -1, 0};
        _exit(semop(id, &op, 1) == 0 ? 0 : 1);
    }
    pid_t zero = fork();
    if (zero == 0) {
        struct sembuf op = {1, 0, 0};
        _exit(semop(id, &op, 1) == 0 ? 0 : 1);
    }
    while (semctl(id, 0, GETNCNT) != 1 || semctl(id, 1, GETZCNT) != 1) usleep(1000);
    struct sembuf bump = {2, 1, 0};
    semop(id, &bump, 1);
    pid_t me = getpid();
    zdtm_ready_and_wait();

    CHECK(semget(KEY, 0, 0) == id, "the key finds id %d, not %d", semget(KEY, 0, 0), id);
    CHECK(semctl(id, 0, GETVAL) == 0 && semctl(id, 1, GETVAL) == 2 && semctl(id, 2, GETVAL) == 8,
          "values %d %d %d", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL), semctl(id, 2, GETVAL));
    CHECK(semctl(id, 2, GETPID) == me, "sempid %d", semctl(id, 2, GETPID));
    CHECK(semctl(id, 0, GETNCNT) == 1 && semctl(id, 1, GETZCNT) == 1, "sleepers: ncnt %d zcnt %d",
          semctl(id, 0, GETNCNT), semctl(id, 1, GETZCNT));
    struct semid_ds ds;
    u.buf = &ds;
    CHECK(semctl(id, 0, IPC_STAT, u) == 0 && ds.sem_nsems == 3 && (ds.sem_perm.mode & 0777) == 0660, "IPC_STAT");
    struct sembuf give = {0, 1, 0};
    CHECK(semop(id, &give, 1) == 0, "semop +1");
    int st;
    CHECK(waitpid(take, &st, 0) == take && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the taker: %x", st);
    struct sembuf down = {1, -2, 0};
    CHECK(semop(id, &down, 1) == 0, "semop -2");
    CHECK(waitpid(zero, &st, 0) == zero && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the zero waiter: %x", st);
    CHECK(semctl(id, 0, GETVAL) == 0 && semctl(id, 0, GETPID) == take, "after: %d pid %d", semctl(id, 0, GETVAL), semctl(id, 0, GETPID));
    semctl(id, 0, IPC_RMID);
    return zdtm_end();
}
