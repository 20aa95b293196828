/* restart IMAGE (or restart < IMAGE): become the task saved in a j386 checkpoint image.
 * On success this program is gone: the restored task continues where it was checkpointed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../include/j386.h"

int main(int argc, char **argv) {
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "-") != 0 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: restart [IMAGE] (or the image on stdin)\n");
        return 2;
    }
    int fd = 0;
    if (argc == 2 && strcmp(argv[1], "-") != 0) {
        fd = open(argv[1], O_RDONLY);
        if (fd < 0) { printf("restart: cannot open %s\n", argv[1]); return 1; }
    } else if (isatty(0) || argc == 1) {
        if (argc == 1 && lseek(0, 0, SEEK_END) <= 0) { printf("usage: restart IMAGE, or restart - < IMAGE\n"); return 2; }
        lseek(0, 0, SEEK_SET);
    }
    long r = syscall(__NR_j386_restart, 0, fd, RESTART_TASKSELF, 2);
    printf("restart: failed, errno %d\n", r < 0 ? errno : 0);
    return 1;
}
