#!/usr/bin/env python3
"""Generator of the CPU differential suite (see README.md).

Emits one nasm source per group under build/, assembles each to a static i386 ELF
(nasm -f bin, hand-written ELF header), writes forms.txt (one line per opcode form:
group, name, case count, flag rule) and bin/GROUP.elf.  run-native.sh then records
each binary's native stdout into expected/GROUP.out.gz.

Each binary holds one shared table of NCASE input states (8 registers, EFLAGS, an
immediate, 64 bytes of memory), deterministic (fixed seed).  For every form and every
case the harness copies the state, applies the form's fix-ups (pointing base registers
at the memory operand, keeping divisors legal, ...), patches the immediate into the
instruction under test, runs it, and writes one 140-byte record:
  in:  eax ecx edx ebx esp ebp esi edi eflags imm   (40 bytes, after fix-ups)
  out: eax ecx edx ebx esp ebp esi edi eflags        (36 bytes)
  mem: the 64-byte memory buffer after the instruction
"""
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NCASE = 64
REC = 140
rng = random.Random(386)

EDGE = [0, 1, 0xffffffff, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
        0x80000000, 0xfffffffe, 0x100, 0x10000, 0xff00, 0x80008080, 0x7f7f7f7f]
COUNTS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33]
FLAGBITS = [0x1, 0x4, 0x10, 0x40, 0x80, 0x800]


def rval():
    r = rng.random()
    if r < 0.45:
        return rng.choice(EDGE)
    if r < 0.6:
        return rng.choice(EDGE) ^ (1 << rng.randrange(32))
    if r < 0.75:
        return rng.getrandbits(rng.choice([4, 8, 16]))
    return rng.getrandbits(32)


def make_table():
    cases = []
    for i in range(NCASE):
        regs = [rval() for _ in range(8)]
        if i < len(COUNTS):
            regs[1] = (regs[1] & ~0xff) | COUNTS[i]  # CL
        elif rng.random() < 0.5:
            regs[1] = (regs[1] & ~0xff) | rng.randrange(64)
        fl = 0x2
        for b in FLAGBITS:
            if rng.random() < 0.5:
                fl |= b
        if i < 4:
            fl = [0x2, 0x8d7, 0x3, 0x8d6][i]
        imm = rval()
        if i < len(COUNTS):
            imm = (imm & ~0xff) | COUNTS[len(COUNTS) - 1 - i]
        mem = bytes(rng.getrandbits(8) if rng.random() < 0.7 else rng.choice([0, 0xff, 0x80, 0x7f])
                    for _ in range(64))
        cases.append((regs, fl, imm, mem))
    return cases


# ---------------------------------------------------------------- encoding helpers
EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI = range(8)
A = "membuf+16"  # the memory operand's address


def slot(r):
    return "cur+%d" % (4 * r)


def slot8(r):
    return "cur+%d" % (4 * (r & 3) + (r >> 2))


def setreg(r, expr):
    return ["mov dword [%s], %s" % (slot(r), expr)]


class Mode:
    """An addressing form: its ModRM (+SIB/disp) bytes given the reg field, the fix-ups,
    the registers it occupies, an optional prefix."""

    def __init__(self, name, enc, fix, used, prefix=b"", writable=True):
        self.name, self.enc, self.fix, self.used, self.prefix, self.writable = name, enc, fix, used, prefix, writable

    def is_reg(self):
        return self.name.startswith("r")


def dbytes(bs):
    return "db " + ",".join("0x%02x" % b for b in bs)


def modrm(mod, reg, rm):
    return (mod << 6) | (reg << 3) | rm


def rmode(rm):
    return Mode("r" + str(rm), lambda reg, rm=rm: [dbytes([modrm(3, reg, rm)])], [], {rm})


def d8(v):
    return v & 0xff


MEM = {
    "[ebx]": Mode("[ebx]", lambda reg: [dbytes([modrm(0, reg, 3)])], setreg(EBX, A), {EBX}),
    "[esi-4]": Mode("[esi-4]", lambda reg: [dbytes([modrm(1, reg, 6), 0xfc])], setreg(ESI, A + "+4"), {ESI}),
    "[edi+d32]": Mode("[edi+d32]", lambda reg: [dbytes([modrm(2, reg, 7)]), "dd 0x12345678"],
                      setreg(EDI, A + "-0x12345678"), {EDI}),
    "[ebp+8]": Mode("[ebp+8]", lambda reg: [dbytes([modrm(1, reg, 5), 8])], setreg(EBP, A + "-8"), {EBP}),
    "[abs]": Mode("[abs]", lambda reg: [dbytes([modrm(0, reg, 5)]), "dd " + A], [], set()),
    "[ebp+edi*4+8]": Mode("[ebp+edi*4+8]", lambda reg: [dbytes([modrm(1, reg, 4), 0xbd, 8])],
                          ["and dword [%s], 3" % slot(EDI), "mov eax, [%s]" % slot(EDI), "shl eax, 2", "neg eax",
                           "add eax, %s-8" % A, "mov [%s], eax" % slot(EBP)], {EBP, EDI}),
    "[eax+ecx*2]": Mode("[eax+ecx*2]", lambda reg: [dbytes([modrm(0, reg, 4), 0x48])],
                        setreg(ECX, "5") + setreg(EAX, A + "-10"), {EAX, ECX}),
    "[d32+esi*8]": Mode("[d32+esi*8]", lambda reg: [dbytes([modrm(0, reg, 4), 0xf5]), "dd " + A + "-16"],
                        setreg(ESI, "2"), {ESI}),
    "[esp+16]": Mode("[esp+16]", lambda reg: [dbytes([modrm(1, reg, 4), 0x24, 16])], setreg(ESP, A + "-16"), {ESP}),
    "[edx+eax*1-1]": Mode("[edx+eax*1-1]", lambda reg: [dbytes([modrm(1, reg, 4), 0x02, 0xff])],
                          setreg(EAX, "1") + setreg(EDX, A), {EAX, EDX}),
    "ss:[ebx]": Mode("ss:[ebx]", lambda reg: [dbytes([modrm(0, reg, 3)])], setreg(EBX, A), {EBX}, b"\x36"),
    "es:[ebx]": Mode("es:[ebx]", lambda reg: [dbytes([modrm(0, reg, 3)])], setreg(EBX, A), {EBX}, b"\x26"),
    "ds:[ebp+8]": Mode("ds:[ebp+8]", lambda reg: [dbytes([modrm(1, reg, 5), 8])], setreg(EBP, A + "-8"), {EBP}, b"\x3e"),
    "cs:[ebx]": Mode("cs:[ebx]", lambda reg: [dbytes([modrm(0, reg, 3)])], setreg(EBX, A), {EBX}, b"\x2e", False),
}
ALLMEM = list(MEM)


def lo16(r, expr):
    return ["mov ax, %s" % expr, "mov [%s], ax" % slot(r)]


def rnd16(r, mask="0x0fff"):
    return ["and word [%s], %s" % (slot(r), mask)]


def base_from(dst, idx, target):
    """low16(dst) := target - low16(idx)"""
    return ["mov ax, %s" % target, "sub ax, [%s]" % slot(idx), "mov [%s], ax" % slot(dst)]


MEM16 = {
    "a16[bx+si]": Mode("a16[bx+si]", lambda reg: [dbytes([modrm(0, reg, 0)])], rnd16(ESI) + base_from(EBX, ESI, "0x8010"),
                       {EBX, ESI}, b"\x67"),
    "a16[bp+di-128]": Mode("a16[bp+di-128]", lambda reg: [dbytes([modrm(1, reg, 3), 0x80])],
                           rnd16(EDI) + base_from(EBP, EDI, "0x8010+128"), {EBP, EDI}, b"\x67"),
    "a16[si+0xfff0]": Mode("a16[si+0xfff0]", lambda reg: [dbytes([modrm(2, reg, 4), 0xf0, 0xff])], lo16(ESI, "0x8020"),
                           {ESI}, b"\x67"),
    "a16[d16]": Mode("a16[d16]", lambda reg: [dbytes([modrm(0, reg, 6), 0x10, 0x80])], [], set(), b"\x67"),
    "a16[bx+di+0x1234]": Mode("a16[bx+di+0x1234]", lambda reg: [dbytes([modrm(2, reg, 1), 0x34, 0x12])],
                              rnd16(EDI, "0xffff") + base_from(EBX, EDI, "0x8010-0x1234"), {EBX, EDI}, b"\x67"),
    "a16[bp+0]": Mode("a16[bp+0]", lambda reg: [dbytes([modrm(1, reg, 6), 0])], lo16(EBP, "0x8010"), {EBP}, b"\x67"),
    "a16[di]": Mode("a16[di]", lambda reg: [dbytes([modrm(0, reg, 5)])], lo16(EDI, "0x8010"), {EDI}, b"\x67"),
    "a16[bp+si+2]": Mode("a16[bp+si+2]", lambda reg: [dbytes([modrm(1, reg, 2), 2])],
                         rnd16(ESI, "0xffff") + base_from(EBP, ESI, "0x8010-2"), {EBP, ESI}, b"\x67"),
    "cs:a16[bx]": Mode("cs:a16[bx]", lambda reg: [dbytes([modrm(0, reg, 7)])], lo16(EBX, "0x8010"), {EBX}, b"\x2e\x67", False),
}

READMEM = ["cs:[ebx]"]


class Form:
    def __init__(self, name, code, fix=(), rule="none", pre=(), post=()):
        self.name, self.code, self.fix, self.rule = name, list(code), list(fix), rule
        self.pre, self.post = list(pre), list(post)


GROUPS = {}


def add(group, name, code, fix=(), rule="none", pre=(), post=()):
    GROUPS.setdefault(group, []).append(Form(name, code, fix, rule, pre, post))


