; rings.asm - privilege levels: ring 3 through IRET, back through interrupt, trap and call
; gates, and the protection checks in between.
;
; Proves: IRET to an outer level (CS/SS from the frame, data segments of a more privileged
; DPL nulled); INT n from ring 3 through a DPL-3 interrupt gate (stack switch to SS0:ESP0 of
; the TSS, the frame holding the ring-3 SS:ESP, EFLAGS and CS:EIP, IF cleared) and a trap gate
; (IF kept); INT n through a DPL-0 gate from ring 3 -> #GP(vector*8+2); a far CALL from ring 3
; through a call gate to ring 0 with two dword parameters copied to the new stack and RETF 8
; back; a call gate whose DPL is below CPL -> #GP; a conforming segment called at CPL 3;
; privileged instructions (HLT, CLI with IOPL 0, MOV CR0, LGDT, WBINVD, CLTS, LMSW) -> #GP(0)
; in ring 3 while SMSW is not privileged; the TSS
; I/O permission bitmap (ports 0xE9 and 0x80 allowed, 0x61 denied); segment loads against
; DPL/RPL (DS with a ring-0 segment, SS with RPL != CPL) -> #GP(selector); a far JMP to a
; more privileged segment -> #GP(selector); ARPL, VERR/VERW and LSL from ring 3.

%include "rom.inc"

H_EIP    equ VARS + 0x40
H_CS     equ VARS + 0x44
H_FLAGS  equ VARS + 0x48
H_ESP    equ VARS + 0x4C
H_SS     equ VARS + 0x50
H_MYCS   equ VARS + 0x54
H_IF     equ VARS + 0x58
H_P1     equ VARS + 0x5C
H_P2     equ VARS + 0x60
H_R0ESP  equ VARS + 0x64
U_ESP    equ VARS + 0x68

SEL_GATE3 equ 0x40 | 3      ; call gate, DPL 3, 2 parameters -> cg_handler
SEL_GATE0 equ 0x48 | 3      ; call gate, DPL 0
SEL_CONF  equ 0x50 | 3      ; conforming code, DPL 0

CODE16
main16:
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    PRINT16 `rings\n`
    mov ebx, pm_main
    jmp enter_pm16

CODE32
pm_main:
    call install_idt
    call set_tss
    mov eax, 0x31
    mov ebx, h_gate
    mov ecx, SEL_CODE32
    mov edx, 0xEE00                 ; 32-bit interrupt gate, DPL 3
    call set_gate
    mov eax, 0x32
    mov edx, 0xEF00                 ; 32-bit trap gate, DPL 3
    call set_gate
    mov eax, 0x33
    mov edx, 0x8E00                 ; DPL 0
    call set_gate
    ; call gates: selector SEL_CODE32, offset cg_handler, type 0xC, 2 dword parameters
    mov eax, cg_handler
    and eax, 0xFFFF
    or eax, SEL_CODE32 << 16
    mov ebx, cg_handler
    and ebx, 0xFFFF0000
    or ebx, 0xEC02
    mov [GDT_RAM + 0x40], eax
    mov [GDT_RAM + 0x44], ebx
    and ebx, 0xFFFF0000
    or ebx, 0x8C02
    mov [GDT_RAM + 0x48], eax
    mov [GDT_RAM + 0x4C], ebx
    DESC SEL_CONF, 0x0000FFFF, 0x00CF9E00
    POST 0x20
    ; to ring 3 with IF = 1 (nothing can interrupt this board)
    mov ax, SEL_UDATA
    mov ds, ax
    mov es, ax
    mov ax, SEL_DATA32
    mov fs, ax                      ; a DPL-0 segment left in FS: IRET to ring 3 nulls it
    push dword SEL_UDATA
    push dword STACK3_TOP
    push dword 0x202
    push dword SEL_UCODE
    push dword user
    iretd

user:
    xor eax, eax
    mov ax, cs
    CHECK eax, SEL_UCODE, "IRET to ring 3: CS = the DPL-3 code selector"
    mov ax, ss
    CHECK eax, SEL_UDATA, "  SS from the frame"
    mov [H_R0ESP], esp
    CHECK [H_R0ESP], STACK3_TOP, "  ESP from the frame"
    mov ax, fs
    CHECK eax, 0, "  FS (DPL 0) nulled"
    mov ax, ds
    CHECK eax, SEL_UDATA, "  DS (DPL 3) kept"

    ; interrupt gate
    mov [U_ESP], esp
    int 0x31
