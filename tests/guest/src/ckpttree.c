/* A small process tree that works for a few seconds, for checkpoints of a whole tree taken
 * from outside (the guest's ckpt -s, or the host): the parent forks a child that leads its
 * own process group and forks a grandchild; the grandchild produces the numbers 1..N, one
 * every 100 ms, into a pipe; the child squares them into a second pipe; the parent prints
 * each square with a running sum, then reaps the child (which reaped the grandchild) and
 * prints how they ended. Everything printed follows from that logic alone, so a run that was
 * checkpointed, killed and restarted half-way must print exactly what an uninterrupted run
 * prints. Output is written line by line with write(2) (nothing waits in a stdio buffer). */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 30

static char line[128];

static void say(int n) { write(1, line, n); }

static int get(int fd, long *v) {
    int got = 0, r;
    while (got < (int) sizeof *v && (r = read(fd, (char *) v + got, sizeof *v - got)) > 0) got += r;
    return got == (int) sizeof *v;
}

int main(void) {
    int squares[2];
    pipe(squares);
    pid_t child = fork();
    if (child == 0) {
        close(squares[0]);
        setpgid(0, 0);
        int numbers[2];
        pipe(numbers);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            close(numbers[0]);
            struct timespec tick = {0, 100 * 1000 * 1000};
            for (long i = 1; i <= N; i++) {
                nanosleep(&tick, NULL);
                write(numbers[1], &i, sizeof i);
            }
            return 3;
        }
        close(numbers[1]);
        long v;
        while (get(numbers[0], &v)) {
            v *= v;
            write(squares[1], &v, sizeof v);
        }
        int st;
        waitpid(grandchild, &st, 0);
        /* the grandchild was in this process group: it still is, and exited with 3 */
        return WIFEXITED(st) && WEXITSTATUS(st) == 3 ? 4 : 1;
    }
    close(squares[1]);
    long v, sum = 0, count = 0;
    while (get(squares[0], &v)) {
        sum += v;
        count++;
        say(snprintf(line, sizeof line, "%ld: square %ld, sum %ld\n", count, v, sum));
    }
    say(snprintf(line, sizeof line, "child leads its own group: %s\n", getpgid(child) == child ? "yes" : "no"));
    int st;
    waitpid(child, &st, 0);
    say(snprintf(line, sizeof line, "child exited with %d after %ld numbers\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1, count));
    return 0;
}
