/* UTS and IPC namespaces: uname, sethostname/setdomainname in a child that unshared its UTS
 * namespace (the parent keeps its names), clone(CLONE_NEWUTS), unshare(CLONE_NEWIPC) hiding
 * the parent's SysV objects, and the errors. Creating namespaces needs root (CAP_SYS_ADMIN):
 * run by anyone else, every check expects Linux's EPERM instead and the output is the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static int priv;

static void check(const char *what, int ok) {
    printf("%-62s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

/* root: the call succeeded; anyone else: it failed with EPERM */
static int as_linux(int r) {
    return priv ? r == 0 : r == -1 && errno == EPERM;
}

static int child_status(pid_t c) {
    int st;
    if (waitpid(c, &st, 0) != c) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char clone_stack[64 * 1024];
static char longname[128];
/* volatile: the compiler must not see through the deliberately bad arguments */
static volatile size_t huge = (size_t) -1;
static const char *volatile badptr = (const char *) 16;
static int in_clone(void *arg) {
    (void) arg;
    struct utsname u;
    if (sethostname("cloned", 6) != 0 || uname(&u) != 0) return 1;
    return strcmp(u.nodename, "cloned") == 0 ? 0 : 2;
}

int main(void) {
    priv = geteuid() == 0;
    struct utsname u, orig;
    check("uname", uname(&orig) == 0);
    check("sysname is Linux", strcmp(orig.sysname, "Linux") == 0);
    char host[256];
    check("gethostname agrees with uname", gethostname(host, sizeof host) == 0 && strcmp(host, orig.nodename) == 0);
    char dom[256];
    check("getdomainname agrees with uname", getdomainname(dom, sizeof dom) == 0 && strcmp(dom, orig.domainname) == 0);

    fflush(stdout);
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        char line[400];
        int ok = as_linux(unshare(CLONE_NEWUTS));
        ok = ok && as_linux(sethostname("j386-uts-test", 13));
        ok = ok && as_linux(setdomainname("uts.example", 11));
        uname(&u);
        if (priv) ok = ok && strcmp(u.nodename, "j386-uts-test") == 0 && strcmp(u.domainname, "uts.example") == 0;
        else ok = ok && strcmp(u.nodename, orig.nodename) == 0;
        /* a grandchild shares the child's namespace */
        pid_t g = fork();
        if (g == 0) {
            struct utsname v;
            uname(&v);
            _exit(strcmp(v.nodename, u.nodename) == 0 ? 0 : 1);
        }
        ok = ok && child_status(g) == 0;
        /* errors, which change nothing */
        errno = 0;
        memset(longname, 'x', sizeof longname - 1);
        int e1 = sethostname(longname, 65) == -1 && errno == (priv ? EINVAL : EPERM);
        int e2 = sethostname(longname, huge) == -1 && errno == (priv ? EINVAL : EPERM);
        int e3 = sethostname(badptr, 4) == -1 && errno == (priv ? EFAULT : EPERM);
        int e4 = setdomainname(longname, 65) == -1 && errno == (priv ? EINVAL : EPERM);
        snprintf(line, sizeof line, "%d%d%d%d%d", ok, e1, e2, e3, e4);
        write(p[1], line, strlen(line));
        _exit(0);
    }
    char res[8] = {0};
    read(p[0], res, 5);
    child_status(c);
    check("a child unshares CLONE_NEWUTS, sets both names, uname shows them", res[0] == '1');
    check("sethostname with 65 bytes: EINVAL", res[1] == '1');
    check("sethostname with a huge length: EINVAL", res[2] == '1');
    check("sethostname from a bad pointer: EFAULT", res[3] == '1');
    check("setdomainname with 65 bytes: EINVAL", res[4] == '1');
    uname(&u);
    check("the parent's names did not change", strcmp(u.nodename, orig.nodename) == 0
          && strcmp(u.domainname, orig.domainname) == 0);

    /* a 64-byte name is the longest */
    c = fork();
    if (c == 0) {
        const char *n64 = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl";
        int ok = as_linux(unshare(CLONE_NEWUTS)) && as_linux(sethostname(n64, 64));
        uname(&u);
        if (priv) ok = ok && strcmp(u.nodename, n64) == 0;
        _exit(ok ? 0 : 1);
    }
    check("a 64-byte hostname", child_status(c) == 0);

    /* clone with CLONE_NEWUTS */
    c = clone(in_clone, clone_stack + sizeof clone_stack, CLONE_NEWUTS | SIGCHLD, NULL);
    if (priv) check("clone(CLONE_NEWUTS): the child names its own namespace", c > 0 && child_status(c) == 0);
    else check("clone(CLONE_NEWUTS): the child names its own namespace", c == -1 && errno == EPERM);
    uname(&u);
    check("the parent's hostname is still its own", strcmp(u.nodename, orig.nodename) == 0);

    /* unshare(CLONE_NEWIPC) */
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct { long type; char text[8]; } m = {1, "hi"};
    msgsnd(q, &m, 2, 0);
    c = fork();
    if (c == 0) {
        struct msqid_ds ds;
        int ok = as_linux(unshare(CLONE_NEWIPC));
        if (priv) {
            ok = ok && msgctl(q, IPC_STAT, &ds) == -1 && errno == EINVAL; /* not in this namespace */
            int own = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
            ok = ok && own >= 0 && msgsnd(own, &m, 2, 0) == 0 && msgctl(own, IPC_RMID, NULL) == 0;
        } else {
            ok = ok && msgctl(q, IPC_STAT, &ds) == 0;
        }
        _exit(ok ? 0 : 1);
    }
    check("unshare(CLONE_NEWIPC): the parent's queue is out of sight", child_status(c) == 0);
    struct msqid_ds ds;
    check("the parent's queue still holds its message", msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1);
    msgctl(q, IPC_RMID, NULL);

    errno = 0;
    check("unshare of an unknown flag: EINVAL", unshare(0x1) == -1 && errno == EINVAL);
    check("unshare(0) does nothing", unshare(0) == 0);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
