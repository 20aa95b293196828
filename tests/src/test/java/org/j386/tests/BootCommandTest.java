package org.j386.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code j386 boot}: the board, the reset vector, the ports, the stop conditions and bad input. */
class BootCommandTest {
    @TempDir
    Path dir;

    /** A 64 KiB ROM of HLT bytes with {@code code} at the reset vector (file offset 0xFFF0). */
    private Path rom(int... code) throws IOException {
        byte[] img = new byte[64 << 10];
        Arrays.fill(img, (byte) 0xf4);
        for (int i = 0; i < code.length; i++) img[0xfff0 + i] = (byte) code[i];
        Path f = dir.resolve("rom.bin");
        Files.write(f, img);
        return f;
    }

    private static void assertOneCleanLine(GuestRunner.Result r, int status, String... fragments) {
        assertEquals(status, r.status(), r.stderr());
        String err = r.stderr().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' missing in: " + err);
    }

    @Test
    void consolePostAndHalt() throws IOException {
        // mov al,'A'; out 0xE9,al; mov al,0x42; out 0x80,al; mov dx,0x190; mov al,0x43; out dx,al; cli; hlt
        Path f = rom(0xb0, 'A', 0xe6, 0xe9, 0xb0, 0x42, 0xe6, 0x80, 0xba, 0x90, 0x01, 0xb0, 0x43, 0xee, 0xfa, 0xf4);
        GuestRunner.Result r = GuestRunner.cli("boot", "--bios", f.toString());
        assertEquals(0, r.status(), r.stderr());
        assertEquals("A", r.out());
        assertTrue(r.stderr().contains("POST 0x42 (port 0x80) after 3 instructions"), r.stderr());
        assertTrue(r.stderr().contains("POST 0x43 (port 0x190) after 6 instructions"), r.stderr());
        assertTrue(r.stderr().contains("stopped: HLT with interrupts disabled after 9 instructions"), r.stderr());
        assertTrue(r.stderr().contains("last POST code: 0x43 (2 written)"), r.stderr());
        // no far jump yet: CS still has the reset base that aliases the top of the 4 GiB space
        assertTrue(r.stderr().contains("CS=f000 base=ffff0000 limit=0000ffff"), r.stderr());
    }

    @Test
    void unclaimedPortsReadAllOnes() throws IOException {
        // in al,0x0E ; out 0xE9,al ; in ax,dx (dx=0x1234) ; out 0xE9,al ; mov al,ah ; out 0xE9,al ; cli ; hlt
        // (0x0E is a DMA controller port, which the board does not model)
        Path f = rom(0xe4, 0x0e, 0xe6, 0xe9, 0xba, 0x34, 0x12, 0xed, 0xe6, 0xe9, 0x88, 0xe0, 0xe6, 0xe9, 0xfa, 0xf4);
        GuestRunner.Result r = GuestRunner.cli("boot", "--bios", f.toString());
        assertEquals(0, r.status(), r.stderr());
        assertTrue(Arrays.equals(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, r.stdout()), Arrays.toString(r.stdout()));
    }

    @Test
    void consoleAndPostToFiles() throws IOException {
        Path f = rom(0xb0, 'Z', 0xe6, 0xe9, 0xb0, 0x11, 0xe6, 0x80, 0xfa, 0xf4);
        Path e9 = dir.resolve("e9.txt"), post = dir.resolve("post.log");
        GuestRunner.Result r = GuestRunner.cli("boot", "--bios", f.toString(), "--port-e9", e9.toString(), "--post", post.toString());
        assertEquals(0, r.status(), r.stderr());
        assertEquals("", r.out());
        assertEquals("Z", Files.readString(e9));
        assertEquals("POST 0x11 (port 0x80) after 3 instructions\n", Files.readString(post, StandardCharsets.UTF_8));
        assertFalse(r.stderr().contains("POST 0x11 (port"), r.stderr());
        assertTrue(r.stderr().contains("last POST code: 0x11"), r.stderr());
    }

    @Test
    void instructionLimit() throws IOException {
        Path f = rom(0xeb, 0xfe); // jmp $
        GuestRunner.Result r = GuestRunner.cli("boot", "--bios", f.toString(), "--max-instructions", "1000");
        assertEquals(124, r.status(), r.stderr());
        assertTrue(r.stderr().contains("stopped: instruction limit reached after 1000 instructions"), r.stderr());
        assertTrue(r.stderr().contains("last POST code: none"), r.stderr());
    }

    @Test
    void haltWithInterruptsEnabledStopsWhenNothingCanInterrupt() throws IOException {
        Path f = rom(0xfb, 0xf4); // sti; hlt
        GuestRunner.Result r = GuestRunner.cli("boot", "--bios", f.toString());
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stderr().contains("HLT with interrupts enabled and no interrupt source"), r.stderr());
    }

    @Test
    void missingRom() {
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", dir.resolve("nope.bin").toString()), 1, "nope.bin", "no such file");
    }

    @Test
    void romSizeMustBeMultipleOf64K() throws IOException {
        Path f = dir.resolve("odd.bin");
        Files.write(f, new byte[1000]);
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", f.toString()), 1, "odd.bin", "multiple of 64 KiB");
    }

    @Test
    void romTooLarge() throws IOException {
        Path f = dir.resolve("big.bin");
        Files.write(f, new byte[2 << 20]);
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", f.toString()), 1, "big.bin", "at most 1 MiB");
    }

    @Test
    void emptyRom() throws IOException {
        Path f = dir.resolve("empty.bin");
        Files.write(f, new byte[0]);
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", f.toString()), 1, "empty.bin", "empty");
    }

    @Test
    void romIsADirectory() {
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", dir.toString()), 1, "is a directory");
    }

    @Test
    void badRamSize() throws IOException {
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", rom(0xf4).toString(), "--ram", "0"), 2, "--ram");
    }

    @Test
    void missingBiosOption() {
        GuestRunner.Result r = GuestRunner.cli("boot");
        assertEquals(2, r.status());
        assertTrue(r.stderr().contains("--bios"), r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
    }

    @Test
    void badRtcDate() throws IOException {
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", rom(0xf4).toString(), "--rtc", "yesterday"), 2, "--rtc", "2000-01-01T00:00:00");
    }

    @Test
    void keyWithoutAScanCode() throws IOException {
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", rom(0xf4).toString(), "--keys", "caf\u00e9"), 2, "--keys", "U+00E9");
    }

    @Test
    void unwritableVgaDump() throws IOException {
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", rom(0xf4).toString(), "--vga-dump", dir.resolve("no/such/dir/s.txt").toString()), 1,
                "--vga-dump", "cannot write");
    }

    @Test
    void unopenableSerialFile() throws IOException {
        assertOneCleanLine(GuestRunner.cli("boot", "--bios", rom(0xf4).toString(), "--serial", dir.resolve("no/such/dir/com1").toString()), 1,
                "--serial", "cannot open");
    }
}
