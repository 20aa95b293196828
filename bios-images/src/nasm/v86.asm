; v86.asm - virtual-8086 mode under a protected-mode monitor.
;
; Proves: entering V86 mode with IRET from ring 0 (EFLAGS.VM in the image, the V86 segment
; registers popped from the frame); real-mode style addressing in V86 (segment * 16); I/O in
; V86 going through the TSS I/O bitmap whatever IOPL (port 0xE9 allowed, 0x61 -> #GP); with
; IOPL < 3, INT n, PUSHF, CLI, STI, POPF, IRET and HLT raising #GP(0) into the ring-0 monitor, whose frame holds
; the V86 GS/FS/DS/ES/SS:ESP, EFLAGS with VM and CS:IP, and which runs with null data segments;
; with IOPL 3, INT n going through the IDT to a ring-0 handler and back by IRET, and PUSHF/POPF,
; CLI/STI working without faults.

%include "rom.inc"

M_COUNT  equ VARS + 0x40     ; #GPs the monitor emulated
M_INT    equ VARS + 0x44     ; vector of the last INT n it saw
M_ERR    equ VARS + 0x48
M_FLAGS  equ VARS + 0x4C
M_DS     equ VARS + 0x50     ; DS on entry to the monitor
M_OPS    equ VARS + 0x54     ; the opcodes it saw, one byte each (8 max)
H_FLAGS  equ VARS + 0x60     ; INT 0x22 handler: EFLAGS, V86 DS and CS from its frame
H_DS     equ VARS + 0x64
H_CS     equ VARS + 0x68
H_MYDS   equ VARS + 0x6C
V_DONE   equ VARS + 0x70     ; written by V86 code

CODE16
main16:
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    PRINT16 `v86\n`
    mov ebx, pm_main
    jmp enter_pm16

; ---- V86 code (CS = F000) ----
v86_part1:
    mov ax, 0x0060
    mov ds, ax
    mov word [0x0070], 0x1234       ; 0x60:0x70 = linear VARS + 0x70
    mov si, msg_v86
.print:
    cs lodsb
    test al, al
    jz .printed
    out 0xE9, al                    ; allowed by the I/O bitmap
    jmp .print
.printed:
    in al, 0x61                     ; denied: #GP
    int 0x21                        ; IOPL 0: #GP
    pushf                           ; #GP
    cli                             ; #GP
    sti                             ; #GP
    popf                            ; #GP
    iret                            ; #GP
    hlt                             ; #GP: the monitor ends this part
msg_v86: db `hello from V86 mode\n`, 0

v86_part2:
    int 0x22                        ; IOPL 3: through the IDT
    pushf
    popf
    cli
    sti
    cli
    mov ax, 0x0060
    mov ds, ax
    mov word [0x0070], 0x5678
    hlt

CODE32
pm_main:
    call install_idt
    call set_tss
    mov eax, 13
    mov ebx, v86_monitor
    mov ecx, SEL_CODE32
    mov edx, 0x8E00
    call set_gate
    mov eax, 0x22
    mov ebx, h_int22
    mov edx, 0xEE00
    call set_gate
    mov dword [M_COUNT], 0
    mov dword [M_OPS], 0
    mov dword [M_OPS + 4], 0
    POST 0x50
    mov dword [RING0_CONT], after1
    push dword 0                    ; GS
    push dword 0                    ; FS
    push dword 0x0040               ; DS
    push dword 0                    ; ES
    push dword 0                    ; SS
    push dword 0x5000               ; ESP
    push dword 0x20002              ; EFLAGS: VM, IOPL 0
    push dword 0xF000               ; CS
    push dword v86_part1
    iretd

after1:
    CHECK [V_DONE], 0x1234, "V86: segment * 16 addressing (0x60:0x70 = 0x670)"
    CHECK [M_COUNT], 8, "IOPL 0: IN from a denied port, INT n, PUSHF, CLI, STI, POPF, IRET, HLT each #GP"
    CHECK [M_OPS], 0xFA9CCDE4, "  in that order (E4 CD 9C FA)"
    CHECK [M_OPS + 4], 0xF4CF9DFB, "  then STI POPF IRET HLT (FB 9D CF F4)"
    CHECK [M_INT], 0x21, "  the INT 0x21 seen by the monitor"
    CHECK [M_ERR], 0, "  error code 0"
    mov eax, [M_FLAGS]
    and eax, 0x23000
    CHECK eax, 0x20000, "  frame EFLAGS: VM set, IOPL 0"
    CHECK [M_DS], 0, "  the monitor runs with DS null"
    POST 0x51

    mov dword [RING0_CONT], after2
    mov dword [M_COUNT], 0
    mov dword [M_OPS], 0
    push dword 0
    push dword 0
    push dword 0x0040
    push dword 0
    push dword 0
    push dword 0x5000
    push dword 0x23002              ; EFLAGS: VM, IOPL 3
    push dword 0xF000
    push dword v86_part2
    iretd

after2:
    CHECK [M_COUNT], 1, "IOPL 3: only HLT faults (PUSHF POPF CLI STI run)"
    CHECK [M_OPS], 0xF4, "  HLT"
    mov eax, [H_FLAGS]
    and eax, 0x20000
    CHECK eax, 0x20000, "IOPL 3: INT 0x22 went through the IDT (frame EFLAGS has VM)"
    CHECK [H_DS], 0x0040, "  frame holds the V86 DS"
    CHECK [H_CS], 0xF000, "  frame holds the V86 CS"
    CHECK [H_MYDS], 0, "  handler runs with DS null"
    CHECK [V_DONE], 0x5678, "  and IRET returned to V86 mode"
    xor eax, eax
    mov ax, cs
    CHECK eax, SEL_CODE32, "back in protected mode, ring 0"
    jmp pass

; #GP from V86 mode. Frame: error, EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS
v86_monitor:
    push eax
    push ebx
    xor eax, eax
    mov ax, ds
    push eax
    mov ax, SEL_DATA32
    mov ds, ax
    pop eax
    mov [M_DS], eax
    mov eax, [esp + 8]
    mov [M_ERR], eax
    mov eax, [esp + 20]
    mov [M_FLAGS], eax
    movzx ebx, word [esp + 16]
    shl ebx, 4
    add ebx, [esp + 12]
    movzx eax, byte [ebx]
    mov ebx, [M_COUNT]
    mov [M_OPS + ebx], al
    inc dword [M_COUNT]
    cmp al, 0xF4
    je .hlt
    cmp al, 0xCD
    je .int
    cmp al, 0xE4
    je .skip2
    cmp al, 0x9C
    je .skip1
    cmp al, 0xFA
    je .skip1
    cmp al, 0xFB
    je .skip1
    cmp al, 0x9D
    je .skip1
    cmp al, 0xCF
    je .skip1
    PRINT `FAIL monitor: unexpected opcode\n`
    POST POST_FAIL
    cli
    hlt
.int:
    movzx ebx, word [esp + 16]
    shl ebx, 4
    add ebx, [esp + 12]
    movzx eax, byte [ebx + 1]
    mov [M_INT], eax
.skip2:
    add dword [esp + 12], 2
    jmp .back
.skip1:
    add dword [esp + 12], 1
.back:
    pop ebx
    pop eax
    add esp, 4
    iretd
.hlt:
    mov ax, SEL_DATA32
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov esp, STACK0_TOP
    jmp [RING0_CONT]

; INT 0x22 from V86 (IOPL 3). Frame: EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS
h_int22:
    push eax
    xor eax, eax
    mov ax, ds
    push eax
    mov ax, SEL_DATA32
    mov ds, ax
    pop eax
    mov [H_MYDS], eax
    mov eax, [esp + 8]
    mov [H_CS], eax
    mov eax, [esp + 12]
    mov [H_FLAGS], eax
    mov eax, [esp + 28]
    mov [H_DS], eax
    pop eax
    iretd
