; rtc.asm - the MC146818 real-time clock and CMOS RAM (ports 0x70/0x71, IRQ 8).
;
; Proves: the clock starts at the board's power-on date (2000-01-01 00:00:00, a Saturday:
; day of week 7) in BCD and 24-hour mode; status D (valid) and the periodic rate in status A;
; setting the time with register B.SET (hours, minutes, seconds, day, month, year, century
; 0x32) and reading it back, the day of week following the date (1999-12-31 is a Friday: 6);
; binary mode (register B bit 2) and 12-hour mode (bit 1 clear: 13h reads as 0x81, PM in bit 7);
; the periodic interrupt (B.PIE, rate 15 = 2 Hz) on IRQ 8 through the slave PIC, status C
; reading 0xC0 (IRQF, PF) in the handler and 0 after; the clock running on virtual time while
; the CPU sleeps in HLT (four 2 Hz interrupts: 58 s + 2 s = the next minute); the memory sizes
; (base 640 KiB at 0x15, extended memory at 0x17 and 0x30) and the checksum at 0x2E over
; 0x10-0x2D; a CMOS RAM byte written and read back.

%include "rom.inc"
%include "devices.inc"

TICKS   equ 0x500
LAST_C  equ 0x504

; RD reg: EAX = CMOS register reg
%macro RD 1
    mov al, %1
    out 0x70, al
    xor eax, eax
    in al, 0x71
%endmacro
; WR reg, value
%macro WR 2
    mov al, %1
    out 0x70, al
    mov al, %2
    out 0x71, al
%endmacro

CODE16
main16:
    START16 `rtc\n`
    RD 0x00
    CHECK16 eax, 0x00, "power-on time: seconds 00"
    RD 0x02
    CHECK16 eax, 0x00, "  minutes 00"
    RD 0x04
    CHECK16 eax, 0x00, "  hours 00"
    RD 0x07
    CHECK16 eax, 0x01, "  day of month 01"
    RD 0x08
    CHECK16 eax, 0x01, "  month 01"
    RD 0x09
    CHECK16 eax, 0x00, "  year 00"
    RD 0x32
    CHECK16 eax, 0x20, "  century 20 (BCD)"
    RD 0x06
    CHECK16 eax, 0x07, "  day of week 7 (2000-01-01 is a Saturday)"
    RD 0x0B
    CHECK16 eax, 0x02, "status B: 24-hour, BCD"
    RD 0x0D
    CHECK16 eax, 0x80, "status D: valid RAM and time"
    RD 0x0A
    CHECK16 eax, 0x26, "status A: 32.768 kHz divider, rate 6, no update in progress"

    ; set the clock
    WR 0x0B, 0x82                   ; SET
    WR 0x04, 0x13
    WR 0x02, 0x45
    WR 0x00, 0x58
    WR 0x07, 0x31
    WR 0x08, 0x12
    WR 0x09, 0x99
    WR 0x32, 0x19
    WR 0x0B, 0x02
    RD 0x04
    CHECK16 eax, 0x13, "set: hours 13"
    RD 0x02
    CHECK16 eax, 0x45, "  minutes 45"
    RD 0x00
    CHECK16 eax, 0x58, "  seconds 58"
    RD 0x07
    mov ebx, eax
    RD 0x08
    shl eax, 8
    or ebx, eax
    CHECK16 ebx, 0x1231, "  December 31"
    RD 0x09
    mov ebx, eax
    RD 0x32
    shl eax, 8
    or ebx, eax
    CHECK16 ebx, 0x1999, "  1999"
    RD 0x06
    CHECK16 eax, 0x06, "  day of week 6 (a Friday)"
    WR 0x0B, 0x06                   ; binary, 24-hour
    RD 0x04
    CHECK16 eax, 13, "binary mode: hours 13 = 0x0D"
    RD 0x02
    CHECK16 eax, 45, "  minutes 45 = 0x2D"
    WR 0x0B, 0x04                   ; binary, 12-hour
    RD 0x04
    CHECK16 eax, 0x81, "12-hour mode: 13h reads 1 with PM (bit 7)"
    WR 0x0B, 0x00                   ; BCD, 12-hour
    RD 0x04
    CHECK16 eax, 0x81, "  the same in BCD"
    WR 0x0B, 0x02
    POST 0x31

    ; periodic interrupt, 2 Hz, IRQ 8 = slave IRQ 0 = vector 0x70
    PIC_INIT 0xFB, 0xFE
    IVT 0x70, rtc_irq
    mov dword [TICKS], 0
    RD 0x0C                         ; clear stale flags
    WR 0x0A, 0x2F
    RD 0x0A
    CHECK16 eax, 0x2F, "status A: rate 15 (2 Hz)"
    WR 0x0B, 0x42                   ; PIE
    SLEEP_UNTIL [TICKS], 4
    CHECK16 [TICKS], 4, "periodic interrupt: four IRQ 8s while the CPU slept"
    CHECK16 [LAST_C], 0xC0, "  status C in the handler: IRQF and PF"
    RD 0x0C
    CHECK16 eax, 0x00, "  reading C cleared it"
    RD 0x00
    CHECK16 eax, 0x00, "two seconds of virtual time later: seconds 00"
    RD 0x02
    CHECK16 eax, 0x46, "  minutes 46"
    WR 0x0B, 0x02
    POST 0x32

    ; CMOS RAM
    RD 0x15
    mov ebx, eax
    RD 0x16
    shl eax, 8
    or ebx, eax
    CHECK16 ebx, 640, "base memory 640 KiB (0x15-0x16)"
    RD 0x17
    mov ebx, eax
    RD 0x18
    shl eax, 8
    or ebx, eax
    CHECK16 ebx, 15 * 1024, "extended memory 15 MiB in KiB (0x17-0x18) for 16 MiB of RAM"
    RD 0x30
    mov ecx, eax
    RD 0x31
    shl eax, 8
    or ecx, eax
    CHECK16 ecx, ebx, "  the same at 0x30-0x31"
    xor ebx, ebx
    mov cl, 0x10
.sum:
    mov al, cl
    out 0x70, al
    in al, 0x71
    movzx eax, al
    add ebx, eax
    inc cl
    cmp cl, 0x2E
    jb .sum
    RD 0x2E
    mov ecx, eax
    shl ecx, 8
    RD 0x2F
    or ecx, eax
    CHECK16 ecx, ebx, "checksum at 0x2E-0x2F over 0x10-0x2D"
    WR 0x40, 0xA5
    RD 0x40
    CHECK16 eax, 0xA5, "a CMOS RAM byte reads back"
    PRINT16 `PASS\n`
    POST POST_PASS
    cli
    hlt

rtc_irq:
    push ax
    inc dword [TICKS]
    mov al, 0x0C
    out 0x70, al
    in al, 0x71
    movzx eax, al
    mov [LAST_C], eax
    mov al, 0x20
    out 0xA0, al
    out 0x20, al
    pop ax
    iret
