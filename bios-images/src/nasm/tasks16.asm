; tasks16.asm - task switches through 16-bit TSSs, and task switches with paging on.
;
; Proves: CALL from a 32-bit task to a 16-bit TSS (type 1; registers, IP, FLAGS and segment
; registers from its 0x2C-byte layout; NT and the back-link; the TSS turning busy, type 3);
; IRET with NT from the 16-bit task back to the 32-bit one (its IP, AX and FLAGS saved as words
; at 0x0E, 0x12, 0x10, busy bit cleared); JMP through a task gate to the 16-bit task, which
; resumes after its IRET and JMPs back to the 32-bit TSS; #GP through an IDT task gate to a
; 16-bit TSS with its error code pushed as a word (SP down by 2); with TR holding a 16-bit TSS,
; an interrupt from ring 3 switching to the SS0:SP0 of the 16-bit layout (offsets 4 and 2).
; With paging on: a task switch loads CR3 from the new 32-bit TSS, so the same linear address
; reaches the new task's page; the old task's TSS CR3 takes effect on the way back (IRET);
; writes in the new task go to its own frame.

%include "rom.inc"

SEL_T16   equ 0x70          ; 16-bit TSS P
SEL_GATEP equ 0x78          ; task gate -> P
SEL_T16Q  equ 0x80          ; 16-bit TSS Q (the #GP task)
SEL_T16R  equ 0x88          ; 16-bit TSS R (for TR while in ring 3)
SEL_TSSB  equ 0x90          ; 32-bit TSS B with its own CR3
T16P      equ 0x9000
T16Q      equ 0x9100
T16R      equ 0x9200
TSSB      equ 0x9300
P_AX      equ VARS + 0x40
P_NT      equ VARS + 0x44
P_LINK    equ VARS + 0x48
P_TR      equ VARS + 0x4C
P_TYPE    equ VARS + 0x50
P_AGAIN   equ VARS + 0x54
Q_ERR     equ VARS + 0x58
Q_SP      equ VARS + 0x5C
Q_RESUME  equ VARS + 0x60
R_ESP     equ VARS + 0x64
B_VAL     equ VARS + 0x68
B_CR3     equ VARS + 0x6C
PD_A      equ 0x10000
PD_B      equ 0x11000
PT_LOW    equ 0x12000       ; identity map of 0-4 MiB, shared
PT_A      equ 0x13000       ; 4-8 MiB for task A: 0x400000 -> 0x200000
PT_B      equ 0x14000       ; 4-8 MiB for task B: 0x400000 -> 0x201000

%define TSS_TYPE(sel) byte [GDT_RAM + (sel) + 5]

CODE16
main16:
    START16 `tasks16\n`
    mov ebx, pm_main
    jmp enter_pm16

; ---- the 16-bit task P (CS = SEL_CODE16, base 0xF0000) ----
task_p:
    mov [P_AX], ax
    pushf
    pop ax
    and ax, 0x4000
    mov [P_NT], ax
    mov ax, [T16P]
    mov [P_LINK], ax
    str ax
    mov [P_TR], ax
    mov al, [GDT_RAM + SEL_T16 + 5]
    mov [P_TYPE], al
    mov ax, 0x9999
    iret                            ; NT: back to the caller
.after_iret:                        ; resumed here through the task gate
    mov word [P_AGAIN], 1
    jmp SEL_TSS:0

; ---- the 16-bit task Q: #GP through a task gate ----
task_q:
    mov [Q_SP], sp
    pop ax
    mov [Q_ERR], ax
    mov eax, [Q_RESUME]
    mov [TSS_RAM + 0x20], eax       ; the interrupted 32-bit task resumes past the fault
    iret

CODE32
; init16: EDI = 16-bit TSS base, BX = IP, CX = SP, AX = AX of the task; CS = SEL_CODE16, data SEL_DATA16
init16:
    pushad
    mov esi, tss16_template             ; everything zero but FLAGS and the segment registers
    mov ecx, 0x2C
    rep movsb
    popad
    mov [edi + 0x0E], bx
    mov [edi + 0x12], ax
    mov [edi + 0x1A], cx
    ret

tss16_template:
    times 0x10 db 0
    dw 2                                ; FLAGS
    times 0x22 - 0x12 db 0
    dw SEL_DATA16, SEL_CODE16, SEL_DATA16, SEL_DATA16 ; ES CS SS DS
    dw 0                                ; LDT

pm_main:
    call install_idt
    call set_tss
    mov edi, T16P
    mov bx, task_p                  ; (offsets in code16 = offsets in SEL_CODE16, base 0xF0000)
    mov ecx, 0x7800
    mov eax, 0x1616
    call init16
    mov edi, T16Q
    mov bx, task_q
    mov ecx, 0x7A00
    mov eax, 0
    call init16
    DESC SEL_T16, (T16P << 16) | 0x2B, 0x00008100
    DESC SEL_GATEP, SEL_T16 << 16, 0x00008500
    DESC SEL_T16Q, (T16Q << 16) | 0x2B, 0x00008100
    POST 0x40

    ; ---- CALL to a 16-bit TSS, IRET back ----
    mov eax, 0xA0A0A0A0
    call SEL_T16:0
.back1:
    CHECK eax, 0xA0A0A0A0, "IRET from the 16-bit task: the caller's EAX restored from its 32-bit TSS"
    movzx eax, word [P_AX]
    CHECK eax, 0x1616, "CALL to a 16-bit TSS: AX from offset 0x12"
    movzx eax, word [P_NT]
    CHECK eax, 0x4000, "  NT set"
    movzx eax, word [P_LINK]
    CHECK eax, SEL_TSS, "  back-link = the 32-bit caller"
    movzx eax, word [P_TR]
    CHECK eax, SEL_T16, "  TR = the 16-bit TSS"
    movzx eax, byte [P_TYPE]
    CHECK eax, 0x83, "  its descriptor busy (type 3)"
    clts
    movzx eax, TSS_TYPE(SEL_T16)
    CHECK eax, 0x81, "IRET back: the 16-bit TSS is available again (type 1)"
    movzx eax, word [T16P + 0x12]
    CHECK eax, 0x9999, "  its AX saved as a word at 0x12"
    movzx eax, word [T16P + 0x0E]
    CHECK eax, task_p.after_iret, "  its IP saved at 0x0E (after the IRET)"
    movzx eax, word [T16P + 0x10]
    and eax, 0x4000
    CHECK eax, 0, "  its saved FLAGS has NT clear"
    POST 0x41

    ; ---- JMP through a task gate to the 16-bit task, JMP back ----
    mov word [P_AGAIN], 0
    jmp SEL_GATEP:0
.back2:
    movzx eax, word [P_AGAIN]
    CHECK eax, 1, "JMP through a task gate: the 16-bit task resumed after its IRET"
    movzx eax, TSS_TYPE(SEL_T16)
    CHECK eax, 0x81, "  and JMPed back: it is not busy"
    movzx eax, TSS_TYPE(SEL_TSS)
    CHECK eax, 0x8B, "  the 32-bit TSS busy again"
    clts

    ; ---- #GP through a task gate to a 16-bit TSS ----
    mov eax, 13
    mov ebx, 0
    mov ecx, SEL_T16Q
    mov edx, 0x8500
    call set_gate
    mov dword [Q_RESUME], .back3
    mov ax, 0x7FF8
    mov ds, ax                      ; #GP(0x7FF8) -> task Q
.back3:
    movzx eax, word [Q_ERR]
    CHECK eax, 0x7FF8, "#GP through a task gate to a 16-bit TSS: error code on its stack"
    movzx eax, word [Q_SP]
    CHECK eax, 0x79FE, "  pushed as a word"
    clts
    mov eax, 13
    mov ebx, exc_stubs + 13 * exc_stub_size
    mov ecx, SEL_CODE32
    mov edx, 0x8E00
    call set_gate
    POST 0x42

    ; ---- ring 3 -> ring 0 with TR = a 16-bit TSS ----
    mov edi, T16R
    xor eax, eax
    mov ecx, 0x2C / 4
    rep stosd
    mov word [T16R + 0x02], 0x6800  ; SP0
    mov word [T16R + 0x04], SEL_DATA32 ; SS0
    DESC SEL_T16R, (T16R << 16) | 0x2B, 0x00008100
    mov ax, SEL_T16R
    ltr ax
    mov eax, 0x41
    mov ebx, r_handler
    mov ecx, SEL_CODE32
    mov edx, 0xEE00
    call set_gate
    TO_RING3 ring3
ring3:
    int 0x41
r_back:
    CHECK [R_ESP], 0x6800 - 20, "interrupt from ring 3 with a 16-bit TSS: stack from SS0:SP0 at offsets 4 and 2"
    and TSS_TYPE(SEL_T16R), ~2
    and TSS_TYPE(SEL_TSS), ~2
    mov ax, SEL_TSS
    ltr ax
    POST 0x43
    jmp paging_part

r_handler:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov [R_ESP], esp
    mov esp, STACK0_TOP
    jmp r_back

; ---- task switches with paging on ----
paging_part:
    ; page tables: 0-4 MiB identity for both; 4-8 MiB differs
    mov edi, PD_A
    xor eax, eax
    mov ecx, 3 * 1024 + 1024 * 2
    rep stosd                       ; PD_A, PD_B, PT_LOW, PT_A, PT_B
    mov edi, PT_LOW
    mov eax, 0x003                  ; present, writable, supervisor
    mov ecx, 1024
.fill2:
    stosd
    add eax, 0x1000
    loop .fill2
    mov dword [PD_A], PT_LOW | 3
    mov dword [PD_A + 4], PT_A | 3
    mov dword [PD_B], PT_LOW | 3
    mov dword [PD_B + 4], PT_B | 3
    mov dword [PT_A], 0x200000 | 3
    mov dword [PT_B], 0x201000 | 3
    mov dword [0x200000], 0xAAAA0001
    mov dword [0x201000], 0xBBBB0002
    mov dword [0x201004], 0
    ; task B: a 32-bit TSS whose CR3 is PD_B
    mov edi, TSSB
    mov ebx, task_b
    mov ecx, 0x7C00
    xor eax, eax
    call init_tss
    mov dword [TSSB + 0x1C], PD_B
    DESC SEL_TSSB, (TSSB << 16) | 0x67, 0x00008900
    mov dword [TSS_RAM + 0x1C], PD_A ; where task A's CR3 comes from on the way back
    mov eax, PD_A
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    CHECK [0x400000], 0xAAAA0001, "paging on: task A sees its page at 0x400000"
    call SEL_TSSB:0
    CHECK [B_VAL], 0xBBBB0002, "task switch with paging: the new task's CR3 from its TSS, its page at 0x400000"
    CHECK [B_CR3], PD_B, "  CR3 in the new task"
    mov eax, cr3
    CHECK eax, PD_A, "IRET back: CR3 from the old task's TSS"
    CHECK [0x400000], 0xAAAA0001, "  task A's page again"
    CHECK [0x201004], 0x5555, "  the new task's write went to its frame"
    CHECK [0x200004], 0, "  not to task A's"
    clts
    jmp pass

task_b:
    mov eax, [0x400000]
    mov [B_VAL], eax
    mov eax, cr3
    mov [B_CR3], eax
    mov dword [0x400004], 0x5555
    iretd
