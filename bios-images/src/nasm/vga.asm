; vga.asm - VGA text mode: the buffer at 0xB8000 and the CRT controller.
;
; Run with --vga-dump (the test does and compares the screen). Proves: characters and
; attributes written to B800:0000 appear on the 80 x 25 screen (row 0, row 12 centred, row 24
; at the last column; a non-ASCII code shown as '.'); the CRTC cursor location (0x0E/0x0F) and
; cursor shape (0x0A/0x0B) registers written through 0x3D4/0x3D5, also with one OUT DX, AX,
; and read back; input status 1 (0x3DA) toggling the retrace bit so a wait-for-retrace loop ends.

%include "rom.inc"
%include "devices.inc"

; PUTS row, col, "text": writes text with attribute 0x07 at (row, col)
%macro PUTS 3
    mov di, ((%1) * 80 + (%2)) * 2
    mov si, %%s
    call puts_vga
    jmp %%end
%%s: db %3, 0
%%end:
%endmacro

CODE16
main16:
    START16 `vga\n`
    mov ax, 0xB800
    mov es, ax
    xor di, di                      ; clear the screen: blanks, attribute 0x07
    mov cx, 80 * 25
    mov ax, 0x0720
    cld
    rep stosw
    PUTS 0, 0, "j386 VGA text mode"
    PUTS 12, 30, "centre of the screen"
    PUTS 24, 76, "end"
    mov byte [es:(24 * 80 + 79) * 2], 0xDB ; a full block in the last cell: not ASCII
    mov byte [es:(24 * 80 + 79) * 2 + 1], 0x1F
    movzx eax, word [es:0]
    CHECK16 eax, 0x076A, "the buffer reads back ('j', attribute 0x07)"

    ; cursor location, index by index
    mov dx, 0x3D4
    mov al, 0x0E
    out dx, al
    inc dx
    mov al, (24 * 80 + 5) >> 8
    out dx, al
    dec dx
    mov al, 0x0F
    out dx, al
    inc dx
    mov al, (24 * 80 + 5) & 0xFF
    out dx, al
    dec dx
    mov al, 0x0E
    out dx, al
    inc dx
    INB dx
    mov ebx, eax
    dec dx
    mov al, 0x0F
    out dx, al
    inc dx
    INB dx
    shl ebx, 8
    or ebx, eax
    CHECK16 ebx, 24 * 80 + 5, "cursor location (CRTC 0x0E/0x0F) reads back"
    ; cursor shape with OUT DX, AX (index in AL, data in AH)
    mov dx, 0x3D4
    mov ax, 0x0D0A                  ; cursor start line 13
    out dx, ax
    mov ax, 0x0E0B                  ; cursor end line 14
    out dx, ax
    mov al, 0x0A
    out dx, al
    inc dx
    INB dx
    CHECK16 eax, 0x0D, "cursor start (0x0A) written with OUT DX, AX"
    dec dx
    mov al, 0x0B
    out dx, al
    inc dx
    INB dx
    CHECK16 eax, 0x0E, "  cursor end (0x0B)"
    ; wait for the vertical retrace to start, then to end
    mov dx, 0x3DA
    mov cx, 1000
.in_retrace:
    in al, dx
    test al, 8
    loopz .in_retrace
    mov bx, cx
    mov cx, 1000
.out_retrace:
    in al, dx
    test al, 8
    loopnz .out_retrace
    movzx eax, bx
    movzx ecx, cx
    and eax, ecx
    setnz al
    movzx eax, al
    CHECK16 eax, 1, "input status 1: the retrace bit comes and goes"
    PRINT16 `PASS\n`
    POST POST_PASS
    cli
    hlt

; puts_vga: CS:SI text -> ES:DI with attribute 0x07
puts_vga:
    cs lodsb
    test al, al
    jz .done
    mov ah, 0x07
    stosw
    jmp puts_vga
.done:
    ret
