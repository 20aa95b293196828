/* Files beyond 2 GiB: a sparse file under the working directory, written at 3 GiB + 123
 * and at 5 GiB - 2 through descriptors opened with O_LARGEFILE and positioned with
 * _llseek: one descriptor left at 3 GiB + 126, a second open of the file left past 5 GiB,
 * and a dup of the first in a child (one shared offset). (The 32-bit lseek is not asked:
 * an i386 kernel says EOVERFLOW there, an x86-64 one running i386 code does not.) After
 * SIGUSR1 the offsets and the size are unchanged, the data reads back, a write through
 * each descriptor lands at its offset, the child's write through the shared offset moves
 * the parent's, and pread64 finds every byte. */
#define _FILE_OFFSET_BITS 64
#include "zdtm.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NAME "bigfile.data"
#define GIB (1LL << 30)
#define OFF1 (3 * GIB + 123)
#define OFF2 (5 * GIB - 2)

static long long pos(int fd) {
    unsigned int hl[2];
    if (syscall(SYS__llseek, fd, 0, 0, hl, SEEK_CUR) != 0) return -1;
    return ((long long) hl[1] << 32) | hl[0];
}

static int at(int fd, long long off, const char *want) {
    char b[16];
    int n = strlen(want);
    return pread(fd, b, n, off) == n && memcmp(b, want, n) == 0;
}

int main(void) {
    zdtm_init();
    unlink(NAME);
    int a = open(NAME, O_RDWR | O_CREAT | O_EXCL | O_LARGEFILE, 0600);
    int b = open(NAME, O_RDWR | O_LARGEFILE);
    CHECK(a >= 0 && b >= 0, "cannot make %s", NAME);
    CHECK(lseek(a, OFF1, SEEK_SET) == OFF1 && write(a, "abc", 3) == 3, "write at 3 GiB");
    CHECK(lseek(b, OFF2, SEEK_SET) == OFF2 && write(b, "xy", 2) == 2, "write at 5 GiB");
    CHECK(lseek(b, 17, SEEK_CUR) == 5 * GIB + 17, "seek past the end");
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t kid = fork();
    if (kid == 0) {
        int c = dup(a);
        close(go[1]);
        char x;
        int ok = read(go[0], &x, 1) == 1 && pos(c) == OFF1 + 3 && write(c, "KID", 3) == 3 && pos(a) == OFF1 + 6;
        _exit(ok ? 0 : 1);
    }
    close(go[0]);
    zdtm_ready_and_wait();

    struct stat st;
    CHECK(fstat(a, &st) == 0 && st.st_size == OFF2 + 2, "size %lld, want %lld", (long long) st.st_size, OFF2 + 2);
    CHECK(pos(a) == OFF1 + 3, "first offset %lld, want %lld", pos(a), OFF1 + 3);
    CHECK(pos(b) == 5 * GIB + 17, "second offset %lld, want %lld", pos(b), 5 * GIB + 17);
    CHECK(at(a, OFF1, "abc") && at(b, OFF2, "xy"), "the data beyond 2 GiB did not read back");
    char z[8];
    CHECK(pread(a, z, 8, 2 * GIB) == 8 && memcmp(z, "\0\0\0\0\0\0\0\0", 8) == 0, "the hole is not zero");
    int stt = 0;
    CHECK(write(go[1], "g", 1) == 1 && waitpid(kid, &stt, 0) == kid && WIFEXITED(stt) && WEXITSTATUS(stt) == 0,
          "the child's write through the shared offset failed: %x", stt);
    CHECK(pos(a) == OFF1 + 6, "the shared offset is %lld, want %lld", pos(a), OFF1 + 6);
    CHECK(write(a, "def", 3) == 3 && write(b, "zz", 2) == 2, "writes after the restart");
    CHECK(at(a, OFF1, "abcKIDdef") && at(a, OFF2, "xy") && at(a, 5 * GIB + 17, "zz"), "the writes did not land at their offsets");
    CHECK(fstat(b, &st) == 0 && st.st_size == 5 * GIB + 19, "size now %lld", (long long) st.st_size);
    unlink(NAME);
    return zdtm_end();
}
