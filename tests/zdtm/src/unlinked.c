/* A host file unlinked while open, across a restart: 10000 patterned bytes, the offset at
 * 1234, the name gone, the description shared with a child blocked reading a pipe. After
 * SIGUSR1: the name is still gone; the parent reads 100 bytes at the shared offset; the child
 * then reads the next 100 (offset 1334: one description), and sees a pwrite of the parent's
 * at offset 0 (one file). */
#include "zdtm.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>

#define N 10000
static const char *name = "zdtm-unlinked.tmp";

static int pattern(int i) { return (i * 31 + 7) & 0xff; }

int main(void) {
    zdtm_init();
    int go[2];
    pipe(go);
    unlink(name);
    int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0, "open: %d", errno);
    static char b[N];
    for (int i = 0; i < N; i++) b[i] = pattern(i);
    CHECK(write(fd, b, N) == N, "write");
    CHECK(lseek(fd, 1234, SEEK_SET) == 1234, "lseek");
    CHECK(unlink(name) == 0, "unlink");
    pid_t c = fork();
    if (c == 0) {
        char x[100];
        if (read(go[0], x, 1) != 1) _exit(1);
        if (read(fd, x, 100) != 100) _exit(2);
        for (int i = 0; i < 100; i++) if ((x[i] & 0xff) != pattern(1334 + i)) _exit(3);
        if (pread(fd, x, 3, 0) != 3 || memcmp(x, "XYZ", 3) != 0) _exit(4);
        _exit(0);
    }
    zdtm_ready_and_wait();

    CHECK(access(name, F_OK) == -1 && errno == ENOENT, "the name came back");
    char x[100];
    CHECK(read(fd, x, 100) == 100, "read");
    for (int i = 0; i < 100; i++) CHECK((x[i] & 0xff) == pattern(1234 + i), "byte %d", 1234 + i);
    CHECK(pwrite(fd, "XYZ", 3, 0) == 3, "pwrite");
    write(go[1], "g", 1);
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: status %x", st);
    CHECK(lseek(fd, 0, SEEK_CUR) == 1434, "shared offset %ld", (long) lseek(fd, 0, SEEK_CUR));
    CHECK(lseek(fd, 0, SEEK_END) == N, "size %ld", (long) lseek(fd, 0, SEEK_END));
    return zdtm_end();
}
