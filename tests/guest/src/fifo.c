/* Named pipes: mkfifo in /tmp, Linux open semantics (a reader waits for a writer and the
 * other way round; O_NONBLOCK readers open at once, O_NONBLOCK writers without a reader get
 * ENXIO), data between processes, EOF, EPIPE, pipe sizes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *what, int ok) {
    printf("%-60s %s\n", what, ok ? "ok" : "BAD");
    fflush(stdout);
    if (!ok) failures++;
}

int main(void) {
    char dir[] = "/tmp/j386-fifo-XXXXXX";
    mkdtemp(dir);
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);
    check("mkfifo", mkfifo(path, 0600) == 0);
    struct stat st;
    check("stat: a FIFO", stat(path, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0600);
    check("mkfifo on an existing name: EEXIST", mkfifo(path, 0600) < 0 && errno == EEXIST);

    check("O_WRONLY|O_NONBLOCK without a reader: ENXIO", open(path, O_WRONLY | O_NONBLOCK) < 0 && errno == ENXIO);
    int r = open(path, O_RDONLY | O_NONBLOCK);
    check("O_RDONLY|O_NONBLOCK opens at once", r >= 0);
    char buf[64];
    check("read with no writer ever: 0 (EOF)", read(r, buf, sizeof buf) == 0);
    int w = open(path, O_WRONLY | O_NONBLOCK);
    check("O_WRONLY|O_NONBLOCK with a reader opens", w >= 0);
    check("empty, with a writer: EAGAIN", read(r, buf, sizeof buf) < 0 && errno == EAGAIN);
    check("write then read", write(w, "abc", 3) == 3 && read(r, buf, sizeof buf) == 3 && memcmp(buf, "abc", 3) == 0);
    check("fstat of an end: the FIFO's inode", fstat(w, &st) == 0 && S_ISFIFO(st.st_mode));
    check("F_GETPIPE_SZ is 64 KiB", fcntl(w, F_GETPIPE_SZ) == 65536);
    check("F_SETPIPE_SZ rounds up to a power of two pages", fcntl(w, F_SETPIPE_SZ, 100000) == 131072 && fcntl(r, F_GETPIPE_SZ) == 131072);
    close(w);
    check("after the writer closes: EOF", read(r, buf, sizeof buf) == 0);
    close(r);

    int rw = open(path, O_RDWR);
    check("O_RDWR never waits", rw >= 0 && write(rw, "x", 1) == 1 && read(rw, buf, 1) == 1 && buf[0] == 'x');
    close(rw);

    /* A reader that waits in open for a writer. */
    int sync[2];
    pipe(sync);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_RDONLY);                 /* waits for the parent's writer */
        char b[64];
        int n, total = 0;
        while ((n = read(fd, b + total, sizeof b - total)) > 0) total += n;
        printf("child read %d bytes: %.*s\n", total, total, b);
        fflush(stdout);
        _exit(0);
    }
    usleep(50000);
    w = open(path, O_WRONLY);                          /* the child waits in open: this one does not */
    check("writer open while a reader waits", w >= 0);
    check("write to the waiting reader", write(w, "through the fifo", 16) == 16);
    close(w);
    int status;
    waitpid(pid, &status, 0);
    check("child done", WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* A writer that waits in open for a reader. */
    pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY);                 /* waits for the parent's reader */
        write(fd, "back", 4);
        close(fd);
        _exit(0);
    }
    usleep(50000);
    r = open(path, O_RDONLY);
    int total = 0, n;
    while ((n = read(r, buf + total, sizeof buf - total)) > 0) total += n;
    check("reader open while a writer waits; data then EOF", total == 4 && memcmp(buf, "back", 4) == 0);
    close(r);
    waitpid(pid, &status, 0);

    /* Writing when the last reader has gone. */
    signal(SIGPIPE, SIG_IGN);
    r = open(path, O_RDONLY | O_NONBLOCK);
    w = open(path, O_WRONLY);
    close(r);
    check("write without readers: EPIPE", write(w, "x", 1) < 0 && errno == EPIPE);
    close(w);

    /* A blocked writer of a big message is released as the reader drains. */
    pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY);
        static char big[200000];
        memset(big, 'q', sizeof big);
        int done = 0;
        while (done < (int) sizeof big) {
            int k = write(fd, big + done, sizeof big - done);
            if (k <= 0) _exit(1);
            done += k;
        }
        _exit(0);
    }
    r = open(path, O_RDONLY);
    long got = 0;
    static char sink[8192];
    while ((n = read(r, sink, sizeof sink)) > 0) got += n;
    waitpid(pid, &status, 0);
    check("200000 bytes through the fifo", got == 200000 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(r);

    check("unlink and rmdir", unlink(path) == 0 && rmdir(dir) == 0);

    /* The same in the working directory (the host root under j386). */
    check("mkfifo in the working directory", mkfifo("here.fifo", 0640) == 0 && stat("here.fifo", &st) == 0
          && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0640);
    pid = fork();
    if (pid == 0) {
        int fd = open("here.fifo", O_WRONLY);
        write(fd, "via the cwd", 11);
        _exit(0);
    }
    r = open("here.fifo", O_RDONLY);
    total = 0;
    while ((n = read(r, buf + total, sizeof buf - total)) > 0) total += n;
    waitpid(pid, &status, 0);
    check("data through it, then EOF", total == 11 && memcmp(buf, "via the cwd", 11) == 0);
    check("fstat of an end is the FIFO", fstat(r, &st) == 0 && S_ISFIFO(st.st_mode));
    close(r);
    check("O_WRONLY|O_NONBLOCK without a reader: ENXIO", open("here.fifo", O_WRONLY | O_NONBLOCK) < 0 && errno == ENXIO);
    check("rename and unlink it", rename("here.fifo", "there.fifo") == 0 && unlink("there.fifo") == 0);
    printf("%d failures\n", failures);
    return failures != 0;
}
