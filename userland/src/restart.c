/* restart [-f] < IMAGE: become the process saved in a j386 checkpoint image, with restart(2).
 * For an image of a process tree, the other processes are recreated with their original pids,
 * parents, process groups and sessions; the kernel refuses (EBUSY, the reason on stderr) when
 * one of those pids is in use, and nothing is restored. -f (RESTART_FROZEN) leaves every
 * restored task frozen until it is thawed (through /sys/fs/cgroup/freezer, or the host).
 * On success this program is gone: the restored processes continue where they were. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_RESTART 501
#define RESTART_FROZEN 0x2

int main(int argc, char **argv) {
    int flags = 0;
    if (argc == 2 && strcmp(argv[1], "-f") == 0) flags = RESTART_FROZEN;
    else if (argc != 1) { fprintf(stderr, "usage: restart [-f] < IMAGE\n"); return 2; }
    if (isatty(0)) { fprintf(stderr, "restart: the image comes on stdin: restart < IMAGE\n"); return 2; }
    syscall(NR_RESTART, 0, 0, flags, 2);
    fprintf(stderr, "restart: %s\n", strerror(errno));
    return 1;
}
