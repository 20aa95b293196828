/* Processes that exec'd before the checkpoint. The test re-executes itself at once (argv
 * "execd stage2 alpha", an environment with ZDTM_STAGE=2), so the process the harness
 * talks to is an exec'd one; it then forks a child that execs the same program once more
 * ("execd child beta gamma", ZDTM_STAGE=child). Each remembers what it sees through
 * /proc/self/exe, /proc/self/cmdline, /proc/self/environ and /proc/self/comm, its argv and
 * environ strings, and the auxiliary vector (AT_PAGESZ, AT_EXECFN and the 16 AT_RANDOM
 * bytes); after SIGUSR1 both check that all of it is unchanged. */
#include "zdtm.h"
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/wait.h>

extern char **environ;

struct seen {
    char exe[256], cmdline[256], environ[512], comm[32], execfn[256];
    int ncmd, nenv;
    unsigned char random[16];
    unsigned long pagesz;
};

static int slurp(const char *path, char *b, int size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = 0, r;
    while (n < size && (r = read(fd, b + n, size - n)) > 0) n += r;
    close(fd);
    return n;
}

static void look(struct seen *s) {
    memset(s, 0, sizeof *s);
    if (readlink("/proc/self/exe", s->exe, sizeof s->exe - 1) < 0) strcpy(s->exe, "(none)");
    s->ncmd = slurp("/proc/self/cmdline", s->cmdline, sizeof s->cmdline);
    s->nenv = slurp("/proc/self/environ", s->environ, sizeof s->environ);
    slurp("/proc/self/comm", s->comm, sizeof s->comm - 1);
    const char *fn = (const char *) getauxval(AT_EXECFN);
    if (fn) snprintf(s->execfn, sizeof s->execfn, "%s", fn);
    const unsigned char *r = (const unsigned char *) getauxval(AT_RANDOM);
    if (r) memcpy(s->random, r, 16);
    s->pagesz = getauxval(AT_PAGESZ);
}

/* What the process must see both before and after: argv and environ as given to execve. */
static int expected(const struct seen *s, char *const *argv, const char *stage, char *why, int whylen) {
    char want[256];
    int n = 0;
    for (int i = 0; argv[i]; i++) n += snprintf(want + n, sizeof want - n, "%s", argv[i]) + 1;
    if (s->ncmd != n || memcmp(s->cmdline, want, n) != 0) { snprintf(why, whylen, "cmdline (%d bytes) is not argv", s->ncmd); return 0; }
    char env[64];
    int en = snprintf(env, sizeof env, "ZDTM_STAGE=%s", stage) + 1;
    if (s->nenv < en || memcmp(s->environ, env, en) != 0) { snprintf(why, whylen, "environ does not start with %s", env); return 0; }
    if (strcmp(getenv("ZDTM_STAGE") ? getenv("ZDTM_STAGE") : "", stage) != 0) { snprintf(why, whylen, "getenv: %s", getenv("ZDTM_STAGE")); return 0; }
    if (strcmp(s->comm, "execd\n") != 0) { snprintf(why, whylen, "comm '%s'", s->comm); return 0; }
    if (s->pagesz != 4096 || s->exe[0] != '/') { snprintf(why, whylen, "page size %lu, exe '%s'", s->pagesz, s->exe); return 0; }
    return 1;
}

static int same(const struct seen *a, const struct seen *b, char *why, int whylen) {
    if (strcmp(a->exe, b->exe) != 0) { snprintf(why, whylen, "/proc/self/exe '%s', was '%s'", b->exe, a->exe); return 0; }
    if (a->ncmd != b->ncmd || memcmp(a->cmdline, b->cmdline, a->ncmd) != 0) { snprintf(why, whylen, "cmdline changed"); return 0; }
    if (a->nenv != b->nenv || memcmp(a->environ, b->environ, a->nenv) != 0) { snprintf(why, whylen, "environ changed"); return 0; }
    if (strcmp(a->comm, b->comm) != 0) { snprintf(why, whylen, "comm '%s', was '%s'", b->comm, a->comm); return 0; }
    if (strcmp(a->execfn, b->execfn) != 0 || a->pagesz != b->pagesz) { snprintf(why, whylen, "AT_EXECFN '%s' or AT_PAGESZ changed", b->execfn); return 0; }
    if (memcmp(a->random, b->random, 16) != 0) { snprintf(why, whylen, "AT_RANDOM bytes changed"); return 0; }
    return 1;
}

static void run_child(char **argv, int ready, int go, int report) {
    struct seen before, after;
    look(&before);
    char why[600] = "";
    int ok = expected(&before, argv, "child", why, sizeof why);
    write(ready, "c", 1);
    char c;
    if (read(go, &c, 1) != 1) _exit(2);
    look(&after);
    if (ok) ok = same(&before, &after, why, sizeof why);
    if (ok) ok = expected(&after, argv, "child", why, sizeof why);
    if (!ok) write(report, why, strlen(why));
    _exit(ok ? 0 : 1);
}

int main(int argc, char **argv) {
    char self[256];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) { zdtm_say("FAIL: no /proc/self/exe\nFAIL\n"); return 1; }
    self[n] = 0;
    if (argc == 1) { /* stage 1: become stage 2 */
        char *av[] = {"execd", "stage2", "alpha", 0};
        char *ev[] = {"ZDTM_STAGE=2", "ZDTM_OTHER=x y", 0};
        execve(self, av, ev);
        zdtm_say("FAIL: execve\nFAIL\n");
        return 1;
    }
    if (argc == 6 && strcmp(argv[1], "child") == 0)
        run_child(argv, atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    zdtm_init();
    int ready[2], go[2], report[2];
    pipe(ready);
    pipe(go);
    pipe(report);
    pid_t kid = fork();
    if (kid == 0) {
        char a[3][16];
        snprintf(a[0], 16, "%d", ready[1]);
        snprintf(a[1], 16, "%d", go[0]);
        snprintf(a[2], 16, "%d", report[1]);
        char *av[] = {"execd", "child", a[0], a[1], a[2], "beta gamma", 0};
        char *ev[] = {"ZDTM_STAGE=child", 0};
        execve(self, av, ev);
        _exit(3);
    }
    close(report[1]);
    struct seen before, after;
    look(&before);
    char why[600] = "";
    CHECK(expected(&before, argv, "2", why, sizeof why), "before: %s", why);
    char c;
    CHECK(read(ready[0], &c, 1) == 1, "the exec'd child did not report");
    zdtm_ready_and_wait();

    look(&after);
    CHECK(same(&before, &after, why, sizeof why), "%s", why);
    CHECK(expected(&after, argv, "2", why, sizeof why), "after: %s", why);
    CHECK(argc == 3 && strcmp(argv[2], "alpha") == 0 && strcmp(environ[1], "ZDTM_OTHER=x y") == 0, "argv or environ strings changed");
    CHECK(write(go[1], "g", 1) == 1, "cannot release the child");
    char r[600];
    int rn = read(report[0], r, sizeof r - 1);
    if (rn > 0) { r[rn] = 0; CHECK(0, "child: %s", r); }
    int st = 0;
    CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %x", st);
    return zdtm_end();
}
