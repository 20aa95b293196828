package org.j386.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system-architecture ROMs of bios-images, booted by {@code j386 boot}. Each ROM checks
 * the architecture itself (every "ok" line is a comparison against what the Intel manuals
 * specify) and ends with POST code 0xAA when all passed, 0xEE at the first failure. The test
 * checks the exit status, the final POST code and the whole console transcript, so a check
 * that silently vanished would show as well.
 */
class BootRomsTest {
    @TempDir
    Path dir;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BootRomsTest.class.getResourceAsStream("/org/j386/bios/" + name)) {
            assertNotNull(in, name + " is missing from the bios-images jar");
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"protmode", "paging", "rings", "exceptions", "tasks", "v86", "debug", "irq", "watch", "ipwrap", "tasks16", "uart", "rtc", "vga"})
    void romPasses(String rom) throws IOException {
        GuestRunner.Result r = boot(rom);
        assertTrue(r.stderr().contains("stopped: HLT with interrupts disabled"), r.stderr());
        assertTrue(r.stderr().contains("last POST code: 0xAA"), r.stderr());
        assertEquals(0, r.status(), r.stderr());
    }

    @org.junit.jupiter.api.Test
    void tripleFaultShutsDown() throws IOException {
        GuestRunner.Result r = boot("triple");
        assertTrue(r.stderr().contains("stopped: triple fault: the processor shut down"), r.stderr());
        assertTrue(r.stderr().contains("last POST code: 0x7F"), r.stderr());
        assertEquals(3, r.status(), r.stderr());
    }

    @org.junit.jupiter.api.Test
    void serialOutputReachesTheHost() throws IOException {
        assertEquals("hello from the 16550\r\n.", bootToFile("uart", "--serial"), "bytes the ROM sent through THR (the loopback byte stays inside)");
    }

    @org.junit.jupiter.api.Test
    void vgaScreenIsDumped() throws IOException {
        assertEquals(new String(resource("vga.screen"), StandardCharsets.US_ASCII), bootToFile("vga", "--vga-dump"), "the final text screen");
    }

    @org.junit.jupiter.api.Test
    void typedKeysReachTheKeyboardController() throws IOException {
        GuestRunner.Result r = boot("kbc", "--keys", "aB\\n");
        assertTrue(r.stderr().contains("last POST code: 0xAA"), r.stderr());
        assertEquals(0, r.status(), r.stderr());
    }

    /** Boots a passing ROM with {@code option FILE} and returns what it wrote to FILE. */
    private String bootToFile(String rom, String option) throws IOException {
        Path file = dir.resolve(rom + ".out");
        GuestRunner.Result r = boot(rom, option, file.toString());
        assertEquals(0, r.status(), r.stderr());
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    /** Boots a ROM and checks its console transcript against the committed one. */
    private GuestRunner.Result boot(String rom, String... extra) throws IOException {
        Path image = dir.resolve(rom + ".bin");
        Files.write(image, resource(rom + ".bin"));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("boot", "--bios", image.toString(), "--max-instructions", "50000000"));
        args.addAll(java.util.List.of(extra));
        GuestRunner.Result r = GuestRunner.cli(args.toArray(new String[0]));
        String expected = new String(resource(rom + ".expected"), StandardCharsets.UTF_8);
        assertEquals(expected, r.out(), "console transcript of " + rom + "; stderr:\n" + r.stderr());
        return r;
    }
}
