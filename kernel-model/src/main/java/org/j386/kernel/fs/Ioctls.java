package org.j386.kernel.fs;

/** i386 ioctl request numbers (asm-generic/ioctls.h, linux/fs.h). */
final class Ioctls {
    private Ioctls() {}

    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
            TCSBRK = 0x5409, TCXONC = 0x540A, TCFLSH = 0x540B, TIOCSCTTY = 0x540E,
            TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413,
            TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, FIONBIO = 0x5421, TIOCNOTTY = 0x5422,
            TIOCGSID = 0x5429, TIOCGPTN = 0x80045430, FIONCLEX = 0x5450, FIOCLEX = 0x5451,
            FIOASYNC = 0x5452, TCGETS2 = 0x802c542a, FIGETBSZ = 2,
            TIOCEXCL = 0x540C, TIOCNXCL = 0x540D, TIOCGETD = 0x5424;
}
