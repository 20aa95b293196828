/* Signal delivery: handlers with and without SA_SIGINFO, the i386 sigcontext of faults
 * (trapno, err, cr2, eip), resuming by editing the saved context, blocking and pending,
 * SA_RESETHAND, SA_NODEFER, the alternate stack, and x87 state preserved across a handler. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <fenv.h>

static int failures;
static void check(const char *what, int ok) {
    printf("%-52s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static sigjmp_buf jb;
static volatile int got_sig, got_code, got_trapno, got_err, addr_ok, ctx_eip_ok;
static volatile unsigned long fault_addr;

static void segv_handler(int sig, siginfo_t *si, void *ctxp) {
    ucontext_t *uc = ctxp;
    got_sig = sig;
    got_code = si->si_code;
    addr_ok = (unsigned long)si->si_addr == fault_addr;
    got_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    got_err = uc->uc_mcontext.gregs[REG_ERR];
    ctx_eip_ok = uc->uc_mcontext.gregs[REG_EIP] != 0;
    siglongjmp(jb, 1);
}

/* skips the 2-byte ud2 by advancing the saved EIP, then returns normally */
static volatile int ill_count;
static void ill_handler(int sig, siginfo_t *si, void *ctxp) {
    ucontext_t *uc = ctxp;
    unsigned char *eip = (unsigned char *)uc->uc_mcontext.gregs[REG_EIP];
    if (eip[0] == 0x0f && eip[1] == 0x0b) uc->uc_mcontext.gregs[REG_EIP] += 2;
    ill_count += (si->si_code == ILL_ILLOPN) + (sig == SIGILL) + (uc->uc_mcontext.gregs[REG_TRAPNO] == 6);
}

static volatile int usr1_count, usr2_depth, usr2_max;
static void usr1_handler(int sig) { usr1_count += sig == SIGUSR1; }
static void usr2_handler(int sig) {
    usr2_depth++;
    if (usr2_depth > usr2_max) usr2_max = usr2_depth;
    if (usr2_depth < 3) raise(SIGUSR2);   /* SA_NODEFER: nests */
    usr2_depth--;
}

static char altstack[65536];
static volatile int on_alt;
static void alt_handler(int sig) {
    char probe;
    on_alt = &probe >= altstack && &probe < altstack + sizeof altstack;
}

static volatile double fpu_result;
static volatile int handler_round;
static void fpu_handler(int sig) {
    volatile double x = 3.0;
    handler_round = fegetround();
    for (int i = 0; i < 10; i++) x = x * 1.5 + 0.25;   /* uses the x87 stack */
    fpu_result = x;
}

int main(void) {
    struct sigaction sa;

    /* SIGSEGV from a write to an unmapped page */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    fault_addr = 0x10;
    if (sigsetjmp(jb, 1) == 0) { *(volatile int *)fault_addr = 1; puts("no fault?"); failures++; }
    check("SIGSEGV handler runs", got_sig == SIGSEGV);
    check("si_code SEGV_MAPERR", got_code == SEGV_MAPERR);
    check("si_addr is the faulting address", addr_ok);
    check("sigcontext trapno 14 (#PF)", got_trapno == 14);
    check("sigcontext err: user write, not present", (got_err & 7) == 6);
    check("sigcontext eip set", ctx_eip_ok);

    /* SIGSEGV from a write to a read-only page: SEGV_ACCERR, err has P set */
    static const int ro = 5;
    fault_addr = (unsigned long)&ro;
    got_sig = 0;
    if (sigsetjmp(jb, 1) == 0) { *(volatile int *)&ro = 6; puts("no fault?"); failures++; }
    check("write to read-only data: SEGV_ACCERR", got_sig == SIGSEGV && got_code == SEGV_ACCERR);
    check("err: user write, protection", (got_err & 7) == 7);

    /* the mask was restored by siglongjmp: SIGSEGV is deliverable again */
    sigset_t cur;
    sigprocmask(SIG_SETMASK, 0, &cur);
    check("SIGSEGV not left blocked", !sigismember(&cur, SIGSEGV));

    /* SIGILL: the handler edits the saved EIP past ud2 and returns */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = ill_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, 0);
    __asm__ volatile("ud2");
    __asm__ volatile("ud2");
    check("SIGILL handled twice by skipping ud2", ill_count == 6);

    /* raise with a plain handler (legacy frame, sigreturn) */
    signal(SIGUSR1, usr1_handler);
    raise(SIGUSR1);
    raise(SIGUSR1);
    check("SIGUSR1 via signal(): two deliveries", usr1_count == 2);

    /* blocked signals stay pending until unblocked */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    check("blocked SIGUSR1 is pending", sigismember(&pend, SIGUSR1) && usr1_count == 2);
    sigprocmask(SIG_SETMASK, &old, 0);
    check("unblocking delivers it", usr1_count == 3);

    /* SA_NODEFER lets the handler be re-entered */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = usr2_handler;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sa, 0);
    raise(SIGUSR2);
    check("SA_NODEFER nests three deep", usr2_max == 3 && usr2_depth == 0);

    /* SA_RESETHAND: the second delivery gets the default action (ignored for SIGCHLD) */
    static volatile int chld;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = usr1_handler;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGWINCH, &sa, 0);
    struct sigaction now;
    raise(SIGWINCH);
    sigaction(SIGWINCH, 0, &now);
    check("SA_RESETHAND resets to SIG_DFL", now.sa_handler == SIG_DFL);
    (void)chld;

    /* alternate signal stack */
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    check("sigaltstack", sigaltstack(&ss, 0) == 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = alt_handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, 0);
    raise(SIGUSR1);
    check("SA_ONSTACK handler runs on the alternate stack", on_alt);

    /* the handler starts with a clean x87 (round to nearest); the interrupted code's
     * control word (round toward zero here) is back after the handler returns */
    signal(SIGALRM, fpu_handler);
    fesetround(FE_TOWARDZERO);
    raise(SIGALRM);
    int after = fegetround();
    fesetround(FE_TONEAREST);
    check("handler starts with a clean x87 control word", handler_round == FE_TONEAREST);
    check("x87 control word restored after the handler", after == FE_TOWARDZERO && fpu_result > 100.0);

    /* SIG_IGN discards */
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    check("SIG_IGN discards", 1);

    printf("signals: %s\n", failures ? "FAILED" : "all checks passed");
    fflush(stdout);
    /* finally, an unhandled SIGABRT ends the process (status 134) */
    signal(SIGABRT, SIG_DFL);
    abort();
}
