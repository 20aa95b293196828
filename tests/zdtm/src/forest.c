/* A tree of N processes (default 16: the root, 3 children, each with 4 children) holding
 * M MiB in total (default 16), each process its share filled with its own pattern. After
 * SIGUSR1 every process checks its memory and exits 0; the root checks them all.
 * Also the workload of the checkpoint benchmark: forest N M. */
#include "zdtm.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile sig_atomic_t usr2;
static void on_usr2(int s) { (void) s; usr2 = 1; }

static uint32_t *mem;
static size_t words;

static void fill(uint32_t seed) { for (size_t i = 0; i < words; i++) mem[i] = seed * 2654435761u + (uint32_t) i; }
static int intact(uint32_t seed) {
    for (size_t i = 0; i < words; i++) if (mem[i] != seed * 2654435761u + (uint32_t) i) return 0;
    return 1;
}

static int ready[2];

/* A process: its own memory, `nkids` children with kid_kids[k] children each, then (unless
 * it is the root) report and wait for SIGUSR2 to check everything and end. */
static void grow(int root, int nkids, const int *kid_kids) {
    fill((uint32_t) getpid());
    pid_t kids[64];
    for (int k = 0; k < nkids; k++) {
        pid_t c = fork();
        if (c == 0) grow(0, kid_kids ? kid_kids[k] : 0, 0);
        kids[k] = c;
    }
    if (root) return;
    char c = 'r';
    write(ready[1], &c, 1);
    sigset_t s;
    sigemptyset(&s);
    while (!usr2) sigsuspend(&s);
    int ok = intact((uint32_t) getpid());
    for (int k = 0; k < nkids; k++) {
        kill(kids[k], SIGUSR2);
        int st;
        if (waitpid(kids[k], &st, 0) != kids[k] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) ok = 0;
    }
    _exit(ok ? 0 : 1);
}

int main(int argc, char **argv) {
    zdtm_init();
    int total = argc > 1 ? atoi(argv[1]) : 16;
    int mib = argc > 2 ? atoi(argv[2]) : 16;
    if (total < 1 || total > 64 || mib < 1) { zdtm_say("usage: forest [PROCESSES 1..64] [MIB]\n"); return 2; }
    words = ((size_t) mib << 20) / total / 4;
    mem = mmap(0, words * 4 + 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(mem != MAP_FAILED, "mmap");
    zdtm_catch_blocked(SIGUSR2, on_usr2);
    pipe(ready);
    setpgid(0, 0); /* our own group: the kill(0, ...) below reaches exactly the tree */
    /* the root's children: enough that, with up to 4 children each, the tree has `total` processes */
    int first = (total - 1 + 4) / 5, kid_kids[64] = {0}, left = total - 1 - first;
    for (int k = 0; k < first; k++) {
        kid_kids[k] = left < 4 ? left : 4;
        left -= kid_kids[k];
    }
    grow(1, first, kid_kids);
    for (int i = 0; i < total - 1; i++) {
        char c;
        CHECK(read(ready[0], &c, 1) == 1, "a process did not report");
    }
    zdtm_ready_and_wait();

    CHECK(intact((uint32_t) getpid()), "the root's memory changed");
    /* every process of the tree is in our process group: signal them all */
    signal(SIGUSR2, SIG_IGN);
    kill(0, SIGUSR2);
    int st, reaped = 0;
    pid_t w;
    while ((w = wait(&st)) > 0) {
        reaped++;
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "subtree of %d: status %x", (int) w, st);
    }
    CHECK(reaped == first, "reaped %d children, want %d", reaped, first);
    return zdtm_end();
}
