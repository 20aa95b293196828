; debug.asm - debug registers and single-stepping.
;
; Proves: an execute breakpoint in DR0 (enabled by DR7.L0) raises #DB before the instruction
; runs (a fault: saved EIP = the instruction), DR6.B0 says which, EFLAGS.RF in the IRET image
; lets the instruction run once without breaking again, the next time it breaks again; DR3
; with G3 the same (DR6.B3); clearing DR7 disarms; DR6/DR7 reserved bits read as set;
; single-stepping counts one trap per instruction, including PUSHF and the POPF that clears TF.

%include "rom.inc"

SS_COUNT equ VARS + 0x40
SS_LAST  equ VARS + 0x44

CODE16
main16:
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    PRINT16 `debug\n`
    mov ebx, pm_main
    jmp enter_pm16

CODE32
pm_main:
    call install_idt
    ; ---- DR0 execute breakpoint ----
    xor eax, eax
    mov dr6, eax
    mov dr7, eax
    mov eax, dr6
    CHECK eax, 0xFFFF0FF0, "DR6 reserved bits read as set"
    mov eax, dr7
    CHECK eax, 0x400, "DR7 bit 10 reads as set"
    mov eax, bp1
    mov dr0, eax
    mov eax, 0x1                    ; L0, R/W0 = 00 (execute), LEN0 = 00
    mov dr7, eax
    mov dword [LAST_VEC], -1
    mov dword [RESUME], 1
    mov dword [EXC_COUNT], 0
    xor ebx, ebx
    xor ecx, ecx
bp_loop:
bp1:
    inc ebx
    inc ecx
    cmp ecx, 2
    jne bp_loop
    CHECK [LAST_VEC], 1, "DR0 execute breakpoint: #DB"
    CHECK [LAST_EIP], bp1, "  saved EIP = the instruction (a fault, before it runs)"
    CHECK [EXC_COUNT], 2, "  taken each time the instruction is reached (twice)"
    CHECK ebx, 2, "  RF lets the instruction run after the handler"
    mov eax, dr6
    and eax, 0xF
    CHECK eax, 1, "  DR6.B0"
    ; ---- DR3 with G3 ----
    mov eax, bp3
    mov dr3, eax
    mov eax, 0x80                   ; G3
    mov dr7, eax
    mov dword [EXC_COUNT], 0
    mov dword [RESUME], 1
bp3:
    nop
    CHECK [EXC_COUNT], 1, "DR3 breakpoint enabled by G3"
    mov eax, dr6
    and eax, 0xF
    CHECK eax, 8, "  DR6.B3"
    xor eax, eax
    mov dr7, eax
    mov dword [EXC_COUNT], 0
    mov dword [RESUME], 0
    jmp bp3b
bp3b:
    nop
    CHECK [EXC_COUNT], 0, "DR7 = 0 disarms"
    POST 0x60

    ; ---- single-step counting ----
    mov eax, 1
    mov ebx, ss_handler
    mov ecx, SEL_CODE32
    mov edx, 0x8E00
    call set_gate
    mov dword [SS_COUNT], 0
    pushfd
    or dword [esp], 0x100
    popfd
    nop                             ; trap 1
    nop                             ; trap 2
    nop                             ; trap 3
    pushfd                          ; trap 4
    and dword [esp], ~0x100         ; trap 5
    popfd                           ; trap 6: TF was set when it began
.stepped:
    nop
    CHECK [SS_COUNT], 6, "single-step: one trap per instruction, up to the POPF that clears TF"
    CHECK [SS_LAST], .stepped, "  the last trap's EIP follows that POPF"
    jmp pass

ss_handler:
    inc dword [SS_COUNT]
    push eax
    mov eax, [esp + 4]
    mov [SS_LAST], eax
    pop eax
    iretd
