/* SysV shared memory between a parent and a child: a keyed segment and a private one that
 * both attach (the child inherits the attachments over fork), and a segment removed with
 * IPC_RMID while still attached. After the restart: the same ids and key, size, mode, nattch,
 * creator pid, contents, the removed segment still mapped, and a store by the child seen
 * by the parent through the same segment. */
#include "zdtm.h"
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>

#define KEY 0x5a17d0
#define SIZE (3 * 4096 + 100)

static int pattern_ok(const unsigned char *p, int n, int seed) {
    for (int i = 0; i < n; i++) if (p[i] != (unsigned char) (i * 7 + seed)) return 0;
    return 1;
}

int main(void) {
    zdtm_init();
    int old = shmget(KEY, 0, 0);
    if (old >= 0) shmctl(old, IPC_RMID, 0);  /* left by an interrupted native run */
    int keyed = shmget(KEY, SIZE, IPC_CREAT | IPC_EXCL | 0640);
    int priv = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
    int gone = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    if (keyed < 0 || priv < 0 || gone < 0) { CHECK(0, "shmget"); return zdtm_end(); }
    unsigned char *a = shmat(keyed, 0, 0), *b = shmat(priv, 0, 0), *g = shmat(gone, 0, 0);
    CHECK(a != (void *) -1 && b != (void *) -1 && g != (void *) -1, "shmat");
    for (int i = 0; i < SIZE; i++) a[i] = (unsigned char) (i * 7 + 1);
    for (int i = 0; i < 8192; i++) b[i] = (unsigned char) (i * 7 + 2);
    for (int i = 0; i < 4096; i++) g[i] = (unsigned char) (i * 7 + 3);
    CHECK(shmctl(gone, IPC_RMID, 0) == 0, "IPC_RMID");
    int go[2], back[2];
    pipe(go);
    pipe(back);
    pid_t c = fork();
    if (c == 0) {
        char x;
        if (read(go[0], &x, 1) != 1) _exit(2);
        if (!pattern_ok(a, SIZE, 1) || !pattern_ok(b, 8192, 2) || !pattern_ok(g, 4096, 3)) _exit(3);
        a[5000] = 0xab;
        b[100] = 0xcd;
        g[10] = 0xef;
        write(back[1], "k", 1);
        if (read(go[0], &x, 1) != 1) _exit(4);
        _exit(a[6000] == 0x42 ? 0 : 5);
    }
    close(go[0]);
    close(back[1]);
    pid_t me = getpid();
    zdtm_ready_and_wait();

    CHECK(shmget(KEY, 0, 0) == keyed, "the key finds id %d, not %d", shmget(KEY, 0, 0), keyed);
    struct shmid_ds ds;
    CHECK(shmctl(keyed, IPC_STAT, &ds) == 0, "IPC_STAT");
    CHECK(ds.shm_segsz == SIZE && (ds.shm_perm.mode & 0777) == 0640 && ds.shm_nattch == 2 && ds.shm_cpid == me,
          "keyed segment: size %d mode %o nattch %d cpid %d", (int) ds.shm_segsz, ds.shm_perm.mode, (int) ds.shm_nattch, ds.shm_cpid);
    CHECK(shmctl(priv, IPC_STAT, &ds) == 0 && ds.shm_segsz == 8192 && ds.shm_nattch == 2, "private segment");
    CHECK(shmctl(gone, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 01000) && ds.shm_nattch == 2, "removed segment mode %o", ds.shm_perm.mode);
    CHECK(pattern_ok(a, SIZE, 1) && pattern_ok(b, 8192, 2) && pattern_ok(g, 4096, 3), "contents");
    char x;
    CHECK(write(go[1], "g", 1) == 1 && read(back[0], &x, 1) == 1, "child handshake");
    a[6000] = 0x42;
    CHECK(a[5000] == 0xab && b[100] == 0xcd && g[10] == 0xef, "the child's stores: %x %x %x", a[5000], b[100], g[10]);
    write(go[1], "g", 1);
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %x", st);
    CHECK(shmctl(keyed, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1, "nattch after the child's exit %d", (int) ds.shm_nattch);
    shmdt(g);
    CHECK(shmctl(gone, IPC_STAT, &ds) != 0, "the removed segment went with its last detach");
    shmctl(keyed, IPC_RMID, 0);
    shmctl(priv, IPC_RMID, 0);
    return zdtm_end();
}
