/* A program that checkpoints itself, for restarts through the guest's own restart tool
 * (j386 only). `selfckpt IMAGE` sums the squares below 1000 on the heap, installs a
 * SIGUSR1 handler, opens a scratch file and writes to it, then checkpoints itself into IMAGE
 * (checkpoint(0, fd, 0, 2)) and stops with "checkpointed". `restart < IMAGE` brings it back
 * right after the call, which then returns 0: it signals itself (kill(getpid()), since the
 * restarted task has its restarter's pid), finishes the work and prints what it has. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../include/j386.h"

static volatile int handled;
static void on_usr1(int sig) { handled++; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: selfckpt IMAGE\n"); return 2; }
    long *squares = malloc(1000 * sizeof *squares);
    for (long i = 0; i < 1000; i++) squares[i] = i * i;
    signal(SIGUSR1, on_usr1);
    int scratch = open("selfckpt.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(scratch, "before\n", 7);

    int img = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
    long r = syscall(__NR_j386_checkpoint, 0, img, 0, 2);
    if (r < 0) { perror("checkpoint"); return 1; }
    if (r > 0) { printf("checkpointed\n"); return 0; }
    close(img);

    kill(getpid(), SIGUSR1);
    long sum = 0;
    for (long i = 0; i < 1000; i++) sum += squares[i];
    write(scratch, "after\n", 6);
    printf("restarted: sum of squares below 1000 = %ld, handler ran %d time(s), scratch offset %ld\n",
           sum, handled, (long) lseek(scratch, 0, SEEK_CUR));
    return 0;
}
