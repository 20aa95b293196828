; watch.asm - data and I/O breakpoints, general detect, the TSS T bit, RF.
;
; Proves: a data breakpoint (DR7 R/W = 01, write) traps after the writing instruction (saved
; EIP = the next one, DR6.B0) and not on reads; R/W = 11 (read or write) with LEN 2 at an odd
; address covers the aligned word (a byte read inside it and a dword read overlapping it hit,
; a byte beside it does not); LEN 1 hit by a word write that overlaps it; a REP STOSB stops
; after the iteration that wrote the watched byte (EIP = the instruction, ECX and EDI counted
; so far, RF = 1 in the pushed EFLAGS) and completes after the handler returns; an I/O
; breakpoint (R/W = 10) fires only with CR4.DE, for an access overlapping its port range (DR6.B2);
; DR7.GD makes MOV DR a #DB fault (saved EIP = the MOV, DR6.BD, GD cleared for the handler,
; RF = 1 pushed as for every fault); a task switch into a TSS with the T bit traps before
; the new task's first instruction (DR6.BT); an instruction breakpoint pushes RF = 0, a fault
; (#UD) pushes RF = 1.

%include "rom.inc"

WATCH    equ 0x3000
SEL_TSSB equ 0x70
TSSB     equ 0xB000
B_RAN    equ VARS + 0x40

CODE16
main16:
    START16 `watch\n`
    mov ebx, pm_main
    jmp enter_pm16

CODE32
; ARM dr, value, dr7: loads a debug register and DR7, clears DR6 and the recorder.
%macro ARM 3
    mov eax, %2
    mov %1, eax
    mov eax, %3
    mov dr7, eax
    xor eax, eax
    mov dr6, eax
    mov dword [LAST_VEC], -1
    mov dword [EXC_COUNT], 0
    mov dword [RESUME], 1
%endmacro

%macro DR6BITS 0
    mov eax, dr6
    and eax, 0xE00F
%endmacro

pm_main:
    call install_idt
    call set_tss

    ; ---- write breakpoint, LEN 4 ----
    ARM dr0, WATCH, 0x000D0001          ; L0, R/W0 = 01, LEN0 = 11
    mov eax, [WATCH]                    ; a read: no trap
    CHECK [EXC_COUNT], 0, "write breakpoint: a read does not trap"
    mov dword [WATCH + 2], 5
.w1:
    CHECK [EXC_COUNT], 1, "write breakpoint: a write overlapping it traps once"
    CHECK [LAST_VEC], 1, "  #DB"
    CHECK [LAST_EIP], .w1, "  after the write (a trap: saved EIP = the next instruction)"
    DR6BITS
    CHECK eax, 1, "  DR6.B0"
    mov eax, [LAST_FLAGS]
    and eax, 0x10000
    CHECK eax, 0, "  RF = 0 in the pushed EFLAGS"
    mov dword [WATCH + 4], 5
    CHECK [EXC_COUNT], 1, "  a write beside it does not trap"

    ; ---- read/write breakpoint, LEN 2, unaligned address ----
    ARM dr1, WATCH + 0x11, 0x00700004   ; L1, R/W1 = 11, LEN1 = 01: the word at WATCH + 0x10
    mov al, [WATCH + 0x10]
.r1:
    CHECK [EXC_COUNT], 1, "read/write breakpoint: a byte read in the aligned word traps"
    CHECK [LAST_EIP], .r1, "  after the read"
    DR6BITS
    CHECK eax, 2, "  DR6.B1"
    mov al, [WATCH + 0x12]
    CHECK [EXC_COUNT], 1, "  the byte after the word does not"
    mov eax, [WATCH + 0x0E]
    CHECK [EXC_COUNT], 2, "  a dword read overlapping it does"

    ; ---- LEN 1, a word write overlapping it ----
    ARM dr3, WATCH + 0x20, 0x30000040   ; L3, R/W3 = 11, LEN3 = 00
    mov word [WATCH + 0x1E], 1
    CHECK [EXC_COUNT], 0, "LEN 1: a word write ending before it does not trap"
    mov word [WATCH + 0x1F], 1
    CHECK [EXC_COUNT], 1, "  a word write overlapping it does"
    DR6BITS
    CHECK eax, 8, "  DR6.B3"

    ; ---- REP STOSB over a watched byte ----
    ARM dr0, WATCH + 0x105, 0x00010001  ; L0, write, LEN 1
    mov edi, WATCH + 0x100
    mov ecx, 16
    mov al, 0x5A
    cld
.rep:
    rep stosb
    CHECK [EXC_COUNT], 1, "REP STOSB: one trap"
    CHECK [LAST_EIP], .rep, "  saved EIP = the string instruction (not the last iteration)"
    mov eax, [LAST_FLAGS]
    and eax, 0x10000
    CHECK eax, 0x10000, "  RF = 1 in the pushed EFLAGS"
    CHECK ecx, 0, "  the instruction completes after the handler returns"
    CHECK edi, WATCH + 0x110, "  EDI at the end"
    CHECK [WATCH + 0x10C], 0x5A5A5A5A, "  all bytes stored"

    ; ---- I/O breakpoints ----
    ARM dr2, 0x1234, 0x06000010         ; L2, R/W2 = 10, LEN2 = 01: ports 0x1234-0x1235
    mov dx, 0x1235
    out dx, al
    CHECK [EXC_COUNT], 0, "I/O breakpoint without CR4.DE: no trap"
    mov eax, cr4
    or eax, 8                           ; DE
    mov cr4, eax
    mov dx, 0x1235
    out dx, al
.io1:
    CHECK [EXC_COUNT], 1, "I/O breakpoint with CR4.DE: OUT to a port in the range traps"
    CHECK [LAST_EIP], .io1, "  after the OUT"
    DR6BITS
    CHECK eax, 4, "  DR6.B2"
    mov dx, 0x1236
    in al, dx
    CHECK [EXC_COUNT], 1, "  IN from the port after the range does not"
    mov dx, 0x1233
    in ax, dx
    CHECK [EXC_COUNT], 2, "  a word IN overlapping the range does"
    xor eax, eax
    mov dr7, eax
    mov eax, cr4
    and eax, ~8
    mov cr4, eax
    POST 0x61

    ; ---- general detect ----
    xor eax, eax
    mov dr6, eax
    mov dword [LAST_VEC], -1
    mov dword [EXC_COUNT], 0
    mov dword [RESUME], 1
    mov eax, 0x2000                     ; GD
    mov dr7, eax
.gd:
    mov eax, dr6
    CHECK [EXC_COUNT], 1, "DR7.GD: MOV from DR6 faults once"
    CHECK [LAST_VEC], 1, "  #DB"
    CHECK [LAST_EIP], .gd, "  before the MOV (a fault)"
    mov eax, [LAST_FLAGS]
    and eax, 0x10000
    CHECK eax, 0x10000, "  RF = 1 in the pushed EFLAGS"
    DR6BITS
    CHECK eax, 0x2000, "  DR6.BD"
    mov eax, dr7
    CHECK eax, 0x400, "  GD cleared by the exception"

    ; ---- RF: an instruction breakpoint pushes 0, a fault pushes 1 ----
    ARM dr0, .ibp, 0x1
.ibp:
    nop
    CHECK [EXC_COUNT], 1, "instruction breakpoint taken"
    mov eax, [LAST_FLAGS]
    and eax, 0x10000
    CHECK eax, 0, "  RF = 0 in its pushed EFLAGS"
    xor eax, eax
    mov dr7, eax
    TRY .ud
    ud2
.ud:
    CHECK [LAST_VEC], 6, "#UD"
    mov eax, [LAST_FLAGS]
    and eax, 0x10000
    CHECK eax, 0x10000, "  RF = 1 in its pushed EFLAGS (a fault)"
    POST 0x62

    ; ---- the TSS T bit ----
    mov edi, TSSB
    mov ebx, task_b
    mov ecx, 0x7800
    xor eax, eax
    call init_tss
    mov word [TSSB + 0x64], 1           ; T
    DESC SEL_TSSB, (TSSB << 16) | 0x67, 0x00008900
    xor eax, eax
    mov dr6, eax
    mov dword [B_RAN], 0
    mov dword [LAST_VEC], -1
    mov dword [EXC_COUNT], 0
    mov dword [RESUME], 1
    call SEL_TSSB:0
    CHECK [EXC_COUNT], 1, "T bit: one #DB on the switch into the task"
    CHECK [LAST_VEC], 1, "  #DB"
    CHECK [LAST_EIP], task_b, "  before the new task's first instruction"
    CHECK [B_RAN], 1, "  the task ran after the handler"
    DR6BITS
    CHECK eax, 0x8000, "  DR6.BT"
    clts
    jmp pass

task_b:
    mov dword [B_RAN], 1
    iretd