# Groups whose binary starts with extra set-up code.
SETUP = {
    # LDT entry 0 (selector 7): a 32-bit data segment whose base puts offset 0x8000 at membuf, so
    # 16-bit effective addresses (0x67) reach the buffer; loaded into FS.
    "a16": ["mov eax, 123", "mov ebx, 1", "mov ecx, ldtdesc", "mov edx, 16", "int 0x80", "test eax, eax", "jz .ldtok",
            "mov eax, 1", "mov ebx, 98", "int 0x80", ".ldtok:", "mov eax, 7", "mov fs, eax", "jmp setupdone",
            "align 4", "ldtdesc: dd 0, membuf-0x8000, 0xffff, 0x41", "setupdone:"],
    # Faults: one SA_SIGINFO handler for SIGILL SIGTRAP SIGBUS SIGFPE SIGSEGV records signo,
    # si_code, trapno, err, eip and (for #PF) cr2 into membuf[40..64] and resumes at [resume].
    "fault": ["mov ebx, 4", "call sethandler", "mov ebx, 5", "call sethandler", "mov ebx, 7", "call sethandler",
              "mov ebx, 8", "call sethandler", "mov ebx, 11", "call sethandler", "jmp setupdone",
              "sethandler:", "mov eax, 174", "mov ecx, sigact", "xor edx, edx", "mov esi, 8", "int 0x80",
              "test eax, eax", "jz .ok", "mov eax, 1", "mov ebx, 97", "int 0x80", ".ok:", "ret",
              "align 4", "sigact: dd handler, 0x04000004, restorer, 0, 0",
              "restorer:", "mov eax, 173", "int 0x80",
              "handler:", "mov eax, [esp+4]", "mov [membuf+40], eax", "mov ecx, [esp+8]", "mov eax, [ecx+8]",
              "mov [membuf+44], eax", "mov edx, [esp+12]", "add edx, 20", "mov eax, [edx+48]", "mov [membuf+48], eax",
              "xor ecx, ecx", "cmp eax, 14", "jne .nocr2", "mov ecx, [edx+84]", ".nocr2:", "mov [membuf+60], ecx",
              "mov eax, [edx+52]", "mov [membuf+52], eax", "mov eax, [edx+56]", "mov [membuf+56], eax",
              "mov eax, [resume]", "mov [edx+56], eax", "ret", "setupdone:"],
}


def imm_patch(width):
    """Fix-up lines that patch the case's immediate into the instruction (label .imm)."""
    if width == 0:
        return []
    if width == 1:
        return ["mov al, [cur+36]", "mov [.imm], al"]
    if width == 2:
        return ["mov ax, [cur+36]", "mov [.imm], ax"]
    return ["mov eax, [cur+36]", "mov [.imm], eax"]


def imm_bytes(width):
    return [".imm: " + {1: "db 0", 2: "dw 0", 4: "dd 0"}[width]] if width else []


def pick_reg(avoid, k=0):
    cands = [r for r in (EDX, ECX, EBX, ESI, EDI, EBP, EAX) if r not in avoid]
    return cands[k % len(cands)]


SIZES = {8: (b"", "b"), 16: (b"\x66", "w"), 32: (b"", "d")}


def emit(group, name, prefix, opcode, mode, reg, immw=0, rule="none", extra_fix=()):
    code = []
    if prefix or mode.prefix:
        code.append(dbytes(list(mode.prefix + prefix)))
    code.append(dbytes(list(opcode)))
    code += mode.enc(reg)
    code += imm_bytes(immw)
    add(group, name, code, list(mode.fix) + imm_patch(immw) + list(extra_fix), rule)


ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]


def rule_alu(op):
    return "logic" if op in ("and", "or", "xor") else "none"


def reg_modes(k):
    rs = [(1, 3), (6, 0), (7, 4), (5, 2), (2, 2), (0, 7)]
    return rs[k % len(rs)]


