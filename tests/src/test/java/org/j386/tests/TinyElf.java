package org.j386.tests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds minimal static i386 ELF executables from raw machine code, for error-path tests. */
final class TinyElf {
    static final int BASE = 0x08048000;

    private TinyElf() {}

    /** One PT_LOAD RWX segment holding the headers and {@code code}; entry at the code. */
    static byte[] of(byte[] code) {
        int hdr = 52 + 32;
        ByteBuffer b = ByteBuffer.allocate(hdr + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 3).putInt(1).putInt(BASE + hdr).putInt(52).putInt(0).putInt(0)
                .putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 40).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(0).putInt(BASE).putInt(BASE).putInt(hdr + code.length).putInt(hdr + code.length).putInt(7).putInt(0x1000);
        b.put(code);
        return b.array();
    }

    /** mov eax, nr; int 0x80; then exit(-eax) so the status reveals the errno. */
    static byte[] syscallThenExitWithErrno(int nr) {
        return of(new byte[] {
                (byte) 0xb8, (byte) nr, (byte) (nr >> 8), 0, 0,     // mov eax, nr
                (byte) 0xcd, (byte) 0x80,                          // int 0x80
                (byte) 0x89, (byte) 0xc3,                          // mov ebx, eax
                (byte) 0xf7, (byte) 0xdb,                          // neg ebx
                (byte) 0xb8, 1, 0, 0, 0,                           // mov eax, 1 (exit)
                (byte) 0xcd, (byte) 0x80});
    }
}
