; protmode.asm - the reset state, and real -> protected -> real mode transitions.
;
; Proves: the documented processor state after reset (CS:IP F000:FFF0 with the code fetched
; from the top of the 4 GiB space, EDX = processor signature, CR0 = 0x60000010, EFLAGS = 2,
; DR6/DR7, the x87 power-up state: control word 0x0040, tag word 0x5555), that the ROM is
; aliased at 0xF0000, LGDT/CR0.PE and the far jump into 32-bit protected mode, descriptor caches (LSL/LAR of flat segments, accessed bit set in the GDT),
; memory above 1 MiB, SMSW and LMSW (which can set PE and TS but not clear PE), WBINVD and
; INVD in ring 0, and the way back: a 16-bit code segment, CR0.PE cleared, a far
; jump reloading CS in real mode, and real-mode addressing afterwards.

%include "rom.inc"

CODE16
main16:
    ; reset state, before anything is touched
    mov ebp, edx                    ; processor signature
    pushfd
    pop ecx
    mov edi, cr0
    mov esi, dr7
    CHECK16 ebp, 0x00000633, "reset EDX = signature 0x633 (family 6 model 3 stepping 3)"
    CHECK16 ecx, 0x00000002, "reset EFLAGS = 2"
    CHECK16 edi, 0x60000010, "reset CR0 = 0x60000010"
    CHECK16 esi, 0x00000400, "reset DR7 = 0x400"
    mov eax, dr6
    CHECK16 eax, 0xFFFF0FF0, "reset DR6 = 0xFFFF0FF0"
    xor eax, eax
    fnstcw [es:0x500]
    mov ax, [es:0x500]
    CHECK16 eax, 0x0040, "reset x87 control word = 0x0040 (not FNINIT's 0x037F)"
    xor eax, eax
    fnstsw ax
    CHECK16 eax, 0, "reset x87 status word = 0"
    o32 fnstenv [es:0x500]          ; 32-bit format: the tag word at +8
    mov ax, [es:0x508]
    CHECK16 eax, 0x5555, "reset x87 tag word = 0x5555 (all registers +0.0)"
    xor eax, eax
    mov ax, cs
    CHECK16 eax, 0xF000, "CS = F000 after the first far jump"
    xor eax, eax
    mov ax, ss
    CHECK16 eax, 0, "reset SS = 0"
    ; the image is the same at 0xFFFF0000 (through FS with an unreal limit, later) and 0xF0000:
    ; here: the reset vector bytes seen through F000:FFF0 are the far jump
    mov ax, 0xF000
    mov ds, ax
    movzx eax, byte [0xFFF0]
    CHECK16 eax, 0xEA, "reset vector at F000:FFF0 is a far jump"
    ; real-mode stack and memory
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    mov es, ax
    mov dword [es:0x500], 0x12345678
    mov ax, 0x0050
    mov ds, ax
    mov eax, [0]                   ; 0x50:0 = linear 0x500
    CHECK16 eax, 0x12345678, "real-mode segment:offset addressing"
    POST 0x01
    PRINT16 `entering protected mode\n`
    mov ebx, pm_main
    jmp enter_pm16

back16:
    ; here in real mode again, CS = F000
    xor eax, eax
    mov ax, cs
    CHECK16 eax, 0xF000, "real mode again: CS = F000"
    mov eax, cr0
    and eax, 1
    CHECK16 eax, 0, "CR0.PE clear"
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, STACK0_TOP
    mov eax, [0x500]
    CHECK16 eax, 0xCAFEF00D, "real-mode read of what protected mode wrote"
    mov ax, 0x0040
    mov ds, ax
    mov dword [0x100], 0x0BADF00D  ; 0x40:0x100 = linear 0x500
    xor ax, ax
    mov ds, ax
    mov eax, [0x500]
    CHECK16 eax, 0x0BADF00D, "segment base = selector * 16 after returning"
    ; a real-mode software interrupt through the IVT
    mov word [0x80 * 4], int80_handler
    mov word [0x80 * 4 + 2], 0xF000
    mov eax, 0x1111
    int 0x80
    CHECK16 eax, 0x2222, "INT 0x80 through the real-mode IVT"
    POST 0x03
    PRINT16 `PASS\n`
    POST POST_PASS
    cli
    hlt

int80_handler:
    pushf
    pop bx
    and bx, 0x200
    add eax, 0x1111
    iret

; the 16-bit protected-mode segment on the way back
pm16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~1
    mov cr0, eax
    jmp 0xF000:back16

CODE32
pm_main:
    mov eax, cr0
    and eax, 1
    CHECK eax, 1, "CR0.PE set"
    xor eax, eax
    mov ax, cs
    CHECK eax, SEL_CODE32, "CS = the flat code selector"
    smsw ax
    and eax, 0xFFFF
    CHECK eax, 0x0011, "SMSW = PE | ET"
    smsw ax
    and ax, 0xFFFE
    lmsw ax                         ; LMSW cannot clear PE
    mov eax, cr0
    and eax, 1
    CHECK eax, 1, "LMSW does not clear PE"
    smsw ax
    or ax, 8
    lmsw ax                         ; but sets TS
    mov eax, cr0
    and eax, 0x6000000F
    CHECK eax, 0x60000009, "LMSW sets TS; CR0's upper bits untouched"
    clts
    wbinvd
    invd
    mov eax, SEL_DATA32
    lsl ebx, eax
    CHECK ebx, 0xFFFFFFFF, "LSL of the flat data segment = 4 GiB - 1"
    lar ebx, eax
    CHECK ebx, 0x00CF9300, "LAR of the flat data segment (accessed after the load)"
    movzx eax, byte [GDT_RAM + SEL_DATA32 + 5]
    CHECK eax, 0x93, "the GDT's access byte got the accessed bit"
    mov dword [0x200000], 0x5A5AA5A5
    mov eax, [0x200000]
    CHECK eax, 0x5A5AA5A5, "memory above 1 MiB"
    mov eax, [0xFFFFFFF0]
    mov ebx, [0xFFFF0]
    CHECK eax, ebx, "the ROM at 0xFFFFFFF0 is the ROM at 0xFFFF0"
    mov dword [0xFFFF0], 0
    mov eax, [0xFFFF0]
    CHECK eax, ebx, "writes to the ROM are ignored"
    mov dword [0x500], 0xCAFEF00D
    POST 0x02
    PRINT `leaving protected mode\n`
    jmp SEL_CODE16:pm16
