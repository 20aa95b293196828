package org.j386.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guest checkpoints itself (tests/guest/src/ckpt.c with CKPT=1) and stops; a restart of
 * the image must print exactly what the uninterrupted native run of the same program
 * printed. Bad images are refused with one line naming the record and offset.
 */
class CheckpointRestartTest {
    @TempDir
    Path root;

    private Path checkpoint(String flavour) throws IOException {
        Path bin = root.resolve("ckpt");
        Files.copy(GuestRunner.GUEST.resolve("bin/" + flavour + "/ckpt"), bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        GuestRunner.Result r = GuestRunner.cli("run", "--root", root.toString(), "--argv0", "./ckpt", "--env", "CKPT=1", bin.toString());
        assertEquals(0, r.status(), r.stderr());
        assertEquals("checkpointed\n", r.out());
        Path img = root.resolve("ckpt.img");
        assertTrue(Files.size(img) > 4096, "image written");
        return img;
    }

    private static String expected(String flavour) throws IOException {
        return Files.readString(GuestRunner.GUEST.resolve("expected/" + flavour + "/ckpt.stdout"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"glibc", "musl"})
    void restartedProcessContinuesLikeTheNativeRun(String flavour) throws IOException {
        Path img = checkpoint(flavour);
        GuestRunner.Result r = GuestRunner.cli("restart", "--root", root.toString(), img.toString());
        assertEquals(0, r.status(), r.stderr());
        assertEquals(expected(flavour), r.out());
        assertTrue(r.stderr().contains("restarted"), "the checkpoint call returned 0 after the restart: " + r.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"glibc", "musl"})
    void theGuestRestartToolBecomesTheCheckpointedTask(String flavour) throws IOException {
        checkpoint(flavour);
        Path tool = root.resolve("restart");
        Files.copy(GuestRunner.GUEST.resolve("bin/" + flavour + "/restart"), tool);
        GuestRunner.Result r = GuestRunner.cli("run", "--root", root.toString(), "--argv0", "./restart", tool.toString(), "ckpt.img");
        assertEquals(0, r.status(), r.stderr());
        assertEquals(expected(flavour), r.out());
        assertTrue(r.stderr().contains("restart: pid 1 restored"), "the restart(2) log reached logfd: " + r.stderr());
    }

    /** /tmp is a tmpfs: its tree, contents and the open tmpfs files (one unlinked) travel in the image. */
    @ParameterizedTest
    @ValueSource(strings = {"glibc", "musl"})
    void tmpfsContentsAndOpenTmpfsFilesSurviveARestart(String flavour) throws IOException {
        Path bin = root.resolve("ckpttmp");
        Files.copy(GuestRunner.GUEST.resolve("bin/" + flavour + "/ckpttmp"), bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        GuestRunner.Result r = GuestRunner.cli("run", "--root", root.toString(), "--argv0", "./ckpttmp", "--env", "CKPT=1", bin.toString());
        assertEquals(0, r.status(), r.stderr());
        assertEquals("checkpointed\n", r.out());
        assertFalse(Files.exists(root.resolve("tmp")), "the tmpfs never touched the host");
        Path img = root.resolve("ckpt.img");
        assertTrue(Files.size(img) > 3 << 20, "the 3 MiB tmpfs file is in the image");
        r = GuestRunner.cli("restart", "--root", root.toString(), img.toString());
        assertEquals(Files.readString(GuestRunner.GUEST.resolve("expected/" + flavour + "/ckpttmp.stdout")), r.out(), r.stderr());
        assertEquals(0, r.status(), r.stderr());
    }

    @Test
    void theGuestRestartToolReportsABadImage() throws IOException {
        Files.write(root.resolve("junk.img"), "not an image".getBytes(StandardCharsets.UTF_8));
        Path tool = root.resolve("restart");
        Files.copy(GuestRunner.GUEST.resolve("bin/musl/restart"), tool);
        GuestRunner.Result r = GuestRunner.cli("run", "--root", root.toString(), "--argv0", "./restart", tool.toString(), "junk.img");
        assertEquals(1, r.status());
        assertEquals("restart: failed, errno 22\n", r.out(), "EINVAL, and the caller is untouched");
        assertTrue(r.stderr().contains("bad magic"), r.stderr());
    }

    @Test
    void restartInAFreshJvm() throws Exception {
        Path img = checkpoint("glibc");
        List<String> cmd = GuestRunner.javaCommand("restart", "--root", root.toString(), img.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "restart finished");
        assertEquals(0, p.exitValue());
        assertEquals(expected("glibc"), out);
    }

    @Test
    void inspectDecodesEveryRecord() throws IOException {
        Path img = checkpoint("musl");
        GuestRunner.Result r = GuestRunner.cli("inspect", img.toString());
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.out().contains("task: pid 1") && r.out().contains("comm 'ckpt'") && r.out().contains("cwd /work"), r.out());
        assertTrue(r.out().contains("[stack]") && r.out().contains("[heap]"), r.out());
        GuestRunner.Result j = GuestRunner.cli("inspect", "--json", img.toString());
        assertEquals(0, j.status());
        assertTrue(j.out().startsWith("{\"format\":" + org.j386.checkpoint.Image.VERSION + ",") && j.out().contains("\"comm\":\"ckpt\""), j.out());
    }

    private void assertRefused(Path img, String... fragments) {
        GuestRunner.Result r = GuestRunner.cli("restart", "--root", root.toString(), img.toString());
        assertEquals(1, r.status(), r.stderr());
        String err = r.stderr().strip();
        assertFalse(err.contains("\n") || err.contains("Exception") || err.contains("\tat "), "one clean line: " + err);
        assertEquals("", r.out(), "nothing of the guest ran");
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' missing in: " + err);
    }

    @Test
    void corruptedImagesAreRefusedWithRecordAndOffset() throws IOException {
        Path img = checkpoint("musl");
        byte[] good = Files.readAllBytes(img);

        Path bad = root.resolve("bad.img");
        Files.write(bad, Arrays.copyOf(good, good.length / 2));
        assertRefused(bad, "truncated", "offset");

        byte[] flipped = good.clone();
        flipped[good.length / 3] ^= 0x40;
        Files.write(bad, flipped);
        assertRefused(bad, "checksum");

        byte[] magic = good.clone();
        magic[0] = 'X';
        Files.write(bad, magic);
        assertRefused(bad, "not a j386 checkpoint image");

        byte[] version = good.clone();
        version[8] = 9;
        Files.write(bad, version);
        assertRefused(bad, "version 9");

        byte[] length = good.clone();
        length[12 + 4 + 3] = 0x7f; // the first record's length: huge
        Files.write(bad, length);
        assertRefused(bad, "HEADER", "length");

        byte[] extra = Arrays.copyOf(good, good.length + 1);
        Files.write(bad, extra);
        assertRefused(bad, "after the tail");
    }

    @Test
    void aChangedFileRefusesTheRestart() throws IOException {
        Path img = checkpoint("glibc");
        Files.writeString(root.resolve("work/data.txt"), "something else entirely\n");
        assertRefused(img, "/work/data.txt", "changed since the checkpoint");
    }

    @Test
    void aMissingImageIsOneLine() {
        GuestRunner.Result r = GuestRunner.cli("restart", root.resolve("none.img").toString());
        assertEquals(1, r.status());
        assertTrue(r.stderr().contains("no such file"), r.stderr());
    }
}
