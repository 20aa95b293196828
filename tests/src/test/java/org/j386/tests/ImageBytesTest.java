package org.j386.tests;

import org.j386.checkpoint.Checkpointer;
import org.j386.checkpoint.HostCheckpoint;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.Task;
import org.j386.kernel.exec.ElfImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The image of a fixed guest at a fixed instruction count, byte for byte: ckptdet (musl,
 * "5 1088": an image of 1,179,481 bytes, about 287 pages, so several 256-page PAGES chunks, and untouched
 * file-backed pages) checkpointed at instruction 9,000,000 of a machine with fixed identity
 * and clock. The digest was computed with the page path as it was before page arrays moved
 * off-heap (commit 3c52ee1, "ImageBytesTest: the image digest of the heap page path", with
 * the two later format changes applied to it: Image.VERSION 3, and the MM record's exe path;
 * this image holds no SIGINFO), so the new path
 * must write the same format and the same pages. Taken twice at the same point: through a
 * host file (the path of periodic and host checkpoints) and through a plain stream (the path
 * of the guest's own checkpoint system call).
 */
class ImageBytesTest {
    static final String DIGEST = "76a2626b1027a290ea5e9e0b2114910d01dd1320c22b4e54c17a8004cf754c55";
    static final long AT = 9_000_000;

    @Test
    void imageBytesAreTheReference(@TempDir Path root) throws Exception {
        KernelConfig cfg = new KernelConfig();
        cfg.root = root;
        cfg.stdout = OutputStream.nullOutputStream();
        cfg.stderr = OutputStream.nullOutputStream();
        cfg.env = List.of("HOME=/");
        cfg.bootEpochNanos = 1;
        cfg.uid = 1000;
        cfg.gid = 1000;
        cfg.ramBytes = 64L << 20;
        cfg.maxInstructions = AT + 1;
        Path file = root.resolve("ckpt.img");
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        String[] err = new String[1];
        ElfImage elf = ElfImage.parse(Files.readAllBytes(GuestRunner.GUEST.resolve("bin/musl/ckptdet")));
        try (Kernel k = new Kernel(cfg)) {
            k.start(elf, "./ckptdet", List.of("./ckptdet", "5", "1088"), cfg.env);
            k.runAt(AT, () -> {
                err[0] = HostCheckpoint.takeNow(k, 0, file);
                List<Task> all = new ArrayList<>(k.tasks.values());
                k.freezer.freeze(all);
                try {
                    new Checkpointer(k).writeTree(all, stream);
                } catch (Exception e) {
                    err[0] = e.toString();
                } finally {
                    k.freezer.thaw(all);
                }
            });
            assertEquals(124, k.run(), "stopped by the instruction limit just after the checkpoint");
        }
        assertNull(err[0]);
        byte[] viaFile = Files.readAllBytes(file);
        assertEquals(DIGEST, sha256(viaFile), "image through a file (" + viaFile.length + " bytes)");
        assertEquals(DIGEST, sha256(stream.toByteArray()), "image through a stream (" + stream.size() + " bytes)");
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
