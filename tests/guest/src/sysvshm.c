/* SysV shared memory: shmget/shmat/shmdt/shmctl between a parent and its children, through
 * the libc wrappers, the ipc() multiplexer and the direct system calls; IPC_STAT fields,
 * SHM_RDONLY, SHM_RND, chosen addresses, and IPC_RMID while attached. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_ipc 117
#define NR_shmget 395
#define NR_shmctl 396
#define NR_shmat 397
#define NR_shmdt 398
#define IPCOP_SHMAT 21
#define IPCOP_SHMDT 22
#define IPCOP_SHMGET 23
#define IPCOP_SHMCTL 24
#define IPC_64_FLAG 0x100
#define K_IPC_RMID 0 /* the kernel's command numbers (musl's IPC_STAT is 0x102) */
#define K_IPC_STAT 2

/* the kernel's struct shmid64_ds of i386 (libc structs differ: musl's has 64-bit times) */
struct kshmid64 {
    int key;
    unsigned uid, gid, cuid, cgid;
    unsigned short mode, pad1, seq, pad2;
    unsigned long unused1, unused2;
    unsigned long segsz, atime, atime_high, dtime, dtime_high, ctime, ctime_high;
    int cpid, lpid;
    unsigned long nattch, unused4, unused5;
};

static int failures;
static void check(const char *what, int ok) {
    printf("%-60s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static const char *errname(int e) {
    switch (e) {
    case 0: return "0";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EIDRM: return "EIDRM";
    default: return "other";
    }
}

static void expect_errno(const char *what, long r, int want) {
    char buf[100];
    snprintf(buf, sizeof buf, "%s: %s", what, errname(want));
    check(buf, r == -1 && errno == want);
}

static struct shmid_ds stat_of(int id) {
    struct shmid_ds ds;
    memset(&ds, 0x55, sizeof ds);
    if (shmctl(id, IPC_STAT, &ds) != 0) memset(&ds, 0, sizeof ds);
    return ds;
}

static int child_status(pid_t c) {
    int st;
    if (waitpid(c, &st, 0) != c) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int nattch(int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) != 0) return -1;
    return (int) ds.shm_nattch;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "exec-child") == 0) {
        /* after execve: the attachment the child had is gone */
        int id = atoi(argv[2]);
        return nattch(id) == 1 ? 0 : 1;
    }
    pid_t me = getpid();
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    check("shmget(IPC_PRIVATE, 10000)", id >= 0);
    struct shmid_ds ds = stat_of(id);
    check("IPC_STAT: size 10000, key IPC_PRIVATE, mode 0600", ds.shm_segsz == 10000 && ds.shm_perm.__key == 0
          && (ds.shm_perm.mode & 0777) == 0600);
    check("IPC_STAT: owner and creator are the caller", ds.shm_perm.uid == geteuid() && ds.shm_perm.cuid == geteuid()
          && ds.shm_perm.gid == getegid() && ds.shm_perm.cgid == getegid());
    check("IPC_STAT: cpid is the caller, lpid 0, nattch 0, atime 0", ds.shm_cpid == me && ds.shm_lpid == 0
          && ds.shm_nattch == 0 && ds.shm_atime == 0 && ds.shm_ctime != 0);

    char *p = shmat(id, NULL, 0);
    check("shmat at a kernel-chosen address", p != (void *) -1 && ((unsigned long) p & 4095) == 0);
    ds = stat_of(id);
    check("after shmat: nattch 1, lpid is the caller, atime set", ds.shm_nattch == 1 && ds.shm_lpid == me && ds.shm_atime != 0);
    check("a new segment reads as zeros", p[0] == 0 && p[9999] == 0 && p[12287] == 0);
    strcpy(p, "parent wrote this");

    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        int ok = strcmp(p, "parent wrote this") == 0 && nattch(id) == 2;
        strcpy(p + 100, "child wrote this");
        shmdt(p);
        _exit(ok ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    check("the child inherits the attachment (same memory, nattch 2)", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    check("the parent sees the child's write", strcmp(p + 100, "child wrote this") == 0);
    check("the child's shmdt: nattch back to 1", nattch(id) == 1);

    c = fork();
    if (c == 0) { p[200] = 'x'; _exit(0); } /* exits attached */
    waitpid(c, &st, 0);
    check("a child that exits attached detaches: nattch 1", nattch(id) == 1 && p[200] == 'x');

    c = fork();
    if (c == 0) {
        char ids[16];
        snprintf(ids, sizeof ids, "%d", id);
        if (nattch(id) != 2) _exit(3);
        execl(argv[0], argv[0], "exec-child", ids, (char *) NULL);
        _exit(4);
    }
    check("execve drops the attachments: nattch 1 in the new program", child_status(c) == 0);

    char *q = shmat(id, NULL, 0);
    check("a second attachment in one process: nattch 2", q != (void *) -1 && q != p && nattch(id) == 2);
    q[300] = 'y';
    check("both attachments are the same memory", p[300] == 'y');
    check("shmdt of an address inside the attachment: EINVAL", shmdt(q + 4096) == -1 && errno == EINVAL);
    check("shmdt of the second attachment", shmdt(q) == 0 && nattch(id) == 1);
    expect_errno("shmdt of an address that is no attachment", shmdt(q), EINVAL);

    /* read-only attachments */
    char *r = shmat(id, NULL, SHM_RDONLY);
    check("SHM_RDONLY attachment reads the segment", r != (void *) -1 && strcmp(r, "parent wrote this") == 0);
    fflush(stdout);
    c = fork();
    if (c == 0) { r[0] = 'z'; _exit(0); }
    waitpid(c, &st, 0);
    check("a write through SHM_RDONLY: SIGSEGV", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    check("mprotect cannot make it writable: EACCES", mprotect(r, 4096, PROT_READ | PROT_WRITE) == -1 && errno == EACCES);
    check("mprotect to PROT_NONE and back to read works", mprotect(r, 4096, PROT_NONE) == 0 && mprotect(r, 4096, PROT_READ) == 0
          && r[0] == 'p');
    shmdt(r);

    /* chosen addresses */
    char *hole = mmap(NULL, 5 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole, 5 * 4096);
    char *a = shmat(id, hole, 0);
    check("shmat at a chosen address", a == hole && strcmp(a, "parent wrote this") == 0);
    shmdt(a);
    expect_errno("shmat at a misaligned address without SHM_RND", (long) shmat(id, hole + 123, 0), EINVAL);
    a = shmat(id, hole + 4096 + 123, SHM_RND);
    check("SHM_RND rounds down to a page", a == hole + 4096);
    expect_errno("shmat over an existing mapping without SHM_REMAP", (long) shmat(id, hole + 4096, 0), EINVAL);
    char *b = shmat(id, hole + 4096, SHM_REMAP);
    check("SHM_REMAP replaces the mapping", b == hole + 4096 && nattch(id) == 2);
    shmdt(b);
    check("nattch 1 again", nattch(id) == 1);

    /* IPC_SET */
    ds = stat_of(id);
    ds.shm_perm.mode = 0640;
    check("IPC_SET mode 0640", shmctl(id, IPC_SET, &ds) == 0 && (stat_of(id).shm_perm.mode & 0777) == 0640);

    /* the other entry points */
    int id2 = syscall(NR_ipc, IPCOP_SHMGET, IPC_PRIVATE, 8192, IPC_CREAT | 0600, 0, 0);
    unsigned long addr = 0;
    long rc = syscall(NR_ipc, IPCOP_SHMAT, id2, 0, &addr, 0, 0);
    check("ipc(SHMGET) and ipc(SHMAT) (address through a pointer)", id2 >= 0 && rc == 0 && addr != 0 && (addr & 4095) == 0);
    ((char *) addr)[0] = 'i';
    struct kshmid64 d2;
    memset(&d2, 0, sizeof d2);
    rc = syscall(NR_ipc, IPCOP_SHMCTL, id2, K_IPC_STAT | IPC_64_FLAG, 0, &d2, 0);
    check("ipc(SHMCTL, IPC_STAT|IPC_64)", rc == 0 && d2.segsz == 8192 && d2.nattch == 1 && d2.cpid == me && d2.mode == 0600);
    check("ipc(SHMDT)", syscall(NR_ipc, IPCOP_SHMDT, 0, 0, 0, addr, 0) == 0 && nattch(id2) == 0);
    long direct = syscall(NR_shmat, id2, 0, 0);
    check("direct shmat (397) sees the same segment", direct != -1 && ((char *) direct)[0] == 'i');
    memset(&d2, 0, sizeof d2);
    check("direct shmctl (396) IPC_STAT", syscall(NR_shmctl, id2, K_IPC_STAT, &d2) == 0 && d2.nattch == 1 && d2.segsz == 8192);
    expect_errno("direct shmctl refuses IPC_64 in the command", syscall(NR_shmctl, id2, K_IPC_STAT | IPC_64_FLAG, &d2), EINVAL);
    check("direct shmdt (398)", syscall(NR_shmdt, direct) == 0);
    int id3 = syscall(NR_shmget, IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    check("direct shmget (395)", id3 >= 0 && id3 != id2);
    check("ipc(SHMCTL, IPC_RMID) and direct shmctl IPC_RMID",
          syscall(NR_ipc, IPCOP_SHMCTL, id2, K_IPC_RMID, 0, 0, 0) == 0 && syscall(NR_shmctl, id3, K_IPC_RMID, 0) == 0);

    /* keys, IPC_CREAT/IPC_EXCL, errors */
    key_t key = 0x4a330000 | (me & 0xffff);
    int k1 = shmget(key, 6000, IPC_CREAT | IPC_EXCL | 0600);
    check("shmget(key, IPC_CREAT|IPC_EXCL)", k1 >= 0);
    check("shmget(key) again finds the same segment", shmget(key, 0, 0) == k1 && shmget(key, 6000, IPC_CREAT | 0600) == k1);
    check("IPC_STAT shows the key", stat_of(k1).shm_perm.__key == key);
    expect_errno("shmget(key, IPC_CREAT|IPC_EXCL) of an existing key", shmget(key, 6000, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    expect_errno("shmget(key) with a larger size", shmget(key, 9000, 0), EINVAL);
    expect_errno("shmget(size 0)", shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL);
    expect_errno("shmget of a missing key without IPC_CREAT", shmget(key + 1, 4096, 0600), ENOENT);
    expect_errno("shmctl of a bad id", shmctl(-1, IPC_STAT, &ds), EINVAL);
    expect_errno("shmctl with a bad command", shmctl(k1, 12345, &ds), EINVAL);
    expect_errno("shmat of a bad id", (long) shmat(0x7fff0000, NULL, 0), EINVAL);

    /* IPC_RMID while attached */
    char *kp = shmat(k1, NULL, 0);
    strcpy(kp, "still here");
    check("IPC_RMID while attached", shmctl(k1, IPC_RMID, NULL) == 0);
    ds = stat_of(k1);
    check("the segment lives on: SHM_DEST set, key now IPC_PRIVATE", (ds.shm_perm.mode & SHM_DEST) && ds.shm_perm.__key == 0
          && ds.shm_nattch == 1);
    expect_errno("the key is free again", shmget(key, 0, 0), ENOENT);
    check("its memory is still usable", strcmp(kp, "still here") == 0);
    char *kp2 = shmat(k1, NULL, 0);
    check("Linux still lets a removed segment be attached", kp2 != (void *) -1 && strcmp(kp2, "still here") == 0 && nattch(k1) == 2);
    shmdt(kp2);
    shmdt(kp);
    expect_errno("after the last detach it is gone", shmctl(k1, IPC_STAT, &ds), EINVAL);

    check("IPC_RMID without attachments removes at once", shmdt(p) == 0 && shmctl(id, IPC_RMID, NULL) == 0
          && shmctl(id, IPC_STAT, &ds) == -1 && errno == EINVAL);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
