/* IPC namespaces (needs root): the parent keeps a semaphore set and a message queue under
 * one key in its namespace; a child unshares CLONE_NEWIPC and makes a set under the same
 * key there (possibly the very same id) plus a segment, then forks a grandchild that shares
 * its namespace. After the restart each namespace holds its own objects, the queue is not
 * visible in the child's, and a semop by the grandchild is seen by the child only. */
#include "zdtm.h"
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>

#define KEY 0x17c5

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static int setval(int id, int v) {
    union semun u;
    u.val = v;
    return semctl(id, 0, SETVAL, u);
}

int main(void) {
    zdtm_init();
    int outer = semget(KEY, 1, IPC_CREAT | 0600);
    int q = msgget(KEY, IPC_CREAT | 0600);
    CHECK(outer >= 0 && q >= 0 && setval(outer, 11) == 0, "outer objects");
    int go[2], back[2];
    pipe(go);
    pipe(back);
    pid_t c = fork();
    if (c == 0) {
        if (unshare(CLONE_NEWIPC) != 0) _exit(2);
        int inner = semget(KEY, 1, IPC_CREAT | IPC_EXCL | 0600);
        if (inner < 0 || setval(inner, 22) != 0) _exit(3);
        int seg = shmget(KEY, 4096, IPC_CREAT | 0600);
        char *m = shmat(seg, 0, 0);
        if (m == (void *) -1) _exit(4);
        strcpy(m, "inner segment");
        pid_t g = fork();
        if (g == 0) {
            char x;
            if (read(go[0], &x, 1) != 1) _exit(2);
            struct sembuf op = {0, 5, 0};
            if (semget(KEY, 0, 0) != inner || semop(inner, &op, 1) != 0) _exit(3);
            _exit(0);
        }
        write(back[1], "k", 1);
        char x;
        if (read(go[0], &x, 1) != 1) _exit(5);
        /* after the restart */
        if (semget(KEY, 0, 0) != inner || semctl(inner, 0, GETVAL) != 22) _exit(6);
        if (msgget(KEY, 0) >= 0) _exit(7);
        if (strcmp(m, "inner segment") != 0 || shmget(KEY, 0, 0) != seg) _exit(8);
        write(go[1], "g", 1);  /* release the grandchild */
        int st;
        if (waitpid(g, &st, 0) != g || !WIFEXITED(st) || WEXITSTATUS(st) != 0) _exit(9);
        if (semctl(inner, 0, GETVAL) != 27) _exit(10);
        _exit(0);
    }
    char x;
    read(back[0], &x, 1);
    zdtm_ready_and_wait();

    CHECK(semget(KEY, 0, 0) == outer && semctl(outer, 0, GETVAL) == 11, "the outer set: %d", semctl(outer, 0, GETVAL));
    CHECK(msgget(KEY, 0) == q, "the outer queue");
    CHECK(shmget(KEY, 0, 0) < 0, "the inner segment is not in the outer namespace");
    write(go[1], "g", 1);
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %x", st);
    CHECK(semctl(outer, 0, GETVAL) == 11, "the outer set after the inner semop: %d", semctl(outer, 0, GETVAL));
    semctl(outer, 0, IPC_RMID);
    msgctl(q, IPC_RMID, 0);
    return zdtm_end();
}
