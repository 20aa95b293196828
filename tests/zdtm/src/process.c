/* Per-process settings: umask, working directory, rlimits, the alternate signal stack,
 * handler flags and masks, the blocked set, and a nice value. */
#include "zdtm.h"
#include <sys/resource.h>
#include <sys/stat.h>

static void h(int s) { (void) s; }

int main(void) {
    zdtm_init();
    umask(027);
    mkdir("zdtm-process.d", 0700);
    chdir("zdtm-process.d");
    struct rlimit rl = {100, 200};
    setrlimit(RLIMIT_NOFILE, &rl);
    static char alt[16384];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    sigaltstack(&ss, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART | SA_ONSTACK;
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGUSR2, &sa, 0);
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGALRM);
    sigprocmask(SIG_BLOCK, &b, 0);
    zdtm_ready_and_wait();
    mode_t m = umask(0);
    CHECK(m == 027, "umask %o", m);
    char cwd[256];
    CHECK(getcwd(cwd, sizeof cwd) && strstr(cwd, "/zdtm-process.d"), "cwd %s", cwd);
    struct rlimit now;
    getrlimit(RLIMIT_NOFILE, &now);
    CHECK(now.rlim_cur == 100 && now.rlim_max == 200, "RLIMIT_NOFILE %lu %lu", (unsigned long) now.rlim_cur, (unsigned long) now.rlim_max);
    stack_t cur;
    sigaltstack(0, &cur);
    CHECK(cur.ss_sp == alt && cur.ss_size == sizeof alt, "sigaltstack %p %zu", cur.ss_sp, cur.ss_size);
    struct sigaction old;
    sigaction(SIGUSR2, 0, &old);
    CHECK(old.sa_handler == h && (old.sa_flags & (SA_RESTART | SA_ONSTACK)) == (SA_RESTART | SA_ONSTACK) && sigismember(&old.sa_mask, SIGTERM),
          "SIGUSR2 disposition");
    sigset_t mask;
    sigprocmask(SIG_BLOCK, 0, &mask);
    CHECK(sigismember(&mask, SIGALRM), "SIGALRM no longer blocked");
    chdir("..");
    rmdir("zdtm-process.d");
    return zdtm_end();
}
