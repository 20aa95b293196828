/*
 * ls [-l] [-a] [-C] [-1] [FILE...]: list directory contents, sorted by name (byte order).
 * -a includes names starting with '.'; -l is the long format (mode, links, uid, gid, size,
 * modification time, name, and "-> target" for symbolic links), owners printed as numbers;
 * -1 is one name per line, the default when stdout is not a terminal; -C is columns as wide
 * as the terminal (80 when it is none), the default on a terminal.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static int opt_l, opt_a, opt_1, opt_C;
static int status;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void mode_string(mode_t m, char *s)
{
    s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) s[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
    if (m & S_ISUID) s[3] = m & S_IXUSR ? 's' : 'S';
    if (m & S_ISGID) s[6] = m & S_IXGRP ? 's' : 'S';
    if (m & S_ISVTX) s[9] = m & S_IXOTH ? 't' : 'T';
    s[10] = 0;
}

static void long_line(const char *path, const char *name, const struct stat *st)
{
    char mode[11], when[32];
    mode_string(st->st_mode, mode);
    static const char *mon[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t now = time(NULL), t = st->st_mtime;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (t > now - 182L * 86400 && t <= now + 3600)
        snprintf(when, sizeof when, "%s %2d %02d:%02d", mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min);
    else
        snprintf(when, sizeof when, "%s %2d  %d", mon[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        printf("%s %2lu %4u %4u %3u, %3u %s %s", mode, (unsigned long)st->st_nlink, (unsigned)st->st_uid,
               (unsigned)st->st_gid, major(st->st_rdev), minor(st->st_rdev), when, name);
    else
        printf("%s %2lu %4u %4u %8lld %s %s", mode, (unsigned long)st->st_nlink, (unsigned)st->st_uid,
               (unsigned)st->st_gid, (long long)st->st_size, when, name);
    if (S_ISLNK(st->st_mode)) {
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n >= 0) { target[n] = 0; printf(" -> %s", target); }
    }
    putchar('\n');
}

/* prints names (in dir, or given on the command line when dir is NULL) */
static void print_names(const char *dir, char **names, int n)
{
    if (opt_l) {
        for (int i = 0; i < n; i++) {
            char path[4096];
            if (dir) snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            else snprintf(path, sizeof path, "%s", names[i]);
            struct stat st;
            if (lstat(path, &st) < 0) { fprintf(stderr, "ls: %s: %s\n", path, strerror(errno)); status = 1; continue; }
            long_line(path, names[i], &st);
        }
        return;
    }
    if (opt_1) {
        for (int i = 0; i < n; i++) puts(names[i]);
        return;
    }
    /* columns, filled top to bottom, as wide as the terminal */
    struct winsize ws;
    int width = ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    int maxlen = 1;
    for (int i = 0; i < n; i++) if ((int)strlen(names[i]) > maxlen) maxlen = strlen(names[i]);
    int colw = maxlen + 2, cols = width / colw;
    if (cols < 1) cols = 1;
    int rows = (n + cols - 1) / cols;
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            int i = c * rows + r;
            if (i >= n) break;
            int last = c == cols - 1 || i + rows >= n;
            if (last) fputs(names[i], stdout);
            else printf("%-*s", colw, names[i]);
        }
        putchar('\n');
    }
}

static void list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) { fprintf(stderr, "ls: %s: %s\n", path, strerror(errno)); status = 2; return; }
    int n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    long long blocks = 0;
    while (names && (e = readdir(d))) {
        if (e->d_name[0] == '.' && !opt_a) continue;
        if (n == cap) {
            char **nn = realloc(names, (cap *= 2) * sizeof *names);
            if (!nn) break;
            names = nn;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (!names) { fprintf(stderr, "ls: out of memory\n"); status = 2; return; }
    qsort(names, n, sizeof *names, cmp);
    if (opt_l) {
        for (int i = 0; i < n; i++) {
            char p[4096];
            struct stat st;
            snprintf(p, sizeof p, "%s/%s", path, names[i]);
            if (lstat(p, &st) == 0) blocks += st.st_blocks;
        }
        printf("total %lld\n", blocks / 2);
    }
    print_names(path, names, n);
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'l') opt_l = 1;
            else if (*o == 'a') opt_a = 1;
            else if (*o == '1') { opt_1 = 1; opt_C = 0; }
            else if (*o == 'C') { opt_C = 1; opt_1 = 0; }
            else { fprintf(stderr, "ls: unknown option -%c\nusage: ls [-laC1] [FILE...]\n", *o); return 2; }
        }
    }
    if (!isatty(1) && !opt_C) opt_1 = 1;
    if (i == argc) { list_dir("."); return status; }
    /* files first, then directories, each group sorted */
    int n = argc - i, nf = 0, nd = 0;
    char **files = malloc(n * sizeof *files), **dirs = malloc(n * sizeof *dirs);
    if (!files || !dirs) { fprintf(stderr, "ls: out of memory\n"); return 2; }
    for (; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0 && lstat(argv[i], &st) < 0) { fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno)); status = 2; continue; }
        if (S_ISDIR(st.st_mode)) dirs[nd++] = argv[i]; else files[nf++] = argv[i];
    }
    qsort(files, nf, sizeof *files, cmp);
    qsort(dirs, nd, sizeof *dirs, cmp);
    if (nf) print_names(NULL, files, nf);
    for (int k = 0; k < nd; k++) {
        if (nf || nd > 1) printf("%s%s:\n", nf || k ? "\n" : "", dirs[k]);
        list_dir(dirs[k]);
    }
    return status;
}
