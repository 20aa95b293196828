; exceptions.asm - every exception the processor raises, with its vector, error code and saved
; EIP (the faulting instruction for faults, the next one for traps).
;
; Proves: #DE (DIV by zero, IDIV overflow), #DB (single-step: TF set by POPF traps after the
; following instruction, DR6.BS), #BP (INT3, a trap), #OF (INTO with OF set), #BR (BOUND), #UD
; (UD2, LOCK on a non-lockable instruction), #NM (CR0.TS and CR0.EM with x87 instructions, WAIT
; with MP+TS, CLTS), #DF (a #GP whose gate is not present: #NP while delivering, contributory
; twice -> #DF with error code 0), #TS (JMP to a TSS whose limit is too small), #NP (a
; not-present data segment), #SS (SS limit, a not-present stack segment), #GP (null segment,
; write through a code segment, segment limit, LTR of a non-TSS), #MF (an unmasked x87 zero
; divide reported at the next waiting instruction with CR0.NE), #AC (misaligned access in ring
; 3 with CR0.AM and EFLAGS.AC).

%include "rom.inc"

SEL_BADTSS  equ 0x58        ; TSS descriptor with a limit of 0x20
SEL_NPDATA  equ 0x60        ; data segment, not present
SEL_SMALL   equ 0x68        ; data segment, base 0, limit 0xFFF

CODE16
main16:
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    PRINT16 `exceptions\n`
    mov ebx, pm_main
    jmp enter_pm16

CODE32
pm_main:
    call install_idt
    call set_tss
    DESC SEL_BADTSS, 0x90000020, 0x00008900
    DESC SEL_NPDATA, 0x0000FFFF, 0x00CF1200
    DESC SEL_SMALL,  0x00000FFF, 0x00409200

    ; #DE
    TRY .de1
    xor edx, edx
    mov eax, 1
    xor ecx, ecx
.de1_insn:
    div ecx
.de1:
    CHECK [LAST_VEC], 0, "#DE: DIV by zero"
    CHECK [LAST_EIP], .de1_insn, "  saved EIP = the DIV"
    TRY .de2
    mov eax, 0x80000000
    cdq
    mov ecx, -1
    idiv ecx
.de2:
    CHECK [LAST_VEC], 0, "#DE: IDIV overflow (0x80000000 / -1)"
    POST 0x30

    ; #DB single step
    mov eax, dr6
    and eax, ~0x4000
    mov dr6, eax
    TRY .db1
    pushfd
    or dword [esp], 0x100
    popfd
    mov ebx, 5                      ; executes, then the trap
.db1:
    CHECK [LAST_VEC], 1, "#DB: single-step trap after the instruction following POPF(TF=1)"
    CHECK [LAST_EIP], .db1, "  saved EIP = the next instruction (a trap)"
    CHECK ebx, 5, "  the traced instruction completed"
    mov eax, dr6
    and eax, 0x4000
    CHECK eax, 0x4000, "  DR6.BS set"
    pushfd
    pop eax
    and eax, 0x100
    CHECK eax, 0, "  TF clear after the handler"

    ; #BP
    TRY .bp1
    int3
.bp1:
    CHECK [LAST_VEC], 3, "#BP: INT3"
    CHECK [LAST_EIP], .bp1, "  saved EIP = after INT3"
    ; #OF
    TRY .of1
    mov al, 0x7F
    add al, 1
    into
.of1:
    CHECK [LAST_VEC], 4, "#OF: INTO with OF set"
    CHECK [LAST_EIP], .of1, "  saved EIP = after INTO"
    mov al, 1
    add al, 1
    into                            ; OF clear: nothing
    ; #BR
    TRY .br1
    mov eax, 11
.br1_insn:
    bound eax, [bounds]
.br1:
    CHECK [LAST_VEC], 5, "#BR: BOUND out of range"
    CHECK [LAST_EIP], .br1_insn, "  saved EIP = the BOUND"
    mov eax, 10
    bound eax, [bounds]             ; in range: nothing
    ; #UD
    TRY .ud1
.ud1_insn:
    ud2
.ud1:
    CHECK [LAST_VEC], 6, "#UD: UD2"
    CHECK [LAST_EIP], .ud1_insn, "  saved EIP = the UD2"
    TRY .ud2
[warning push]
[warning -prefix-lock]
    lock nop
[warning pop]
.ud2:
    CHECK [LAST_VEC], 6, "#UD: LOCK NOP"
    POST 0x31

    ; #NM
    mov eax, cr0
    or eax, 0x0A                    ; MP, TS
    mov cr0, eax
    TRY .nm1
    fld1
.nm1:
    CHECK [LAST_VEC], 7, "#NM: x87 instruction with CR0.TS"
    TRY .nm2
    wait
.nm2:
    CHECK [LAST_VEC], 7, "#NM: WAIT with CR0.MP and CR0.TS"
    clts
    mov eax, cr0
    and eax, 8
    CHECK eax, 0, "CLTS clears CR0.TS"
    TRY .nm3
    fninit
    fld1
.nm3:
    CHECK [LAST_VEC], -1, "  x87 works again"
    mov eax, cr0
    or eax, 4                       ; EM
    mov cr0, eax
    TRY .nm4
    fld1
