package org.j386.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guest that takes without limit is stopped by the machine's limits, with one clear line
 * for the host user, and the emulator stays healthy: after each run, the same JVM runs a
 * normal guest correctly.
 */
class LimitsTest {
    private static GuestRunner.Result hog(String what, String... options) throws IOException {
        Path dir = Files.createTempDirectory("j386-hog-");
        try {
            Path bin = dir.resolve("hog");
            Files.copy(GuestRunner.GUEST.resolve("bin/musl/hog"), bin);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            java.util.List<String> cli = new java.util.ArrayList<>(java.util.List.of("run", "--root", dir.toString()));
            cli.addAll(java.util.List.of(options));
            cli.add(bin.toString());
            cli.add(what);
            return GuestRunner.cli(cli.toArray(new String[0]));
        } finally {
            GuestRunner.deleteTree(dir);
        }
    }

    private static void emulatorStillWorks() throws IOException {
        GuestRunner.Result r = GuestRunner.runGuest("musl", "hello");
        assertEquals(0, r.status(), r.stderr());
        assertEquals(new String(Files.readAllBytes(GuestRunner.GUEST.resolve("expected/musl/hello.stdout"))), r.out());
    }

    @Test
    void forkWithoutLimitGetsEagainAtMaxProcesses() throws IOException {
        GuestRunner.Result r = hog("fork", "--max-processes", "25");
        assertEquals("fork failed with EAGAIN after 24 children\n", r.out(), r.stderr());
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stderr().contains("j386: guest reached --max-processes 25"), r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
        emulatorStillWorks();
    }

    @Test
    void memoryWithoutLimitIsKilledLikeByTheOomKiller() throws IOException {
        GuestRunner.Result r = hog("memory", "--memory", "24");
        assertEquals(128 + 9, r.status(), r.stderr());
        assertTrue(r.stderr().contains("j386: out of guest memory (24 MiB, --ram/--memory): killed process 1 (hog)"), r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
        emulatorStillWorks();
    }
}
