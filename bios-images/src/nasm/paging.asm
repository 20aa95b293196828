; paging.asm - the paging unit: 4 KiB and 4 MiB pages, accessed/dirty bits, #PF error codes
; and CR2, CR0.WP, U/S from ring 3, INVLPG and CR3 reloads.
;
; Proves: CR0.PG with CR3 and CR4.PSE; the walker setting A in PDEs and PTEs on any access and
; D only on writes (in the PTE, or in the PDE of a 4 MiB page); #PF (vector 14) with the error
; code bits P (protection vs not present), W/R and U/S, CR2 = the faulting linear address, and
; the saved EIP = the faulting instruction (a fault); instruction-fetch faults; a supervisor
; write to a read-only page succeeding with WP=0 and faulting with WP=1; user accesses to
; supervisor pages faulting; INVLPG and a CR3 reload making a changed PTE visible.

%include "rom.inc"

PD   equ 0x10000
PT0  equ 0x11000            ; maps 0-4 MiB
PTE0 equ PT0

; test pages (linear = physical unless said otherwise)
PG_DATA   equ 0x300000      ; plain RW page
PG_NP     equ 0x301000      ; not present
PG_RO     equ 0x302000      ; present, read-only, supervisor
PG_SUP    equ 0x303000      ; present, RW, supervisor
PG_MOVE   equ 0x304000      ; remapped to 0x305000 later
PG_URO    equ 0x306000      ; present, read-only, user
PG_CODE   equ 0x307000      ; not present, jumped to
BIG       equ 0x400000      ; 4 MiB page -> physical 0x800000
BIGPHYS   equ 0x800000

%define PTE(lin) (PT0 + ((lin) >> 12) * 4)

CODE16
main16:
    xor ax, ax
    mov ss, ax
    mov sp, STACK0_TOP
    PRINT16 `paging\n`
    mov ebx, pm_main
    jmp enter_pm16

CODE32
pm_main:
    call install_idt
    call set_tss
    ; page directory: PDE0 -> PT0 (user, RW); PDE1 = 4 MiB page at 0x800000 (supervisor, RW);
    ; PDE2 = 4 MiB identity page (for looking at 0x800000 physically)
    mov edi, PD
    xor eax, eax
    mov ecx, 1024
    rep stosd
    mov dword [PD + 0], PT0 | 7
    mov dword [PD + 4], BIGPHYS | 0x83
    mov dword [PD + 8], BIGPHYS | 0x83
    ; PT0: identity, user RW, for all 1024 pages
    mov edi, PT0
    mov eax, 7
    mov ecx, 1024
.fill:
    stosd
    add eax, 0x1000
    loop .fill
    mov dword [PTE(PG_DATA)], PG_DATA | 3         ; supervisor RW, A and D clear
    mov dword [PTE(PG_NP)], 0
    mov dword [PTE(PG_RO)], PG_RO | 1             ; supervisor read-only
    mov dword [PTE(PG_SUP)], PG_SUP | 3
    mov dword [PTE(PG_MOVE)], PG_MOVE | 3
    mov dword [PTE(PG_URO)], PG_URO | 5           ; user read-only
    mov dword [PTE(PG_CODE)], 0
    ; distinct contents
    mov dword [PG_MOVE], 0x11111111
    mov dword [PG_MOVE + 0x1000], 0x22222222
    mov dword [BIGPHYS + 0x10], 0
    mov dword [PG_URO], 0x0FEEDBAC
    mov eax, PD
    mov cr3, eax
    mov eax, cr4
    or eax, 0x10                                  ; PSE
    mov cr4, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .on
.on:
    mov eax, cr0
    shr eax, 31
    CHECK eax, 1, "CR0.PG set, execution continues through the identity map"
    POST 0x10

    ; ---- accessed and dirty bits ----
    mov eax, [PG_DATA]
    mov eax, [PTE(PG_DATA)]
    and eax, 0x60
    CHECK eax, 0x20, "read sets A, not D, in the PTE"
    mov dword [PG_DATA], 1
    mov eax, [PTE(PG_DATA)]
    and eax, 0x60
    CHECK eax, 0x60, "write sets D in the PTE"
    mov eax, [PD]
    and eax, 0x20
    CHECK eax, 0x20, "the PDE of a page table gets A"
    mov dword [BIG + 0x10], 0xB16B00B5
    mov eax, [BIG + 0x10]
    CHECK eax, 0xB16B00B5, "4 MiB page: read back"
    POST 0x11
    ; linear 0x800010 (PDE2, identity) sees what linear 0x400010 (PDE1) wrote
    mov eax, [BIGPHYS + 0x10]
    CHECK eax, 0xB16B00B5, "4 MiB page maps linear 0x400000 to physical 0x800000"
    mov eax, [PD + 4]
    and eax, 0xE0
    CHECK eax, 0xE0, "4 MiB PDE: PS, D and A set"
    POST 0x12

    ; ---- not-present faults ----
    TRY .np1
    mov eax, [PG_NP + 0x123]
