/* Checkpoint with /tmp (tmpfs under j386) in use. With CKPT=1 the program fills a directory
 * in /tmp (a file, a hard link, a symlink, a subdirectory, a FIFO, a 3 MiB file), keeps one
 * file open at an offset and another open after unlinking it, checkpoints into ./ckpt.img and
 * stops; the restart must find /tmp as it was. Without CKPT (natively) it just carries on,
 * so the native run records what the restarted run must print. It removes what it made. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../include/j386.h"

#define DIR "/tmp/j386-ckpttmp"
#define BIG (3 << 20)

static int failures;
static void check(const char *what, int ok) {
    printf("%-56s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

int main(void) {
    mkdir(DIR, 0750);
    mkdir(DIR "/sub", 0700);
    int fd = open(DIR "/file", O_CREAT | O_RDWR | O_TRUNC, 0640);
    write(fd, "0123456789", 10);
    lseek(fd, 4, SEEK_SET);
    link(DIR "/file", DIR "/sub/hard");
    symlink("../file", DIR "/sub/sym");
    mkfifo(DIR "/fifo", 0600);
    int gone = open(DIR "/gone", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(gone, "unlinked but open", 17);
    unlink(DIR "/gone");
    int big = open(DIR "/big", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    static unsigned char buf[BIG];
    for (int i = 0; i < BIG; i++) buf[i] = (unsigned char) (i * 7 + (i >> 12));
    write(big, buf, BIG);
    close(big);
    struct timespec ts[2] = {{1000000000, 0}, {1100000000, 500}};
    utimensat(AT_FDCWD, DIR "/file", ts, 0);

    if (getenv("CKPT")) {
        int img = open("ckpt.img", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        long r = syscall(__NR_j386_checkpoint, 0, img, 0, -1);
        if (r > 0) {
            printf("checkpointed\n");
            return 0;
        }
        if (r < 0) {
            printf("checkpoint failed, errno %d\n", errno);
            return 1;
        }
        close(img);
    }

    /* everything below must come out the same after a restart */
    char b[64] = {0};
    struct stat st, st2;
    check("the open file keeps its offset", read(fd, b, 3) == 3 && memcmp(b, "456", 3) == 0);
    check("file: mode, size, two links, mtime", stat(DIR "/file", &st) == 0 && (st.st_mode & 07777) == 0640 && st.st_size == 10
          && st.st_nlink == 2 && st.st_mtim.tv_sec == 1100000000 && st.st_mtim.tv_nsec == 500);
    check("the hard link is the same file", stat(DIR "/sub/hard", &st2) == 0 && st2.st_ino == st.st_ino);
    check("the open descriptor is that file too", fstat(fd, &st2) == 0 && st2.st_ino == st.st_ino);
    int n = readlink(DIR "/sub/sym", b, sizeof b - 1);
    check("symlink", n == 7 && memcmp(b, "../file", 7) == 0);
    check("through the symlink", stat(DIR "/sub/sym", &st2) == 0 && st2.st_ino == st.st_ino);
    check("subdirectory mode", stat(DIR "/sub", &st2) == 0 && S_ISDIR(st2.st_mode) && (st2.st_mode & 07777) == 0700);
    check("directory link count", stat(DIR, &st2) == 0 && st2.st_nlink == 3 && (st2.st_mode & 07777) == 0750);
    check("fifo", stat(DIR "/fifo", &st2) == 0 && S_ISFIFO(st2.st_mode));
    memset(b, 0, sizeof b);
    check("the unlinked file is still open", fstat(gone, &st2) == 0 && st2.st_nlink == 0 && pread(gone, b, 17, 0) == 17
          && strcmp(b, "unlinked but open") == 0);
    int fb = open(DIR "/big", O_RDONLY);
    static unsigned char back[BIG];
    int got = 0;
    while (got < BIG && (n = read(fb, back + got, BIG - got)) > 0) got += n;
    check("3 MiB file intact", got == BIG && memcmp(back, buf, BIG) == 0);
    close(fb);
    check("cleanup", unlink(DIR "/big") == 0 && unlink(DIR "/fifo") == 0 && unlink(DIR "/sub/sym") == 0
          && unlink(DIR "/sub/hard") == 0 && unlink(DIR "/file") == 0 && rmdir(DIR "/sub") == 0 && rmdir(DIR) == 0);
    printf("%d failures\n", failures);
    return failures != 0;
}
