/* Memory layout and protections: a grown heap, a read-only page written before its
 * mprotect, a PROT_NONE page, a mapping with a hole in it, a private file mapping written
 * after mapping, and an untouched region that must stay zero. */
#include "zdtm.h"
#include <fcntl.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static sigjmp_buf jb;
static void on_segv(int s) { (void) s; siglongjmp(jb, 1); }

int main(void) {
    zdtm_init();
    char *heap = (char *) syscall(SYS_brk, 0); /* the brk system call itself: musl's sbrk only reads it */
    syscall(SYS_brk, heap + 3 * 4096);
    for (int i = 0; i < 3 * 4096; i++) heap[i] = (char) (i * 7);
    char *ro = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(ro, 0x5a, 4096);
    mprotect(ro, 4096, PROT_READ);
    char *none = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *holed = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    holed[0] = 1;
    holed[2 * 4096] = 3;
    int fd = open("zdtm-memory.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[4096];
    memset(page, 'f', sizeof page);
    write(fd, page, sizeof page);
    char *fm = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    fm[10] = 'W';
    char *zero = mmap(0, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(holed + 4096, 4096); /* last, so that no later mapping fills the hole */
    zdtm_ready_and_wait();
    int bad = 0;
    for (int i = 0; i < 3 * 4096; i++) if (heap[i] != (char) (i * 7)) bad++;
    CHECK(bad == 0 && (char *) syscall(SYS_brk, 0) == heap + 3 * 4096, "heap: %d bad bytes", bad);
    CHECK(ro[0] == 0x5a && ro[4095] == 0x5a, "read-only page contents");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, 0);
    int faults = 0;
    if (sigsetjmp(jb, 1) == 0) ro[0] = 1; else faults++;
    if (sigsetjmp(jb, 1) == 0) { volatile char c = none[0]; (void) c; } else faults++;
    if (sigsetjmp(jb, 1) == 0) { volatile char c = holed[4096]; (void) c; } else faults++;
    CHECK(faults == 3, "%d of 3 protections held", faults);
    CHECK(holed[0] == 1 && holed[2 * 4096] == 3, "around the hole");
    CHECK(fm[10] == 'W' && fm[11] == 'f', "private file mapping");
    char back;
    pread(fd, &back, 1, 10);
    CHECK(back == 'f', "the private store reached the file");
    bad = 0;
    for (int i = 0; i < 8 * 4096; i++) if (zero[i]) bad++;
    CHECK(bad == 0, "untouched memory: %d non-zero bytes", bad);
    unlink("zdtm-memory.dat");
    return zdtm_end();
}
