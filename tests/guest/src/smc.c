/* Self-modifying code: the emulator must execute the bytes as they are now, not as
 * they were when it first saw them (decoded-instruction caches must notice writes). */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef int (*fn_t)(int);

/* mov eax, imm32 ; add eax, [esp+4] ; ret */
static void emit_add_const(unsigned char *p, int k) {
    p[0] = 0xb8; memcpy(p + 1, &k, 4);
    p[5] = 0x03; p[6] = 0x44; p[7] = 0x24; p[8] = 0x04;
    p[9] = 0xc3;
}

int main(void) {
    unsigned char *code = mmap(0, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { puts("mmap failed"); return 1; }
    fn_t f = (fn_t)code;
    long sum = 0;
    /* rewrite the constant between calls, many times */
    for (int k = 0; k < 2000; k++) {
        emit_add_const(code, k);
        sum += f(1000);
    }
    printf("rewritten constant: sum=%ld\n", sum);

    /* a loop whose body patches its own immediate operand while it runs:
     *   mov ecx, 100
     * L: add eax, imm32 (05 xx xx xx xx)
     *   inc dword [edx]   (edx points at the imm32 above)
     *   dec ecx
     *   jnz L
     *   ret
     */
    unsigned char *p = code + 4096 - 8;   /* straddle the page boundary on purpose */
    int i = 0;
    p[i++] = 0x31; p[i++] = 0xc0;                         /* xor eax, eax */
    p[i++] = 0xb9; p[i++] = 100; p[i++] = 0; p[i++] = 0; p[i++] = 0; /* mov ecx, 100 */
    int loop = i;
    p[i++] = 0x05; int imm_at = i; p[i++] = 1; p[i++] = 0; p[i++] = 0; p[i++] = 0; /* add eax, 1 */
    p[i++] = 0xba; unsigned addr = (unsigned)(p + imm_at); memcpy(p + i, &addr, 4); i += 4; /* mov edx, &imm */
    p[i++] = 0xff; p[i++] = 0x02;                         /* inc dword [edx] */
    p[i++] = 0x49;                                        /* dec ecx */
    p[i++] = 0x75; p[i] = (unsigned char)(loop - (i + 1)); i++; /* jnz loop */
    p[i++] = 0xc3;                                        /* ret */
    int r = ((int (*)(void))p)();
    printf("self-patching loop: eax=%d (1+2+...+100 = 5050)\n", r);

    /* code that is written with the same bytes it already holds still runs */
    emit_add_const(code, 7);
    int a = f(1);
    emit_add_const(code, 7);
    int b = f(2);
    printf("same bytes rewritten: %d %d\n", a, b);
    return r == 5050 && a == 8 && b == 9 ? 0 : 1;
}
