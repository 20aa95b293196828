package org.j386.devices;

import org.j386.mmu.IoBus;

import java.util.ArrayDeque;

/**
 * The 8042 keyboard controller with a keyboard behind it, on ports 0x60 (data) and 0x64
 * (status / command), IRQ 1, plus system control port A (0x92). Controller commands: read
 * (0x20) and write (0x60) the command byte, self-test (0xAA → 0x55), interface test (0xAB →
 * 0x00), disable/enable the keyboard (0xAD/0xAE) and the mouse port (0xA7/0xA8, no mouse),
 * read (0xD0) and write (0xD1) the output port, whose bit 1 is the A20 gate, and pulse reset
 * (0xFE, reported to the board). Keyboard commands on port 0x60: reset (0xFF → ACK, 0xAA),
 * echo (0xEE), identify (0xF2 → ACK, 0xAB, 0x83), enable/disable scanning, LEDs and typematic
 * (ACK, then ACK for the parameter); anything else is acknowledged. Typed keys (a script given
 * at start) arrive as scan code set 1 make/break codes, one at a time while the output buffer
 * is empty and scanning is enabled (after the firmware sends the keyboard reset 0xFF or enable
 * 0xF4), each raising IRQ 1 when the command byte enables it.
 * Port 0x92 bit 1 is the fast A20 gate, bit 0 a fast reset.
 */
public final class Keyboard implements IoBus.Port {
    public static final int IRQ = 1;

    /** Told when the A20 gate or a reset request changes. */
    public interface Board {
        void a20(boolean enabled);
        void reset();
    }

    private final Runnable irq;
    private final Board board;
    private final ArrayDeque<Integer> out = new ArrayDeque<>();
    private final ArrayDeque<Integer> typed = new ArrayDeque<>();
    private int commandByte = 0x45;   // IRQ 1 on, system flag, translate
    private int status = 0x10;        // keyboard not inhibited
    private int outputPort = 0xcf;    // A20 on, no reset
    private int port92 = 0x02;        // A20 on
    /** The controller command whose data byte the next write to 0x60 is (0 for none). */
    private int pendingCommand;
    /** The keyboard command waiting for its parameter (0xED LEDs, 0xF3 typematic), or 0. */
    private int pendingKeyboard;
    /** Typed keys flow once the firmware resets (0xFF) or enables (0xF4) the keyboard. */
    private boolean scanning;
    private boolean keyboardDisabled;

    public Keyboard(Runnable irq, Board board) {
        this.irq = irq;
        this.board = board;
    }

    public void attach(IoBus io) {
        io.register(0x60, 1, this);
        io.register(0x64, 1, this);
        io.register(0x92, 1, this);
    }