.after31:
    CHECK [H_MYCS], SEL_CODE32, "INT 0x31 (interrupt gate, DPL 3): handler runs in ring 0"
    CHECK [H_CS], SEL_UCODE, "  frame CS = the ring-3 CS"
    CHECK [H_EIP], .after31, "  frame EIP = the next instruction"
    CHECK [H_SS], SEL_UDATA, "  frame SS = the ring-3 SS"
    mov eax, [U_ESP]
    CHECK [H_ESP], eax, "  frame ESP = the ring-3 ESP"
    CHECK [H_R0ESP], STACK0_TOP - 20, "  on the TSS's ring-0 stack (ESP0 - 20)"
    mov eax, [H_FLAGS]
    and eax, 0x200
    CHECK eax, 0x200, "  frame EFLAGS has IF"
    CHECK [H_IF], 0, "  IF cleared in the handler"
    int 0x32
    CHECK [H_IF], 0x200, "INT 0x32 (trap gate): IF kept in the handler"
    TRY .gp33
    int 0x33
.gp33:
    CHECK [LAST_VEC], 13, "INT 0x33 through a DPL-0 gate from ring 3: #GP"
    CHECK [LAST_ERR], 0x33 * 8 + 2, "  error code = vector * 8 + 2 (IDT)"
    POST 0x21

    ; call gate with parameters
    mov [U_ESP], esp
    push dword 0x1111
    push dword 0x2222
    call SEL_GATE3:0
.aftercg:
    CHECK [H_MYCS], SEL_CODE32, "CALL through a DPL-3 call gate: handler in ring 0"
    CHECK [H_CS], SEL_UCODE, "  return CS on the new stack"
    CHECK [H_EIP], .aftercg, "  return EIP on the new stack"
    CHECK [H_P1], 0x2222, "  parameter 1 copied"
    CHECK [H_P2], 0x1111, "  parameter 2 copied"
    mov eax, [U_ESP]
    sub eax, 8
    CHECK [H_ESP], eax, "  caller's ESP saved"
    CHECK [H_SS], SEL_UDATA, "  caller's SS saved"
    CHECK [H_R0ESP], STACK0_TOP - 24, "  new stack = ESP0 from the TSS"
    mov [H_R0ESP], esp
    mov eax, [U_ESP]
    CHECK [H_R0ESP], eax, "RETF 8 back to ring 3 pops the parameters"
    xor eax, eax
    mov ax, cs
    CHECK eax, SEL_UCODE, "  CS is ring 3 again"
    TRY .gp_cg0
    call SEL_GATE0:0
.gp_cg0:
    CHECK [LAST_VEC], 13, "CALL through a DPL-0 call gate from ring 3: #GP"
    CHECK [LAST_ERR], SEL_GATE0 & 0xFFF8, "  error code = the gate selector"
    call SEL_CONF:conf_fn
    CHECK eax, SEL_CONF, "far CALL to a conforming DPL-0 segment runs at CPL 3 (CS.RPL = 3)"
    POST 0x22

    ; privileged instructions
    TRY .p1
    hlt
.p1:
    CHECK [LAST_VEC], 13, "HLT in ring 3: #GP"
    CHECK [LAST_ERR], 0, "  error code 0"
    TRY .p2
    cli
.p2:
    CHECK [LAST_VEC], 13, "CLI in ring 3 with IOPL 0: #GP(0)"
    TRY .p3
    mov eax, cr0
.p3:
    CHECK [LAST_VEC], 13, "MOV from CR0 in ring 3: #GP(0)"
    TRY .p4
    lgdt [0x500]
.p4:
    CHECK [LAST_VEC], 13, "LGDT in ring 3: #GP(0)"
    TRY .p4b
    wbinvd
.p4b:
    CHECK [LAST_VEC], 13, "WBINVD in ring 3: #GP(0)"
    TRY .p4c
    clts
.p4c:
    CHECK [LAST_VEC], 13, "CLTS in ring 3: #GP(0)"
    TRY .p4d
    lmsw ax
.p4d:
    CHECK [LAST_VEC], 13, "LMSW in ring 3: #GP(0)"
    smsw eax
    and eax, 1
    CHECK eax, 1, "SMSW works in ring 3"
    TRY .p5
    in al, 0x61
