/* Processes: fork with copy-on-write, exit statuses through wait, a pipe between parent
 * and child in both directions, execve of this same program, WNOHANG, a child killed by a
 * signal, and orphans. Only the parent prints, after the fact, so the output does not
 * depend on scheduling. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
static int errno_is_enoent(void) { return errno == ENOENT; }

static int failures;
static void check(const char *what, int ok) {
    printf("%-50s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static int shared_counter = 100;
static char big[256 * 1024];

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        /* the program after execve: exit with a status computed from our argument */
        return atoi(argv[2]) + 1;
    }
    fflush(stdout);

    /* copy-on-write: the child's writes are its own */
    memset(big, 'p', sizeof big);
    pid_t pid = fork();
    if (pid == 0) {
        shared_counter = 7;
        memset(big, 'c', sizeof big);
        _exit(shared_counter + (big[1000] == 'c'));
    }
    int status = -1;
    check("fork returns the child pid", pid > 0);
    check("wait4 reaps it", waitpid(pid, &status, 0) == pid);
    check("child exit status 8", WIFEXITED(status) && WEXITSTATUS(status) == 8);
    check("parent memory unchanged (copy-on-write)", shared_counter == 100 && big[1000] == 'p' && big[sizeof big - 1] == 'p');

    /* a pipe, parent -> child -> parent */
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    pid = fork();
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        char buf[64];
        int n = 0, r;
        while ((r = read(to_child[0], buf + n, sizeof buf - n)) > 0) n += r;
        for (int i = 0; i < n; i++) if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
        write(to_parent[1], buf, n);
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    write(to_child[1], "hello, pipe", 11);
    close(to_child[1]);
    char back[64] = {0};
    int n = 0, r;
    while ((r = read(to_parent[0], back + n, sizeof back - n)) > 0) n += r;
    waitpid(pid, &status, 0);
    check("round trip through two pipes", n == 11 && memcmp(back, "HELLO, PIPE", 11) == 0);
    check("reader saw EOF after the writer closed", WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* execve: the child becomes this program with other arguments */
    pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "exec-child", "41", 0};
        char *env[] = {"X=1", 0};
        execve(argv[0], args, env);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    check("execve'd child exits with 42", WIFEXITED(status) && WEXITSTATUS(status) == 42);

    /* execve of a missing file fails in the caller */
    pid = fork();
    if (pid == 0) {
        char *args[] = {"nope", 0};
        execve("./no-such-program", args, 0);
        _exit(errno_is_enoent() ? 3 : 4);
    }
    waitpid(pid, &status, 0);
    check("execve of a missing file: ENOENT", WIFEXITED(status) && WEXITSTATUS(status) == 3);

    /* WNOHANG while the child sleeps, then a real wait */
    pid = fork();
    if (pid == 0) {
        usleep(20000);
        _exit(5);
    }
    check("WNOHANG returns 0 while the child runs", waitpid(pid, &status, WNOHANG) == 0);
    check("then the child is reaped", waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 5);

    /* a child killed by a signal */
    pid = fork();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check("child killed by SIGTERM", WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

    /* MAP_SHARED anonymous memory stays shared across fork, touched before or not */
    int *shm = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    shm[0] = 1;                       /* page 0 touched before the fork, pages 1-2 not */
    pid = fork();
    if (pid == 0) {
        shm[0] += 10;
        shm[1024] = 20;
        shm[2048] = 30;
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check("MAP_SHARED anonymous memory is shared with the child", shm[0] == 11 && shm[1024] == 20 && shm[2048] == 30);

    /* no children left */
    check("wait with no children: ECHILD", waitpid(-1, &status, 0) == -1);

    /* several children, reaped in any order, all accounted for */
    int sum = 0;
    for (int i = 1; i <= 5; i++) if (fork() == 0) _exit(i * 10);
    for (int i = 0; i < 5; i++) { wait(&status); sum += WEXITSTATUS(status); }
    check("five children, statuses sum to 150", sum == 150);

    printf("fork: %s\n", failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
