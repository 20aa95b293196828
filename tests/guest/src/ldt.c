/* modify_ldt: a program builds its own LDT segments and uses them: a data segment with a
 * base loaded into %fs, reading the table back, an old-mode write, and a 16-bit code
 * segment entered with a far call. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct user_desc_ {
    unsigned int entry_number, base_addr, limit;
    unsigned int seg_32bit:1, contents:2, read_exec_only:1, limit_in_pages:1, seg_not_present:1, useable:1;
};

static int failures;
static void check(const char *what, int ok) {
    printf("%-50s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static long mldt(int func, void *p, unsigned long n) { return syscall(SYS_modify_ldt, func, p, n); }

static int buffer[64];
/* 16-bit code: mov ax, 0x1234 ; add ax, bx ; o32 retf */
static unsigned char code16[] = {0xb8, 0x34, 0x12, 0x01, 0xd8, 0x66, 0xcb};

int main(void) {
    for (int i = 0; i < 64; i++) buffer[i] = i * 3 + 1;

    struct user_desc_ d;
    memset(&d, 0, sizeof d);
    d.entry_number = 1;
    d.base_addr = (unsigned)buffer;
    d.limit = sizeof buffer - 1;
    d.seg_32bit = 1;
    check("write a data segment (new mode)", mldt(0x11, &d, sizeof d) == 0);

    unsigned short sel = (1 << 3) | 4 | 3;
    int v;
    __asm__ volatile("push %%fs\n\tmov %w1, %%fs\n\tmovl %%fs:20, %0\n\tpop %%fs" : "=r"(v) : "r"(sel));
    check("read through %fs with an LDT base", v == buffer[5]);

    unsigned char table[32];
    memset(table, 0xee, sizeof table);
    long n = mldt(0, table, sizeof table);
    check("read the LDT back: bytecount returned", n == 32);
    int zero_tail = 1;
    for (int i = 16; i < 32; i++) zero_tail &= table[i] == 0;
    check("bytes past the 2 entries are zero-filled", zero_tail);
    unsigned base = table[8 + 2] | table[8 + 3] << 8 | table[8 + 4] << 16 | (unsigned)table[8 + 7] << 24;
    check("descriptor base matches", base == (unsigned)buffer);
    check("descriptor type: data, writable, accessed, DPL 3, present", table[8 + 5] == 0xf3);
    check("entry 0 is empty", !memcmp(table, "\0\0\0\0\0\0\0\0", 8));

    /* a 16-bit code segment over a copy of code16[] in executable memory, entered by lcall */
    unsigned char *text = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(text, code16, sizeof code16);
    memset(&d, 0, sizeof d);
    d.entry_number = 2;
    d.base_addr = (unsigned)text;
    d.limit = sizeof code16 - 1;
    d.contents = 2;     /* code */
    d.seg_32bit = 0;    /* 16-bit */
    check("write a 16-bit code segment", mldt(1, &d, sizeof d) == 0);
    struct { unsigned off; unsigned short sel; } __attribute__((packed)) target = {0, (2 << 3) | 4 | 3};
    int r;
    __asm__ volatile("mov $0x0101, %%ebx\n\tlcall *%1\n\tmovzwl %%ax, %0" : "=r"(r) : "m"(target) : "eax", "ebx", "memory");
    check("far call into 16-bit code and back", r == 0x1335);

    /* an entry number past the end of the table is refused */
    memset(&d, 0, sizeof d);
    d.entry_number = 9000;
    check("entry 9000 is EINVAL", mldt(0x11, &d, sizeof d) == -1);
    check("bad bytecount is EINVAL", mldt(0x11, &d, 8) == -1);

    printf("ldt: %s\n", failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
