/* A regular file open description shared by parent and child (one offset, the object
 * hash), plus a descriptor dup'ed in the child with close-on-exec. Before the checkpoint
 * the child reads 10 bytes; after SIGUSR1 the child reads 10 more and the parent must
 * see the shared offset at 20 and read on from there. */
#include "zdtm.h"
#include <fcntl.h>
#include <sys/wait.h>

int main(void) {
    zdtm_init();
    int w = open("zdtm-sharedfile.dat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(w >= 0, "cannot create the data file");
    for (int i = 0; i < 100; i++) { char c = 'a' + i % 26; write(w, &c, 1); }
    close(w);
    int fd = open("zdtm-sharedfile.dat", O_RDONLY);
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t c = fork();
    if (c == 0) {
        char b[10];
        int ok = read(fd, b, 10) == 10 && b[0] == 'a';
        int d = fcntl(fd, F_DUPFD_CLOEXEC, 20);
        write(done[1], "x", 1);
        char g;
        if (read(go[0], &g, 1) != 1) ok = 0;
        if (read(d, b, 10) != 10 || b[0] != 'k') ok = 0;
        if (!(fcntl(d, F_GETFD) & FD_CLOEXEC)) ok = 0;
        _exit(ok ? 0 : 1);
    }
    char x;
    CHECK(read(done[0], &x, 1) == 1, "the child did not read");
    zdtm_ready_and_wait();

    CHECK(write(go[1], "g", 1) == 1, "cannot release the child");
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's reads went wrong: %x", st);
    CHECK(lseek(fd, 0, SEEK_CUR) == 20, "shared offset %ld, want 20", (long) lseek(fd, 0, SEEK_CUR));
    char b[1];
    CHECK(read(fd, b, 1) == 1 && b[0] == 'a' + 20 % 26, "read on from the shared offset");
    return zdtm_end();
}
