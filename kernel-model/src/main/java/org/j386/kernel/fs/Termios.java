package org.j386.kernel.fs;

/**
 * Terminal settings (struct termios) and window size: what TCGETS reports and TCSETS stores.
 * The console's line discipline (kernel.tty.Tty) acts on them; the host terminal itself is
 * only put in raw mode.
 */
public final class Termios {
    /** Kernel struct termios on i386: four u32 flags, c_line, c_cc[19]. */
    public static final int SIZE = 36;
    public static final int NCCS = 19;

    public int iflag = 0x0500;      // ICRNL | IXON
    public int oflag = 0x0005;      // OPOST | ONLCR
    public int cflag = 0x04bf;      // B38400 | CS8 | CREAD | HUPCL
    public int lflag = 0x8a3b;      // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
    public int line = 0;
    /** INIT_C_CC: ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, 0, ^Q ^S ^Z, 0, ^R ^O ^W ^V, 0. */
    public final byte[] cc = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0};
    public int rows = 24, cols = 80;

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        putInt(b, 0, iflag);
        putInt(b, 4, oflag);
        putInt(b, 8, cflag);
        putInt(b, 12, lflag);
        b[16] = (byte) line;
        System.arraycopy(cc, 0, b, 17, NCCS);
        return b;
    }

    public void decode(byte[] b) {
        iflag = getInt(b, 0);
        oflag = getInt(b, 4);
        cflag = getInt(b, 8);
        lflag = getInt(b, 12);
        line = b[16] & 0xff;
        System.arraycopy(b, 17, cc, 0, NCCS);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v; b[off + 1] = (byte) (v >> 8); b[off + 2] = (byte) (v >> 16); b[off + 3] = (byte) (v >> 24);
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
