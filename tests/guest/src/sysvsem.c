/* SysV semaphores between processes: semget/semop/semtimedop/semctl through the libc wrappers,
 * the ipc() multiplexer and the direct system calls; blocking and waking, GETNCNT/GETZCNT,
 * SEM_UNDO at exit, IPC_NOWAIT, EINTR, timeouts, and IPC_RMID waking sleepers with EIDRM. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_ipc 117
#define NR_semget 393
#define NR_semctl 394
#define NR_semtimedop_time64 420
#define IPCOP_SEMOP 1
#define IPCOP_SEMGET 2
#define IPCOP_SEMCTL 3
#define IPCOP_SEMTIMEDOP 4
#define K_IPC_RMID 0
#define K_IPC_STAT 2
#define K_GETVAL 12
#define K_SETVAL 16

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static int failures;
static void check(const char *what, int ok) {
    printf("%-60s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static const char *errname(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case ERANGE: return "ERANGE";
    case EFBIG: return "EFBIG";
    case E2BIG: return "E2BIG";
    case EEXIST: return "EEXIST";
    case EIDRM: return "EIDRM";
    case EINTR: return "EINTR";
    default: return "other";
    }
}

static void expect_errno(const char *what, long r, int want) {
    char buf[100];
    snprintf(buf, sizeof buf, "%s: %s", what, errname(want));
    check(buf, r == -1 && errno == want);
}

static int op(int id, int num, int delta, int flg) {
    struct sembuf b = {num, delta, flg};
    return semop(id, &b, 1);
}

static int getval(int id, int n) { return semctl(id, n, GETVAL); }

/* waits (up to 5 s) until semctl(cmd) on semaphore n reads want */
static int await(int id, int n, int cmd, int want) {
    for (int i = 0; i < 5000; i++) {
        if (semctl(id, n, cmd) == want) return 1;
        usleep(1000);
    }
    return 0;
}

