; triple.asm - a triple fault shuts the processor down.
;
; Proves: with an empty IDT (limit 0), #UD cannot be delivered (#GP for the IDT entry), nor can
; that #GP (a second contributory fault -> #DF), nor the #DF: the processor enters shutdown,
; which `j386 boot` reports (exit status 3). The last POST code is 0x7F, written just before.

%include "rom.inc"

CODE16
main16:
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    PRINT16 `triple fault\n`
    mov ebx, pm_main
    jmp enter_pm16

CODE32
pm_main:
    lidt [empty_idtr]
    PRINT `UD2 with an empty IDT\n`
    POST 0x7F
    ud2
    PRINT `FAIL still running\n`
    POST POST_FAIL
    cli
    hlt

align 4
    dw 0
empty_idtr:
    dw 0
    dd 0
