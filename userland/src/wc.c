/*
 * wc [-lwc] [FILE...]: count newlines, words and bytes (default: all three). One count of
 * stdin prints the bare number; otherwise each count is right-aligned in 7 columns,
 * followed by the file name, and a total line follows several files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];
static int want_l, want_w, want_c, ncols;

static int count(int fd, const char *name, unsigned long c[3])
{
    int inword = 0;
    c[0] = c[1] = c[2] = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0) return 0;
        if (n < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
            return 1;
        }
        c[2] += n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = buf[i];
            if (ch == '\n') c[0]++;
            int space = ch == ' ' || (ch >= '\t' && ch <= '\r');
            if (!space && !inword) c[1]++;
            inword = !space;
        }
    }
}

static void print(const unsigned long c[3], const char *name)
{
    int bare = ncols == 1 && !name;
    int want[3] = { want_l, want_w, want_c }, first = 1;
    for (int k = 0; k < 3; k++) {
        if (!want[k]) continue;
        printf(bare ? "%lu" : first ? "%7lu" : " %7lu", c[k]);
        first = 0;
    }
    if (name) printf(" %s", name);
    putchar('\n');
}

int main(int argc, char **argv)
{
    int i = 1, st = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'l') want_l = 1;
            else if (*o == 'w') want_w = 1;
            else if (*o == 'c') want_c = 1;
            else { fprintf(stderr, "wc: unknown option -%c\nusage: wc [-lwc] [FILE...]\n", *o); return 1; }
        }
    }
    if (!want_l && !want_w && !want_c) want_l = want_w = want_c = 1;
    ncols = want_l + want_w + want_c;
    unsigned long c[3], total[3] = {0, 0, 0};
    if (i == argc) {
        if (count(0, "stdin", c)) return 1;
        print(c, NULL);
        return 0;
    }
    int files = argc - i;
    for (; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
        if (fd < 0) { fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno)); st = 1; continue; }
        int r = count(fd, argv[i], c);
        if (fd) close(fd);
        if (r) { st = 1; continue; }
        for (int k = 0; k < 3; k++) total[k] += c[k];
        print(c, argv[i]);
    }
    if (files > 1) print(total, "total");
    return st;
}
