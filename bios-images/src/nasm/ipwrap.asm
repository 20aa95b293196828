; ipwrap.asm - straight-line execution past offset 0xFFFF in 16-bit code.
;
; Proves: in real mode, code running off the end of its 64 KiB segment continues at offset 0
; of the same segment (IP wraps, CS base unchanged), and so does code in a 16-bit protected-mode
; code segment whose limit is above 0xFFFF (EIP is masked to 16 bits, it does not run on
; to offset 0x10000); a CALL just before the end pushes the wrapped return offset.

%include "rom.inc"

SEG_RM    equ 0x1000        ; real-mode segment: code at linear 0x1FFFx and 0x10000
SEL_C16   equ 0x40          ; 16-bit code, base 0x30000, limit 0xFFFFF (byte granular)
BASE_PM   equ 0x30000
WRAP_IP   equ VARS + 0x40
WRAP_RET  equ VARS + 0x44

CODE16
main16:
    START16 `ipwrap\n`
    ; copy the real-mode test: the tail at 1000:FFF8, the head at 1000:0000, a trap at 2000:0000
    mov ax, SEG_RM
    mov es, ax
    mov si, rm_tail
    mov di, 0x10000 - (rm_tail_end - rm_tail)
    mov cx, rm_tail_end - rm_tail
    cs rep movsb
    mov si, rm_head
    xor di, di
    mov cx, rm_head_end - rm_head
    cs rep movsb
    mov ax, SEG_RM + 0x1000
    mov es, ax
    mov si, no_wrap
    xor di, di
    mov cx, no_wrap_end - no_wrap
    cs rep movsb
    xor bx, bx
    jmp SEG_RM:0x10000 - (rm_tail_end - rm_tail)

; runs at 1000:FFF8..FFFF
rm_tail:
    inc bx
    inc bx
    inc bx
    inc bx
    inc bx
    inc bx
    inc bx
    inc bx                      ; the last byte of the segment
rm_tail_end:

; runs at 1000:0000 after the wrap
rm_head:
    call .here                  ; push IP, read it back
.here:
    pop dx
    jmp 0xF000:rm_back
rm_head_end:

; linear 0x20000: where execution would go without the wrap
no_wrap:
    mov al, POST_FAIL
    out 0x80, al
    cli
    hlt
no_wrap_end:

rm_back:
    movzx eax, bx
    movzx edx, dx
    CHECK16 eax, 8, "real mode: the eight INCs up to offset 0xFFFF ran"
    CHECK16 edx, 3, "  execution went on at offset 0 of the same segment (IP wrapped)"
    mov ebx, pm_main
    jmp enter_pm16

CODE32
pm_main:
    call install_idt
    ; 16-bit code segment, base BASE_PM, limit 0xFFFFF: offset 0x10000 is inside the limit
    DESC SEL_C16, 0x0000FFFF, 0x000F9A03
    mov esi, pm_tail
    mov edi, BASE_PM + 0x10000 - (pm_tail_end - pm_tail)
    mov ecx, pm_tail_end - pm_tail
    rep movsb
    mov esi, pm_head
    mov edi, BASE_PM
    mov ecx, pm_head_end - pm_head
    rep movsb
    mov esi, pm_no_wrap
    mov edi, BASE_PM + 0x10000
    mov ecx, pm_no_wrap_end - pm_no_wrap
    rep movsb
    xor ebx, ebx
    mov dword [WRAP_RET], -1
    mov dword [WRAP_IP], -1
    jmp SEL_C16:0x10000 - (pm_tail_end - pm_tail)
pm_back:
    CHECK ebx, 4, "16-bit protected-mode segment with a limit above 0xFFFF: the INCs up to 0xFFFC ran"
    CHECK [WRAP_IP], 3, "  the CALL ending at 0xFFFF reached its target at offset 3 (EIP masked, not 0x10003)"
    CHECK [WRAP_RET], 0, "  and pushed the wrapped return offset 0"
    jmp pass

bits 16
; at SEL_C16:FFF9..FFFF: four INCs, then a CALL whose next IP (0x10000) wraps to 0
pm_tail:
    inc bx
    inc bx
    inc bx
    inc bx
    db 0xE8                     ; CALL rel16 +3
    dw 3
pm_tail_end:
; at SEL_C16:0000
pm_head:
    jmp short .fail             ; 0x0000: the return offset (not returned to)
    nop
.target:                        ; 0x0003
    pop ax                      ; the pushed return offset
    movzx eax, ax
    mov [WRAP_RET], eax
    mov dword [WRAP_IP], .target - pm_head
    jmp dword SEL_CODE32:pm_back
.fail:
    mov al, POST_FAIL
    out 0x80, al
    hlt
pm_head_end:
; at SEL_C16:10000 (if EIP were not masked)
pm_no_wrap:
    nop
    nop
    nop
    mov al, POST_FAIL
    out 0x80, al
    cli
    hlt
pm_no_wrap_end:
bits 32
