/* FIFOs across a restart: one in /tmp (tmpfs under j386) and one in the working directory
 * (the host's file system under j386), each opened for reading (O_NONBLOCK) and for writing
 * by the parent, with bytes in flight, and shared with a child that is blocked reading a
 * pipe. After SIGUSR1: the parent writes more to each FIFO; the child reads the bytes in
 * flight then the new ones, in order; a new open of each FIFO by name joins the same pipe
 * (its write is read through the old read end); the parent closes its ends and the child
 * sees EOF on both (the writer counts came back). */
#include "zdtm.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *names[2] = {"/tmp/zdtm-fifo", "zdtm-fifo.host"};

static int readn(int fd, char *b, int n) {
    int got = 0, r;
    while (got < n && (r = read(fd, b + got, n - got)) > 0) got += r;
    return got;
}

int main(void) {
    zdtm_init();
    int rd[2], wr[2], go[2];
    pipe(go);
    for (int i = 0; i < 2; i++) {
        unlink(names[i]);
        CHECK(mkfifo(names[i], 0600) == 0, "mkfifo %s: %d", names[i], errno);
        rd[i] = open(names[i], O_RDONLY | O_NONBLOCK);
        wr[i] = open(names[i], O_WRONLY);
        CHECK(rd[i] >= 0 && wr[i] >= 0, "open %s: %d", names[i], errno);
        CHECK(write(wr[i], i ? "host-before|" : "tmp-before|", i ? 12 : 11) > 0, "write");
    }
    pid_t c = fork();
    if (c == 0) {
        close(wr[0]); close(wr[1]); close(go[1]);
        char b[64];
        if (read(go[0], b, 1) != 1) _exit(1);
        for (int i = 0; i < 2; i++) {
            fcntl(rd[i], F_SETFL, 0);
            const char *want = i ? "host-before|host-after|again" : "tmp-before|tmp-after|again";
            int n = strlen(want);
            if (readn(rd[i], b, n) != n || memcmp(b, want, n) != 0) _exit(2 + i);
            if (read(rd[i], b, 1) != 0) _exit(4 + i);
        }
        _exit(0);
    }
    close(go[0]);
    zdtm_ready_and_wait();

    for (int i = 0; i < 2; i++) {
        CHECK(write(wr[i], i ? "host-after|" : "tmp-after|", i ? 11 : 10) > 0, "write after");
        int again = open(names[i], O_WRONLY | O_NONBLOCK);
        CHECK(again >= 0, "reopening %s: %d (no reader?)", names[i], errno);
        CHECK(write(again, "again", 5) == 5, "write through the new open");
        close(again);
        close(wr[i]);
        close(rd[i]);
    }
    CHECK(write(go[1], "g", 1) == 1, "go");
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: status %x", st);
    for (int i = 0; i < 2; i++) {
        struct stat s;
        CHECK(stat(names[i], &s) == 0 && S_ISFIFO(s.st_mode), "%s is no longer a FIFO", names[i]);
        unlink(names[i]);
    }
    return zdtm_end();
}
