/* A SysV message queue holding messages of several types and sizes (one empty), a child
 * asleep in msgrcv for a type nobody sent yet. After the restart: the same id for the key,
 * qnum and cbytes, the child gets the message sent now, and the queued ones come out in
 * order with their types and bytes (by type, then all). */
#include "zdtm.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>

#define KEY 0x3e5a9e

struct msg { long type; char text[600]; };

static void fill(struct msg *m, long type, int len) {
    m->type = type;
    for (int i = 0; i < len; i++) m->text[i] = (char) (type * 31 + i);
}

static int same(const struct msg *m, long type, int len) {
    if (m->type != type) return 0;
    for (int i = 0; i < len; i++) if (m->text[i] != (char) (type * 31 + i)) return 0;
    return 1;
}

static const long types[] = {3, 1, 7, 3, 2};
static const int lens[] = {100, 0, 599, 17, 256};

int main(void) {
    zdtm_init();
    int old = msgget(KEY, 0);
    if (old >= 0) msgctl(old, IPC_RMID, 0);  /* left by an interrupted native run */
    int q = msgget(KEY, IPC_CREAT | IPC_EXCL | 0620);
    if (q < 0) { CHECK(0, "msgget"); return zdtm_end(); }
    struct msg m;
    int total = 0;
    for (int i = 0; i < 5; i++) {
        fill(&m, types[i], lens[i]);
        CHECK(msgsnd(q, &m, lens[i], 0) == 0, "msgsnd %d", i);
        total += lens[i];
    }
    pid_t c = fork();
    if (c == 0) {
        struct msg r;
        ssize_t n = msgrcv(q, &r, sizeof r.text, 99, 0);
        _exit(n == 42 && same(&r, 99, 42) ? 0 : 1);
    }
    struct msqid_ds ds;
    for (;;) {  /* wait until the child sleeps: it has no way to say so but its state */
        char path[64], st[512];
        snprintf(path, sizeof path, "/proc/%d/stat", c);
        FILE *f = fopen(path, "r");
        int n = f ? (int) fread(st, 1, sizeof st - 1, f) : 0;
        if (f) fclose(f);
        st[n] = 0;
        char *p = strrchr(st, ')');
        if (p && p[2] == 'S') break;
        usleep(1000);
    }
    zdtm_ready_and_wait();

    CHECK(msgget(KEY, 0) == q, "the key finds id %d, not %d", msgget(KEY, 0), q);
    CHECK(msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 5 && (int) ds.__msg_cbytes == total && (ds.msg_perm.mode & 0777) == 0620,
          "IPC_STAT: qnum %d cbytes %d mode %o", (int) ds.msg_qnum, (int) ds.__msg_cbytes, ds.msg_perm.mode);
    fill(&m, 99, 42);
    CHECK(msgsnd(q, &m, 42, 0) == 0, "msgsnd 99");
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the receiver: %x", st);
    CHECK(msgrcv(q, &m, sizeof m.text, 3, 0) == 100 && same(&m, 3, 100), "first message of type 3");
    CHECK(msgrcv(q, &m, sizeof m.text, -2, 0) == 0 && same(&m, 1, 0), "the empty message of type 1");
    int order[] = {2, 3, 4};
    for (int i = 0; i < 3; i++) {
        int k = order[i];
        CHECK(msgrcv(q, &m, sizeof m.text, 0, IPC_NOWAIT) == lens[k] && same(&m, types[k], lens[k]), "message %d", k);
    }
    CHECK(msgrcv(q, &m, sizeof m.text, 0, IPC_NOWAIT) < 0, "the queue is empty");
    msgctl(q, IPC_RMID, 0);
    return zdtm_end();
}
