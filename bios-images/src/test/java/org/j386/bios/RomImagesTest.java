package org.j386.bios;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed ROM images are what their sources assemble to: every source has an image,
 * and (where nasm is installed) assembling it again gives the same bytes.
 */
class RomImagesTest {
    private static final Path SRC = Path.of("src/nasm");
    private static final Path OUT = Path.of("src/main/resources/org/j386/bios");

    private static List<String> roms() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(SRC)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".asm")).sorted()
                    .forEach(n -> names.add(n.substring(0, n.length() - 4)));
        }
        return names;
    }

    @Test
    void everySourceHasAnImageAndATranscript() throws IOException {
        List<String> roms = roms();
        assertTrue(roms.size() >= 1);
        for (String r : roms) {
            Path bin = OUT.resolve(r + ".bin");
            assertTrue(Files.isRegularFile(bin), bin + " missing: run make in bios-images");
            assertEquals(64 << 10, Files.size(bin), bin + " is not a 64 KiB ROM");
            assertTrue(Files.isRegularFile(OUT.resolve(r + ".expected")), r + ".expected missing");
        }
    }

    @Test
    void imagesAreReproducible() throws Exception {
        assumeTrue(nasmInstalled(), "nasm is not installed");
        Path tmp = Files.createTempDirectory("roms");
        try {
            for (String r : roms()) {
                Path out = tmp.resolve(r + ".bin");
                Process p = new ProcessBuilder("nasm", "-f", "bin", "-I", SRC + "/", "-o", out.toString(), SRC.resolve(r + ".asm").toString())
                        .redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor(), "nasm " + r + ": " + log);
                assertArrayEquals(Files.readAllBytes(OUT.resolve(r + ".bin")), Files.readAllBytes(out),
                        r + ".bin differs from what its source assembles to: run make in bios-images");
                Files.delete(out);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean nasmInstalled() {
        try {
            Process p = new ProcessBuilder("nasm", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
