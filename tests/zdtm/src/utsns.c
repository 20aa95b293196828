/* UTS namespaces (needs root): the parent unshares one and names it, a child shares it,
 * another child unshares again with its own names. After the restart each process sees its
 * namespace's hostname and domainname, and a sethostname by the child that shares the
 * parent's namespace is seen by the parent but not by the other child. */
#include "zdtm.h"
#include <sched.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static int is(const char *host, const char *domain) {
    struct utsname u;
    return uname(&u) == 0 && strcmp(u.nodename, host) == 0 && strcmp(u.domainname, domain) == 0;
}

int main(void) {
    zdtm_init();
    CHECK(unshare(CLONE_NEWUTS) == 0, "unshare (needs root)");
    CHECK(sethostname("zdtm-outer", 10) == 0 && setdomainname("outer.dom", 9) == 0, "sethostname");
    int go[2][2], back[2];
    pipe(back);
    pid_t c[2];
    for (int k = 0; k < 2; k++) {
        pipe(go[k]);
        c[k] = fork();
        if (c[k] == 0) {
            if (k == 1 && (unshare(CLONE_NEWUTS) != 0 || sethostname("zdtm-inner", 10) != 0)) _exit(2);
            write(back[1], "k", 1);
            char x;
            if (read(go[k][0], &x, 1) != 1) _exit(3);
            if (k == 0) {
                if (!is("zdtm-outer", "outer.dom")) _exit(4);
                if (sethostname("zdtm-renamed", 12) != 0) _exit(5);
            } else if (!is("zdtm-inner", "outer.dom")) {
                _exit(6);
            }
            write(back[1], "k", 1);
            if (read(go[k][0], &x, 1) != 1) _exit(7);
            _exit(k == 1 && !is("zdtm-inner", "outer.dom") ? 8 : 0);
        }
    }
    char x;
    read(back[0], &x, 1);
    read(back[0], &x, 1);
    zdtm_ready_and_wait();

    CHECK(is("zdtm-outer", "outer.dom"), "the parent's names");
    int st;
    for (int k = 0; k < 2; k++) {
        write(go[k][1], "g", 1);
        read(back[0], &x, 1);
    }
    CHECK(is("zdtm-renamed", "outer.dom"), "the shared namespace was renamed by the child");
    for (int k = 0; k < 2; k++) {
        write(go[k][1], "g", 1);
        CHECK(waitpid(c[k], &st, 0) == c[k] && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d: %x", k, st);
    }
    return zdtm_end();
}