.nm4:
    CHECK [LAST_VEC], 7, "#NM: x87 instruction with CR0.EM"
    mov eax, cr0
    and eax, ~4
    mov cr0, eax
    POST 0x32

    ; #MF
    mov eax, cr0
    or eax, 0x20                    ; NE
    mov cr0, eax
    fninit
    fldcw [cw_unmask_zd]
    fld1
    fldz
    fdivp st1, st0                  ; 1 / 0: ZE pending, no fault yet
    TRY .mf1
.mf1_insn:
    fwait
.mf1:
    CHECK [LAST_VEC], 16, "#MF: unmasked zero divide reported at the next FWAIT"
    CHECK [LAST_EIP], .mf1_insn, "  saved EIP = the FWAIT"
    fnstsw ax
    and eax, 0x84
    CHECK eax, 0x84, "  status word: ES and ZE"
    fnclex
    fninit
    POST 0x33

    ; #NP, #SS, #GP, #TS
    TRY .np1
    mov ax, SEL_NPDATA
    mov ds, ax
.np1:
    CHECK [LAST_VEC], 11, "#NP: loading DS with a not-present segment"
    CHECK [LAST_ERR], SEL_NPDATA, "  error code = the selector"
    mov ax, SEL_DATA32
    mov ds, ax
    TRY .ss1
    mov ax, SEL_NPDATA
    mov ss, ax
.ss1:
    CHECK [LAST_VEC], 12, "#SS: loading SS with a not-present segment"
    CHECK [LAST_ERR], SEL_NPDATA, "  error code = the selector"
    mov ax, SEL_SMALL
    mov ss, ax
    mov esp, 0x800
    TRY .ss2
    mov ebp, 0x2000
    mov eax, [ebp]
.ss2:
    mov bx, SEL_DATA32
    mov ss, bx
    mov esp, STACK0_TOP
    CHECK [LAST_VEC], 12, "#SS: access beyond the SS limit"
    CHECK [LAST_ERR], 0, "  error code 0"
    TRY .gp1
    xor eax, eax
    mov es, ax
    mov eax, [es:0x500]
.gp1:
    CHECK [LAST_VEC], 13, "#GP: access through a null segment"
    CHECK [LAST_ERR], 0, "  error code 0"
    mov ax, SEL_DATA32
    mov es, ax
    TRY .gp2
    mov [cs:0x500], eax
.gp2:
    CHECK [LAST_VEC], 13, "#GP: write through a code segment"
    TRY .gp3
    mov ax, SEL_SMALL
    mov fs, ax
    mov eax, [fs:0xFFE]
.gp3:
    CHECK [LAST_VEC], 13, "#GP: access crossing the segment limit"
    mov eax, [fs:0xFFC]
    CHECK [LAST_VEC], 13, "  the last dword inside the limit is fine"
    TRY .gp4
    mov ax, SEL_DATA32
    ltr ax
.gp4:
    CHECK [LAST_VEC], 13, "#GP: LTR of a data segment"
    CHECK [LAST_ERR], SEL_DATA32, "  error code = the selector"
    TRY .gp5
    mov ax, 0x7FF8
    mov ds, ax
.gp5:
    CHECK [LAST_ERR], 0x7FF8, "#GP: selector beyond the GDT limit"
    TRY .ts1
    jmp SEL_BADTSS:0
.ts1:
    CHECK [LAST_VEC], 10, "#TS: JMP to a TSS with a limit below 0x67"
    CHECK [LAST_ERR], SEL_BADTSS, "  error code = the TSS selector"
    POST 0x34

    ; #DF: the #GP gate is not present
    and byte [IDT_RAM + 13 * 8 + 5], 0x7F
    TRY .df1
    mov ax, 0x7FF8
    mov ds, ax
.df1:
    or byte [IDT_RAM + 13 * 8 + 5], 0x80
    CHECK [LAST_VEC], 8, "#DF: #GP whose gate is not present (#NP while delivering)"
    CHECK [LAST_ERR], 0, "  error code 0"
    ; the #NP alone: a not-present gate for INT n names the IDT entry
    and byte [IDT_RAM + 5 * 8 + 5], 0x7F
    TRY .np2
    int 5
.np2:
    or byte [IDT_RAM + 5 * 8 + 5], 0x80
    CHECK [LAST_VEC], 11, "#NP: INT n through a not-present gate"
    CHECK [LAST_ERR], 5 * 8 + 2, "  error code = vector * 8 + 2 (IDT, not external)"
    POST 0x35

    ; #AC in ring 3
    mov eax, cr0
    or eax, 0x40000                 ; AM
    mov cr0, eax
    mov ax, SEL_UDATA
    mov ds, ax
    mov es, ax
    push dword SEL_UDATA
    push dword STACK3_TOP
    push dword 0x40002              ; AC
    push dword SEL_UCODE
    push dword user
    iretd
user:
    TRY .ac1
.ac1_insn:
    mov eax, [0x501]
.ac1:
    CHECK [LAST_VEC], 17, "#AC: misaligned dword read in ring 3 with AM and AC"
    CHECK [LAST_ERR], 0, "  error code 0"
    CHECK [LAST_EIP], .ac1_insn, "  saved EIP = the access"
    mov eax, [0x504]
    CHECK [LAST_VEC], 17, "  aligned reads are fine"
    TO_RING0 kernel
kernel:
    mov eax, [0x501]
    CHECK [LAST_VEC], 17, "misaligned read in ring 0: no #AC"
    jmp pass

align 4
bounds: dd 0, 10
cw_unmask_zd: dw 0x037B
