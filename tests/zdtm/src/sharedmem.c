/* Memory shared between a parent and a child through a MAP_SHARED mapping of a device
 * (/dev/zero): not checkpointable (device mappings are not saved), so the host's checkpoint
 * must be refused with the reason, and the guest must go on untouched (thawed): after
 * SIGUSR1 the child's writes are still visible to the parent. */
#include "zdtm.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>

int main(void) {
    zdtm_init();
    int zero = open("/dev/zero", O_RDWR);
    volatile int *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    CHECK(m != MAP_FAILED, "mmap");
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        m[0] = 1234;
        char g;
        if (read(go[0], &g, 1) != 1) _exit(1);
        m[1] = 5678;
        _exit(0);
    }
    while (m[0] != 1234) usleep(1000);
    zdtm_ready_and_wait();

    CHECK(write(go[1], "g", 1) == 1, "cannot release the child");
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %x", st);
    CHECK(m[0] == 1234 && m[1] == 5678, "shared memory holds %d %d", m[0], m[1]);
    return zdtm_end();
}
