; uart.asm - the 16550 UART on COM1 (0x3F8, IRQ 4).
;
; Proves: the scratch register; the divisor latch behind LCR.DLAB (DLL/DLM read back, IER and
; RBR back in place with DLAB clear); LSR with the transmitter empty and no data; IIR with no
; interrupt (0x01) and with the FIFOs enabled (0xC1); bytes written to THR reaching the host
; (--serial, checked by the test); loopback (MCR bit 4): a byte written comes back in RBR with
; LSR.DR, and MSR mirrors DTR/RTS/OUT1/OUT2 as DSR/CTS/RI/DCD; interrupts on IRQ 4 only with
; MCR.OUT2: THR empty when enabled in IER and after each byte (IIR 0xC2, acknowledged by reading
; IIR), received data in loopback (IIR 0xC4, cleared by reading RBR).

%include "rom.inc"
%include "devices.inc"

COM1     equ 0x3F8
IRQ_CNT  equ 0x500
IRQ_IIR  equ 0x504
IRQ_RBR  equ 0x508

CODE16
main16:
    START16 `uart\n`
    mov dx, COM1 + 7
    mov al, 0x5A
    out dx, al
    INB dx
    CHECK16 eax, 0x5A, "scratch register"
    ; divisor latch
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al
    mov dx, COM1
    mov al, 0x01
    out dx, al
    inc dx
    mov al, 0x00
    out dx, al
    mov dx, COM1
    INB dx
    CHECK16 eax, 0x01, "DLAB: DLL reads back (115200 baud)"
    inc dx
    INB dx
    CHECK16 eax, 0x00, "  DLM reads back"
    mov dx, COM1 + 3
    mov al, 0x03                    ; 8N1, DLAB clear
    out dx, al
    INB dx
    CHECK16 eax, 0x03, "LCR reads back"
    mov dx, COM1 + 1
    INB dx
    CHECK16 eax, 0x00, "  IER in place again (0 after reset)"
    mov dx, COM1 + 5
    INB dx
    CHECK16 eax, 0x60, "LSR: THR empty, transmitter idle, no data"
    mov dx, COM1 + 2
    INB dx
    CHECK16 eax, 0x01, "IIR: no interrupt pending"
    mov al, 0x07                    ; enable and clear the FIFOs
    out dx, al
    INB dx
    CHECK16 eax, 0xC1, "  FIFOs enabled: IIR bits 6-7 set"

    ; transmit a line to the host
    mov si, msg
.tx:
    cs lodsb
    test al, al
    jz .sent
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    jmp .tx
.sent:
    PRINT16 `ok transmitted a line through THR\n`

    ; loopback
    mov dx, COM1 + 4
    mov al, 0x10
    out dx, al
    mov dx, COM1
    mov al, 0x41
    out dx, al
    mov dx, COM1 + 5
    INB dx
    CHECK16 eax, 0x61, "loopback: LSR.DR after a byte is written"
    mov dx, COM1
    INB dx
    CHECK16 eax, 0x41, "  RBR holds it"
    mov dx, COM1 + 5
    INB dx
    CHECK16 eax, 0x60, "  LSR.DR clear after reading it"
    mov dx, COM1 + 4
    mov al, 0x1F
    out dx, al
    mov dx, COM1 + 6
    INB dx
    CHECK16 eax, 0xF0, "  MSR: DCD RI DSR CTS from OUT2 OUT1 DTR RTS"
    mov dx, COM1 + 4
    mov al, 0x11
    out dx, al
    mov dx, COM1 + 6
    INB dx
    CHECK16 eax, 0x20, "  MSR: only DSR with only DTR"
    POST 0x30

    ; interrupts on IRQ 4 (vector 0x0C)
    PIC_INIT 0xEF, 0xFF
    IVT 0x0C, com_irq
    mov dword [IRQ_CNT], 0
    mov dx, COM1 + 4
    mov al, 0x00                    ; OUT2 clear: the IRQ line is not driven
    out dx, al
    mov dx, COM1 + 1
    mov al, 0x02
    out dx, al
    sti
    nop
    nop
    cli
    CHECK16 [IRQ_CNT], 0, "THR-empty interrupt enabled without OUT2: no IRQ"
    mov dx, COM1 + 2
    INB dx
    CHECK16 eax, 0xC2, "  but IIR reports THR empty"
    INB dx
    CHECK16 eax, 0xC1, "  reading IIR acknowledged it"
    mov dx, COM1 + 4
    mov al, 0x08                    ; OUT2
    out dx, al
    mov dx, COM1
    mov al, `.`
    sti
    out dx, al                      ; THR empties at once: IRQ 4
    nop
    cli
    CHECK16 [IRQ_CNT], 1, "with OUT2: a byte sent raises IRQ 4 when THR empties"
    CHECK16 [IRQ_IIR], 0xC2, "  the handler read IIR = THR empty"
    mov dx, COM1 + 1
    mov al, 0x01                    ; received data only
    out dx, al
    mov dx, COM1 + 4
    mov al, 0x18                    ; loopback + OUT2
    out dx, al
    mov dx, COM1
    mov al, 0x42
    sti
    out dx, al
    nop
    cli
    CHECK16 [IRQ_CNT], 2, "loopback: received data raises IRQ 4"
    CHECK16 [IRQ_IIR], 0xC4, "  IIR = data available"
    CHECK16 [IRQ_RBR], 0x42, "  the handler read the byte"
    mov dx, COM1 + 2
    INB dx
    CHECK16 eax, 0xC1, "  nothing pending afterwards"
    PRINT16 `PASS\n`
    POST POST_PASS
    cli
    hlt

com_irq:
    push ax
    push dx
    inc dword [IRQ_CNT]
    mov dx, COM1 + 2
    in al, dx
    movzx eax, al
    mov [IRQ_IIR], eax
    and al, 0x0F
    cmp al, 0x04
    jne .eoi
    mov dx, COM1
    in al, dx
    movzx eax, al
    mov [IRQ_RBR], eax
.eoi:
    mov al, 0x20
    out 0x20, al
    pop dx
    pop ax
    iret

msg: db `hello from the 16550\r\n`, 0
