/* Self-checkpoint. With CKPT=1 in the environment the program checkpoints itself into
 * ./ckpt.img and stops ("checkpointed"); `j386 restart ckpt.img` resumes it right after the
 * system call, which then returns 0, and it carries on. Without CKPT (and natively, where
 * the call does not exist) it just carries on, so the native run records what the restarted
 * run must print. The state that must survive: registers, the heap, x87 registers and
 * control word, TLS, a signal handler and mask, an open file and its offset, the cwd. */
#include <fcntl.h>
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../include/j386.h"

static volatile int usr1;
static void on_usr1(int sig) { usr1++; }
static __thread int tls_word = 11;

int main(void) {
    mkdir("work", 0755);
    chdir("work");
    int data = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(data, "before\n", 7);

    unsigned *heap = malloc(3 << 20);
    for (unsigned i = 0; i < (3u << 20) / 4; i++) heap[i] = i * 2654435761u;
    volatile long double x = 1.0L / 3.0L;
    fesetround(FE_UPWARD);
    tls_word = 42;
    signal(SIGUSR1, on_usr1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, 0);

    if (getenv("CKPT")) {
        int img = open("../ckpt.img", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        long r = syscall(__NR_j386_checkpoint, 0, img, 0, -1);
        if (r > 0) {
            printf("checkpointed\n");
            return 0;
        }
        if (r < 0) {
            printf("checkpoint failed\n");
            return 1;
        }
        fprintf(stderr, "restarted\n");
        close(img);
    }

    /* everything below must come out the same after a restart */
    raise(SIGUSR1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, 0, &now);
    unsigned sum = 0;
    for (unsigned i = 0; i < (3u << 20) / 4; i++) sum += heap[i] ^ i;
    char cwd[256];
    getcwd(cwd, sizeof cwd);
    const char *leaf = strrchr(cwd, '/');
    printf("heap checksum %08x\n", sum);
    printf("long double 1/3 * 3 = %.21Lg\n", x * 3.0L);
    printf("rounding mode upward: %s\n", fegetround() == FE_UPWARD ? "yes" : "no");
    printf("tls word %d\n", tls_word);
    printf("handler ran %d, SIGUSR2 still blocked: %s\n", usr1, sigismember(&now, SIGUSR2) ? "yes" : "no");
    printf("cwd ends in %s\n", leaf);
    printf("file offset %ld\n", (long)lseek(data, 0, SEEK_CUR));
    return 0;
}
