/* Robust futexes and clear_child_tid. A thread made with a bare clone (CLONE_THREAD,
 * CLONE_CHILD_SETTID and CLONE_CHILD_CLEARTID on a word of the main thread) registers its
 * own robust list (three locks on it, and a fourth as list_op_pending) and owns three of
 * those four futex words, which hold its tid; the fourth names another owner. The main
 * thread marks one owned word as having waiters. After SIGUSR1 the thread checks that
 * get_robust_list still gives its list, then ends with the exit system call: each word it
 * owned must become FUTEX_OWNER_DIED (keeping FUTEX_WAITERS), the main thread, asleep in
 * FUTEX_WAIT on the word with waiters, must be woken, the other owner's word must be
 * untouched, and the kernel must zero the thread's tid word and wake the main thread
 * waiting on it (what pthread_join relies on). */
#include "zdtm.h"
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAITERS 0x80000000
#define FUTEX_OWNER_DIED 0x40000000

struct lock { struct lock *next; volatile int word; };
struct head { struct lock *list; long offset; struct lock *pending; };

static struct head head;
static struct lock locks[4];
static volatile int ready, go, ctid, thread_ok = -1;
static volatile pid_t tid;
static char stack[64 * 1024] __attribute__((aligned(16)));

static void futex_wait(volatile int *w, int v) { syscall(SYS_futex, w, FUTEX_WAIT, v, 0, 0, 0); }
static void futex_wake(volatile int *w) { syscall(SYS_futex, w, FUTEX_WAKE, 1, 0, 0, 0); }

/* The thread: bare system calls only (it has no TLS of its own for libc). */
static int owner(void *arg) {
    (void) arg;
    pid_t me = syscall(SYS_gettid);
    tid = me;
    head.offset = offsetof(struct lock, word);
    head.list = &locks[0];
    locks[0].next = &locks[1];
    locks[1].next = &locks[2];
    locks[2].next = (struct lock *) &head;
    head.pending = &locks[3];
    locks[0].word = me;
    locks[1].word = me;
    locks[2].word = me + 1; /* another owner's */
    locks[3].word = me;
    int ok = syscall(SYS_set_robust_list, &head, sizeof head) == 0;
    ready = 1;
    futex_wake(&ready);
    while (!go) futex_wait(&go, 0);
    struct head *h = 0;
    size_t len = 0;
    ok = ok && syscall(SYS_get_robust_list, 0, &h, &len) == 0 && h == &head && len == sizeof head;
    ok = ok && syscall(SYS_gettid) == me;
    thread_ok = ok;
    syscall(SYS_exit, 0); /* the kernel alone cleans up */
    return 0;
}

int main(void) {
    zdtm_init();
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM
            | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
    int t = clone(owner, stack + sizeof stack, flags, 0, 0, 0, &ctid);
    CHECK(t > 0, "clone");
    while (!ready) futex_wait(&ready, 0);
    CHECK(ctid == t && tid == t, "CLONE_CHILD_SETTID wrote %d, the thread is %d", ctid, t);
    __atomic_or_fetch(&locks[1].word, FUTEX_WAITERS, __ATOMIC_SEQ_CST);
    int other = locks[2].word;
    zdtm_ready_and_wait();

    go = 1;
    futex_wake(&go);
    int v;
    while (((v = locks[1].word) & FUTEX_OWNER_DIED) == 0) futex_wait(&locks[1].word, v);
    while ((v = ctid) != 0) futex_wait(&ctid, v); /* as pthread_join */
    CHECK(thread_ok == 1, "the thread's robust list or tid was not its own after the restart");
    CHECK(locks[0].word == FUTEX_OWNER_DIED, "lock 0: %x, want OWNER_DIED", locks[0].word);
    CHECK(locks[1].word == (int) (FUTEX_OWNER_DIED | FUTEX_WAITERS), "lock 1: %x, want OWNER_DIED|WAITERS", locks[1].word);
    CHECK(locks[2].word == other, "lock 2 (another owner's): %x, was %x", locks[2].word, other);
    CHECK(locks[3].word == FUTEX_OWNER_DIED, "the pending lock: %x, want OWNER_DIED", locks[3].word);
    return zdtm_end();
}
