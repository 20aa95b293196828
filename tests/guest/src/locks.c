/* Advisory locks between processes: fcntl record locks (F_GETLK/F_SETLK/F_SETLKW, the 64-bit
 * and OFD forms) and flock, on a file in the working directory and on one in /tmp. A child
 * checks the parent's locks and waits for them; the parent orders the steps with pipes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *what, int ok) {
    printf("%-64s %s\n", what, ok ? "ok" : "BAD");
    fflush(stdout);
    if (!ok) failures++;
}

static int setlk(int fd, int cmd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

static void wait_byte(int fd) { char c; if (read(fd, &c, 1) != 1) _exit(9); }
static void send_byte(int fd) { if (write(fd, "x", 1) != 1) _exit(9); }

static void run(const char *path) {
    printf("-- %s\n", strncmp(path, "/tmp/", 5) == 0 ? "file in /tmp" : "file in the working directory");
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789abcdefghij", 20);
    check("parent: write lock on [0,10)", setlk(fd, F_SETLK, F_WRLCK, 0, 10) == 0);
    check("parent: read lock on [15,20)", setlk(fd, F_SETLK, F_RDLCK, 15, 5) == 0);
    check("parent: F_GETLK sees no conflict with its own locks", ({
        struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        fcntl(fd, F_GETLK, &q) == 0 && q.l_type == F_UNLCK; }));

    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        int cfd = open(path, O_RDWR);
        struct flock q = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 3};
        check("child: F_GETLK reports the parent's write lock", fcntl(cfd, F_GETLK, &q) == 0 && q.l_type == F_WRLCK
              && q.l_start == 0 && q.l_len == 10 && q.l_pid == parent && q.l_whence == SEEK_SET);
        struct flock64 q64 = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 16, .l_len = 1};
        check("child: F_GETLK64 reports the parent's read lock", fcntl(cfd, F_GETLK64, &q64) == 0 && q64.l_type == F_RDLCK
              && q64.l_start == 15 && q64.l_len == 5 && q64.l_pid == parent);
        check("child: a read lock may share [15,20)", setlk(cfd, F_SETLK, F_RDLCK, 15, 5) == 0);
        check("child: F_SETLK on [5,6) fails with EAGAIN", setlk(cfd, F_SETLK, F_RDLCK, 5, 1) < 0 && (errno == EAGAIN || errno == EACCES));
        check("child: [10,15) is free", setlk(cfd, F_SETLK, F_WRLCK, 10, 5) == 0);
        send_byte(done[1]);
        check("child: F_SETLKW on [0,1) waits for the parent's unlock", setlk(cfd, F_SETLKW, F_WRLCK, 0, 1) == 0);
        send_byte(done[1]);
        wait_byte(go[0]);       /* the parent checks that the child holds [0,1), then lets it exit */
        _exit(0);
    }
    wait_byte(done[0]);
    struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 5};
    check("parent: F_GETLK sees the child's lock on [10,15)", fcntl(fd, F_GETLK, &q) == 0 && q.l_type == F_WRLCK && q.l_pid == pid);
    usleep(30000);
    int unlocked = setlk(fd, F_SETLK, F_UNLCK, 0, 10) == 0;
    wait_byte(done[0]);         /* the child has printed that it got the lock */
    check("parent: unlock [0,10)", unlocked);
    q = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    check("parent: the child now holds [0,1)", fcntl(fd, F_GETLK, &q) == 0 && q.l_type == F_WRLCK && q.l_pid == pid);
    send_byte(go[1]);
    int status;
    waitpid(pid, &status, 0);
    check("parent: the child's locks went with its exit", setlk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);

    /* A wait that would close a cycle fails with EDEADLK. */
    setlk(fd, F_SETLK, F_UNLCK, 0, 0);
    setlk(fd, F_SETLK, F_WRLCK, 0, 1);
    pid = fork();
    if (pid == 0) {
        int cfd = open(path, O_RDWR);
        setlk(cfd, F_SETLK, F_WRLCK, 1, 1);
        send_byte(done[1]);
        int ok = setlk(cfd, F_SETLKW, F_WRLCK, 0, 1) == 0;    /* waits for the parent */
        _exit(ok ? 0 : 1);
    }
    wait_byte(done[0]);
    usleep(50000);
    int dl = setlk(fd, F_SETLKW, F_WRLCK, 1, 1) < 0 && errno == EDEADLK;
    setlk(fd, F_SETLK, F_UNLCK, 0, 1);
    waitpid(pid, &status, 0);
    check("waiting for a lock held by a process waiting for us: EDEADLK", dl);
    check("the child then gets the lock", WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* Closing any descriptor of the file drops the process's locks. */
    int other = open(path, O_RDONLY);
    close(other);
    pid = fork();
    if (pid == 0) {
        int cfd = open(path, O_RDWR);
        check("child: closing another fd dropped the parent's locks", setlk(cfd, F_SETLK, F_WRLCK, 0, 0) == 0);
        _exit(0);
    }
    waitpid(pid, &status, 0);

    /* Open file description locks belong to the open file, not the process. */
    struct flock o = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4};
    check("F_OFD_SETLK on [0,4)", fcntl(fd, F_OFD_SETLK, &o) == 0);
    int fd2 = open(path, O_RDWR);
    o = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1};
    check("a second open file conflicts with it in the same process", fcntl(fd2, F_OFD_SETLK, &o) < 0 && errno == EAGAIN);
    o = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1};
    check("F_OFD_GETLK reports pid -1", fcntl(fd2, F_OFD_GETLK, &o) == 0 && o.l_type == F_WRLCK && o.l_pid == -1);
    close(fd2);

    /* flock */
    int f1 = open(path, O_RDONLY), f2 = open(path, O_RDONLY);
    check("flock LOCK_EX", flock(f1, LOCK_EX) == 0);
    check("another open file: LOCK_SH|LOCK_NB fails with EWOULDBLOCK", flock(f2, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK);
    pid = fork();
    if (pid == 0) {
        check("child: the inherited open file shares the lock", flock(f1, LOCK_EX | LOCK_NB) == 0);
        int f3 = open(path, O_RDONLY);
        send_byte(done[1]);
        check("child: LOCK_SH on its own open file waits for LOCK_UN", flock(f3, LOCK_SH) == 0);
        _exit(0);
    }
    wait_byte(done[0]);
    usleep(30000);
    unlocked = flock(f1, LOCK_UN) == 0;
    waitpid(pid, &status, 0);
    check("parent: LOCK_UN", unlocked);
    check("child exited normally", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check("shared locks coexist", flock(f1, LOCK_SH) == 0 && flock(f2, LOCK_SH | LOCK_NB) == 0);
    check("upgrade while another holds LOCK_SH: EWOULDBLOCK", flock(f1, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK);
    close(f2);
    check("closing the other open file releases its lock", flock(f1, LOCK_EX | LOCK_NB) == 0);
    close(f1);
    check("bad lock type: EINVAL", setlk(fd, F_SETLK, 7, 0, 1) < 0 && errno == EINVAL);
    close(fd);
    close(go[0]); close(go[1]); close(done[0]); close(done[1]);
    unlink(path);
}

int main(void) {
    run("locks.dat");
    char dir[] = "/tmp/j386-locks-XXXXXX";
    mkdtemp(dir);
    char path[64];
    snprintf(path, sizeof path, "%s/locks.dat", dir);
    run(path);
    rmdir(dir);
    printf("%d failures\n", failures);
    return failures != 0;
}
