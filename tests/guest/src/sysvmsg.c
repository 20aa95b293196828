/* SysV message queues between processes: msgget/msgsnd/msgrcv/msgctl through the libc
 * wrappers, the ipc() multiplexer (both msgrcv forms) and the direct system calls; type
 * selection (0, positive, negative, MSG_EXCEPT), MSG_NOERROR and E2BIG, IPC_NOWAIT, blocking
 * senders and receivers, msg_qbytes, EINTR, and IPC_RMID waking sleepers with EIDRM. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_ipc 117
#define NR_msgget 399
#define NR_msgsnd 400
#define NR_msgrcv 401
#define NR_msgctl 402
#define IPCOP_MSGSND 11
#define IPCOP_MSGRCV 12
#define IPCOP_MSGGET 13
#define IPCOP_MSGCTL 14
#define K_IPC_RMID 0
#define K_IPC_STAT 2

/* the kernel's struct msqid64_ds of i386 (musl's struct has 64-bit times) */
struct kmsqid64 {
    int key;
    unsigned uid, gid, cuid, cgid;
    unsigned short mode, pad1, seq, pad2;
    unsigned long unused1, unused2;
    unsigned long stime, stime_high, rtime, rtime_high, ctime, ctime_high;
    unsigned long cbytes, qnum, qbytes;
    int lspid, lrpid;
    unsigned long unused4, unused5;
};

struct msg { long type; char text[64]; };

