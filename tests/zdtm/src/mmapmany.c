/* Hundreds of mappings: 512 pages mapped at once, each filled with its own pattern, then
 * given alternating protections (read, read-write, none, read-exec) so that the region is
 * 512 VMAs; a 16-page region moved with mremap(MREMAP_FIXED) and a 4-page one grown in
 * place to 12 pages; the stack grown by about 1 MiB of recursion. After SIGUSR1 the lines
 * of /proc/self/maps are the same, every page holds its pattern (the PROT_NONE ones once
 * made readable), the protections still fault where they should, the grown region's new
 * pages are zero, and the stack grows on by 2 MiB more. */
#include "zdtm.h"
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <fcntl.h>

#define PAGES 512
#define PG 4096

static char *region, *moved, *grown;
static const int prots[4] = {PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE, PROT_READ | PROT_EXEC};

static char maps_before[128 * 1024], maps_after[128 * 1024];

static int read_maps(char *b, int size) {
    int fd = open("/proc/self/maps", O_RDONLY), n = 0, r;
    if (fd < 0) return -1;
    while (n < size - 1 && (r = read(fd, b + n, size - 1 - n)) > 0) n += r;
    close(fd);
    b[n] = 0;
    return n;
}

/* The maps lines whose start lies in [lo, hi), copied to out. */
static int lines_in(const char *maps, uintptr_t lo, uintptr_t hi, char *out, int size) {
    int n = 0;
    for (const char *l = maps; *l;) {
        const char *e = strchr(l, '\n');
        int len = e ? (int) (e - l) + 1 : (int) strlen(l);
        uintptr_t start = strtoul(l, 0, 16);
        if (start >= lo && start < hi && n + len < size) { memcpy(out + n, l, len); n += len; }
        l += len;
    }
    out[n] = 0;
    return n;
}

static sigjmp_buf jb;
static void on_segv(int s) { (void) s; siglongjmp(jb, 1); }

static int faults_on_write(volatile char *p) {
    if (sigsetjmp(jb, 1)) return 1;
    *p = 1;
    return 0;
}

static int faults_on_read(volatile char *p) {
    if (sigsetjmp(jb, 1)) return 1;
    (void) *p;
    return 0;
}

/* Recursion using about {@code kib} KiB of stack; returns a sum that depends on every frame. */
static int deep(int kib) {
    volatile char frame[1024];
    frame[0] = (char) kib;
    frame[1023] = 1;
    if (kib == 0) return 0;
    return deep(kib - 1) + frame[0] + frame[1023];
}

static unsigned char pattern(int page, int i) { return (unsigned char) (page * 7 + i / 512 + 1); }

int main(void) {
    zdtm_init();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, 0);
    region = mmap(0, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(region != MAP_FAILED, "mmap");
    for (int p = 0; p < PAGES; p++) for (int i = 0; i < PG; i += 512) region[p * PG + i] = pattern(p, i);
    for (int p = 0; p < PAGES; p++) CHECK(mprotect(region + p * PG, PG, prots[p % 4]) == 0, "mprotect page %d", p);
    char *src = mmap(0, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *dst = mmap(0, 32 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 16; i++) src[i * PG] = (char) (0x40 + i);
    moved = mremap(src, 16 * PG, 16 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 8 * PG);
    CHECK(moved == dst + 8 * PG, "mremap FIXED");
    grown = mmap(0, 64 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(munmap(grown + 4 * PG, 60 * PG) == 0, "munmap");
    CHECK(mprotect(grown, 4 * PG, PROT_READ | PROT_WRITE) == 0, "mprotect grown");
    for (int i = 0; i < 4; i++) grown[i * PG] = (char) (0x60 + i);
    CHECK(mremap(grown, 4 * PG, 12 * PG, 0) == grown, "mremap in place");
    int before_sum = deep(1024);
    CHECK(read_maps(maps_before, sizeof maps_before) > 0, "read maps");
    zdtm_ready_and_wait();

    CHECK(read_maps(maps_after, sizeof maps_after) > 0, "read maps after");
    static char a[64 * 1024], b[64 * 1024];
    uintptr_t lo = (uintptr_t) region, hi = lo + PAGES * PG;
    int na = lines_in(maps_before, lo, hi, a, sizeof a), nb = lines_in(maps_after, lo, hi, b, sizeof b);
    int vmas = 0;
    for (int i = 0; i < na; i++) vmas += a[i] == '\n';
    CHECK(vmas == PAGES, "%d mappings in the region before, want %d", vmas, PAGES);
    CHECK(na == nb && strcmp(a, b) == 0, "the region's maps lines changed (%d bytes, were %d)", nb, na);
    lines_in(maps_before, (uintptr_t) dst, (uintptr_t) dst + 32 * PG, a, sizeof a);
    lines_in(maps_after, (uintptr_t) dst, (uintptr_t) dst + 32 * PG, b, sizeof b);
    CHECK(strcmp(a, b) == 0, "the mremap'd region's maps lines changed:\n%s---\n%s", a, b);
    lines_in(maps_before, (uintptr_t) grown, (uintptr_t) grown + 12 * PG, a, sizeof a);
    lines_in(maps_after, (uintptr_t) grown, (uintptr_t) grown + 12 * PG, b, sizeof b);
    CHECK(strcmp(a, b) == 0, "the grown region's maps line changed:\n%s---\n%s", a, b);
    for (int p = 0; p < PAGES; p++) {
        char *pg = region + p * PG;
        if (prots[p % 4] == PROT_NONE) {
            CHECK(faults_on_read(pg), "PROT_NONE page %d can be read", p);
            mprotect(pg, PG, PROT_READ);
        }
        int bad = 0;
        for (int i = 0; i < PG; i += 512) bad |= (unsigned char) pg[i] != pattern(p, i);
        CHECK(!bad, "page %d lost its pattern", p);
        if (!(prots[p % 4] & PROT_WRITE)) CHECK(faults_on_write(pg), "page %d (prot %d) can be written", p, prots[p % 4]);
        else CHECK(!faults_on_write(pg), "read-write page %d cannot be written", p);
    }
    for (int i = 0; i < 16; i++) CHECK(moved[i * PG] == (char) (0x40 + i), "moved page %d", i);
    CHECK(faults_on_read(dst) && faults_on_read(dst + 24 * PG), "the rest of the PROT_NONE area can be read");
    for (int i = 0; i < 12; i++) CHECK(grown[i * PG] == (char) (i < 4 ? 0x60 + i : 0), "grown page %d holds %d", i, grown[i * PG]);
    grown[11 * PG + 5] = 9;
    CHECK(deep(1024) == before_sum, "the stack's recursion changed");
    CHECK(deep(3072) > before_sum, "the stack did not grow further");
    return zdtm_end();
}
