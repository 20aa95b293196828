/* Thread-local storage in every form i386 has: three threads and the main thread, each
 * with its own GDT TLS entries made by set_thread_area (musl's own for %gs, one more and,
 * in one thread, a third) holding distinct bases, a __thread array,
 * and %fs pointing at a segment of its own: a GDT TLS entry, or an LDT entry (modify_ldt)
 * that the main thread made after the threads were created (the LDT belongs to the
 * address space, so they all see it). After SIGUSR1 each thread in turn checks its
 * selectors, what %fs:0 and %gs:0 read, get_thread_area and its __thread array; then
 * worker 2 adds LDT entry 2 and worker 1 loads a selector for it (the grown table is
 * shared after the restart too), and the main thread compares the LDT with what it read. */
#include "zdtm.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>

struct desc { /* struct user_desc */
    unsigned entry, base, limit;
    unsigned seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1, seg_not_present : 1, useable : 1;
};

#define W 3

static __thread unsigned tarr[16];
static unsigned blocks[W + 1][4];          /* one GDT-segment block per thread, the main thread's last */
static unsigned ldt_block0[4] = {0x1d70000, 1, 2, 3}, ldt_block2[4] = {0x1d72222, 0, 0, 0};
static unsigned block8[4] = {0x8888, 0, 0, 0};
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started, ldt_made, turn = -1;
static int ok[W + 1];

static unsigned fs_sel(void) { unsigned v; __asm__ volatile("mov %%fs, %0" : "=r"(v)); return v & 0xffff; }
static unsigned gs_sel(void) { unsigned v; __asm__ volatile("mov %%gs, %0" : "=r"(v)); return v & 0xffff; }
static void set_fs(unsigned sel) { __asm__ volatile("mov %0, %%fs" : : "r"(sel)); }
static unsigned fs_read0(void) { unsigned v; __asm__ volatile("movl %%fs:0, %0" : "=r"(v)); return v; }
static uintptr_t gs_read0(void) { uintptr_t v; __asm__ volatile("movl %%gs:0, %0" : "=r"(v)); return v; }

static void data_desc(struct desc *d, unsigned entry, void *base) {
    memset(d, 0, sizeof *d);
    d->entry = entry;
    d->base = (unsigned) (uintptr_t) base;
    d->limit = 0xfff;
    d->seg_32bit = 1;
    d->useable = 1;
}

static int tls_entry(unsigned entry, void *base) { /* entry -1: the first free one; returns it */
    struct desc d;
    data_desc(&d, entry, base);
    if (syscall(SYS_set_thread_area, &d) != 0) return -1;
    return (int) d.entry;
}

static unsigned tls_base(unsigned entry) {
    struct desc d;
    memset(&d, 0, sizeof d);
    d.entry = entry;
    if (syscall(SYS_get_thread_area, &d) != 0) return 0;
    return d.base;
}

#define T_CHECK(i, cond, ...) do { if (!(cond)) { ok[i] = 0; zdtm_say("FAIL: thread %d: ", i); zdtm_say(__VA_ARGS__); zdtm_say("\n"); } } while (0)

/* The TLS entries: libc's for %gs (6 under i386 Linux and j386, 12 under x86-64 Linux), then E1 and E2. */
static unsigned e1, e2;

/* Thread i's segments: 0 and main: entry E1; 1: LDT entry 0; 2: entries E1 and E2, %fs on E2. */
static unsigned setup(int i) {
    blocks[i][0] = 0x7000 + i;
    for (int k = 0; k < 16; k++) tarr[k] = i * 100 + k;
    if (i == 1) return 0x07;                             /* LDT index 0, TI=1, RPL 3 (once the LDT exists) */
    int e = tls_entry(-1, blocks[i]);
    if (e < 0 || (unsigned) e != e1) return 0;
    if (i == 2 && tls_entry(e2, block8) != (int) e2) return 0;
    return ((i == 2 ? e2 : e1) << 3) | 3;
}

