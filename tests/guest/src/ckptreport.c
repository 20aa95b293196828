/*
 * Prints j386's checkpointability reports (/proc/self/checkpointable and the checkpointable
 * line of fdinfo) while holding objects an image cannot hold yet, then without them. Never run
 * natively (no expected files): Linux has no such report; CheckpointReportTest reads the output.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void show(const char *path) {
    char buf[2048];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s: cannot open\n", path); return; }
    int n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    printf("== %s\n%s", path, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int proc = open("/proc/self/status", O_RDONLY);  /* descriptor 3: /proc files stay out of images */
    int zero = open("/dev/zero", O_RDWR);  /* a shared mapping of a device is not saved */
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    close(zero);
    show("/proc/self/checkpointable");
    show("/proc/self/fdinfo/3");
    close(proc);
    munmap(m, 4096);
    show("/proc/self/checkpointable");
    show("/proc/self/fdinfo/1");
    return 0;
}
