package org.j386.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run --checkpoint-every` keeps the newest K images of a batch job; `restart DIR` resumes
 * from the newest valid one, passing over a corrupted newest image, and finishes the job
 * with the output of an uninterrupted run.
 */
class PeriodicCheckpointTest {
    @TempDir
    Path root;

    @Test
    void newestGoodImageFinishesTheJob() throws IOException {
        Path bin = root.resolve("cpubench");
        Files.copy(GuestRunner.GUEST.resolve("bin/musl/cpubench"), bin);
        Path dir = root.resolve("images");
        GuestRunner.Result run = GuestRunner.cli("run", "--root", root.toString(), "--checkpoint-every", "40000000i",
                "--image-dir", dir.toString(), "--keep", "2", "--argv0", "./cpubench", bin.toString(), "1000");
        assertEquals(0, run.status(), run.stderr());
        List<Path> images;
        try (Stream<Path> s = Files.list(dir)) {
            images = s.sorted().toList();
        }
        assertEquals(2, images.size(), "only the newest two are kept: " + images);
        assertTrue(images.get(1).getFileName().toString().matches("ckpt-0000\\d\\d\\.img"), images.toString());
        assertTrue(images.stream().noneMatch(p -> p.toString().endsWith(".tmp")), "no partial image left");

        GuestRunner.Result fromNewest = GuestRunner.cli("restart", "--root", root.toString(), dir.toString());
        assertEquals(0, fromNewest.status(), fromNewest.stderr());
        assertEquals(run.out(), fromNewest.out());

        try (RandomAccessFile f = new RandomAccessFile(images.get(1).toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x55);
        }
        GuestRunner.Result fromOlder = GuestRunner.cli("restart", "--root", root.toString(), dir.toString());
        assertEquals(0, fromOlder.status(), fromOlder.stderr());
        assertEquals(run.out(), fromOlder.out());
        assertTrue(fromOlder.stderr().contains("skipping " + images.get(1).getFileName()), fromOlder.stderr());
    }

    @Test
    void badPeriodIsUsage() {
        GuestRunner.Result r = GuestRunner.cli("run", "--checkpoint-every", "often", "--image-dir", root.toString(),
                GuestRunner.GUEST.resolve("bin/musl/hello").toString());
        assertEquals(1, r.status());
        assertTrue(r.stderr().contains("--checkpoint-every"), r.stderr());
    }
}
