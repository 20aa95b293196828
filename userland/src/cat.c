/* cat [FILE...]: copy the files (or stdin, also for "-") to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

static int copy(int fd, const char *name)
{
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0) return 0;
        if (n < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
            return 1;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, n - off);
            if (w < 0) {
                if (errno == EINTR) continue;
                fprintf(stderr, "cat: write error: %s\n", strerror(errno));
                return 2;
            }
            off += w;
        }
    }
}

int main(int argc, char **argv)
{
    int st = 0;
    if (argc < 2) return copy(0, "stdin") ? 1 : 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) { if (copy(0, "stdin")) st = 1; continue; }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) { fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno)); st = 1; continue; }
        int r = copy(fd, argv[i]);
        close(fd);
        if (r == 2) return 1;
        if (r) st = 1;
    }
    return st;
}
