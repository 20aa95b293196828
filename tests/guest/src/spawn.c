/* vfork (the parent waits until the child execs or exits) and posix_spawn (the C libraries build it on CLONE_VM|CLONE_VFORK with a separate stack). */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void say(const char *s) { write(1, s, strlen(s)); }

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("spawned child with %d arguments: %s %s\n", argc, argv[1], argc > 2 ? argv[2] : "-");
        return 4;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    /* vfork: the child runs first, alone, until it exits */
    pid_t c = vfork();
    if (c == 0) {
        say("vfork child runs first\n");
        _exit(3);
    }
    say("vfork parent resumes after the child\n");
    int st;
    waitpid(c, &st, 0);
    printf("vfork child status %d\n", WEXITSTATUS(st));

    /* vfork then exec: the parent resumes at the exec */
    c = vfork();
    if (c == 0) {
        char *args[] = {argv[0], "child", "via-vfork-exec", NULL};
        execve(argv[0], args, environ);
        _exit(127);
    }
    /* (the parent resumes at the exec, concurrently with the new program: it prints only after the wait) */
    waitpid(c, &st, 0);
    printf("parent after vfork+exec: child status %d\n", WEXITSTATUS(st));

    /* posix_spawn, several times, so a broken shared stack would show */
    for (int i = 0; i < 3; i++) {
        char n[8];
        snprintf(n, sizeof n, "run%d", i);
        char *args[] = {argv[0], "child", n, NULL};
        pid_t p;
        int r = posix_spawn(&p, argv[0], NULL, NULL, args, environ);
        if (r != 0) { printf("posix_spawn failed: %d\n", r); return 1; }
        waitpid(p, &st, 0);
        printf("posix_spawn %d: status %d\n", i, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    /* posix_spawn of a missing program reports the error (through the vfork'd child) */
    char *bad[] = {"./no-such-program", NULL};
    pid_t p;
    int r = posix_spawn(&p, "./no-such-program", NULL, NULL, bad, environ);
    if (r == 0) { waitpid(p, &st, 0); printf("missing program: spawned, status %d\n", WEXITSTATUS(st)); }
    else printf("missing program: error %d\n", r);
    return 0;
}
