; kbc.asm - the 8042 keyboard controller, the keyboard, and the A20 gate.
;
; Run with --keys "aB\n" (the test does): the typed keys arrive as scan code set 1.
; Proves: the status register after power-on (keyboard not inhibited, system flag); controller
; self-test 0xAA -> 0x55 (with the output buffer full flag), interface test 0xAB -> 0x00; the
; command byte read (0x20) and written (0x60); keyboard commands: reset 0xFF -> ACK 0xFA and
; BAT 0xAA, echo 0xEE, identify 0xF2 -> ACK, 0xAB, 0x83; typed keys (after the reset) raising
; IRQ 1 one byte at a time: 'a' = 1E 9E, 'B' = Shift 2A, 30, B0, Shift break AA, Enter = 1C 9C;
; the A20 gate: open at power-on (FFFF:0510 reaches 1 MiB + 0x500), closed through the output
; port (0xD1) and port 0x92 together (FFFF:0510 wraps to 0x500), reopened by either alone; the
; output port read back (0xD0) and port 0x92 read back.

%include "rom.inc"
%include "devices.inc"

KEYS    equ 0x700           ; the bytes the IRQ 1 handler read
NKEYS   equ 0x6F0

CODE16
main16:
    START16 `kbc\n`
    INB 0x64
    CHECK16 eax, 0x14, "status after power-on: not inhibited, system flag, buffers empty"
    mov al, 0xAA
    out 0x64, al
    INB 0x64
    and al, 1
    CHECK16 eax, 1, "self-test: output buffer full"
    INB 0x60
    CHECK16 eax, 0x55, "  0x55"
    INB 0x64
    and al, 1
    CHECK16 eax, 0, "  buffer empty after reading it"
    mov al, 0xAB
    out 0x64, al
    INB 0x60
    CHECK16 eax, 0x00, "interface test: 0x00"
    mov al, 0x20
    out 0x64, al
    INB 0x60
    CHECK16 eax, 0x45, "command byte: IRQ 1 enabled, system flag, translation"
    mov al, 0x60
    out 0x64, al
    mov al, 0x44                    ; IRQ 1 off for now
    out 0x60, al
    mov al, 0x20
    out 0x64, al
    INB 0x60
    CHECK16 eax, 0x44, "  written with 0x60 and read back"
    mov al, 0xEE
    out 0x60, al
    INB 0x60
    CHECK16 eax, 0xEE, "keyboard echo"
    mov al, 0xF2
    out 0x60, al
    INBYTES 3, 0x60
    CHECK16 ebx, 0xFAAB83, "identify: ACK, AB 83"
    POST 0x33

    ; reset the keyboard: ACK and BAT, then the typed keys on IRQ 1 (vector 0x09)
    PIC_INIT 0xFD, 0xFF
    IVT 0x09, kbd_irq
    mov dword [NKEYS], 0
    mov al, 0xFF
    out 0x60, al
    INBYTES 2, 0x60
    CHECK16 ebx, 0xFAAA, "keyboard reset: ACK, self-test passed (AA)"
    mov al, 0x60
    out 0x64, al
    mov al, 0x45                    ; IRQ 1 on
    out 0x60, al
    in al, 0x64
    test al, 1
    jz .nokey
    in al, 0x60                     ; a key that arrived with IRQ 1 off: keep it
    movzx eax, al
    mov [KEYS], al
    inc dword [NKEYS]
.nokey:
    SLEEP_UNTIL [NKEYS], 8
    CHECK16 [KEYS], 0x302A9E1E, "typed 'a' and Shift: 1E 9E 2A ..."
    CHECK16 [KEYS + 2], 0xAAB0302A, "  'B' with Shift: 2A 30 B0 AA"
    CHECK16 [KEYS + 4], 0x9C1CAAB0, "  Enter: 1C 9C"
    POST 0x34

    ; A20
    mov word [0x500], 0x5678
    mov ax, 0xFFFF
    mov es, ax
    mov word [es:0x510], 0x1234     ; 1 MiB + 0x500
    movzx eax, word [es:0x510]
    CHECK16 eax, 0x1234, "A20 open at power-on: FFFF:0510 is 1 MiB + 0x500"
    mov al, 0xD1
    out 0x64, al
    mov al, 0xCD                    ; output port with A20 clear
    out 0x60, al
    movzx eax, word [es:0x510]
    CHECK16 eax, 0x1234, "output port A20 clear, port 0x92 A20 still set: open"
    mov al, 0x00
    out 0x92, al
    movzx eax, word [es:0x510]
    CHECK16 eax, 0x5678, "both clear: FFFF:0510 wraps to 0x500"
    mov al, 0xD0
    out 0x64, al
    INB 0x60
    CHECK16 eax, 0xCD, "  output port reads back (0xD0)"
    INB 0x92
    CHECK16 eax, 0x00, "  port 0x92 reads back"
    mov al, 0x02
    out 0x92, al
    movzx eax, word [es:0x510]
    CHECK16 eax, 0x1234, "fast A20 (port 0x92 bit 1) opens it"
    mov al, 0x00
    out 0x92, al
    mov al, 0xD1
    out 0x64, al
    mov al, 0xCF
    out 0x60, al
    movzx eax, word [es:0x510]
    CHECK16 eax, 0x1234, "the output port's A20 bit opens it"
    PRINT16 `PASS\n`
    POST POST_PASS
    cli
    hlt

kbd_irq:
    push ax
    push bx
    in al, 0x60
    mov bx, [NKEYS]
    mov [KEYS + bx], al
    inc dword [NKEYS]
    mov al, 0x20
    out 0x20, al
    pop bx
    pop ax
    iret