static void verify(int i, unsigned fs, unsigned gs) {
    T_CHECK(i, fs_sel() == fs && gs_sel() == gs, "selectors %x %x, were %x %x", fs_sel(), gs_sel(), fs, gs);
    unsigned want = i == 1 ? ldt_block0[0] : i == 2 ? block8[0] : blocks[i][0];
    T_CHECK(i, fs_read0() == want, "%%fs:0 reads %x, want %x", fs_read0(), want);
    T_CHECK(i, gs_read0() == (uintptr_t) pthread_self(), "%%gs:0 is not the thread's own pointer");
    if (i != 1) T_CHECK(i, tls_base(e1) == (unsigned) (uintptr_t) blocks[i], "entry %u's base %x", e1, tls_base(e1));
    if (i == 2) T_CHECK(i, tls_base(e2) == (unsigned) (uintptr_t) block8, "entry %u's base %x", e2, tls_base(e2));
    for (int k = 0; k < 16; k++) T_CHECK(i, tarr[k] == (unsigned) (i * 100 + k), "__thread element %d is %u", k, tarr[k]);
}

static void next_turn(void) {
    pthread_mutex_lock(&mu);
    turn++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void *worker(void *arg) {
    int i = (int) (long) arg;
    unsigned fs = setup(i);
    pthread_mutex_lock(&mu);
    while (i == 1 && !ldt_made) pthread_cond_wait(&cv, &mu);
    set_fs(fs);
    unsigned gs = gs_sel();
    started++;
    pthread_cond_broadcast(&cv);
    int slot = i == 0 ? 0 : i == 2 ? 1 : 2; /* worker 2 adds LDT entry 2 before worker 1 uses it */
    while (turn != slot) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);

    ok[i] = 1;
    verify(i, fs, gs);
    if (i == 1) { /* worker 2 has just added LDT entry 2 */
        set_fs(0x17);
        T_CHECK(i, fs_read0() == ldt_block2[0], "LDT entry 2 made by another thread after the restart reads %x", fs_read0());
        set_fs(fs);
    }
    if (i == 2) {
        struct desc d;
        data_desc(&d, 2, ldt_block2);
        T_CHECK(i, syscall(SYS_modify_ldt, 1, &d, sizeof d) == 0, "modify_ldt entry 2");
    }
    next_turn();
    return 0;
}

int main(void) {
    zdtm_init();
    e1 = (gs_sel() >> 3) + 1;
    e2 = e1 + 1;
    pthread_t th[W];
    for (int i = 0; i < W; i++) pthread_create(&th[i], 0, worker, (void *) (long) i);
    unsigned fs = setup(W);
    struct desc d;
    data_desc(&d, 0, ldt_block0);
    CHECK(syscall(SYS_modify_ldt, 1, &d, sizeof d) == 0, "modify_ldt entry 0");
    unsigned long long ldt_before[3] = {0, 0, 0}, ldt_after[3] = {0, 0, 0};
    CHECK(syscall(SYS_modify_ldt, 0, ldt_before, sizeof ldt_before) == sizeof ldt_before, "read the LDT");
    set_fs(fs);
    unsigned gs = gs_sel();
    pthread_mutex_lock(&mu);
    ldt_made = 1;
    pthread_cond_broadcast(&cv);
    while (started < W) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    zdtm_ready_and_wait();

    ok[W] = 1;
    verify(W, fs, gs);
    pthread_mutex_lock(&mu);
    turn = 0;
    pthread_cond_broadcast(&cv);
    while (turn < W) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < W; i++) {
        CHECK(pthread_join(th[i], 0) == 0, "join %d", i);
        CHECK(ok[i], "thread %d failed", i);
    }
    CHECK(ok[W], "the main thread failed");
    CHECK(syscall(SYS_modify_ldt, 0, ldt_after, sizeof ldt_after) == sizeof ldt_after, "read the LDT after");
    CHECK(ldt_after[0] == ldt_before[0] && ldt_before[0] != 0, "LDT entry 0 changed: %llx, was %llx", ldt_after[0], ldt_before[0]);
    CHECK(ldt_after[1] == 0 && ldt_after[2] != 0, "LDT entries 1 and 2: %llx %llx", ldt_after[1], ldt_after[2]);
    return zdtm_end();
}