.p5:
    CHECK [LAST_VEC], 13, "IN from a port the I/O bitmap denies: #GP(0)"
    CHECK [LAST_ERR], 0, "  error code 0"
    TRY .p6
    mov al, '.'
    out 0xE9, al
    mov al, 10
    out 0xE9, al
.p6:
    CHECK [LAST_VEC], -1, "OUT to a port the I/O bitmap allows (0xE9) works"
    POST 0x23

    ; segment loads
    TRY .s1
    mov ax, SEL_DATA32
    mov ds, ax
.s1:
    CHECK [LAST_VEC], 13, "ring 3 loading DS with a DPL-0 data segment: #GP"
    CHECK [LAST_ERR], SEL_DATA32, "  error code = the selector"
    TRY .s2
    mov ax, SEL_DATA32 | 3
    mov ss, ax
.s2:
    CHECK [LAST_ERR], SEL_DATA32, "ring 3 loading SS with a DPL-0 segment: #GP(selector)"
    TRY .s3
    jmp SEL_CODE32:.s3
.s3:
    CHECK [LAST_VEC], 13, "far JMP from ring 3 to a DPL-0 code segment: #GP"
    CHECK [LAST_ERR], SEL_CODE32, "  error code = the selector"
    mov ax, SEL_DATA32
    mov bx, 0x0033
    arpl ax, bx
    setz cl
    movzx ecx, cl
    CHECK eax, SEL_DATA32 | 3, "ARPL raises the RPL"
    CHECK ecx, 1, "  and sets ZF"
    mov ax, SEL_DATA32
    verr ax
    setz cl
    CHECK ecx, 0, "VERR of a DPL-0 segment from ring 3: ZF = 0"
    mov ax, SEL_UDATA
    verw ax
    setz cl
    CHECK ecx, 1, "VERW of the DPL-3 data segment: ZF = 1"
    mov ax, SEL_UCODE
    verw ax
    setz cl
    CHECK ecx, 0, "VERW of a code segment: ZF = 0"
    mov eax, SEL_TSS
    mov ebx, 0x55
    lsl ebx, eax
    setz cl
    CHECK ecx, 0, "LSL of the DPL-0 TSS from ring 3: ZF = 0"
    CHECK ebx, 0x55, "  destination unchanged"
    POST 0x24
    TO_RING0 kernel

kernel:
    mov eax, SEL_TSS
    lsl ebx, eax
    CHECK ebx, 0x2068, "LSL of the TSS from ring 0"
    lar ebx, eax
    CHECK ebx, 0x00008B00, "LAR of the TSS: busy 32-bit TSS, present"
    jmp pass

conf_fn:
    xor eax, eax
    mov ax, cs
    retf

; interrupt and trap gate handler: records the frame
h_gate:
    push ds
    push eax
    mov ax, SEL_DATA32
    mov ds, ax
    lea eax, [esp + 8]
    mov [H_R0ESP], eax
    mov eax, [esp + 8]
    mov [H_EIP], eax
    mov eax, [esp + 12]
    mov [H_CS], eax
    mov eax, [esp + 16]
    mov [H_FLAGS], eax
    mov eax, [esp + 20]
    mov [H_ESP], eax
    mov eax, [esp + 24]
    mov [H_SS], eax
    xor eax, eax
    mov ax, cs
    mov [H_MYCS], eax
    pushfd
    pop eax
    and eax, 0x200
    mov [H_IF], eax
    pop eax
    pop ds
    iretd

; call gate handler: [esp] EIP, CS, parameter 1, parameter 2, ESP, SS
cg_handler:
    push ds
    push eax
    mov ax, SEL_DATA32
    mov ds, ax
    lea eax, [esp + 8]
    mov [H_R0ESP], eax
    mov eax, [esp + 8]
    mov [H_EIP], eax
    mov eax, [esp + 12]
    mov [H_CS], eax
    mov eax, [esp + 16]
    mov [H_P1], eax
    mov eax, [esp + 20]
    mov [H_P2], eax
    mov eax, [esp + 24]
    mov [H_ESP], eax
    mov eax, [esp + 28]
    mov [H_SS], eax
    xor eax, eax
    mov ax, cs
    mov [H_MYCS], eax
    pop eax
    pop ds
    retf 8
