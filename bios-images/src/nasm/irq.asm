; irq.asm - external interrupts: the 8259A interrupt controllers and the 8254 system timer.
;
; Proves: PIC initialisation (ICW1-ICW4: vector bases 0x08/0x70 in real mode, 0x20 in
; protected mode), the mask register, IRR and ISR reads through OCW3, non-specific EOI; PIT
; channel 0 in rate-generator mode raising IRQ 0; HLT with IF = 1 sleeping until the timer's
; interrupt; interrupts held while IF = 0 (the request stays in IRR) and while masked; the
; one-instruction interrupt shadow after STI; delivery through the real-mode IVT and through
; a protected-mode IDT interrupt gate (no error code pushed).

%include "rom.inc"
%include "devices.inc"

TICKS   equ 0x500           ; incremented by the timer handlers
PERIOD  equ 1193            ; 1 ms at 1.193182 MHz

CODE16
main16:
    START16 `irq\n`
    ; PIC: master at vector 0x08, slave at 0x70, only IRQ 0 unmasked
    PIC_INIT 0xFE, 0xFF
    in al, 0x21
    movzx eax, al
    CHECK16 eax, 0xFE, "PIC mask register reads back"
    mov word [8 * 4], tick16
    mov word [8 * 4 + 2], 0xF000
    mov word [TICKS], 0
    ; PIT channel 0: mode 2, lobyte/hibyte
    mov al, 0x34
    out 0x43, al
    mov al, PERIOD & 0xFF
    out 0x40, al
    mov al, PERIOD >> 8
    out 0x40, al
    POST 0x70
    ; five timer interrupts, sleeping in HLT between them
    sti
.sleep:
    hlt
    cmp word [TICKS], 5
    jb .sleep
    cli
    movzx eax, word [TICKS]
    CHECK16 eax, 5, "HLT with IF=1 wakes on each timer interrupt (IVT vector 8)"
    mov al, 0x0B                    ; OCW3: read ISR
    out 0x20, al
    in al, 0x20
    movzx eax, al
    CHECK16 eax, 0, "ISR empty after the handlers' EOIs"
    ; IF = 0: the request waits in IRR
    mov ecx, 1000000                ; 2 million instructions: 2 ms of virtual time
.spin:
    dec ecx
    jnz .spin
    movzx eax, word [TICKS]
    CHECK16 eax, 5, "no interrupt while IF = 0"
    mov al, 0x0A                    ; OCW3: read IRR
    out 0x20, al
    in al, 0x20
    and eax, 1
    CHECK16 eax, 1, "  IRQ 0 pending in IRR"
    ; STI: the next instruction still runs first
    sti
    mov bx, [TICKS]
    mov cx, [TICKS]
    cli
    movzx eax, bx
    CHECK16 eax, 5, "the instruction after STI runs before the interrupt"
    movzx eax, cx
    CHECK16 eax, 6, "  then the pending interrupt is taken"
    ; masked: nothing, even with IF = 1
    mov al, 0xFF
    out 0x21, al
    sti
    mov ecx, 1000000                ; 2 million instructions: 2 ms of virtual time
.spin2:
    dec ecx
    jnz .spin2
    cli
    movzx eax, word [TICKS]
    CHECK16 eax, 6, "no interrupt while IRQ 0 is masked"
    POST 0x71
    mov ebx, pm_main
    jmp enter_pm16

tick16:
    push ax
    push ds
    xor ax, ax
    mov ds, ax
    inc word [TICKS]
    mov al, 0x20                    ; non-specific EOI
    out 0x20, al
    pop ds
    pop ax
    iret

CODE32
pm_main:
    call install_idt
    mov eax, 0x20
    mov ebx, tick32
    mov ecx, SEL_CODE32
    mov edx, 0x8E00
    call set_gate
    ; master PIC again, now at vector 0x20
    mov al, 0x11
    out 0x20, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x01
    out 0x21, al
    mov al, 0xFE
    out 0x21, al
    mov dword [TICKS], 0
    SLEEP_UNTIL [TICKS], 3
    CHECK [TICKS], 3, "protected mode: timer interrupts through IDT vector 0x20"
    CHECK [EXC_COUNT], 0, "  no exception on the way"
    ; the counter latch
    mov al, 0x00
    out 0x43, al
    in al, 0x40
    mov ah, al
    in al, 0x40
    xchg al, ah
    movzx eax, ax
    cmp eax, PERIOD
    setbe al
    movzx eax, al
    CHECK eax, 1, "latched PIT count within 1..PERIOD"
    jmp pass

tick32:
    inc dword [TICKS]
    push eax
    mov al, 0x20
    out 0x20, al
    pop eax
    iretd
