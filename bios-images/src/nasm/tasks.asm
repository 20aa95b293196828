; tasks.asm - hardware task switching through 32-bit TSSs.
;
; Proves: CALL to a TSS descriptor (the new task's registers, EFLAGS.NT and the back-link set,
; both busy bits set, CR0.TS set, TR loaded), IRET with NT back along the back-link (the called
; task's busy bit cleared, the caller's registers restored from its TSS, the called task's
; state saved so that it resumes after its IRET), JMP through a task gate (NT clear, the old
; task's busy bit cleared) and JMP back to a TSS, INT n through an IDT task gate, an exception
; (#GP) through a task gate with its error code pushed on the new task's stack, and CALL to a
; busy task -> #GP(selector).

%include "rom.inc"

SEL_TSSB  equ 0x70
SEL_GATEB equ 0x78          ; task gate -> SEL_TSSB
SEL_TSSC  equ 0x80
SEL_TSSD  equ 0x88
TSSB      equ 0x9000
TSSC      equ 0x9100
TSSD      equ 0x9200
B_SEEN    equ VARS + 0x40   ; values task B saw, for task A to check
B_NT      equ VARS + 0x44
B_LINK    equ VARS + 0x48
B_TR      equ VARS + 0x4C
B_BUSYA   equ VARS + 0x50
B_TS      equ VARS + 0x54
C_NT      equ VARS + 0x58
C_LINK    equ VARS + 0x5C
D_ERR     equ VARS + 0x60
D_RESUME  equ VARS + 0x64
A_ESP     equ VARS + 0x68

%define TSS_TYPE(sel) byte [GDT_RAM + (sel) + 5]

CODE16
main16:
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    PRINT16 `tasks\n`
    mov ebx, pm_main
    jmp enter_pm16

CODE32
pm_main:
    call install_idt
    call set_tss
    mov edi, TSSB
    mov ebx, task_b
    mov ecx, 0x7800
    mov eax, 0xB0B0B0B0
    call init_tss
    mov edi, TSSC
    mov ebx, task_c
    mov ecx, 0x7A00
    mov eax, 0xC0C0C0C0
    call init_tss
    mov edi, TSSD
    mov ebx, task_d
    mov ecx, 0x7C00
    mov eax, 0xD0D0D0D0
    call init_tss
    DESC SEL_TSSB, (TSSB << 16) | 0x67, 0x00008900
    DESC SEL_GATEB, SEL_TSSB << 16, 0x00008500
    DESC SEL_TSSC, (TSSC << 16) | 0x67, 0x00008900
    DESC SEL_TSSD, (TSSD << 16) | 0x67, 0x00008900
    mov eax, 0x40                   ; INT 0x40: task gate to C
    mov ebx, 0
    mov ecx, SEL_TSSC
    mov edx, 0x8500
    call set_gate
    POST 0x40

    ; ---- CALL to a TSS, IRET back ----
    mov eax, 0xA0A0A0A0
    mov esi, 0x51515151
    mov [A_ESP], esp
    call SEL_TSSB:0
.back1:
    CHECK eax, 0xA0A0A0A0, "IRET back: the caller's EAX restored from its TSS"
    CHECK esi, 0x51515151, "  ESI too"
    mov [B_SEEN + 0x30], esp
    mov eax, [A_ESP]
    CHECK [B_SEEN + 0x30], eax, "  ESP too"
    CHECK [B_SEEN], 0xB0B0B0B0, "CALL to a TSS: the new task's EAX came from its TSS"
    CHECK [B_NT], 0x4000, "  NT set in the called task"
    CHECK [B_LINK], SEL_TSS, "  back-link = the caller's TSS"
    CHECK [B_TR], SEL_TSSB, "  TR = the new TSS"
    CHECK [B_BUSYA], 0x8B, "  the caller stays busy"
    CHECK [B_TS], 8, "  CR0.TS set by the switch"
    clts
    movzx eax, TSS_TYPE(SEL_TSSB)
    CHECK eax, 0x89, "IRET clears the called task's busy bit"
    str ax
    and eax, 0xFFFF
    CHECK eax, SEL_TSS, "  TR = the caller's TSS again"
    CHECK [TSS_RAM + 0x20], .back1, "  the caller's TSS holds the EIP it resumed at"
    mov eax, [TSSB + 0x24]
    and eax, 0x4000
    CHECK eax, 0, "  the called task's saved EFLAGS has NT clear"
    POST 0x41

    ; ---- JMP through a task gate, JMP back ----
    mov dword [B_NT], -1
    jmp SEL_GATEB:0
.back2:
    CHECK [B_NT], 0, "JMP through a task gate: NT clear in the new task"
    CHECK [B_BUSYA], 0x89, "  the old task's busy bit cleared"
    movzx eax, TSS_TYPE(SEL_TSS)
    CHECK eax, 0x8B, "JMP back to the TSS: busy again"
    movzx eax, TSS_TYPE(SEL_TSSB)
    CHECK eax, 0x89, "  the task left is not busy"
    clts
    POST 0x42

    ; ---- INT through an IDT task gate ----
    int 0x40
    CHECK [C_NT], 0x4000, "INT 0x40 through a task gate: NT set"
    CHECK [C_LINK], SEL_TSS, "  back-link = the interrupted task"
    movzx eax, TSS_TYPE(SEL_TSSC)
    CHECK eax, 0x89, "  IRET back clears its busy bit"
    clts
    ; ---- an exception through a task gate ----
    mov eax, 13
    mov ebx, 0
    mov ecx, SEL_TSSD
    mov edx, 0x8500
    call set_gate
    mov dword [D_RESUME], .back4
    mov ax, 0x7FF8
    mov ds, ax                      ; #GP(0x7FF8) -> task D
.back4:
    CHECK [D_ERR], 0x7FF8, "#GP through a task gate: error code on the new task's stack"
    clts
    mov eax, 13                     ; the recorder again
    mov ebx, exc_stubs + 13 * exc_stub_size
    mov ecx, SEL_CODE32
    mov edx, 0x8E00
    call set_gate
    TRY .busy
    call SEL_TSS:0
.busy:
    CHECK [LAST_VEC], 13, "CALL to a busy task: #GP"
    CHECK [LAST_ERR], SEL_TSS, "  error code = the selector"
    jmp pass

task_b:
    mov [B_SEEN], eax
    pushfd
    pop eax
    and eax, 0x4000
    mov [B_NT], eax
    movzx eax, word [TSSB]
    mov [B_LINK], eax
    str ax
    and eax, 0xFFFF
    mov [B_TR], eax
    movzx eax, TSS_TYPE(SEL_TSS)
    mov [B_BUSYA], eax
    mov eax, cr0
    and eax, 8
    mov [B_TS], eax
    mov eax, 0x12345678             ; must not leak into task A
    mov esi, eax
    iretd
    ; resumed here by the JMP through the task gate
    pushfd
    pop eax
    and eax, 0x4000
    mov [B_NT], eax
    movzx eax, TSS_TYPE(SEL_TSS)
    mov [B_BUSYA], eax
    jmp SEL_TSS:0

task_c:
    pushfd
    pop eax
    and eax, 0x4000
    mov [C_NT], eax
    movzx eax, word [TSSC]
    mov [C_LINK], eax
    iretd

task_d:
    pop eax
    mov [D_ERR], eax
    mov eax, [D_RESUME]
    mov [TSS_RAM + 0x20], eax       ; the interrupted task resumes past the fault
    iretd