static int failures;
static void check(const char *what, int ok) {
    printf("%-60s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static const char *errname(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case ENOMSG: return "ENOMSG";
    case E2BIG: return "E2BIG";
    case EEXIST: return "EEXIST";
    case ENOENT: return "ENOENT";
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

static int send(int q, long type, const char *text, int flg) {
    struct msg m = {type, ""};
    strncpy(m.text, text, sizeof m.text - 1);
    return msgsnd(q, &m, strlen(text), flg);
}

/* receives into m; returns the length and NUL-terminates the text */
static long recv(int q, struct msg *m, size_t size, long type, int flg) {
    memset(m, 0, sizeof *m);
    long n = msgrcv(q, m, size, type, flg);
    if (n >= 0 && n < (long) sizeof m->text) m->text[n] = 0;
    return n;
}

static int got(long n, struct msg *m, long type, const char *text) {
    return n == (long) strlen(text) && m->type == type && strcmp(m->text, text) == 0;
}

static int child_status(pid_t c) {
    int st;
    if (waitpid(c, &st, 0) != c) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void on_usr1(int sig) { (void) sig; }

/* the child tells the parent it is about to sleep; the parent gives it time to get there */
static void ready(int fd) { write(fd, "r", 1); }
static void await_ready(int fd) { char x; read(fd, &x, 1); usleep(100 * 1000); }

int main(void) {
    pid_t me = getpid();
    struct msg m;
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    check("msgget(IPC_PRIVATE)", q >= 0);
    struct msqid_ds ds;
    memset(&ds, 0x55, sizeof ds);
    check("IPC_STAT: empty, msg_qbytes 16384 (MSGMNB), mode 0600",
          msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0 && ds.msg_cbytes == 0 && ds.msg_qbytes == 16384
          && (ds.msg_perm.mode & 0777) == 0600 && ds.msg_stime == 0 && ds.msg_rtime == 0 && ds.msg_lspid == 0);

    check("four messages of types 3 1 2 1", send(q, 3, "three", 0) == 0 && send(q, 1, "one-a", 0) == 0
          && send(q, 2, "two", 0) == 0 && send(q, 1, "one-b", 0) == 0);
    memset(&ds, 0, sizeof ds);
    check("IPC_STAT: 4 messages, 18 bytes, lspid is the sender", msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 4
          && ds.msg_cbytes == 18 && ds.msg_lspid == me && ds.msg_stime != 0);
    long n = recv(q, &m, 64, 1, 0);
    check("msgrcv type 1: the first message of type 1", got(n, &m, 1, "one-a"));
    n = recv(q, &m, 64, -2, 0);
    check("msgrcv type -2: the lowest type not above 2", got(n, &m, 1, "one-b"));
    n = recv(q, &m, 64, 3, MSG_EXCEPT);
    check("msgrcv type 3 with MSG_EXCEPT: the first of another type", got(n, &m, 2, "two"));
    n = recv(q, &m, 64, 0, 0);
    check("msgrcv type 0: the first message", got(n, &m, 3, "three"));
    memset(&ds, 0, sizeof ds);
    check("IPC_STAT: empty again, lrpid is the receiver", msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0
          && ds.msg_cbytes == 0 && ds.msg_lrpid == me && ds.msg_rtime != 0);

    /* sizes and errors */
    send(q, 5, "a long message", 0);
    expect_errno("msgrcv into 4 bytes without MSG_NOERROR", recv(q, &m, 4, 0, 0), E2BIG);
    n = recv(q, &m, 4, 0, MSG_NOERROR);
    check("with MSG_NOERROR: truncated to 4 bytes", n == 4 && m.type == 5 && memcmp(m.text, "a lo", 4) == 0);
    expect_errno("the rest is gone: msgrcv with IPC_NOWAIT", recv(q, &m, 64, 0, IPC_NOWAIT), ENOMSG);
    send(q, 7, "seven", 0);
    expect_errno("no message of type 8 with IPC_NOWAIT", recv(q, &m, 64, 8, IPC_NOWAIT), ENOMSG);
    n = recv(q, &m, 64, -10, IPC_NOWAIT);
    check("type -10 takes the type-7 message", got(n, &m, 7, "seven"));
    expect_errno("msgsnd of type 0", send(q, 0, "x", 0), EINVAL);
    static struct { long type; char text[9000]; } big = {1, ""};
    expect_errno("msgsnd of 8193 bytes (MSGMAX 8192)", msgsnd(q, &big, 8193, 0), EINVAL);
    check("msgsnd of 8192 bytes", msgsnd(q, &big, 8192, 0) == 0 && msgrcv(q, &big, 9000, 0, 0) == 8192);
    check("msgsnd of an empty message", send(q, 4, "", 0) == 0 && recv(q, &m, 64, 0, 0) == 0 && m.type == 4);
    expect_errno("msgrcv with a negative size", msgrcv(q, &m, -1, 0, 0), EINVAL);
    expect_errno("msgctl of a bad id", msgctl(-1, IPC_STAT, &ds), EINVAL);
    expect_errno("msgctl with a bad command", msgctl(q, 12345, &ds), EINVAL);

    /* msg_qbytes: a full queue */
    memset(&ds, 0, sizeof ds);
    msgctl(q, IPC_STAT, &ds);
    ds.msg_qbytes = 100;
    check("IPC_SET msg_qbytes 100", msgctl(q, IPC_SET, &ds) == 0 && msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qbytes == 100);
    char sixty[61];
    memset(sixty, 's', 60);
    sixty[60] = 0;
    check("60 bytes fit", send(q, 1, sixty, 0) == 0);
    expect_errno("60 more with IPC_NOWAIT", send(q, 2, sixty, IPC_NOWAIT), EAGAIN);
    int pr[2];
    pipe(pr);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        ready(pr[1]);
        _exit(send(q, 2, sixty, 0) == 0 ? 0 : 1);
    }
    await_ready(pr[0]);
    memset(&ds, 0, sizeof ds);
    check("a child's msgsnd waits for room", msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1);
    n = recv(q, &m, 64, 1, 0);
    check("a receive makes room: the child's message arrives", n == 60 && child_status(c) == 0);
    memset(&ds, 0, sizeof ds);
    check("the queue holds the child's message, lspid is the child", msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1
          && ds.msg_lspid == c);
    recv(q, &m, 64, 0, 0);

    /* a blocked receiver */
    c = fork();
    if (c == 0) {
        struct msg r;
        ready(pr[1]);
        long k = recv(q, &r, 64, 7, 0);
        _exit(got(k, &r, 7, "for you") ? 0 : 1);
    }
    await_ready(pr[0]);
    check("a child waits for type 7; a type-5 message does not wake it", send(q, 5, "not this", 0) == 0);
    check("the type-7 message does", send(q, 7, "for you", 0) == 0 && child_status(c) == 0);
    n = recv(q, &m, 64, 0, IPC_NOWAIT);
    check("the type-5 message is still queued", got(n, &m, 5, "not this"));

    /* ping-pong between two processes over two types */
    c = fork();
    if (c == 0) {
        struct msg r;
        for (int i = 0; i < 50; i++) {
            if (recv(q, &r, 64, 10, 0) < 0) _exit(1);
            r.type = 11;
            r.text[0]++;
            if (msgsnd(q, &r, 1, 0) != 0) _exit(1);
        }
        _exit(0);
    }
    int ok = 1;
    char ball = 'A';
    for (int i = 0; i < 50 && ok; i++) {
        struct msg s = {10, {(char) (ball - 1 + 1)}};
        ok = msgsnd(q, &s, 1, 0) == 0 && recv(q, &m, 64, 11, 0) == 1 && m.text[0] == ball + 1;
        ball = 'A' + (i + 1) % 20;
    }
    check("50 round trips with a child", ok && child_status(c) == 0);

    /* EINTR */
    c = fork();
    if (c == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        ready(pr[1]);
        long k = recv(q, &m, 64, 99, 0);
        _exit(k == -1 && errno == EINTR ? 0 : 1);
    }
    await_ready(pr[0]);
    kill(c, SIGUSR1);
    check("a signal interrupts msgrcv: EINTR even with SA_RESTART", child_status(c) == 0);

    /* the other entry points */
    int q2 = syscall(NR_ipc, IPCOP_MSGGET, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0);
    check("ipc(MSGGET)", q2 >= 0);
    struct msg s = {6, "via ipc"};
    check("ipc(MSGSND)", syscall(NR_ipc, IPCOP_MSGSND, q2, 7, 0, &s, 0) == 0);
    struct { struct msg *msgp; long msgtyp; } kludge = {&m, 6};
    memset(&m, 0, sizeof m);
    n = syscall(NR_ipc, IPCOP_MSGRCV, q2, 64, 0, &kludge, 0);
    check("ipc(MSGRCV) version 0: {msgp, msgtyp} through ptr", n == 7 && m.type == 6 && memcmp(m.text, "via ipc", 7) == 0);
    syscall(NR_ipc, IPCOP_MSGSND, q2, 7, 0, &s, 0);
    memset(&m, 0, sizeof m);
    n = syscall(NR_ipc, IPCOP_MSGRCV | (1 << 16), q2, 64, 0, &m, 6);
    check("ipc(MSGRCV) version 1: msgp and msgtyp as arguments", n == 7 && m.type == 6);
    struct kmsqid64 k64;
    memset(&k64, 0, sizeof k64);
    check("ipc(MSGCTL, IPC_STAT|IPC_64)", syscall(NR_ipc, IPCOP_MSGCTL, q2, K_IPC_STAT | 0x100, 0, &k64, 0) == 0
          && k64.qbytes == 16384 && k64.qnum == 0 && k64.lrpid == me && k64.mode == 0600);
    int q3 = syscall(NR_msgget, IPC_PRIVATE, IPC_CREAT | 0600);
    check("direct msgget (399)", q3 >= 0 && q3 != q2);
    check("direct msgsnd (400)", syscall(NR_msgsnd, q3, &s, 7, 0) == 0);
    memset(&m, 0, sizeof m);
    check("direct msgrcv (401)", syscall(NR_msgrcv, q3, &m, 64, 0, 0) == 7 && m.type == 6);
    memset(&k64, 0, sizeof k64);
    check("direct msgctl (402) IPC_STAT", syscall(NR_msgctl, q3, K_IPC_STAT, &k64) == 0 && k64.lspid == me && k64.qnum == 0);
    check("IPC_RMID through ipc() and directly", syscall(NR_ipc, IPCOP_MSGCTL, q2, K_IPC_RMID, 0, 0, 0) == 0
          && syscall(NR_msgctl, q3, K_IPC_RMID, 0) == 0);

    /* keys */
    key_t key = 0x4a350000 | (me & 0xffff);
    int k1 = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    check("msgget(key, IPC_CREAT|IPC_EXCL)", k1 >= 0 && msgget(key, 0) == k1);
    expect_errno("msgget of an existing key with IPC_EXCL", msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    expect_errno("msgget of a missing key", msgget(key + 1, 0600), ENOENT);
    check("IPC_RMID of the keyed queue", msgctl(k1, IPC_RMID, NULL) == 0);
    expect_errno("the key is gone", msgget(key, 0), ENOENT);

    /* IPC_RMID wakes sleepers with EIDRM: a receiver and a sender */
    send(q, 1, sixty, 0);
    int pr2[2];
    pipe(pr2);
    c = fork();
    if (c == 0) {
        ready(pr[1]);
        long k = recv(q, &m, 64, 42, 0);
        _exit(k == -1 && errno == EIDRM ? 0 : 1);
    }
    pid_t c2 = fork();
    if (c2 == 0) {
        ready(pr2[1]);
        _exit(send(q, 1, sixty, 0) == -1 && errno == EIDRM ? 0 : 1);
    }
    await_ready(pr[0]);
    await_ready(pr2[0]);
    check("IPC_RMID: the sleeping receiver and sender get EIDRM", msgctl(q, IPC_RMID, NULL) == 0
          && child_status(c) == 0 && child_status(c2) == 0);
    expect_errno("the id is gone", msgctl(q, IPC_STAT, &ds), EINVAL);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
