/* A MAP_SHARED mapping of a regular file shared by a parent and a child, with stores not yet
 * written back at the checkpoint (no msync). After the restart the mapping still shows them,
 * the file holds them, and a store by the child through its mapping is seen by the parent's
 * mapping and then in the file. */
#include "zdtm.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define NAME "zdtm-mmapfile.dat"
#define LEN (3 * 4096)

int main(void) {
    zdtm_init();
    unlink(NAME);
    int fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0, "open");
    char buf[LEN];
    for (int i = 0; i < LEN; i++) buf[i] = (char) (i % 251);
    CHECK(write(fd, buf, LEN) == LEN, "write");
    volatile char *m = mmap(0, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED, "mmap");
    close(fd);  /* the mapping keeps the file */
    int go[2], back[2];
    pipe(go);
    pipe(back);
    pid_t c = fork();
    if (c == 0) {
        m[4096 + 1] = 'C';
        write(back[1], "k", 1);
        char x;
        if (read(go[0], &x, 1) != 1) _exit(2);
        if (m[2] != 'P') _exit(3);
        m[2 * 4096 + 3] = 'D';
        write(back[1], "k", 1);
        _exit(0);
    }
    char x;
    read(back[0], &x, 1);
    m[0] = 'A';
    zdtm_ready_and_wait();

    CHECK(m[0] == 'A' && m[4096 + 1] == 'C' && m[5] == 5, "mapping: %c %c %d", m[0], m[4096 + 1], m[5]);
    fd = open(NAME, O_RDONLY);
    CHECK(fd >= 0 && pread(fd, buf, LEN, 0) == LEN, "read the file");
    CHECK(buf[0] == 'A' && buf[4096 + 1] == 'C' && buf[7] == 7, "file: %c %c %d", buf[0], buf[4096 + 1], buf[7]);
    m[2] = 'P';
    write(go[1], "g", 1);
    read(back[0], &x, 1);
    CHECK(m[2 * 4096 + 3] == 'D', "the child's store after the restart: %c", m[2 * 4096 + 3]);
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %x", st);
    CHECK(msync((void *) m, LEN, MS_SYNC) == 0 && pread(fd, buf, LEN, 0) == LEN && buf[2 * 4096 + 3] == 'D' && buf[2] == 'P', "file after msync");
    close(fd);
    munmap((void *) m, LEN);
    unlink(NAME);
    return zdtm_end();
}