.np1:
    CHECK [LAST_VEC], 14, "#PF on a read of a not-present page"
    CHECK [LAST_ERR], 0, "  error code 0 (not present, read, supervisor)"
    mov eax, cr2
    CHECK eax, PG_NP + 0x123, "  CR2 = the faulting address"
    TRY .np2
.np2_insn:
    mov dword [PG_NP + 0xFFC], 5
.np2:
    CHECK [LAST_ERR], 2, "#PF on a write: error code 2"
    CHECK [LAST_EIP], .np2_insn, "  saved EIP = the faulting instruction"
    TRY .np3
    mov eax, [0xC00000]                           ; PDE3 not present
.np3:
    CHECK [LAST_VEC], 14, "#PF through a not-present PDE"
    mov eax, cr2
    CHECK eax, 0xC00000, "  CR2"
    ; an access crossing into a not-present page faults on the second page
    TRY .np4
    mov eax, [PG_NP - 2]
.np4:
    mov eax, cr2
    CHECK eax, PG_NP, "a dword read straddling into a not-present page: CR2 = the page start"
    ; instruction fetch from a not-present page
    TRY .np5
    mov eax, PG_CODE + 0x10
    jmp eax
.np5:
    CHECK [LAST_VEC], 14, "#PF on instruction fetch"
    CHECK [LAST_ERR], 0, "  error code 0"
    CHECK [LAST_EIP], PG_CODE + 0x10, "  saved EIP = the target"
    mov eax, cr2
    CHECK eax, PG_CODE + 0x10, "  CR2 = the target"
    POST 0x13

    ; ---- write protection ----
    mov dword [PG_RO], 0xAB                        ; WP=0: supervisor writes go through
    CHECK [PG_RO], 0xAB, "WP=0: supervisor write to a read-only page succeeds"
    mov eax, cr0
    or eax, 0x10000
    mov cr0, eax
    TRY .wp1
.wp1_insn:
    mov dword [PG_RO], 0xCD
.wp1:
    CHECK [LAST_VEC], 14, "WP=1: supervisor write to a read-only page faults"
    CHECK [LAST_ERR], 3, "  error code 3 (protection, write)"
    CHECK [LAST_EIP], .wp1_insn, "  saved EIP"
    CHECK [PG_RO], 0xAB, "  memory unchanged"
    mov eax, cr2
    CHECK eax, PG_RO, "  CR2"
    POST 0x14

    ; ---- user/supervisor from ring 3 ----
    TO_RING3 user
CODE32
user:
    TRY .u1
    mov eax, [PG_SUP]
.u1:
    CHECK [LAST_VEC], 14, "ring 3 read of a supervisor page faults"
    CHECK [LAST_ERR], 5, "  error code 5 (protection, read, user)"
    TRY .u2
    mov dword [PG_URO], 1
.u2:
    CHECK [LAST_ERR], 7, "ring 3 write to a read-only user page: error code 7"
    TRY .u3
    mov eax, [PG_NP]
.u3:
    CHECK [LAST_ERR], 4, "ring 3 read of a not-present page: error code 4"
    mov eax, [PG_URO]
    CHECK eax, 0x0FEEDBAC, "ring 3 read of a user read-only page works"
    TO_RING0 kernel
kernel:
    xor eax, eax
    mov ax, cs
    CHECK eax, SEL_CODE32, "back in ring 0"
    POST 0x15

    ; ---- TLB invalidation ----
    CHECK [PG_MOVE], 0x11111111, "page before remapping"
    mov dword [PTE(PG_MOVE)], (PG_MOVE + 0x1000) | 3
    invlpg [PG_MOVE]
    CHECK [PG_MOVE], 0x22222222, "INVLPG: the new PTE is used"
    mov dword [PTE(PG_MOVE)], PG_MOVE | 3
    mov eax, cr3
    mov cr3, eax
    CHECK [PG_MOVE], 0x11111111, "CR3 reload: the new PTE is used"
    POST 0x16

    ; paging off again
    mov eax, cr0
    and eax, 0x7FFEFFFF
    mov cr0, eax
    jmp .off
.off:
    mov dword [BIG + 0x10], 0x12345678
    CHECK [BIG + 0x10], 0x12345678, "paging off: linear = physical"
    jmp pass
