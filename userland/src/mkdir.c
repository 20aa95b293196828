/* mkdir [-p] DIR...: make directories; -p also makes missing parents and accepts existing ones. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make(char *path, int parents)
{
    if (parents) {
        for (char *p = path + 1; *p; p++) {
            if (*p != '/') continue;
            *p = 0;
            if (mkdir(path, 0777) < 0 && errno != EEXIST) { fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno)); *p = '/'; return 1; }
            *p = '/';
        }
    }
    if (mkdir(path, 0777) < 0) {
        struct stat st;
        if (parents && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
        fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int parents = 0, i = 1, st = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (strcmp(argv[i], "-p") == 0) parents = 1;
        else { fprintf(stderr, "mkdir: unknown option %s\nusage: mkdir [-p] DIR...\n", argv[i]); return 1; }
    }
    if (i == argc) { fprintf(stderr, "usage: mkdir [-p] DIR...\n"); return 1; }
    for (; i < argc; i++) if (make(argv[i], parents)) st = 1;
    return st;
}
