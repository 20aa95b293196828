/*
 * cp SOURCE DEST, cp SOURCE... DIRECTORY: copy regular files (contents and permission bits).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[65536];

static int copy(const char *src, const char *dst)
{
    struct stat s, d;
    int in = open(src, O_RDONLY);
    if (in < 0) { fprintf(stderr, "cp: %s: %s\n", src, strerror(errno)); return 1; }
    if (fstat(in, &s) < 0) { fprintf(stderr, "cp: %s: %s\n", src, strerror(errno)); close(in); return 1; }
    if (S_ISDIR(s.st_mode)) { fprintf(stderr, "cp: %s: is a directory (not copied)\n", src); close(in); return 1; }
    if (stat(dst, &d) == 0 && d.st_dev == s.st_dev && d.st_ino == s.st_ino) {
        fprintf(stderr, "cp: %s and %s are the same file\n", src, dst);
        close(in);
        return 1;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, s.st_mode & 07777);
    if (out < 0) { fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno)); close(in); return 1; }
    int bad = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { fprintf(stderr, "cp: %s: %s\n", src, strerror(errno)); bad = 1; break; }
        if (n == 0) break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, n - off);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) { fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno)); bad = 1; break; }
            off += w;
        }
        if (bad) break;
    }
    close(in);
    if (close(out) < 0 && !bad) { fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno)); bad = 1; }
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: cp SOURCE DEST | cp SOURCE... DIRECTORY\n"); return 1; }
    const char *last = argv[argc - 1];
    struct stat st;
    int todir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
    if (!todir) {
        if (argc > 3) { fprintf(stderr, "cp: %s: not a directory\n", last); return 1; }
        return copy(argv[1], last);
    }
    int bad = 0;
    for (int i = 1; i < argc - 1; i++) {
        const char *b = strrchr(argv[i], '/');
        b = b ? b + 1 : argv[i];
        char *dst = malloc(strlen(last) + strlen(b) + 2);
        if (!dst) { fprintf(stderr, "cp: out of memory\n"); return 1; }
        sprintf(dst, "%s/%s", last, b);
        if (copy(argv[i], dst)) bad = 1;
        free(dst);
    }
    return bad;
}
