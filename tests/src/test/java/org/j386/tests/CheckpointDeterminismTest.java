package org.j386.tests;

import org.j386.checkpoint.HostCheckpoint;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.exec.ElfImage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Determinism across checkpoint and restart (issue 5): ckptdet (musl; integer and x87 work over
 * a buffer of several image chunks, progress lines, a final checksum) runs once uninterrupted
 * through the command line, where its output must be the native run's and its instruction
 * count is the reference. A second run, in this JVM, is checkpointed at 10 random instruction
 * counts (exactly there: {@link Kernel#runAt}), noting how much output each checkpoint had
 * seen. Each image is then restarted in a fresh JVM with {@code restart --stats}: the output
 * before the checkpoint plus the restart's output must be the uninterrupted output, and the
 * restart must end at the same total instruction count.
 *
 * <p>The counts come from a seed, printed in every test's name; a failure reproduces with
 * {@code -Dj386.determinism.seed=SEED} (without it the seed changes from run to run).
 */
class CheckpointDeterminismTest {
    private static final Pattern STATS = Pattern.compile("j386: (\\d+) instructions in");

    @TempDir
    static Path root;

    @TestFactory
    List<DynamicTest> restartsEndLikeTheUninterruptedRun() throws Exception {
        Path bin = root.resolve("ckptdet");
        Files.copy(GuestRunner.GUEST.resolve("bin/musl/ckptdet"), bin);
        List<String> args = GuestRunner.args("ckptdet");
        String expected = Files.readString(GuestRunner.GUEST.resolve("expected/musl/ckptdet.stdout"));

        List<String> cmd = new ArrayList<>(List.of("run", "--stats", "--ram", "64", "--root", root.toString(), "--argv0", "./ckptdet", bin.toString()));
        cmd.addAll(args);
        GuestRunner.Result ref = GuestRunner.cli(cmd.toArray(String[]::new));
        assertEquals(0, ref.status(), ref.stderr());
        assertEquals(expected, ref.out(), "the uninterrupted run prints what the native run printed");
        long total = instructions(ref.stderr());

        long seed = Long.getLong("j386.determinism.seed", System.nanoTime());
        Random rnd = new Random(seed);
        TreeSet<Long> at = new TreeSet<>();
        while (at.size() < 10) at.add(1 + (long) (rnd.nextDouble() * (total - 2)));
        List<Long> counts = new ArrayList<>(at);
        System.out.println("CheckpointDeterminismTest: seed " + seed + " (-Dj386.determinism.seed), checkpoints at " + counts);

        // the checkpointed run: images at the chosen counts, with the output seen by each
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] seen = new int[counts.size()];
        String[] failed = new String[1];
        KernelConfig cfg = new KernelConfig();
        cfg.root = root;
        cfg.stdin = java.io.InputStream.nullInputStream();
        cfg.stdout = out;
        cfg.stderr = OutputStream.nullOutputStream();
        cfg.env = new ArrayList<>(GuestRunner.ENV);
        cfg.ramBytes = 64L << 20;
        List<String> argv = new ArrayList<>(List.of("./ckptdet"));
        argv.addAll(args);
        long ckptTotal;
        try (Kernel k = new Kernel(cfg)) {
            k.start(ElfImage.parse(Files.readAllBytes(bin)), "./ckptdet", argv, cfg.env);
            arm(k, counts, 0, seen, out, failed);
            assertEquals(0, k.run(), "the checkpointed run ends well");
            ckptTotal = k.cpu.icount;
        }
        assertNull(failed[0], "every checkpoint was written");
        assertEquals(expected, out.toString(StandardCharsets.UTF_8), "checkpoints do not change the output");
        assertEquals(total, ckptTotal, "checkpoints do not change the instruction count");

        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            int n = i;
            String before = new String(out.toByteArray(), 0, seen[n], StandardCharsets.UTF_8);
            tests.add(DynamicTest.dynamicTest("seed " + seed + ": checkpoint at instruction " + counts.get(n) + ", restart in a new JVM", () -> {
                Path img = root.resolve(image(n));
                Path errFile = root.resolve(image(n) + ".err");
                Process p = new ProcessBuilder(GuestRunner.javaCommand("restart", "--stats", "--ram", "64", "--root", root.toString(), img.toString()))
                        .redirectInput(new File("/dev/null")).redirectError(errFile.toFile()).start();
                String restarted = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(300, TimeUnit.SECONDS), "restart finished");
                String errText = Files.readString(errFile);
                String what = " (seed " + seed + ", checkpoint at " + counts.get(n) + ")";
                assertEquals(0, p.exitValue(), errText + what);
                assertEquals(expected, before + restarted, "output before the checkpoint + after the restart" + what);
                assertEquals(total, instructions(errText), "total instructions of the restarted run" + what);
            }));
        }
        return tests;
    }

    /** Checkpoints at counts[i..], each arming the next. */
    private static void arm(Kernel k, List<Long> counts, int i, int[] seen, ByteArrayOutputStream out, String[] failed) {
        if (i == counts.size()) return;
        k.runAt(counts.get(i), () -> {
            seen[i] = out.size();
            String err = HostCheckpoint.takeNow(k, 0, root.resolve(image(i)));
            if (err != null && failed[0] == null) failed[0] = "at " + counts.get(i) + ": " + err;
            arm(k, counts, i + 1, seen, out, failed);
        });
    }

    private static String image(int i) {
        return String.format("ckpt-%02d.img", i);
    }

    private static long instructions(String stderr) {
        Matcher m = STATS.matcher(stderr);
        assertTrue(m.find(), "--stats line in: " + stderr);
        return Long.parseLong(m.group(1));
    }

    /** run --checkpoint-at: images exactly at the given counts (their headers say so), in instruction order. */
    @Test
    void checkpointAtTakesImagesAtExactCounts(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("ckptdet");
        Files.copy(GuestRunner.GUEST.resolve("bin/musl/ckptdet"), bin);
        Path images = dir.resolve("images");
        GuestRunner.Result run = GuestRunner.cli("run", "--stats", "--root", dir.toString(), "--checkpoint-at", "2500000,1000000",
                "--image-dir", images.toString(), "--keep", "5", "--argv0", "./ckptdet", bin.toString(), "2", "256");
        assertEquals(0, run.status(), run.stderr());
        GuestRunner.Result first = GuestRunner.cli("inspect", images.resolve("ckpt-000001.img").toString());
        GuestRunner.Result second = GuestRunner.cli("inspect", images.resolve("ckpt-000002.img").toString());
        assertTrue(first.out().contains("icount 1000000,"), first.out());
        assertTrue(second.out().contains("icount 2500000,"), second.out());
        GuestRunner.Result restart = GuestRunner.cli("restart", "--stats", "--root", dir.toString(), images.resolve("ckpt-000002.img").toString());
        assertEquals(0, restart.status(), restart.stderr());
        assertTrue(run.out().endsWith(restart.out()) && restart.out().contains("checksum="), restart.out());
        assertEquals(instructions(run.stderr()), instructions(restart.stderr()));

        GuestRunner.Result bad = GuestRunner.cli("run", "--checkpoint-at", "0", "--image-dir", images.toString(), bin.toString());
        assertEquals(1, bad.status());
        assertTrue(bad.stderr().contains("--checkpoint-at"), bad.stderr());
    }
}
