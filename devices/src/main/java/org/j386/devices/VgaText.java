package org.j386.devices;

import org.j386.mmu.IoBus;
import org.j386.mmu.PhysicalMemory;

import java.nio.charset.StandardCharsets;

/**
 * VGA text mode as firmware sees it: the 80 × 25 character/attribute buffer at 0xB8000 (plain
 * RAM: the CPU reads and writes it like any memory), the CRT controller's index/data ports
 * 0x3D4/0x3D5 with the cursor shape (0x0A, 0x0B), display start (0x0C, 0x0D) and cursor
 * location (0x0E, 0x0F) registers, and input status 1 at 0x3DA, whose retrace bits toggle on
 * every read so that polling loops finish. {@link #screen} renders what the display shows.
 */
public final class VgaText implements IoBus.Port {
    public static final long BUFFER = 0xb8000;
    public static final int COLUMNS = 80, ROWS = 25;

    private final byte[] crtc = new byte[0x19];
    private int index;
    private boolean retrace;

    public void attach(IoBus io) {
        io.register(0x3d4, 2, this);
        io.register(0x3da, 1, this);
    }

    @Override
    public int in(int port, int size) {
        int v;
        if (port == 0x3d4) v = index;
        else if (port == 0x3d5) v = index < crtc.length ? crtc[index] & 0xff : 0xff;
        else {
            retrace = !retrace;
            v = retrace ? 0x09 : 0x00; // vertical retrace and display-disabled together
        }
        return size == 1 ? v : v | (size == 2 ? 0xff00 : 0xffffff00);
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == 0x3d4) {
            index = value & 0xff;
            if (size >= 2) out(0x3d5, 1, value >>> 8); // OUT DX, AX writes index and data
        } else if (port == 0x3d5) {
            if (index < crtc.length) crtc[index] = (byte) value;
        }
    }

    /** Cursor location register (0x0E:0x0F): the character cell index. */
    public int cursor() { return (crtc[0x0e] & 0xff) << 8 | crtc[0x0f] & 0xff; }

    /** Display start address (0x0C:0x0D), in character cells. */
    public int start() { return (crtc[0x0c] & 0xff) << 8 | crtc[0x0d] & 0xff; }

    /**
     * The screen as text: 25 lines of the characters from the display start (the attribute
     * bytes dropped), trailing blanks trimmed, printable ASCII kept and every other code shown
     * as '.', except NUL which shows as a blank, as on the display.
     */
    public String screen(PhysicalMemory ram) {
        StringBuilder sb = new StringBuilder();
        long first = BUFFER + 2L * start();
        for (int row = 0; row < ROWS; row++) {
            StringBuilder line = new StringBuilder();
            for (int col = 0; col < COLUMNS; col++) {
                long a = first + 2L * (row * COLUMNS + col);
                int c = a < BUFFER + 0x8000 && ram.contains(a, 1) ? ram.readByte(a) : 0;
                line.append(c == 0 ? ' ' : c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            int end = line.length();
            while (end > 0 && line.charAt(end - 1) == ' ') end--;
            sb.append(line, 0, end).append('\n');
        }
        return sb.toString();
    }

    public byte[] screenBytes(PhysicalMemory ram) { return screen(ram).getBytes(StandardCharsets.US_ASCII); }
}
