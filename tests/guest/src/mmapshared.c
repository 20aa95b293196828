/* MAP_SHARED file mappings: coherence with read and write, sharing across fork and between mappings, msync, EOF, errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int e) { return e == EACCES ? "EACCES" : e == EINVAL ? "EINVAL" : e == ENOMEM ? "ENOMEM" : e == ENODEV ? "ENODEV" : "other"; }

static int check(const char *dir) {
    char path[128];
    snprintf(path, sizeof path, "%s/map-%d.dat", dir, (int) getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { printf("open failed\n"); return 1; }
    char block[8192];
    for (int i = 0; i < 8192; i++) block[i] = 'a' + i % 26;
    write(fd, block, 5000); /* the file ends inside the second page */
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) { printf("mmap failed: %s\n", en(errno)); return 1; }
    printf("mapped bytes match the file: %d\n", memcmp(m, block, 5000) == 0);
    printf("past the end reads zero: %d\n", m[5000] == 0 && m[8191] == 0);

    memcpy(m + 100, "hello", 5);
    char got[8] = {0};
    pread(fd, got, 5, 100);
    printf("a store through the mapping, read through the descriptor: %s\n", got);
    pwrite(fd, "WORLD", 5, 200);
    printf("a write through the descriptor, seen in the mapping: %.5s\n", m + 200);

    pid_t c = fork();
    if (c == 0) { memcpy(m + 300, "child", 5); _exit(0); }
    waitpid(c, NULL, 0);
    printf("the child's store, seen by the parent: %.5s\n", m + 300);

    char *m2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    m2[400] = '#';
    printf("two mappings of one file share pages: %c\n", m[400]);
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    p[500] = '!';
    printf("a private mapping's store stays private: %c %c\n", m[500], p[500]);
    munmap(p, 4096);

    m[6000] = 'Z'; /* past the end of the file: never written back */
    printf("msync: %d\n", msync(m, 8192, MS_SYNC));
    int r1 = msync(m + 1, 10, MS_SYNC);
    printf("msync unaligned: %d %s\n", r1, en(errno));
    r1 = msync(m, 4096, MS_ASYNC | MS_SYNC);
    printf("msync both ASYNC and SYNC: %d %s\n", r1, en(errno));
    munmap(m2, 4096);
    munmap(m, 8192);
    r1 = msync(m, 4096, MS_SYNC);
    printf("msync of unmapped memory: %d %s\n", r1, en(errno));

    struct stat st;
    fstat(fd, &st);
    printf("size after unmapping: %ld\n", (long) st.st_size);
    char back[5000];
    pread(fd, back, 5000, 0);
    printf("file holds the stores: %.5s %.5s %.5s %c\n", back + 100, back + 200, back + 300, back[400]);
    printf("and the rest is unchanged: %d\n", memcmp(back, block, 100) == 0 && memcmp(back + 1000, block + 1000, 4000) == 0);
    close(fd);

    fd = open(path, O_RDONLY);
    errno = 0;
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("writable shared mapping of a read-only descriptor: %s\n", w == MAP_FAILED ? en(errno) : "mapped");
    char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("read-only shared mapping: %.5s\n", r == MAP_FAILED ? "failed" : r + 100);
    if (r != MAP_FAILED) munmap(r, 4096);
    close(fd);
    unlink(path);
    return 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("-- in the working directory\n");
    if (check(".")) return 1;
    printf("-- in /tmp\n");
    return check("/tmp");
}
