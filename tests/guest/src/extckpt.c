/* External checkpoints from inside the guest (j386 only: run as root, --uid 0 --gid 0):
 * checkpoint(2) of another process refuses a pid that does not exist (ESRCH), a target that
 * is not frozen (EBUSY, the reason in the image's ERROR record), a caller that may not ptrace
 * the target (EPERM) and, without CHECKPOINT_SUBTREE, a target with children (EINVAL); it
 * takes the frozen subtree. The target freezes through the freezer cgroup file system, and
 * the grandchild, forked after its parent joined the cgroup, is in it too. Then restart(2)
 * of that image: refused (EBUSY) while its pids live; by uid 1000 once they are gone, and the
 * tasks come back as uid 1000, never as the image's root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../include/j386.h"

#define CG "/sys/fs/cgroup/freezer/ext"

static long checkpoint(int pid, int fd, int flags) {
    long r = syscall(__NR_j386_checkpoint, pid, fd, flags, 2);
    return r < 0 ? -errno : r;
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0 || write(fd, text, strlen(text)) < 0) printf("cannot write %s: %s\n", path, strerror(errno));
    close(fd);
}

static int slurp(const char *path, char *buf, int size) {
    int fd = open(path, O_RDONLY), n = 0, r;
    while (fd >= 0 && n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0) n += r;
    close(fd);
    buf[n] = 0;
    return n;
}

int main(void) {
    char buf[4096], text[32];
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir(CG, 0755);
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        snprintf(text, sizeof text, "%d", getpid());
        put(CG "/cgroup.procs", text);
        if (fork() == 0) for (;;) pause();
        write(ready[1], "x", 1);
        for (;;) pause();
    }
    read(ready[0], buf, 1);

    int img = open("ext.img", O_RDWR | O_CREAT | O_TRUNC, 0600);
    printf("no such pid: %s\n", checkpoint(99999, img, CHECKPOINT_SUBTREE) == -ESRCH ? "ESRCH" : "wrong");

    long r = checkpoint(child, img, CHECKPOINT_SUBTREE);
    int n = pread(img, buf, sizeof buf - 1, 0);
    buf[n < 0 ? 0 : n] = 0;
    int why = 0;
    for (int i = 0; i + 10 < n; i++) if (memcmp(buf + i, "not frozen", 10) == 0) why = 1;
    printf("thawed target: %s, the image says why: %s\n", r == -EBUSY ? "EBUSY" : "wrong", why ? "yes" : "no");

    put(CG "/freezer.state", "FROZEN");
    slurp(CG "/freezer.state", buf, sizeof buf);
    printf("freezer.state %s", buf);
    slurp(CG "/tasks", buf, sizeof buf);
    int tasks = 0;
    for (char *p = buf; *p; p++) tasks += *p == '\n';
    printf("tasks in the cgroup: %d (the child and the grandchild it forked there)\n", tasks);

    pid_t other = fork();
    if (other == 0) {
        if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)) return 99;
        long e = checkpoint(child, img, CHECKPOINT_SUBTREE);
        return e == -EPERM ? 0 : 1;
    }
    int st;
    waitpid(other, &st, 0);
    printf("caller uid 1000, target uid 0: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "EPERM" : "wrong");

    printf("without CHECKPOINT_SUBTREE: %s\n", checkpoint(child, img, 0) == -EINVAL ? "EINVAL" : "wrong");
    ftruncate(img, 0);
    lseek(img, 0, SEEK_SET);
    r = checkpoint(child, img, CHECKPOINT_SUBTREE);
    struct stat sb;
    fstat(img, &sb);
    printf("frozen subtree: %s, image of %s\n", r > 0 ? "checkpointed" : "refused", sb.st_size > 8192 ? "some size" : "nothing");
    slurp(CG "/freezer.state", buf, sizeof buf);
    printf("still %s", buf);

    int pids[2];
    slurp(CG "/tasks", buf, sizeof buf);
    sscanf(buf, "%d %d", &pids[0], &pids[1]);
    int grandchild = pids[0] == child ? pids[1] : pids[0];

    /* a restart by someone else while the saved pids live: refused */
    int restarter[2];
    pipe(restarter);
    pid_t r1 = fork();
    if (r1 == 0) {
        close(restarter[0]);
        lseek(img, 0, SEEK_SET);
        syscall(__NR_j386_restart, 0, img, 0, 2);
        return errno == EBUSY ? 0 : 1;
    }
    waitpid(r1, &st, 0);
    printf("restart while the pids are taken: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "EBUSY" : "wrong");

    put(CG "/freezer.state", "THAWED");
    kill(child, SIGKILL);
    kill(grandchild, SIGKILL);
    waitpid(child, &st, 0);
    printf("child killed: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? "yes" : "no");
    while (waitpid(-1, &st, 0) > 0) { }           /* the orphaned grandchild, reaped by pid 1 */

    /* the image of root's tasks, restarted by uid 1000: they run as uid 1000 */
    pid_t r2 = fork();
    if (r2 == 0) {
        if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)) return 99;
        lseek(img, 0, SEEK_SET);
        syscall(__NR_j386_restart, 0, img, 0, 2);
        return 1;                                   /* only on failure */
    }
    struct timespec pause_ = {0, 50 * 1000 * 1000};
    nanosleep(&pause_, NULL);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", grandchild);
    slurp(path, buf, sizeof buf);
    char *uid = strstr(buf, "Uid:"), *gid = strstr(buf, "Gid:");
    printf("restarted by uid 1000: the grandchild is back as %.*s, %.*s\n",
           uid ? (int) strcspn(uid, "\n") : 0, uid ? uid : "", gid ? (int) strcspn(gid, "\n") : 0, gid ? gid : "");
    snprintf(path, sizeof path, "/proc/%d/status", r2);
    slurp(path, buf, sizeof buf);
    uid = strstr(buf, "Uid:");
    printf("and the restarter, now the child: %.*s\n", uid ? (int) strcspn(uid, "\n") : 0, uid ? uid : "");
    kill(r2, SIGKILL);
    kill(grandchild, SIGKILL);
    while (waitpid(-1, &st, 0) > 0) { }
    rmdir(CG);
    return 0;
}
