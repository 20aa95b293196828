/*
 * init: the first process of the j386 userland.
 *
 * It mounts nothing (the kernel model provides the file systems), makes sure the
 * environment has PATH, HOME and a working directory of /, runs /etc/rc with /bin/sh when
 * that file exists, then starts /bin/sh on the console (init's own stdin, stdout and
 * stderr). It reaps every orphan the kernel hands it, forever; it ignores SIGINT, SIGQUIT
 * and SIGTSTP so that the console's keys never end it.
 *
 * When the console shell exits, init exits with the shell's status (128+N when a signal N
 * ended it). The machine ends with its first process, so `j386 run` then returns that
 * status: leaving the shell is how one shuts the guest down, and a script piped into the
 * shell makes `j386 run` a batch job whose status is the script's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int status_of(int st)
{
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return 1;
}

static pid_t spawn(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGTSTP, SIG_DFL);
        execve(argv[0], argv, environ);
        fprintf(stderr, "init: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

/* waits until `pid` ends, reaping every other child on the way; returns its status */
static int wait_for(pid_t pid)
{
    for (;;) {
        int st;
        pid_t r = wait(&st);
        if (r == pid) return status_of(st);
        if (r < 0 && errno == ECHILD) return 127;
    }
}

int main(void)
{
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    if (!getenv("PATH")) setenv("PATH", "/bin", 1);
    if (!getenv("HOME")) setenv("HOME", "/", 1);
    if (chdir("/") < 0) fprintf(stderr, "init: chdir /: %s\n", strerror(errno));
    setenv("PWD", "/", 1);

    if (access("/etc/rc", F_OK) == 0) {
        char *rc[] = { "/bin/sh", "/etc/rc", NULL };
        pid_t pid = spawn(rc);
        if (pid > 0) {
            int st = wait_for(pid);
            if (st != 0) fprintf(stderr, "init: /etc/rc exited with status %d\n", st);
        }
    }

    char *sh[] = { "/bin/sh", NULL };
    pid_t shell = spawn(sh);
    if (shell < 0) return 1;
    int st = wait_for(shell);
    /* the console shell is gone: reap what is already dead, then end the machine */
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
    return st;
}
