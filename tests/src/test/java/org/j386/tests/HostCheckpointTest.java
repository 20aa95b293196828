package org.j386.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host side: a guest runs in its own JVM with a control socket, `j386 checkpoint --kill`
 * takes an image of it mid-computation and ends it, and `j386 restart` finishes the work:
 * the output must equal an uninterrupted run's.
 */
class HostCheckpointTest {
    @TempDir
    Path root;

    @Test
    void checkpointKillAndRestartFinishesTheComputation() throws Exception {
        Path bin = root.resolve("cpubench");
        Files.copy(GuestRunner.GUEST.resolve("bin/musl/cpubench"), bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path control = root.resolve("ctl");
        Path image = root.resolve("cpubench.img");
        String iterations = "6000";

        List<String> cmd = GuestRunner.javaCommand("run", "--root", root.toString(),
                "--control", control.toString(), "--argv0", "./cpubench", bin.toString(), iterations);
        Process guest = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(new File("/dev/null")).start();
        for (int i = 0; i < 300 && !Files.exists(control); i++) Thread.sleep(100);
        assertTrue(Files.exists(control), "the control socket appears");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(control);
        assertEquals(PosixFilePermissions.fromString("rw-------"), perms, "owner-only control socket");

        GuestRunner.Result ck = GuestRunner.cli("checkpoint", "--control", control.toString(), "-o", image.toString(), "--kill");
        assertEquals(0, ck.status(), ck.stderr());
        String before = new String(guest.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(guest.waitFor(60, TimeUnit.SECONDS));
        assertEquals(128 + 9, guest.exitValue(), "--kill ends the guest");
        assertEquals("", before, "killed before it printed its result");

        GuestRunner.Result restarted = GuestRunner.cli("restart", "--root", root.toString(), image.toString());
        assertEquals(0, restarted.status(), restarted.stderr());
        GuestRunner.Result control2 = GuestRunner.cli("run", "--root", root.toString(), "--argv0", "./cpubench", bin.toString(), iterations);
        assertEquals(control2.out(), restarted.out());
        assertTrue(restarted.out().startsWith("cpubench: iterations=6000 checksum="), restarted.out());

        GuestRunner.Result bad = GuestRunner.cli("checkpoint", "--control", control.toString(), "-o", image.toString());
        assertEquals(1, bad.status(), "the guest is gone");
        assertTrue(bad.stderr().contains("cannot reach the guest"), bad.stderr());
    }
}