def gen_alu():
    for i, op in enumerate(ALU):
        rule = rule_alu(op)
        for size in (8, 16, 32):
            pfx, sfx = SIZES[size]
            b = 0 if size == 8 else 1
            for k in range(2):
                reg, rm = reg_modes(i + k * 3)
                emit("alu", "%s Eb/Ev,G %d r%d,r%d" % (op, size, rm, reg), pfx, [i * 8 + b], rmode(rm), reg, rule=rule)
                emit("alu", "%s G,Eb/Ev %d r%d,r%d" % (op, size, reg, rm), pfx, [i * 8 + 2 + b], rmode(rm), reg, rule=rule)
            emit("alu", "%s acc,imm %d" % (op, size), pfx, [i * 8 + 4 + b], Mode("none", lambda r: [], [], set()), 0,
                 immw=size // 8, rule=rule)
            modes = ["[ebx]", "[esi-4]"] + (ALLMEM if size == 32 and op in ("add", "adc", "sub", "cmp") else [])
            for m in dict.fromkeys(modes):
                mode = MEM[m]
                reg = pick_reg(mode.used, i)
                if mode.writable:
                    emit("alu", "%s E,G %d %s" % (op, size, m), pfx, [i * 8 + b], mode, reg, rule=rule)
                emit("alu", "%s G,E %d %s" % (op, size, m), pfx, [i * 8 + 2 + b], mode, reg, rule=rule)
            for m in ["r3", "[ebx]", "[ebp+edi*4+8]"]:
                mode = rmode(3) if m == "r3" else MEM[m]
                if size == 8:
                    emit("alu", "%s 80 %d %s" % (op, size, m), pfx, [0x80], mode, i, immw=1, rule=rule)
                    emit("alu", "%s 82 %d %s" % (op, size, m), pfx, [0x82], mode, i, immw=1, rule=rule)
                else:
                    emit("alu", "%s 81 %d %s" % (op, size, m), pfx, [0x81], mode, i, immw=size // 8, rule=rule)
                    emit("alu", "%s 83 %d %s" % (op, size, m), pfx, [0x83], mode, i, immw=1, rule=rule)
    for size in (8, 16, 32):
        pfx, _ = SIZES[size]
        b = 0 if size == 8 else 1
        emit("alu", "test E,G %d r" % size, pfx, [0x84 + b], rmode(6), 1, rule="logic")
        emit("alu", "test E,G %d [ebx]" % size, pfx, [0x84 + b], MEM["[ebx]"], 2, rule="logic")
        emit("alu", "test acc,imm %d" % size, pfx, [0xa8 + b], Mode("none", lambda r: [], [], set()), 0, immw=size // 8, rule="logic")
        emit("alu", "test F6/F7 %d r" % size, pfx, [0xf6 + b], rmode(5), 0, immw=size // 8, rule="logic")
        emit("alu", "test F6/F7 %d [abs]" % size, pfx, [0xf6 + b], MEM["[abs]"], 0, immw=size // 8, rule="logic")
        for sub, nm in ((2, "not"), (3, "neg")):
            for m in ("r", "[ebx]"):
                mode = rmode(1 if size == 8 else 7) if m == "r" else MEM[m]
                emit("unary", "%s %d %s" % (nm, size, m), pfx, [0xf6 + b], mode, sub)
        for sub, nm in ((0, "inc"), (1, "dec")):
            for m in ("r", "[ebx]"):
                mode = rmode(4 if size == 8 else 6) if m == "r" else MEM[m]
                emit("unary", "%s FE/FF %d %s" % (nm, size, m), pfx, [0xfe + b], mode, sub)
    for r in range(8):
        for nm, base in (("inc", 0x40), ("dec", 0x48)):
            emit("unary", "%s 4x r%d 32" % (nm, r), b"", [base + r], Mode("none", lambda x: [], [], set()), 0)
            emit("unary", "%s 4x r%d 16" % (nm, r), b"\x66", [base + r], Mode("none", lambda x: [], [], set()), 0)


NOMODE = Mode("none", lambda r: [], [], set())


def gen_muldiv():
    for size in (8, 16, 32):
        pfx, _ = SIZES[size]
        b = 0 if size == 8 else 1
        for sub, nm in ((4, "mul"), (5, "imul")):
            for m in ("r", "r0", "[ebx]", "[esp+16]"):
                mode = (rmode(0) if m == "r0" else rmode(3 if size == 8 else 6)) if m.startswith("r") else MEM[m]
                emit("muldiv", "%s %d %s" % (nm, size, m), pfx, [0xf6 + b], mode, sub, rule="mul")
        # div / idiv: keep the quotient in range
        for sub, nm in ((6, "div"), (7, "idiv")):
            for m in ("r", "[ebx]"):
                if m == "r":
                    dr = 1 if size == 8 else EBX  # cl / bx / ebx
                    mode = rmode(dr)
                    dloc = slot8(dr) if size == 8 else slot(dr)
                else:
                    mode = MEM[m]
                    dloc = "cur+40+16"
                fix = list(mode.fix) + div_fix(size, dloc, sub == 7)
                code = ([dbytes(list(pfx))] if pfx else []) + [dbytes([0xf6 + b])] + mode.enc(sub)
                add("muldiv", "%s %d %s" % (nm, size, m), code, fix, "div")
    # imul 2- and 3-operand
    for size in (16, 32):
        pfx, _ = SIZES[size]
        for m in ("r", "[ebx]", "[ebp+edi*4+8]"):
            mode = rmode(6) if m == "r" else MEM[m]
            reg = pick_reg(mode.used, 0)
            emit("muldiv", "imul 0FAF %d %s" % (size, m), pfx, [0x0f, 0xaf], mode, reg, rule="mul")
            emit("muldiv", "imul 69 %d %s" % (size, m), pfx, [0x69], mode, reg, immw=size // 8, rule="mul")
            emit("muldiv", "imul 6B %d %s" % (size, m), pfx, [0x6b], mode, reg, immw=1, rule="mul")
        emit("muldiv", "imul 0FAF %d same" % size, pfx, [0x0f, 0xaf], rmode(1), 1, rule="mul")


def div_fix(size, dloc, signed):
    w = {8: "byte", 16: "word", 32: "dword"}[size]
    # dividend: 8: ax; 16: dx:ax; 32: edx:eax.  high part locations:
    hi = {8: "cur+1", 16: "cur+8", 32: "cur+8"}[size]
    lo = {8: "cur+0", 16: "cur+0", 32: "cur+0"}[size]
    mx = {8: "movzx ecx, byte", 16: "movzx ecx, word", 32: "mov ecx, dword"}[size]
    sx = {8: "movsx ecx, byte", 16: "movsx ecx, word", 32: "mov ecx, dword"}[size]
    out = ["cmp %s [%s], 0" % (w, dloc), "jne .nz", "mov %s [%s], 3" % (w, dloc), ".nz:"]
    if not signed:
        out += ["%s [%s]" % (mx, hi), "mov eax, ecx", "xor edx, edx", "%s [%s]" % (mx, dloc), "div ecx",
                "mov [%s], %s" % (hi, {8: "dl", 16: "dx", 32: "edx"}[size])]
    else:
        # high := sign extension of low; avoid MIN / -1
        bits = size
        out += ["%s [%s]" % (sx, lo), "sar ecx, 31" if size == 32 else "sar ecx, %d" % (bits - 1 + 0),
                "mov [%s], %s" % (hi, {8: "cl", 16: "cx", 32: "ecx"}[size]),
                "cmp %s [%s], -1" % (w, dloc), "jne .ok", "mov %s [%s], 7" % (w, dloc), ".ok:"]
        if size == 8:
            out = out[:4] + ["movsx ecx, byte [cur+0]", "sar ecx, 7", "mov [cur+1], cl",
                             "cmp byte [%s], -1" % dloc, "jne .ok", "mov byte [%s], 7" % dloc, ".ok:"]
    return out


SHIFTS = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"]


def gen_shift():
    for sub, nm in enumerate(SHIFTS):
        for size in (8, 16, 32):
            pfx, _ = SIZES[size]
            b = 0 if size == 8 else 1
            modes = [("r", rmode(2 if size == 8 else 7)), ("[ebx]", MEM["[ebx]"])]
            for mn, mode in modes:
                emit("shift", "%s %d %s,1" % (nm, size, mn), pfx, [0xd0 + b], mode, sub, rule="sh:%s:%d:1" % (nm, size))
                emit("shift", "%s %d %s,cl" % (nm, size, mn), pfx, [0xd2 + b], mode, sub, rule="sh:%s:%d:cl" % (nm, size))
                emit("shift", "%s %d %s,imm" % (nm, size, mn), pfx, [0xc0 + b], mode, sub, immw=1,
                     rule="sh:%s:%d:imm" % (nm, size))
            if size == 8:
                emit("shift", "%s %d cl,cl" % (nm, size), pfx, [0xd2], rmode(1), sub, rule="sh:%s:%d:cl" % (nm, size))
    for size in (16, 32):
        pfx, _ = SIZES[size]
        for nm, op in (("shld", 0xa4), ("shrd", 0xac)):
            for mn, mode in (("r", rmode(6)), ("[ebx]", MEM["[ebx]"])):
                emit("shift", "%s %d %s,imm" % (nm, size, mn), pfx, [0x0f, op], mode, EDX, immw=1,
                     rule="sh:%s:%d:imm" % (nm, size))
                emit("shift", "%s %d %s,cl" % (nm, size, mn), pfx, [0x0f, op + 1], mode, EDX,
                     rule="sh:%s:%d:cl" % (nm, size))


def gen_bit():
    for size in (16, 32):
        pfx, _ = SIZES[size]
        for sub, nm in ((4, "bt"), (5, "bts"), (6, "btr"), (7, "btc")):
            op = {4: 0xa3, 5: 0xab, 6: 0xb3, 7: 0xbb}[sub]
            emit("bit", "%s %d r,r" % (nm, size), pfx, [0x0f, op], rmode(6), 1, rule="bt")
            emit("bit", "%s %d r,imm" % (nm, size), pfx, [0x0f, 0xba], rmode(7), sub, immw=1, rule="bt")
            emit("bit", "%s %d [ebx],imm" % (nm, size), pfx, [0x0f, 0xba], MEM["[ebx]"], sub, immw=1, rule="bt")
            # memory with register bit offset: -128..127 bits around the operand
            emit("bit", "%s %d [ebx],r" % (nm, size), pfx, [0x0f, op], MEM["[ebx]"], EDX, rule="bt",
                 extra_fix=["and dword [%s], 0xff" % slot(EDX), "sub dword [%s], 0x80" % slot(EDX)])
            emit("bit", "%s %d [esi-4],r" % (nm, size), pfx, [0x0f, op], MEM["[esi-4]"], ECX, rule="bt",
                 extra_fix=["and dword [%s], 0x7f" % slot(ECX), "sub dword [%s], 0x40" % slot(ECX)])
        for nm, op in (("bsf", 0xbc), ("bsr", 0xbd)):
            emit("bit", "%s %d r" % (nm, size), pfx, [0x0f, op], rmode(3), 6, rule="bsf")
            emit("bit", "%s %d [ebx]" % (nm, size), pfx, [0x0f, op], MEM["[ebx]"], 0, rule="bsf")
            emit("bit", "%s %d r sparse" % (nm, size), pfx, [0x0f, op], rmode(3), 6, rule="bsf",
                 extra_fix=["mov eax, [cur+36]", "and eax, 0x00410000", "and [%s], eax" % slot(3)])
    for r in range(8):
        emit("bit", "bswap r%d" % r, b"", [0x0f, 0xc8 + r], NOMODE, 0)
    for cc in range(16):
        emit("bit", "setcc %x r" % cc, b"", [0x0f, 0x90 + cc], rmode(cc % 8), 0)
        emit("bit", "setcc %x [ebx]" % cc, b"", [0x0f, 0x90 + cc], MEM["[ebx]"], 0)
        emit("bit", "cmovcc %x 32 r" % cc, b"", [0x0f, 0x40 + cc], rmode(6), 1)
        emit("bit", "cmovcc %x 16 r" % cc, b"\x66", [0x0f, 0x40 + cc], rmode(6), 1)
        emit("bit", "cmovcc %x 32 [ebx]" % cc, b"", [0x0f, 0x40 + cc], MEM["[ebx]"], 1)
        # jcc: taken skips lea eax,[eax+1]
        add("bit", "jcc %x rel8" % cc, [dbytes([0x70 + cc, 3, 0x8d, 0x40, 0x01])])
        add("bit", "jcc %x rel32" % cc, [dbytes([0x0f, 0x80 + cc, 3, 0, 0, 0, 0x8d, 0x40, 0x01])])
    add("bit", "jecxz", [dbytes([0xe3, 3, 0x8d, 0x40, 0x01])], ["and dword [cur+4], 1"])
    add("bit", "jcxz", [dbytes([0x67, 0xe3, 3, 0x8d, 0x40, 0x01])], ["and dword [cur+4], 0x10001"])
    for nm, op in (("loop", 0xe2), ("loope", 0xe1), ("loopne", 0xe0)):
        add("bit", nm, [dbytes([op, 3, 0x8d, 0x40, 0x01])], ["and dword [cur+4], 0x3"])


def gen_misc():
    for size in (8, 16, 32):
        pfx, _ = SIZES[size]
        b = 0 if size == 8 else 1
        emit("misc", "xchg %d r,r" % size, pfx, [0x86 + b], rmode(5), 2)
        emit("misc", "xchg %d [ebx],r" % size, pfx, [0x86 + b], MEM["[ebx]"], 1)
        emit("misc", "xadd %d r,r" % size, pfx, [0x0f, 0xc0 + b], rmode(6), 2)
        emit("misc", "xadd %d r,same" % size, pfx, [0x0f, 0xc0 + b], rmode(2), 2)
        emit("misc", "xadd %d [ebx],r" % size, pfx, [0x0f, 0xc0 + b], MEM["[ebx]"], 1)
        emit("misc", "lock xadd %d [ebx],r" % size, b"\xf0" + pfx, [0x0f, 0xc0 + b], MEM["[ebx]"], 1)
        for k in ("r", "[ebx]", "[ebx] eq"):
            mode = rmode(3) if k == "r" else MEM["[ebx]"]
            fix = []
            if k == "[ebx] eq":
                fix = ["mov eax, [cur+40+16]", "mov [cur+0], eax"]
            emit("misc", "cmpxchg %d %s" % (size, k), pfx, [0x0f, 0xb0 + b], mode, 6, extra_fix=fix)
        emit("misc", "cmpxchg %d r eq" % size, pfx, [0x0f, 0xb0 + b], rmode(3), 6,
             extra_fix=["mov eax, [cur+12]", "mov [cur+0], eax"])
        emit("misc", "mov 88 %d r" % size, pfx, [0x88 + b], rmode(7), 4)
        emit("misc", "mov 8A %d [esi-4]" % size, pfx, [0x8a + b], MEM["[esi-4]"], 3)
        emit("misc", "mov 88 %d [ebp+edi*4+8]" % size, pfx, [0x88 + b], MEM["[ebp+edi*4+8]"], 0)
        emit("misc", "mov C6 %d [ebx]" % size, pfx, [0xc6 + b], MEM["[ebx]"], 0, immw=size // 8)
        add("misc", "mov A0 moffs %d" % size, ([dbytes(list(pfx))] if pfx else []) + [dbytes([0xa0 + b]), "dd " + A])
        add("misc", "mov A2 moffs %d" % size, ([dbytes(list(pfx))] if pfx else []) + [dbytes([0xa2 + b]), "dd " + A])
    for r in range(8):
        emit("misc", "xchg eax,r%d" % r, b"", [0x90 + r], NOMODE, 0)
        emit("misc", "xchg ax,r%d 16" % r, b"\x66", [0x90 + r], NOMODE, 0)
    for m in ("[ebx]", "[ebp+8]", "[abs]"):
        emit("misc", "cmpxchg8b %s" % m, b"", [0x0f, 0xc7], MEM[m], 1)
        emit("misc", "cmpxchg8b %s eq" % m, b"", [0x0f, 0xc7], MEM[m], 1,
             extra_fix=["mov eax, [cur+40+16]", "mov [cur+0], eax", "mov eax, [cur+40+20]", "mov [cur+8], eax"])
    # movzx / movsx
    for nm, op in (("movzx", 0xb6), ("movsx", 0xbe)):
        for pfx, sz in ((b"", 32), (b"\x66", 16)):
            emit("misc", "%s %d r8" % (nm, sz), pfx, [0x0f, op], rmode(5), 2)
            emit("misc", "%s %d [ebx]8" % (nm, sz), pfx, [0x0f, op], MEM["[ebx]"], 2)
        emit("misc", "%s 32 r16" % nm, b"", [0x0f, op + 1], rmode(5), 2)
        emit("misc", "%s 32 [esi-4]16" % nm, b"", [0x0f, op + 1], MEM["[esi-4]"], 2)
    for nm, bs in (("cbw", [0x66, 0x98]), ("cwde", [0x98]), ("cwd", [0x66, 0x99]), ("cdq", [0x99]),
                   ("lahf", [0x9f]), ("sahf", [0x9e]), ("clc", [0xf8]), ("stc", [0xf9]), ("cmc", [0xf5]),
                   ("cld", [0xfc]), ("std", [0xfd]), ("salc", [0xd6]), ("nop", [0x90]),
                   ("aaa", [0x37]), ("aas", [0x3f]), ("daa", [0x27]), ("das", [0x2f]),
                   ("aam", [0xd4, 0x0a]), ("aad", [0xd5, 0x0a]), ("aam 16", [0xd4, 0x10]), ("aad 7", [0xd5, 0x07])):
        rule = {"aaa": "aaa", "aas": "aaa", "daa": "daa", "das": "daa", "aam": "aam", "aad": "aam",
                "aam 16": "aam", "aad 7": "aam"}.get(nm, "none")
        add("misc", nm, [dbytes(bs)], [], rule)
        if nm in ("aaa", "aas", "daa", "das"):
            # BCD-ish inputs too: AL in 0..0x9f with random AF/CF
            add("misc", nm + " bcd", [dbytes(bs)], ["and dword [cur+0], 0xff0f9f"], rule)
    add("misc", "xlat", [dbytes([0xd7])], setreg(EBX, "membuf") + ["and dword [cur+0], 0xffffff3f"])
    add("misc", "xlat ss", [dbytes([0x36, 0xd7])], setreg(EBX, "membuf-0x10") + ["and dword [cur+0], 0xffffff3f", "or dword [cur+0], 0x10"])
    # LEA: all the 32-bit and 16-bit ModRM forms, registers left random
    for mod in range(3):
        for rm in range(8):
            if rm == 4:
                for sib in (0x00, 0x24, 0x4c, 0x95, 0xe5, 0xde, 0x3b, 0x65, 0x8f):
                    disp = {0: [], 1: [0x85], 2: [0x78, 0x56, 0x34, 0xf2]}[mod]
                    if mod == 0 and (sib & 7) == 5:
                        disp = [0x11, 0x22, 0x33, 0x44]
                    add("lea", "lea32 mod%d sib%02x" % (mod, sib), [dbytes([0x8d, modrm(mod, 2, 4), sib] + disp)])
            else:
                disp = {0: [], 1: [0x7f], 2: [0x01, 0x80, 0x00, 0x90]}[mod]
                if mod == 0 and rm == 5:
                    disp = [0x78, 0x56, 0x34, 0x12]
                add("lea", "lea32 mod%d rm%d" % (mod, rm), [dbytes([0x8d, modrm(mod, 6, rm)] + disp)])
            disp16 = {0: [], 1: [0x80], 2: [0x34, 0xf2]}[mod]
            if mod == 0 and rm == 6:
                disp16 = [0xcd, 0xab]
            add("lea", "lea16 a16 mod%d rm%d" % (mod, rm), [dbytes([0x67, 0x8d, modrm(mod, 1, rm)] + disp16)])
            add("lea", "lea o16 a16 mod%d rm%d" % (mod, rm), [dbytes([0x66, 0x67, 0x8d, modrm(mod, 7, rm)] + disp16)])
    add("lea", "lea o16 a32 sib", [dbytes([0x66, 0x8d, 0x44, 0x8b, 0x10])])


def gen_stack():
    top = "membuf+64"
    add("stack", "pushfd", [dbytes([0x9c])], setreg(ESP, top))
    add("stack", "pushf 16", [dbytes([0x66, 0x9c])], setreg(ESP, top))
    for nm, bs in (("popfd", [0x9d]), ("popf 16", [0x66, 0x9d])):
        add("stack", nm, [dbytes(bs)], setreg(ESP, "membuf+48") + ["and dword [cur+40+48], 0x00247ed5"])
    add("stack", "pushad", [dbytes([0x60])], setreg(ESP, top))
    add("stack", "pusha 16", [dbytes([0x66, 0x60])], setreg(ESP, top))
    add("stack", "popad", [dbytes([0x61])], setreg(ESP, "membuf+32"))
    add("stack", "popa 16", [dbytes([0x66, 0x61])], setreg(ESP, "membuf+32"))
    for lvl in range(4):
        add("stack", "enter imm16,%d" % lvl, [dbytes([0xc8]), ".imm: dw 0", "db %d" % lvl],
            setreg(ESP, top) + setreg(EBP, "membuf+32") + ["and dword [cur+36], 0x7ff"] + imm_patch(2))
        add("stack", "enter 16 imm16,%d" % lvl, [dbytes([0x66, 0xc8]), ".imm: dw 0", "db %d" % lvl],
            setreg(ESP, top) + setreg(EBP, "membuf+32") + ["and dword [cur+36], 0x7ff"] + imm_patch(2))
    add("stack", "leave", [dbytes([0xc9])], setreg(EBP, "membuf+40"))
    add("stack", "leave 16", [dbytes([0x66, 0xc9])], setreg(EBP, "membuf+40"))
    for r in range(8):
        add("stack", "push r%d" % r, [dbytes([0x50 + r])], setreg(ESP, top))
        if r != ESP:
            add("stack", "pop r%d" % r, [dbytes([0x58 + r])], setreg(ESP, "membuf+48"))
    add("stack", "push imm32", [dbytes([0x68]), ".imm: dd 0"], setreg(ESP, top) + imm_patch(4))
    add("stack", "push imm8", [dbytes([0x6a]), ".imm: db 0"], setreg(ESP, top) + imm_patch(1))
    add("stack", "push 16 imm16", [dbytes([0x66, 0x68]), ".imm: dw 0"], setreg(ESP, top) + imm_patch(2))
    add("stack", "push [ebx]", [dbytes([0xff, 0x33])], setreg(ESP, top) + setreg(EBX, A))
    add("stack", "pop [ebx]", [dbytes([0x8f, 0x03])], setreg(ESP, "membuf+48") + setreg(EBX, A))
    add("stack", "pop [esp+4]", [dbytes([0x8f, 0x44, 0x24, 0x04])], setreg(ESP, "membuf+32"))


def gen_string():
    ops = [("movsb", 0xa4), ("movsd", 0xa5), ("movsw", 0x66a5), ("cmpsb", 0xa6), ("cmpsd", 0xa7), ("cmpsw", 0x66a7),
           ("stosb", 0xaa), ("stosd", 0xab), ("stosw", 0x66ab), ("lodsb", 0xac), ("lodsd", 0xad), ("lodsw", 0x66ad),
           ("scasb", 0xae), ("scasd", 0xaf), ("scasw", 0x66af)]
    for nm, op in ops:
        bs = [op >> 8, op & 0xff] if op > 0xff else [op]
        for rep in ("", "rep", "repne"):
            if rep == "repne" and not nm.startswith(("cmps", "scas")):
                continue
            for df in (0, 1):
                for seg in ("", "es"):
                    if seg and rep == "repne":
                        continue
                    p = ([0xf3] if rep == "rep" else [0xf2] if rep == "repne" else []) + ([0x26] if seg else [])
                    fix = ["and dword [cur+4], 7", "and dword [cur+32], ~0x400"]
                    if df:
                        fix += ["or dword [cur+32], 0x400"] + setreg(ESI, "membuf+28") + setreg(EDI, "membuf+60")
                    else:
                        fix += setreg(ESI, "membuf") + setreg(EDI, "membuf+32")
                    if nm.startswith("scas"):
                        # make a match likely: al/ax/eax from the buffer
                        fix += ["mov eax, [cur+40+36]", "mov [cur+0], eax"]
                    add("string", " ".join(x for x in (rep, seg, nm, "df=%d" % df) if x), [dbytes(p + bs)], fix,
                        "str")
    # overlapping copies (byte-by-byte propagation) and longer counts: fast paths must agree
    for nm, bs, step in (("movsb", [0xa4], 1), ("movsw", [0x66, 0xa5], 2), ("movsd", [0xa5], 4)):
        for d in (1, 2, 4, -1, -4):
            for df in (0, 1):
                fix = ["and dword [cur+4], 15", "and dword [cur+32], ~0x400"]
                if df:
                    fix += ["or dword [cur+32], 0x400"] + setreg(ESI, "membuf+40") + setreg(EDI, "membuf+40+(%d)" % d)
                else:
                    fix += setreg(ESI, "membuf+4") + setreg(EDI, "membuf+4+(%d)" % d)
                add("string", "rep %s overlap dst=src%+d df=%d" % (nm, d, df), [dbytes([0xf3] + bs)], fix, "str")
    for nm, bs in (("stosb", [0xaa]), ("stosd", [0xab]), ("movsb", [0xa4]), ("cmpsb", [0xa6]), ("scasb", [0xae])):
        fix = ["and dword [cur+4], 31", "and dword [cur+32], ~0x400"] + setreg(ESI, "membuf") + setreg(EDI, "membuf+32")
        if nm == "stosd":
            fix[0] = "and dword [cur+4], 7"
        add("string", "rep %s count<32" % nm, [dbytes([0xf3] + bs)], fix, "str")
        if nm in ("cmpsb", "scasb"):
            add("string", "repne %s count<32" % nm, [dbytes([0xf2] + bs)], fix, "str")
    # string with 0x67 is in the a16 group


LEA1 = "db 0x8d,0x40,0x01"  # lea eax,[eax+1]: marks a fall-through that should have been skipped


def gen_control():
    g = "control"
    sp48 = setreg(ESP, "membuf+48")
    cs_to = lambda dst: ["mov eax, cs", "mov [%s], eax" % dst]
    add(g, "call rel32", ["db 0xe8", "dd 0"])
    add(g, "call r32", [dbytes([0xff, 0xd3]), ".t:"], setreg(EBX, ".t"))
    add(g, "call [ebx]", [dbytes([0xff, 0x13]), ".t:"], setreg(EBX, A) + ["mov dword [cur+56], .t"])
    add(g, "call [esp+16]", [dbytes([0xff, 0x54, 0x24, 0x10]), ".t:"], ["mov dword [cur+56], .t"] + setreg(ESP, "membuf"))
    add(g, "jmp r32", [dbytes([0xff, 0xe3]), LEA1, ".t:"], setreg(EBX, ".t"))
    add(g, "jmp [ebx]", [dbytes([0xff, 0x23]), LEA1, ".t:"], setreg(EBX, A) + ["mov dword [cur+56], .t"])
    add(g, "jmp rel8", [dbytes([0xeb, 3]), LEA1])
    add(g, "jmp rel32", [dbytes([0xe9, 3, 0, 0, 0]), LEA1])
    add(g, "ret", [dbytes([0xc3]), LEA1, ".t:"], sp48 + ["mov dword [cur+40+48], .t"])
    add(g, "ret imm16", [dbytes([0xc2, 8, 0]), LEA1, ".t:"], sp48 + ["mov dword [cur+40+48], .t"])
    S = "sel"
    add(g, "call far [ebx]", [dbytes([0xff, 0x1b]), ".t:"], setreg(EBX, A) + ["mov dword [cur+56], .t"] + cs_to("cur+60"), S)
    add(g, "jmp far [ebx]", [dbytes([0xff, 0x2b]), LEA1, ".t:"], setreg(EBX, A) + ["mov dword [cur+56], .t"] + cs_to("cur+60"), S)
    add(g, "jmp far ptr16:32", ["db 0xea", "dd .t", ".sel: dw 0", LEA1, ".t:"], ["mov eax, cs", "mov [.sel], ax"], S)
    add(g, "call far ptr16:32", ["db 0x9a", "dd .t", ".sel: dw 0", ".t:"], ["mov eax, cs", "mov [.sel], ax"], S)
    add(g, "retf", [dbytes([0xcb]), LEA1, ".t:"], sp48 + ["mov dword [cur+40+48], .t"] + cs_to("cur+40+52"), S)
    add(g, "retf imm16", [dbytes([0xca, 4, 0]), LEA1, ".t:"], sp48 + ["mov dword [cur+40+48], .t"] + cs_to("cur+40+52"), S)
    for nm, bs in (("cs", [0x0e]), ("ss", [0x16]), ("ds", [0x1e]), ("es", [0x06]), ("fs", [0x0f, 0xa0]), ("gs", [0x0f, 0xa8])):
        add(g, "push " + nm, [dbytes(bs)], setreg(ESP, "membuf+64"), S)
        add(g, "push 16 " + nm, [dbytes([0x66] + bs)], setreg(ESP, "membuf+64"), S)
    for nm, bs in (("ds", [0x1f]), ("es", [0x07]), ("ss", [0x17]), ("fs", [0x0f, 0xa1]), ("gs", [0x0f, 0xa9])):
        add(g, "pop " + nm, [dbytes(bs)], sp48 + ["mov eax, %s" % nm, "mov [cur+40+48], ax"], S)
    for sr, nm in enumerate(("es", "cs", "ss", "ds", "fs", "gs")):
        add(g, "mov r32,%s" % nm, [dbytes([0x8c, modrm(3, sr, 6)])], (), S)
        add(g, "mov r16,%s" % nm, [dbytes([0x66, 0x8c, modrm(3, sr, 1)])], (), S)
        add(g, "mov [ebx],%s" % nm, [dbytes([0x8c, modrm(0, sr, 3)])], setreg(EBX, A), S)
        if nm != "cs":
            add(g, "mov %s,r32" % nm, [dbytes([0x8e, modrm(3, sr, 0)])], ["mov eax, %s" % nm, "mov [cur+0], ax"], S)
            add(g, "mov %s,[ebx]" % nm, [dbytes([0x8e, modrm(0, sr, 3)])], setreg(EBX, A) + ["mov eax, %s" % nm, "mov [cur+56], ax"], S)
    add(g, "bound 32", [dbytes([0x62, 0x13])], setreg(EBX, A) + [
        "and dword [cur+8], 0x3fffffff", "mov eax, [cur+8]", "mov ecx, eax", "sub eax, [cur+36]", "add ecx, 9",
        "and dword [cur+36], 3", "mov eax, [cur+8]", "sub eax, [cur+36]", "mov [cur+56], eax", "mov [cur+60], ecx"])
    add(g, "bound 16", [dbytes([0x66, 0x62, 0x13])], setreg(EBX, A) + [
        "and word [cur+8], 0x3fff", "and dword [cur+36], 3", "mov ax, [cur+8]", "mov cx, ax", "sub ax, [cur+36]", "add cx, 9",
        "mov [cur+56], ax", "mov [cur+58], cx"])
    for nm, bs in (("nop 0f1f", [0x0f, 0x1f, 0x44, 0x00, 0x00]), ("pause", [0xf3, 0x90]), ("nop 66 90", [0x66, 0x90]),
                   ("into (OF=0)", [0xce])):
        add(g, nm, [dbytes(bs)], ["and dword [cur+32], ~0x800"])
    add(g, "test F6/1 alias", [dbytes([0xf6, modrm(3, 1, 3)]), ".imm: db 0"], imm_patch(1), "logic")
    for r in range(8):
        add(g, "push r%d 16" % r, [dbytes([0x66, 0x50 + r])], setreg(ESP, "membuf+64"))
        if r != ESP:
            add(g, "pop r%d 16" % r, [dbytes([0x66, 0x58 + r])], sp48)
    add(g, "push [ebx] 16", [dbytes([0x66, 0xff, 0x33])], setreg(ESP, "membuf+64") + setreg(EBX, A))
    add(g, "pop [ebx] 16", [dbytes([0x66, 0x8f, 0x03])], sp48 + setreg(EBX, A))
    add(g, "lock add [ebx],r", [dbytes([0xf0, 0x01, 0x13])], setreg(EBX, A))
    add(g, "lock inc [ebx]", [dbytes([0xf0, 0xff, 0x03])], setreg(EBX, A))
    add(g, "lock bts [ebx],r", [dbytes([0xf0, 0x0f, 0xab, 0x13])], setreg(EBX, A) + ["and dword [cur+8], 31"], "bt")
    add(g, "lock cmpxchg [ebx],r", [dbytes([0xf0, 0x0f, 0xb1, 0x13])], setreg(EBX, A) + ["mov eax, [cur+56]", "mov [cur+0], eax"])
    add(g, "ss: mov eax,moffs", [dbytes([0x36, 0xa1]), "dd " + A])
    add(g, "es: mov moffs,al", [dbytes([0x26, 0xa2]), "dd " + A])
    add(g, "a16 loop", [dbytes([0x67, 0xe2, 3]), LEA1], ["and dword [cur+4], 0xffff0003"])
    add(g, "a16 loope", [dbytes([0x67, 0xe1, 3]), LEA1], ["and dword [cur+4], 0xffff0003"])


def gen_seq():
    """Flag producers followed by flag consumers: lazy flags and fused compare-and-branch."""
    g = "seq"
    prods = [("cmp32", [0x39, 0xd8], "none"), ("cmp8", [0x38, 0xf1], "none"), ("cmp16", [0x66, 0x39, 0xca], "none"),
             ("cmp imm8", [0x83, 0xfa, 0x7f], "none"), ("test", [0x85, 0xf7], "logic"), ("add", [0x01, 0xd8], "none"),
             ("sub", [0x29, 0xcb], "none"), ("inc", [0x41], "none"), ("dec8", [0xfe, 0xc9], "none"),
             ("and", [0x21, 0xf0], "logic"), ("neg", [0xf7, 0xdb], "none"), ("shl1", [0xd1, 0xe2], "sh:shl:32:1"),
             ("sar cl", [0xd3, 0xfe], "sh:sar:32:cl"), ("bt", [0x0f, 0xa3, 0xc8], "bt"), ("adc", [0x11, 0xf7], "none"),
             ("sbb8", [0x18, 0xe0], "none"), ("xor self", [0x31, 0xd2], "logic"), ("or", [0x09, 0xd9], "logic"),
             ("inc after add", [0x01, 0xd8, 0x47], "none"), ("dec after shl cl", [0xd3, 0xe6, 0x4d], "none")]
    for pn, pb, rule in prods:
        for cc in range(16):
            add(g, "%s; jcc %x" % (pn, cc), [dbytes(pb + [0x70 + cc, 3, 0x8d, 0x40, 0x01])], [], rule)
            add(g, "%s; setcc %x" % (pn, cc), [dbytes(pb + [0x0f, 0x90 + cc, 0xc5])], [], rule)
        add(g, "%s; cmovb; cmovle; adc" % pn, [dbytes(pb + [0x0f, 0x42, 0xc2, 0x0f, 0x4e, 0xf7, 0x11, 0xc8])], [], rule)
        if rule == "none":  # these copy every flag into a register, undefined ones included
            add(g, "%s; pushfd" % pn, [dbytes(pb + [0x9c, 0x58])], [], rule)
            add(g, "%s; lahf" % pn, [dbytes(pb + [0x9f])], [], rule)
    # a small loop: the block path chains and re-enters blocks
    add(g, "loop sum", [dbytes([0x83, 0xe1, 0x1f, 0x41,            # and ecx,31; inc ecx
                                0x01, 0xc8, 0x11, 0xd3, 0x49, 0x75, 0xf9])])  # .l: add eax,ecx; adc ebx,edx; dec ecx; jnz .l
    add(g, "loop mixed", [dbytes([0x83, 0xe1, 0x0f, 0x41,
                                  0x8d, 0x04, 0x40, 0x31, 0xc6, 0xd1, 0xce, 0x0f, 0xaf, 0xfe, 0xe2, 0xf4])], [], "mul")


def gen_a16():
    """16-bit addressing (0x67) through FS = an LDT segment based at membuf-0x8000."""
    g = "a16"
    fsA = "0x8010"
    M = {
        "[bx+si]": ((0, 0), rnd16(ESI) + base_from(EBX, ESI, fsA), {EBX, ESI}),
        "[bx+di+0x1234]": ((2, 1, 0x34, 0x12), rnd16(EDI) + base_from(EBX, EDI, fsA + "-0x1234"), {EBX, EDI}),
        "[bp+si+2]": ((1, 2, 2), rnd16(ESI) + base_from(EBP, ESI, fsA + "-2"), {EBP, ESI}),
        "[bp+di-128]": ((1, 3, 0x80), rnd16(EDI) + base_from(EBP, EDI, fsA + "+128"), {EBP, EDI}),
        "[si+0xfff0]": ((2, 4, 0xf0, 0xff), lo16(ESI, "0x8020"), {ESI}),
        "[di]": ((0, 5), lo16(EDI, fsA), {EDI}),
        "[d16]": ((0, 6, 0x10, 0x80), [], set()),
        "[bp+0]": ((1, 6, 0), lo16(EBP, fsA), {EBP}),
        "[bx-1]": ((1, 7, 0xff), lo16(EBX, fsA + "+1"), {EBX}),
        "[bx+si wrap]": ((0, 0), ["mov word [%s], 0xc000" % slot(ESI)] + lo16(EBX, "0xc010"), {EBX, ESI}),
    }
    for mn, (enc, fix, used) in M.items():
        def mem(reg, enc=enc):
            return [dbytes([modrm(enc[0], reg, enc[1])] + list(enc[2:]))]
        mode = Mode("fs:a16" + mn, mem, fix, used, b"\x64\x67")
        reg = pick_reg(used)
        emit(g, "add E,G 32 %s" % mn, b"", [0x01], mode, reg)
        emit(g, "sub G,E 16 %s" % mn, b"\x66", [0x2b], mode, reg)
        emit(g, "mov G,E 8 %s" % mn, b"", [0x8a], mode, reg)
        emit(g, "mov E,G 32 %s" % mn, b"", [0x89], mode, reg)
        emit(g, "lea 32 %s" % mn, b"", [0x8d], mode, reg)
    mode = Mode("fs:a16[bx+si]", lambda reg: [dbytes([modrm(0, reg, 0)])], M["[bx+si]"][1], {EBX, ESI}, b"\x64\x67")
    for nm, op, sub, immw, rule in (("inc", [0xff], 0, 0, "none"), ("shl cl", [0xd3], 4, 0, "sh:shl:32:cl"),
                                    ("bt", [0x0f, 0xba], 4, 1, "bt"), ("adc 83", [0x83], 2, 1, "none"),
                                    ("imul 69", [0x69], EDX, 4, "mul"), ("cmpxchg", [0x0f, 0xb1], EDX, 0, "none"),
                                    ("movzx", [0x0f, 0xb7], EDX, 0, "none"), ("xchg 8", [0x86], EDX, 0, "none"),
                                    ("push", [0xff], 6, 0, "none"), ("neg 16", [0x66, 0xf7], 3, 0, "none")):
        emit(g, "%s [bx+si]" % nm, b"", op, mode, sub, immw=immw, rule=rule)
    # string instructions with 16-bit addresses: SI/DI/CX, upper halves must be ignored and kept
    es_in = ["mov eax, 7", "mov es, eax"]
    es_out = ["mov eax, ds", "mov es, eax"]
    for nm, bs in (("movsb", [0xa4]), ("movsd", [0xa5]), ("movsw", [0x66, 0xa5]), ("cmpsb", [0xa6]), ("cmpsd", [0xa7]),
                   ("stosb", [0xaa]), ("stosw", [0x66, 0xab]), ("lodsd", [0xad]), ("scasb", [0xae]), ("scasd", [0xaf])):
        for rep in ("", "rep", "repne"):
            if rep == "repne" and not nm.startswith(("cmps", "scas")):
                continue
            for df in (0, 1):
                p = [0x64, 0x67] + ([0xf3] if rep == "rep" else [0xf2] if rep == "repne" else [])
                fix = ["and dword [cur+4], 0xffff0007", "and dword [cur+32], ~0x400"]
                if df:
                    fix += ["or dword [cur+32], 0x400"] + lo16(ESI, "0x8000+28") + lo16(EDI, "0x8000+60")
                else:
                    fix += lo16(ESI, "0x8000") + lo16(EDI, "0x8000+32")
                if nm.startswith("scas"):
                    fix += ["mov eax, [cur+40+36]", "mov [cur+0], eax"]
                add(g, " ".join(x for x in ("a16", rep, nm, "df=%d" % df) if x), [dbytes(p + bs)], fix, "str",
                    es_in, es_out)
    # 32-bit addressing with a segment base (FS) for the forms the block decoder handles
    fsm = {
        "fs:[ebx]": Mode("fs:[ebx]", lambda reg: [dbytes([modrm(0, reg, 3)])], setreg(EBX, fsA), {EBX}, b"\x64"),
        "fs:[esi+edi*2+8]": Mode("fs:[esi+edi*2+8]", lambda reg: [dbytes([modrm(1, reg, 4), 0x7e, 8])],
                                 ["and dword [%s], 0xff" % slot(EDI), "mov eax, [%s]" % slot(EDI), "add eax, eax", "neg eax",
                                  "add eax, %s-8" % fsA, "mov [%s], eax" % slot(ESI)], {ESI, EDI}, b"\x64"),
        "fs:[d32]": Mode("fs:[d32]", lambda reg: [dbytes([modrm(0, reg, 5)]), "dd " + fsA], [], set(), b"\x64"),
    }
    for mn, mode in fsm.items():
        reg = pick_reg(mode.used)
        for nm, op, r, immw, rule in (("mov load", [0x8b], reg, 0, "none"), ("mov store", [0x89], reg, 0, "none"),
                                      ("mov load8", [0x8a], 4, 0, "none"), ("mov store8", [0x88], 7, 0, "none"),
                                      ("mov store imm", [0xc7], 0, 4, "none"), ("mov store8 imm", [0xc6], 0, 1, "none"),
                                      ("add E,G", [0x01], reg, 0, "none"), ("sub G,E", [0x2b], reg, 0, "none"),
                                      ("cmp 83", [0x83], 7, 1, "none"), ("and 81", [0x81], 4, 4, "logic"),
                                      ("adc 8 E,G", [0x10], 1, 0, "none"), ("xor 8 G,E", [0x32], 6, 0, "logic"),
                                      ("cmp 80", [0x80], 7, 1, "none"), ("test E,G", [0x85], reg, 0, "logic"),
                                      ("test 8 F6", [0xf6], 0, 1, "logic"), ("inc", [0xff], 0, 0, "none"),
                                      ("movzx8", [0x0f, 0xb6], reg, 0, "none"), ("movsx16", [0x0f, 0xbf], reg, 0, "none"),
                                      ("movzx16", [0x0f, 0xb7], reg, 0, "none"), ("movsx8", [0x0f, 0xbe], reg, 0, "none"),
                                      ("cmovl", [0x0f, 0x4c], reg, 0, "none"), ("imul 0FAF", [0x0f, 0xaf], reg, 0, "mul"),
                                      ("imul 6B", [0x6b], reg, 1, "mul"), ("push", [0xff], 6, 0, "none"),
                                      ("shl imm", [0xc1], 4, 1, "sh:shl:32:imm"), ("sar cl", [0xd3], 7, 0, "sh:sar:32:cl"),
                                      ("lea (no segment)", [0x8d], reg, 0, "none"), ("setg", [0x0f, 0x9f], 0, 0, "none")):
            emit(g, "%s %s" % (nm, mn), b"", op, mode, r, immw=immw, rule=rule)
    add(g, "pop fs:[ebx]", [dbytes([0x64, 0x8f, 0x03])], setreg(EBX, fsA) + setreg(ESP, "membuf+48"))
    add(g, "a16 xlat", [dbytes([0x64, 0x67, 0xd7])], lo16(EBX, "0x8000") + ["and dword [cur+0], 0xffffff3f"])
    add(g, "a16 jcxz", [dbytes([0x67, 0xe3, 3]), LEA1], ["and dword [cur+4], 0xffff0001"])


def gen_fault():
    """Faulting instructions: the signal, si_code, trapno, error code, faulting EIP and CR2 as
    the kernel reports them, and the registers and flags at the fault (after sigreturn)."""
    g = "fault"

    def f(name, bs, fix=(), code_extra=(), rule="none"):
        add(g, name, [dbytes(bs)] + list(code_extra) + [".resume:"],
            setreg(ESP, "sigstk_top") + ["mov dword [resume], .resume"] + list(fix), rule)
    f("div0 32 r", [0xf7, 0xf3], setreg(EBX, "0"))
    f("div0 16 r", [0x66, 0xf7, 0xf3], ["mov word [cur+12], 0"])
    f("div0 8 [ebx]", [0xf6, 0x33], setreg(EBX, A) + ["mov byte [cur+56], 0"])
    f("idiv0 32 [ebx]", [0xf7, 0x3b], setreg(EBX, A) + ["mov dword [cur+56], 0"])
    f("div overflow 32", [0xf7, 0xf3], setreg(EBX, "1") + ["or dword [cur+8], 1"])
    f("div overflow 8", [0xf6, 0xf3], ["mov byte [cur+12], 1", "or byte [cur+1], 1"])
    f("idiv MIN/-1 32", [0xf7, 0xfb], setreg(EAX, "0x80000000") + setreg(EDX, "-1") + setreg(EBX, "-1"))
    f("idiv MIN/-1 16", [0x66, 0xf7, 0xfb], ["mov word [cur+0], 0x8000", "mov word [cur+8], -1", "mov word [cur+12], -1"])
    f("idiv overflow 8", [0xf6, 0xfb], ["mov word [cur+0], 0x4000", "mov byte [cur+12], 2"])
    f("aam 0", [0xd4, 0x00])
    f("bound below 32", [0x62, 0x13], setreg(EBX, A) + ["and dword [cur+8], 0x3fffffff", "mov eax, [cur+8]", "inc eax",
                                                       "mov [cur+56], eax", "add eax, 5", "mov [cur+60], eax"])
    f("bound above 16", [0x66, 0x62, 0x13], setreg(EBX, A) + ["and dword [cur+8], 0x3fff", "mov ax, [cur+8]", "sub ax, 9",
                                                              "mov [cur+56], ax", "add ax, 8", "mov [cur+58], ax"])
    f("into OF=1", [0xce], ["or dword [cur+32], 0x800"])
    f("int3", [0xcc])
    f("int 0x81", [0xcd, 0x81])
    f("int 4", [0xcd, 0x04])
    f("ud2", [0x0f, 0x0b])
    f("lea reg", [0x8d, 0xc0])
    f("lock nop", [0xf0, 0x90])
    f("lock add reg", [0xf0, 0x01, 0xd8])
    f("hlt", [0xf4])
    f("cli", [0xfa])
    f("sti", [0xfb])
    f("in al,dx", [0xec])
    f("out imm8,al", [0xe6, 0x80])
    f("mov eax,cr0", [0x0f, 0x20, 0xc0])
    f("lgdt", [0x0f, 0x01, 0x13], setreg(EBX, A))
    f("read null", [0x8b, 0x03], setreg(EBX, "0"))
    f("write 0x1000+4", [0x89, 0x43, 0x04], setreg(EBX, "0x1000"))
    f("mov ds,bad selector", [0x8e, 0xdb], setreg(EBX, "0x1234"))
    f("mov ss,null", [0x8e, 0xd3], setreg(EBX, "0"))
    f("mov cs", [0x8e, 0xcb], ["mov eax, cs", "mov [cur+12], eax"], rule="sel")
    f("lock cmp [ebx]", [0xf0, 0x39, 0x03], setreg(EBX, A))
    f("lock mov [ebx]", [0xf0, 0x89, 0x03], setreg(EBX, A))
    f("lock bt [ebx]", [0xf0, 0x0f, 0xa3, 0x03], setreg(EBX, A) + ["and dword [cur+0], 31"], rule="bt")
    f("lock xchg reg", [0xf0, 0x87, 0xd8])
    f("lock 83/7 [ebx]", [0xf0, 0x83, 0x3b, 0x01], setreg(EBX, A))
    f("lock inc reg 16", [0x66, 0xf0, 0x40])
    f("lock xadd [ebx] ok", [0xf0, 0x0f, 0xc1, 0x03], setreg(EBX, A))
    f("lock not [ebx] ok", [0xf0, 0xf7, 0x13], setreg(EBX, A))
    f("lock 66 neg [ebx] ok", [0xf0, 0x66, 0xf7, 0x1b], setreg(EBX, A))
    f("lock btc imm [ebx] ok", [0xf0, 0x0f, 0xba, 0x3b, 0x05], setreg(EBX, A), rule="bt")
    f("lock cmpxchg8b ok", [0xf0, 0x0f, 0xc7, 0x0b], setreg(EBX, A))
    f("rep movsb into unmapped", [0xf3, 0xa4], setreg(ESI, A) + setreg(EDI, "0x1000-2") + setreg(ECX, "5")
      + ["and dword [cur+32], ~0x400"])
    f("rep lodsd from unmapped", [0xf3, 0xad], setreg(ESI, "0x2000-8") + setreg(ECX, "7") + ["and dword [cur+32], ~0x400"])
    f("unaligned with AC=1", [0x8b, 0x03], setreg(EBX, A + "+1") + ["or dword [cur+32], 0x40000"])
    f("unaligned store 16 with AC=1", [0x66, 0x89, 0x43, 0x01], setreg(EBX, A) + ["or dword [cur+32], 0x40000"])
    f("unaligned add [ebx] with AC=1", [0x01, 0x4b, 0x02], setreg(EBX, A) + ["or dword [cur+32], 0x40000"])
    f("push with esp%4=2 and AC=1", [0x50], setreg(ESP, "sigstk_top-2") + ["or dword [cur+32], 0x40000"])
    f("aligned load with AC=1", [0x8b, 0x03], setreg(EBX, A) + ["or dword [cur+32], 0x40000"])
    f("byte load at odd address with AC=1", [0x8a, 0x43, 0x03], setreg(EBX, A) + ["or dword [cur+32], 0x40000"])
    f("unaligned load 16 with AC=1 (in a block)", [0x89, 0xc0, 0x66, 0x8b, 0x43, 0x03, 0x89, 0xc0],
      setreg(EBX, A) + ["or dword [cur+32], 0x40000"])
    f("jmp far null", [0xea, 0, 0, 0, 0, 0, 0])


CF_, PF_, AF_, ZF_, SF_, OF_ = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
ARITH_ = CF_ | PF_ | AF_ | ZF_ | SF_ | OF_
CC_READS = [OF_, OF_, CF_, CF_, ZF_, ZF_, CF_ | ZF_, CF_ | ZF_, SF_, SF_, PF_, PF_, SF_ | OF_, SF_ | OF_,
            ZF_ | SF_ | OF_, ZF_ | SF_ | OF_]


def gen_fuzz():
    """Random straight-line register code (no ESP), tracking which flags are undefined so the
    final mask is exact: exercises lazy flags and the block decoder across instruction runs."""
    frng = random.Random(80386)
    REGS = [0, 1, 2, 3, 5, 6, 7]

    def pick():
        """Returns (bytes, reads, writes_defined, makes_undefined)."""
        k = frng.randrange(22)
        a, b = frng.choice(REGS), frng.choice(REGS)
        if k < 5:   # ALU r,r 8/16/32
            op = frng.randrange(8)
            sz = frng.choice([0, 1, 1, 2])
            pre = [0x66] if sz == 2 else []
            rd = CF_ if op in (2, 3) else 0
            u = AF_ if op in (1, 4, 6) else 0
            rb = frng.randrange(8) if sz == 0 else b
            ra = frng.randrange(8) if sz == 0 else a
            return pre + [op * 8 + (0 if sz == 0 else 1), modrm(3, rb, ra)], rd, ARITH_ & ~u, u
        if k == 5:  # ALU imm
            op = frng.randrange(8)
            rd = CF_ if op in (2, 3) else 0
            u = AF_ if op in (1, 4, 6) else 0
            if frng.random() < 0.5:
                return [0x83, modrm(3, op, a), frng.randrange(256)], rd, ARITH_ & ~u, u
            return [0x81, modrm(3, op, a)] + list(frng.getrandbits(32).to_bytes(4, "little")), rd, ARITH_ & ~u, u
        if k == 6:  # inc/dec
            return [frng.choice([0x40, 0x48]) + a], 0, ARITH_ & ~CF_, 0
        if k == 7:  # neg/not
            sub = frng.choice([2, 3])
            return [0xf7, modrm(3, sub, a)], 0, (ARITH_ if sub == 3 else 0), 0
        if k == 8:  # shift by imm
            sub = frng.choice([0, 1, 2, 3, 4, 5, 7])
            c = frng.choice([1, 1, 2, 5, 31, 0, 16])
            if c == 0:
                return [0xc1, modrm(3, sub, a), c], 0, 0, 0
            if sub < 4:  # rotates: CF (and OF when 1)
                return [0xc1, modrm(3, sub, a), c], (CF_ if sub in (2, 3) else 0), CF_ | (OF_ if c == 1 else 0), (0 if c == 1 else OF_)
            return [0xc1, modrm(3, sub, a), c], 0, CF_ | PF_ | ZF_ | SF_ | (OF_ if c == 1 else 0), AF_ | (0 if c == 1 else OF_)
        if k == 9:  # shift by cl (count data-dependent): OF and AF may become undefined, others keep or get defined
            sub = frng.choice([0, 1, 4, 5, 7])
            if a == 1:
                a = 3
            return [0xd3, modrm(3, sub, a)], 0, 0, OF_ | AF_
        if k == 10:  # imul
            if frng.random() < 0.5:
                return [0x0f, 0xaf, modrm(3, a, b)], 0, CF_ | OF_, SF_ | ZF_ | AF_ | PF_
            return [0x6b, modrm(3, a, b), frng.randrange(256)], 0, CF_ | OF_, SF_ | ZF_ | AF_ | PF_
        if k == 11:  # setcc
            cc = frng.randrange(16)
            return [0x0f, 0x90 + cc, modrm(3, 0, frng.randrange(8))], CC_READS[cc], 0, 0
        if k == 12:  # cmovcc
            cc = frng.randrange(16)
            return [0x0f, 0x40 + cc, modrm(3, a, b)], CC_READS[cc], 0, 0
        if k == 13:  # lea / mov / movzx / movsx (no flags)
            return frng.choice([[0x8d, modrm(1, a, 4), 0x48, 0x11],  # lea a,[eax+ecx*2+0x11]
                                [0x89, modrm(3, b, a)], [0x0f, 0xb6, modrm(3, a, frng.randrange(8))],
                                [0x0f, 0xbf, modrm(3, a, b)], [0xb8 + a] + list(frng.getrandbits(32).to_bytes(4, "little"))]), 0, 0, 0
        if k == 14:  # test
            return [0x85, modrm(3, a, b)], 0, ARITH_ & ~AF_, AF_
        if k == 15:  # bt / bts reg,imm
            return [0x0f, 0xba, modrm(3, frng.choice([4, 5, 6, 7]), a), frng.randrange(64)], 0, CF_, OF_ | SF_ | AF_ | PF_
        if k == 16:  # xchg, bswap
            return frng.choice([[0x87, modrm(3, a, b)], [0x0f, 0xc8 + a]]), 0, 0, 0
        if k == 17:  # cmc/clc/stc
            x = frng.choice([0xf5, 0xf8, 0xf9])
            return [x], (CF_ if x == 0xf5 else 0), CF_, 0
        if k == 18:  # shld/shrd imm
            c = frng.choice([1, 3, 8, 31])
            return [0x0f, frng.choice([0xa4, 0xac]), modrm(3, b, a), c], 0, CF_ | PF_ | ZF_ | SF_ | (OF_ if c == 1 else 0), AF_ | (0 if c == 1 else OF_)
        if k == 19:  # jcc over one instruction
            cc = frng.randrange(16)
            return [0x70 + cc, 3, 0x8d, 0x40 + a, 0x01] if a != 4 else [0x90], CC_READS[cc], 0, 0
        if k == 20:  # adc/sbb 8-bit with AH..BH
            return [frng.choice([0x10, 0x18]), modrm(3, frng.randrange(8), frng.randrange(8))], CF_, ARITH_, 0
        return [0x0f, 0xbc + frng.randrange(2), modrm(3, a, b)], 0, ZF_, CF_ | OF_ | SF_ | AF_ | PF_  # bsf/bsr

    for n in range(160):
        undef = 0
        code = []
        length = 4 + n % 13
        while len(code) < length:
            bs, rd, wr, u = pick()
            if isinstance(u, str):
                continue
            if rd & undef:
                continue
            undef = (undef & ~wr) | u
            code.append(bs)
        add("fuzz", "seq%03d" % n, [dbytes(b) for b in code], [], "mask:%x" % undef)


def gen_seg():
    """Segment limits, expand-down, read-only, granularity, not-present and selector checks,
    through LDT segments (modify_ldt) loaded into FS or ES; faults recorded as in `fault`."""
    g = "seg"

    def f(name, sel, bs, fix=(), sreg="fs", rule="none"):
        pre = ["mov eax, %s" % sel, "mov %s, eax" % sreg] if sel is not None else []
        post = ["mov eax, ds", "mov es, eax"] if sreg == "es" else []
        add(g, name, [dbytes(bs), ".resume:"],
            setreg(ESP, "sigstk_top") + ["mov dword [resume], .resume"] + list(fix), rule, pre, post)
    ld = [0x64, 0x8b, 0x03]      # mov eax, fs:[ebx]
    st = [0x64, 0x89, 0x0b]      # mov fs:[ebx], ecx
    for off, note in ((0x1c, "ok"), (0x1d, "crosses"), (0x20, "beyond"), (0xfffffffe, "wraps")):
        f("limit 0x1f: load dword at %#x (%s)" % (off, note), "0x0f", ld, setreg(EBX, "%#x" % off))
    f("limit 0x1f: load byte at 0x1f", "0x0f", [0x64, 0x8a, 0x03], setreg(EBX, "0x1f"))
    f("limit 0x1f: load word at 0x1e", "0x0f", [0x64, 0x66, 0x8b, 0x03], setreg(EBX, "0x1e"))
    f("limit 0x1f: load word at 0x1f", "0x0f", [0x64, 0x66, 0x8b, 0x03], setreg(EBX, "0x1f"))
    f("limit 0x1f: store dword at 0x1c", "0x0f", st, setreg(EBX, "0x1c"))
    f("limit 0x1f: store dword at 0x1e", "0x0f", st, setreg(EBX, "0x1e"))
    f("limit 0x1f: add [ebx+disp8] crossing", "0x0f", [0x64, 0x01, 0x4b, 0x1a], setreg(EBX, "0"))
    f("limit 0x1f: cmpxchg8b at 0x18", "0x0f", [0x64, 0x0f, 0xc7, 0x0b], setreg(EBX, "0x18"))
    f("limit 0x1f: cmpxchg8b at 0x1c", "0x0f", [0x64, 0x0f, 0xc7, 0x0b], setreg(EBX, "0x1c"))
    f("read-only: load", "0x17", ld, setreg(EBX, "8"))
    f("read-only: store", "0x17", st, setreg(EBX, "8"))
    f("read-only: add to memory", "0x17", [0x64, 0x01, 0x0b], setreg(EBX, "8"))
    f("read-only: cmp with memory", "0x17", [0x64, 0x39, 0x0b], setreg(EBX, "8"))
    for off, note in ((0x10, "ok"), (0x0e, "crosses"), (0x0c, "below"), (0xfffffffc, "top")):
        f("expand-down 32: load dword at %#x (%s)" % (off, note), "0x1f", ld, setreg(EBX, "%#x" % off))
    for off, note in ((0x10, "ok"), (0xfffc, "top"), (0xfffe, "crosses 64K"), (0x10000, "beyond 64K")):
        f("expand-down 16: load dword at %#x (%s)" % (off, note), "0x37", ld, setreg(EBX, "%#x" % off))
    for off, note in ((0xffc, "ok"), (0xffe, "crosses"), (0x1000, "beyond")):
        f("page granular: load dword at %#x (%s)" % (off, note), "0x27", ld, setreg(EBX, "%#x" % off))
    f("page granular: load byte at 0xfff", "0x27", [0x64, 0x8a, 0x03], setreg(EBX, "0xfff"))
    f("load not-present selector", None, [0x8e, 0xe3], setreg(EBX, "0x2f"))
    f("load selector beyond the LDT", None, [0x8e, 0xe3], setreg(EBX, "0x3ff"))
    f("load RPL 0 selector of a DPL 3 segment, read it back", None, [0x8e, 0xe3, 0x8c, 0xe0], setreg(EBX, "0x0c"))
    f("load null selector, read it back", None, [0x8e, 0xe3, 0x8c, 0xe0], setreg(EBX, "0"))
    f("load null selector, access", "0", ld, setreg(EBX, "0"))
    f("rep movsd into limited ES, crossing the limit", "0x0f",
      [0xf3, 0xa5], setreg(ESI, A) + setreg(EDI, "0x10") + setreg(ECX, "7") + ["and dword [cur+32], ~0x400"], "es")
    f("rep stosb into limited ES, within", "0x0f",
      [0xf3, 0xaa], setreg(EDI, "0x10") + setreg(ECX, "0x10") + ["and dword [cur+32], ~0x400"], "es")
    f("lods from limited FS, DF=1, below 0", "0x0f", [0x64, 0xf3, 0xac],
      setreg(ESI, "3") + setreg(ECX, "6") + ["or dword [cur+32], 0x400"])


def main():
    gen_seg()
    gen_fuzz()
    gen_fault()
    gen_a16()
    gen_seq()
    gen_control()
    gen_alu()
    gen_muldiv()
    gen_shift()
    gen_bit()
    gen_misc()
    gen_stack()
    gen_string()
    table = make_table()
    os.makedirs(os.path.join(HERE, "build"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "bin"), exist_ok=True)
    lines = []
    for g, forms in GROUPS.items():
        src = harness(g, forms, table)
        sp = os.path.join(HERE, "build", g + ".asm")
        with open(sp, "w") as f:
            f.write(src)
        subprocess.check_call(["nasm", "-f", "bin", "-o", os.path.join(HERE, "bin", g + ".elf"), sp])
        os.chmod(os.path.join(HERE, "bin", g + ".elf"), 0o755)
        for fm in forms:
            lines.append("%s\t%s\t%d\t%s" % (g, fm.name, NCASE, fm.rule))
    with open(os.path.join(HERE, "forms.txt"), "w") as f:
        f.write("# group\tform\tcases\tflag-rule   (generated by gen.py; record size %d)\n" % REC)
        f.write("\n".join(lines) + "\n")
    print("%d groups, %d forms, %d cases" % (len(GROUPS), len(lines), len(lines) * NCASE))


SETUP["seg"] = (["mov ecx, ldtdescs", "ldtloop:", "push ecx", "mov eax, 123", "mov ebx, 1", "mov edx, 16", "int 0x80",
                  "pop ecx", "test eax, eax", "jz .ldtok", "mov eax, 1", "mov ebx, 98", "int 0x80", ".ldtok:", "add ecx, 16",
                  "cmp ecx, ldtdescs_end", "jb ldtloop", "jmp ldtdone", "align 4", "ldtdescs:",
                  "dd 1, membuf, 0x1f, 0x41",          # 0x0f: bytes 0..0x1f, read/write
                  "dd 2, membuf, 0x1f, 0x49",          # 0x17: read-only
                  "dd 3, membuf-0x10, 0x0f, 0x43",     # 0x1f: expand-down, 32-bit: 0x10..0xffffffff
                  "dd 4, membuf-0xff0, 0, 0x51",       # 0x27: one 4 KiB page (limit in pages)
                  "dd 5, membuf, 0x1f, 0x61",          # 0x2f: not present
                  "dd 6, membuf-0x10, 0x0f, 0x42",     # 0x37: expand-down, 16-bit: 0x10..0xffff
                  "ldtdescs_end:", "ldtdone:"]
                 + [l.replace("setupdone", "segsetupdone") for l in SETUP["fault"]])


def harness(group, forms, table):
    o = []
    w = o.append
    if group in ("fault", "seg"):
        o.append("sigstk_top equ (0x08048000 + filesz + 0x7f00) & ~15  ; in the zero-filled tail of the segment")
    w("BITS 32\norg 0x08048000\n")
    w("ehdr: db 0x7f,'E','L','F',1,1,1,0\n times 8 db 0\n dw 2,3\n dd 1,_start,phdr-ehdr,0,0\n dw 52,32,1,40,0,0")
    w("phdr: dd 1,0,0x08048000,0x08048000,filesz,memsz,7,0x1000")
    w("_start:\n mov [hstack], esp")
    for l in SETUP.get(group, []):
        w(" " + l)
    for i in range(len(forms)):
        w(" call form_%d" % i)
    w(" mov eax, 1\n xor ebx, ebx\n int 0x80")
    w("load_case: ; eax = index\n imul esi, eax, 104\n add esi, table\n mov edi, cur\n mov ecx, 26\n cld\n rep movsd\n ret")
    w("prep: ; copy memory and the input part of the record\n cld\n mov esi, cur+40\n mov edi, membuf\n mov ecx, 16\n rep movsd"
      "\n mov esi, cur\n mov edi, outrec\n mov ecx, 10\n rep movsd\n ret")
    w("finish:\n cld\n mov esi, membuf\n mov edi, outrec+76\n mov ecx, 16\n rep movsd"
      "\n mov eax, 4\n mov ebx, 1\n mov ecx, outrec\n mov edx, %d\n int 0x80\n ret" % REC)
    for i, fm in enumerate(forms):
        w("; %s" % fm.name)
        w("form_%d:\n xor eax, eax\n.loop:\n mov [caseidx], eax\n call load_case" % i)
        w(" mov dword [cur+16], membuf+64")
        for l in fm.fix:
            w(" " + l)
        w(" call prep\n mov [fstack], esp")
        for l in fm.pre:
            w(" " + l)
        w(" push dword [cur+32]\n popfd")
        w(" mov eax, [cur+0]\n mov ecx, [cur+4]\n mov edx, [cur+8]\n mov ebx, [cur+12]\n mov esp, [cur+16]"
          "\n mov ebp, [cur+20]\n mov esi, [cur+24]\n mov edi, [cur+28]")
        for l in fm.code:
            w(" " + l)
        w(" mov [outrec+40], eax\n mov [outrec+44], ecx\n mov [outrec+48], edx\n mov [outrec+52], ebx"
          "\n mov [outrec+56], esp\n mov [outrec+60], ebp\n mov [outrec+64], esi\n mov [outrec+68], edi"
          "\n mov esp, [fstack]")
        for l in fm.post:
            w(" " + l)
        w(" pushfd\n pop dword [outrec+72]\n push 0x202\n popfd")
        w(" call finish\n mov eax, [caseidx]\n inc eax\n cmp eax, %d\n jb .loop\n ret" % NCASE)
    w("align 16\ntable:")
    for regs, fl, imm, mem in table:
        w(" dd " + ",".join("0x%08x" % v for v in regs + [fl, imm]))
        w(" db " + ",".join("0x%02x" % b for b in mem))
    w("align 4096\n times 2048 db 0\ncur: times 26 dd 0\ncaseidx: dd 0\nhstack: dd 0\nfstack: dd 0\nresume: dd 0\nalign 64\n"
      " times 512 db 0\nmembuf: times 64 db 0\n times 512 db 0\noutrec: times %d db 0\nfilesz equ $-ehdr\nmemsz equ filesz+0x8000" % REC)
    return "\n".join(o) + "\n"


if __name__ == "__main__":
    main()