    /** Queues host text to be typed: each character as its set-1 make and break codes. */
    public void type(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int code = scanCode(c);
            if (code < 0) throw new IllegalArgumentException("cannot type " + (c < 32 || c > 126 ? String.format("U+%04X", (int) c) : "'" + c + "'"));
            boolean shift = (code & 0x100) != 0;
            if (shift) typed.add(0x2a);
            typed.add(code & 0x7f);
            typed.add((code & 0x7f) | 0x80);
            if (shift) typed.add(0xaa);
        }
        fill();
    }

    private static final String ROW1 = "1234567890-=", ROW1S = "!@#$%^&*()_+";
    private static final String ROW2 = "qwertyuiop[]", ROW3 = "asdfghjkl;'`", ROW4 = "\\zxcvbnm,./";
    private static final String ROW2S = "QWERTYUIOP{}", ROW3S = "ASDFGHJKL:\"~", ROW4S = "|ZXCVBNM<>?";

    /** Set-1 make code of {@code c}, with 0x100 when Shift is needed; -1 when there is no key for it. */
    public static int scanCode(char c) {
        int i;
        if ((i = ROW1.indexOf(c)) >= 0) return 0x02 + i;
        if ((i = ROW1S.indexOf(c)) >= 0) return 0x102 + i;
        if ((i = ROW2.indexOf(c)) >= 0) return 0x10 + i;
        if ((i = ROW2S.indexOf(c)) >= 0) return 0x110 + i;
        if ((i = ROW3.indexOf(c)) >= 0) return 0x1e + i;
        if ((i = ROW3S.indexOf(c)) >= 0) return 0x11e + i;
        if ((i = ROW4.indexOf(c)) >= 0) return 0x2b + i;
        if ((i = ROW4S.indexOf(c)) >= 0) return 0x12b + i;
        return switch (c) {
            case ' ' -> 0x39;
            case '\n', '\r' -> 0x1c;
            case '\t' -> 0x0f;
            case '\b' -> 0x0e;
            case 27 -> 0x01;
            default -> -1;
        };
    }

    /** Bytes the keyboard has for the host: controller replies first, then typed keys. */
    private void fill() {
        if ((status & 1) != 0) return;
        Integer b = out.poll();
        boolean fromKeyboard = b == null;
        if (fromKeyboard) {
            if (!scanning || keyboardDisabled || (commandByte & 0x10) != 0) return;
            b = typed.poll();
            if (b == null) return;
        }
        data = b;
        status |= 1;
        if ((commandByte & 1) != 0) irq.run();
    }

    private int data;

    @Override
    public int in(int port, int size) {
        int v;
        if (port == 0x60) {
            v = data;
            status &= ~1;
            fill();
        } else if (port == 0x64) {
            v = status | (commandByte & 4);
        } else {
            v = port92;
        }
        return size == 1 ? v : v | (size == 2 ? 0xff00 : 0xffffff00);
    }

    @Override
    public void out(int port, int size, int value) {
        value &= 0xff;
        if (port == 0x64) {
            status |= 8; // the last write was a command
            command(value);
        } else if (port == 0x60) {
            status &= ~8;
            if (pendingCommand != 0) {
                int c = pendingCommand;
                pendingCommand = 0;
                if (c == 0x60) commandByte = value;
                else if (c == 0xd1) setOutputPort(value);
            } else {
                keyboardCommand(value);
            }
        } else {
            boolean a20 = (value & 2) != 0;
            if (a20 != ((port92 & 2) != 0)) board.a20(a20 || (outputPort & 2) != 0);
            port92 = value & 0x03;
            if ((value & 1) != 0) board.reset();
            return;
        }
        fill();
    }

    private void reply(int b) { out.add(b); }

    private void command(int c) {
        switch (c) {
            case 0x20 -> reply(commandByte);
            case 0x60, 0xd1 -> pendingCommand = c;
            case 0xaa -> { reply(0x55); commandByte |= 4; }
            case 0xab -> reply(0x00);
            case 0xad -> { commandByte |= 0x10; keyboardDisabled = true; }
            case 0xae -> { commandByte &= ~0x10; keyboardDisabled = false; }
            case 0xa7 -> commandByte |= 0x20;
            case 0xa8 -> commandByte &= ~0x20;
            case 0xd0 -> reply(outputPort);
            case 0xdd -> setOutputPort(outputPort & ~2);
            case 0xdf -> setOutputPort(outputPort | 2);
            case 0xfe -> board.reset();
            default -> { } // other commands are accepted and ignored
        }
    }

    private void setOutputPort(int v) {
        boolean was = (outputPort & 2) != 0, now = (v & 2) != 0;
        outputPort = v | 1; // bit 0 (reset) low would hold the CPU in reset: firmware never writes it
        if (was != now) board.a20(now || (port92 & 2) != 0);
    }

    private void keyboardCommand(int b) {
        if (pendingKeyboard != 0) { // the parameter of LEDs / typematic
            pendingKeyboard = 0;
            reply(0xfa);
            return;
        }
        switch (b) {
            case 0xff -> { reply(0xfa); reply(0xaa); scanning = true; }
            case 0xee -> reply(0xee);
            case 0xf2 -> { reply(0xfa); reply(0xab); reply(0x83); }
            case 0xf4 -> { reply(0xfa); scanning = true; }
            case 0xf5 -> { reply(0xfa); scanning = false; }
            case 0xed, 0xf3 -> { reply(0xfa); pendingKeyboard = b; }
            default -> reply(0xfa);
        }
    }

    /** After a board reset: the A20 gate open again (both controls set), so the reset vector at 0xFFFFFFF0 is reachable. */
    public void reopenA20() {
        boolean was = a20();
        outputPort |= 2;
        port92 |= 2;
        if (!was) board.a20(true);
    }

    /** The A20 gate as the two controls together leave it. */
    public boolean a20() { return (outputPort & 2) != 0 || (port92 & 2) != 0; }
}
