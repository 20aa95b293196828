/*
 * rm [-r] [-f] FILE...: remove files; -r removes directories and their contents, -f
 * ignores missing files and never complains about them. Without -r a directory is an error.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static int remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (force && errno == ENOENT) return 0;
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) < 0) { fprintf(stderr, "rm: %s: %s\n", path, strerror(errno)); return 1; }
        return 0;
    }
    if (!recursive) { fprintf(stderr, "rm: %s: is a directory\n", path); return 1; }
    DIR *d = opendir(path);
    if (!d) { fprintf(stderr, "rm: %s: %s\n", path, strerror(errno)); return 1; }
    int bad = 0;
    struct dirent *e;
    size_t pl = strlen(path);
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char *child = malloc(pl + strlen(e->d_name) + 2);
        if (!child) { fprintf(stderr, "rm: out of memory\n"); closedir(d); return 1; }
        sprintf(child, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", e->d_name);
        /* the directory changes under readdir; start it again after each removal */
        if (remove_path(child)) bad = 1; else rewinddir(d);
        free(child);
    }
    closedir(d);
    if (rmdir(path) < 0) { fprintf(stderr, "rm: %s: %s\n", path, strerror(errno)); return 1; }
    return bad;
}

int main(int argc, char **argv)
{
    int i = 1, st = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'r' || *o == 'R') recursive = 1;
            else if (*o == 'f') force = 1;
            else { fprintf(stderr, "rm: unknown option -%c\nusage: rm [-rf] FILE...\n", *o); return 1; }
        }
    }
    if (i == argc && !force) { fprintf(stderr, "usage: rm [-rf] FILE...\n"); return 1; }
    for (; i < argc; i++) {
        const char *b = strrchr(argv[i], '/');
        b = b ? b + 1 : argv[i];
        if (strcmp(b, ".") == 0 || strcmp(b, "..") == 0) { fprintf(stderr, "rm: refusing to remove '.' or '..': %s\n", argv[i]); st = 1; continue; }
        if (remove_path(argv[i])) st = 1;
    }
    return st;
}