static int child_status(pid_t c) {
    int st;
    if (waitpid(c, &st, 0) != c) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void on_usr1(int sig) { (void) sig; }

static int thread_set;
static void *undo_thread(void *arg) {
    (void) arg;
    return (void *) (long) op(thread_set, 2, 3, SEM_UNDO);
}

int main(void) {
    pid_t me = getpid();
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    check("semget(IPC_PRIVATE, 3)", id >= 0);
    struct semid_ds ds;
    union semun arg = {.buf = &ds};
    memset(&ds, 0x55, sizeof ds);
    check("IPC_STAT: 3 semaphores, mode 0600, never operated on",
          semctl(id, 0, IPC_STAT, arg) == 0 && ds.sem_nsems == 3 && (ds.sem_perm.mode & 0777) == 0600
          && ds.sem_otime == 0 && ds.sem_ctime != 0 && ds.sem_perm.uid == geteuid() && ds.sem_perm.__key == 0);
    check("new semaphores are 0", getval(id, 0) == 0 && getval(id, 1) == 0 && getval(id, 2) == 0);

    check("SETVAL 5 / GETVAL", semctl(id, 0, SETVAL, (union semun){.val = 5}) == 0 && getval(id, 0) == 5);
    unsigned short all[3] = {1, 2, 3}, back[3] = {0, 0, 0};
    check("SETALL / GETALL", semctl(id, 0, SETALL, (union semun){.array = all}) == 0
          && semctl(id, 0, GETALL, (union semun){.array = back}) == 0 && back[0] == 1 && back[1] == 2 && back[2] == 3);
    check("semop +4 on semaphore 2", op(id, 2, 4, 0) == 0 && getval(id, 2) == 7);
    check("GETPID is the last operator", semctl(id, 2, GETPID) == me);
    memset(&ds, 0, sizeof ds);
    check("IPC_STAT: sem_otime set by semop", semctl(id, 0, IPC_STAT, arg) == 0 && ds.sem_otime != 0);

    /* errors */
    expect_errno("semop -2 on a 1 with IPC_NOWAIT", op(id, 0, -2, IPC_NOWAIT), EAGAIN);
    struct sembuf two[2] = {{0, -1, IPC_NOWAIT}, {1, -3, IPC_NOWAIT}};
    expect_errno("two operations, the second cannot proceed", semop(id, two, 2), EAGAIN);
    check("... and the first one was not done either", getval(id, 0) == 1);
    expect_errno("semop to above SEMVMX", op(id, 0, 32767, 0), ERANGE);
    expect_errno("SETVAL 32768", semctl(id, 0, SETVAL, (union semun){.val = 32768}), ERANGE);
    expect_errno("SETVAL -1", semctl(id, 0, SETVAL, (union semun){.val = -1}), ERANGE);
    expect_errno("semop on semaphore 3 of 3", op(id, 3, 1, 0), EFBIG);
    static struct sembuf many[501];
    for (int i = 0; i < 501; i++) many[i] = (struct sembuf){0, 0, IPC_NOWAIT};
    expect_errno("semop with 501 operations (SEMOPM 500)", semop(id, many, 501), E2BIG);
    expect_errno("semop with 0 operations", semop(id, many, 0), EINVAL);
    expect_errno("GETVAL of semaphore 3", semctl(id, 3, GETVAL), EINVAL);
    expect_errno("semctl of a bad id", semctl(-1, 0, GETVAL), EINVAL);
    expect_errno("semctl with a bad command", semctl(id, 0, 12345), EINVAL);
    struct timespec ts = {0, 50 * 1000 * 1000};
    struct sembuf wait0 = {0, -5, 0};
    expect_errno("semtimedop times out after 50 ms", semtimedop(id, &wait0, 1, &ts), EAGAIN);

    /* blocking: a child waits for an increase */
    semctl(id, 0, SETVAL, (union semun){.val = 0});
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) _exit(op(id, 0, -1, 0) == 0 ? 0 : 1);
    check("the child sleeps in semop: GETNCNT 1", await(id, 0, GETNCNT, 1));
    check("semop +1 wakes it", op(id, 0, 1, 0) == 0 && child_status(c) == 0);
    check("it took the unit: value 0, GETNCNT 0", getval(id, 0) == 0 && semctl(id, 0, GETNCNT) == 0);
    check("GETPID is the child", semctl(id, 0, GETPID) == c);

    /* waiting for zero */
    semctl(id, 1, SETVAL, (union semun){.val = 2});
    c = fork();
    if (c == 0) _exit(op(id, 1, 0, 0) == 0 ? 0 : 1);
    check("a child waits for zero: GETZCNT 1", await(id, 1, GETZCNT, 1));
    check("one unit down: it still sleeps", op(id, 1, -1, 0) == 0 && semctl(id, 1, GETZCNT) == 1);
    check("the last unit down wakes it", op(id, 1, -1, 0) == 0 && child_status(c) == 0 && semctl(id, 1, GETZCNT) == 0);

    /* two sleepers, one unit at a time */
    c = fork();
    if (c == 0) _exit(op(id, 0, -1, 0) == 0 ? 0 : 1);
    pid_t c2 = fork();
    if (c2 == 0) _exit(op(id, 0, -1, 0) == 0 ? 0 : 1);
    check("two children sleep: GETNCNT 2", await(id, 0, GETNCNT, 2));
    check("one unit: one child left sleeping", op(id, 0, 1, 0) == 0 && await(id, 0, GETNCNT, 1));
    check("a second unit: both done", op(id, 0, 1, 0) == 0 && child_status(c) == 0 && child_status(c2) == 0 && getval(id, 0) == 0);

    /* SEM_UNDO */
    semctl(id, 2, SETVAL, (union semun){.val = 10});
    c = fork();
    if (c == 0) _exit(op(id, 2, -3, SEM_UNDO) == 0 && op(id, 2, 1, SEM_UNDO) == 0 && getval(id, 2) == 8 ? 0 : 1);
    check("a child takes 3 and gives 1 with SEM_UNDO", child_status(c) == 0);
    check("its exit undid both: back to 10", getval(id, 2) == 10);
    check("GETPID after the undo is the exited child", semctl(id, 2, GETPID) == c);
    c = fork();
    if (c == 0) _exit(op(id, 2, -4, 0) == 0 ? 0 : 1);
    check("without SEM_UNDO nothing is undone", child_status(c) == 0 && getval(id, 2) == 6);
    int p1[2], p2[2];
    pipe(p1);
    pipe(p2);
    c = fork();
    if (c == 0) {
        char x;
        int ok = op(id, 2, 5, SEM_UNDO) == 0;
        write(p1[1], "r", 1);
        read(p2[0], &x, 1);
        _exit(ok ? 0 : 1);
    }
    char x;
    read(p1[0], &x, 1);
    check("SETVAL while a child holds an undo of +5", getval(id, 2) == 11 && semctl(id, 2, SETVAL, (union semun){.val = 7}) == 0);
    write(p2[1], "g", 1);
    check("SETVAL cleared the undo: the child's exit leaves 7", child_status(c) == 0 && getval(id, 2) == 7);
    c = fork();
    if (c == 0) _exit(op(id, 2, -7, SEM_UNDO) == 0 ? 0 : 1);
    check("an undo that would go below 0 stops at the value", child_status(c) == 0 && getval(id, 2) == 7);

    /* threads share the process's undo list: applied when the process ends, not the thread */
    thread_set = id;
    c = fork();
    if (c == 0) {
        pthread_t th;
        void *r = (void *) 1;
        if (pthread_create(&th, NULL, undo_thread, NULL) != 0 || pthread_join(th, &r) != 0 || r != 0) _exit(1);
        _exit(getval(id, 2) == 10 ? 0 : 2); /* the thread is gone, its +3 is still there */
    }
    check("a thread's SEM_UNDO outlives the thread", child_status(c) == 0);
    check("... and is undone when the process exits", getval(id, 2) == 7);

    /* a signal interrupts semop: EINTR, even with SA_RESTART */
    semctl(id, 0, SETVAL, (union semun){.val = 0});
    fflush(stdout);
    c = fork();
    if (c == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        int r = op(id, 0, -1, 0);
        _exit(r == -1 && errno == EINTR ? 0 : 1);
    }
    check("a child sleeps in semop", await(id, 0, GETNCNT, 1));
    kill(c, SIGUSR1);
    check("SIGUSR1 with SA_RESTART: semop returns EINTR", child_status(c) == 0 && semctl(id, 0, GETNCNT) == 0);

    /* the other entry points */
    int id2 = syscall(NR_ipc, IPCOP_SEMGET, IPC_PRIVATE, 2, IPC_CREAT | 0600, 0, 0);
    check("ipc(SEMGET)", id2 >= 0);
    int val = 9;
    check("ipc(SEMCTL, SETVAL) with the argument by pointer", syscall(NR_ipc, IPCOP_SEMCTL, id2, 1, K_SETVAL, &val, 0) == 0
          && getval(id2, 1) == 9);
    long dummy = 0;
    check("ipc(SEMCTL, GETVAL)", syscall(NR_ipc, IPCOP_SEMCTL, id2, 1, K_GETVAL, &dummy, 0) == 9);
    expect_errno("ipc(SEMCTL) without an argument pointer", syscall(NR_ipc, IPCOP_SEMCTL, id2, 1, K_GETVAL, 0, 0), EINVAL);
    struct sembuf sb = {1, -4, 0};
    check("ipc(SEMOP)", syscall(NR_ipc, IPCOP_SEMOP, id2, 1, 0, &sb, 0) == 0 && getval(id2, 1) == 5);
    struct { long sec, nsec; } ts32 = {0, 20 * 1000 * 1000};
    sb.sem_op = -6;
    expect_errno("ipc(SEMTIMEDOP) with a 20 ms timeout", syscall(NR_ipc, IPCOP_SEMTIMEDOP, id2, 1, 0, &sb, &ts32), EAGAIN);
    struct { long long sec; long nsec; } ts64 = {0, 20 * 1000 * 1000};
    expect_errno("semtimedop_time64 (420) with a 20 ms timeout", syscall(NR_semtimedop_time64, id2, &sb, 1, &ts64), EAGAIN);
    sb.sem_op = -5;
    check("semtimedop_time64 without a timeout", syscall(NR_semtimedop_time64, id2, &sb, 1, 0) == 0 && getval(id2, 1) == 0);
    int id3 = syscall(NR_semget, IPC_PRIVATE, 1, IPC_CREAT | 0600);
    check("direct semget (393)", id3 >= 0 && id3 != id2);
    check("direct semctl (394) SETVAL and GETVAL", syscall(NR_semctl, id3, 0, K_SETVAL, 4) == 0
          && syscall(NR_semctl, id3, 0, K_GETVAL, 0) == 4);
    check("IPC_RMID through ipc() and directly", syscall(NR_ipc, IPCOP_SEMCTL, id2, 0, K_IPC_RMID, &dummy, 0) == 0
          && syscall(NR_semctl, id3, 0, K_IPC_RMID, 0) == 0);

    /* keys */
    key_t key = 0x4a340000 | (me & 0xffff);
    int k1 = semget(key, 2, IPC_CREAT | IPC_EXCL | 0600);
    check("semget(key, IPC_CREAT|IPC_EXCL)", k1 >= 0 && semget(key, 0, 0) == k1 && semget(key, 2, 0) == k1);
    expect_errno("semget of an existing key with IPC_EXCL", semget(key, 2, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    expect_errno("semget of an existing key with more semaphores", semget(key, 3, 0), EINVAL);
    expect_errno("semget(IPC_PRIVATE, 0)", semget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL);
    memset(&ds, 0, sizeof ds);
    semctl(k1, 0, IPC_STAT, arg);
    ds.sem_perm.mode = 0640;
    check("IPC_SET mode 0640", semctl(k1, 0, IPC_SET, arg) == 0 && semctl(k1, 0, IPC_STAT, arg) == 0
          && (ds.sem_perm.mode & 0777) == 0640 && ds.sem_perm.__key == key);
    check("IPC_RMID of the keyed set", semctl(k1, 0, IPC_RMID) == 0);

    /* IPC_RMID wakes sleepers with EIDRM */
    c = fork();
    if (c == 0) _exit(op(id, 1, -1, 0) == -1 && errno == EIDRM ? 0 : 1);
    check("a child sleeps on the set", await(id, 1, GETNCNT, 1));
    check("IPC_RMID: the sleeper gets EIDRM", semctl(id, 0, IPC_RMID) == 0 && child_status(c) == 0);
    expect_errno("the id is gone", semctl(id, 0, GETVAL), EINVAL);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
