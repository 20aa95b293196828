/*
 * env [-i] [NAME=VALUE...] [COMMAND [ARG...]]: print the environment, or run COMMAND
 * (searched in PATH) in a modified one. -i starts from an empty environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    int i = 1;
    if (i < argc && (strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "-") == 0)) {
        static char *empty[1];
        environ = empty;
        i++;
    }
    for (; i < argc && strchr(argv[i], '='); i++) {
        if (putenv(argv[i]) != 0) { fprintf(stderr, "env: %s\n", strerror(errno)); return 125; }
    }
    if (i == argc) {
        for (char **e = environ; *e; e++) puts(*e);
        return 0;
    }
    execvp(argv[i], argv + i);
    int e = errno;
    fprintf(stderr, "env: %s: %s\n", argv[i], strerror(e));
    return e == ENOENT ? 127 : 126;
}
