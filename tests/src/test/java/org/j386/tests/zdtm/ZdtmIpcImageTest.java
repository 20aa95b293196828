package org.j386.tests.zdtm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images with shared memory, namespaces and SysV IPC (records 20–29): what they hold, and
 * that truncated ones and ones whose ids, counts and references were broken (checksum
 * recomputed, so only the reader's checks can catch them) are refused by `inspect` and
 * `restart` with one line naming the record and the reason.
 */
class ZdtmIpcImageTest {
    static final int FRAMES = 20, PAGE_REFS = 21, VMA_SHARED = 22, UTSNS = 23, IPCNS = 24, SHM = 25, SEM = 26, MSQ = 27, MSG = 28, TASK_NS = 29;
    static byte[] shm, msg, undo, uts;

    @BeforeAll
    static void takeImages(@TempDir Path root) throws Exception {
        shm = take("sysvshm", root.resolve("a"));
        msg = take("sysvmsg", root.resolve("b"));
        undo = take("semundo", root.resolve("c"));
        uts = new org.j386.kernel.KernelConfig().uid == 0 ? take("utsns", root.resolve("d")) : null;
    }

    private static byte[] take(String name, Path root) throws Exception {
        Files.createDirectories(root);
        Zdtm.Guest g = Zdtm.start(name, root);
        Path img = root.resolve("image");
        try {
            g.awaitLine("READY");
            assertEquals(null, Zdtm.cli("checkpoint", "--control", root.resolve("ctl0").toString(), "-o", img.toString(), "--kill"));
            g.finish();
        } finally {
            g.destroy();
        }
        return Files.readAllBytes(img);
    }

    @TempDir
    Path dir;

    private static List<ZdtmImageTest.Rec> recs(byte[] b, int type) {
        return ZdtmImageTest.records(b).stream().filter(r -> r.type() == type).toList();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of {@code image} with an edit to the payload of the first record of {@code type}, resealed. */
    private static byte[] edit(byte[] image, int type, Consumer<ZdtmImageTest.Rec> f, byte[][] out) {
        byte[] b = image.clone();
        out[0] = b;
        f.accept(recs(b, type).get(0));
        return ZdtmImageTest.reseal(b);
    }

    private void refused(byte[] bad, String... fragments) throws Exception {
        ZdtmImageTest.refused(dir, bad, fragments);
    }

    @Test
    void sharedObjectsAreWrittenOnce() {
        assertEquals(3, recs(shm, SHM).size(), "three segments");
        assertEquals(6, recs(shm, VMA_SHARED).size(), "each attached by parent and child");
        assertEquals(1, recs(shm, IPCNS).size(), "the initial IPC namespace");
        // every frame is written once, and pages mapped by both processes (copy-on-write after fork) are named, not repeated
        Set<Integer> defined = new HashSet<>(), named = new HashSet<>();
        for (ZdtmImageTest.Rec r : recs(shm, FRAMES)) {
            ByteBuffer bb = le(shm);
            for (int i = 0; i < bb.getInt(r.payload()); i++) assertTrue(defined.add(bb.getInt(r.payload() + 4 + 4 * i)));
        }
        List<ZdtmImageTest.Rec> refs = recs(shm, PAGE_REFS);
        assertEquals(2, refs.size(), "parent and child each name the frames they share");
        for (ZdtmImageTest.Rec r : refs) {
            ByteBuffer bb = le(shm);
            for (int i = 0; i < bb.getInt(r.payload()); i++) named.add(bb.getInt(r.payload() + 8 + 8 * i));
        }
        assertTrue(defined.containsAll(named) && !named.isEmpty(), named + " shared frames");
        List<ZdtmImageTest.Rec> queue = recs(msg, MSQ);
        assertEquals(1, queue.size());
        assertEquals(5, le(msg).getInt(queue.get(0).payload() + 72), "five messages announced");
        assertEquals(5, recs(msg, MSG).size());
        assertEquals(1, recs(msg, TASK_NS).size(), "the receiver asleep in msgrcv");
        assertEquals(2, recs(undo, TASK_NS).size(), "two children with undo lists");
        if (uts != null) assertEquals(2, recs(uts, UTSNS).size(), "the parent's namespace and the nested one");
    }

    @Test
    void truncatedImagesAreRefused() throws Exception {
        for (byte[] image : new byte[][] {shm, msg}) {
            for (ZdtmImageTest.Rec r : ZdtmImageTest.records(image)) {
                if (r.type() < FRAMES || r.type() > TASK_NS) continue;
                refused(Arrays.copyOf(image, r.at()), "truncated");
                refused(Arrays.copyOf(image, r.payload() + r.len() / 2), "truncated");
            }
        }
    }

    @Test
    void brokenIdsAndReferencesAreRefused() throws Exception {
        byte[][] o = new byte[1][];
        refused(edit(shm, FRAMES, r -> le(o[0]).putInt(r.payload() + 4, 5), o), "record FRAMES", "out of order");
        refused(edit(shm, SHM, r -> le(o[0]).putInt(r.payload() + 80, 99999), o), "record SHM", "undefined frame 99999");
        refused(edit(shm, SHM, r -> le(o[0]).putInt(r.payload() + 76, 7), o), "record SHM", "segment page 7");
        refused(edit(shm, SHM, r -> le(o[0]).putInt(r.payload() + 28, 04640), o), "record SHM", "segment mode");
        refused(edit(shm, SHM, r -> le(o[0]).putInt(r.payload(), 9), o), "record SHM", "undefined IPCNS 9");
        refused(edit(shm, VMA_SHARED, r -> le(o[0]).putInt(r.payload() + 8, 12345), o), "record VMA_SHARED", "undefined segment 12345");
        refused(edit(shm, VMA_SHARED, r -> le(o[0]).putLong(r.payload() + 16, 4096 * 8), o), "record VMA_SHARED", "past the end");
        refused(edit(shm, VMA_SHARED, r -> le(o[0]).putInt(r.payload(), 3), o), "record VMA_SHARED", "backing kind 3");
        refused(edit(shm, PAGE_REFS, r -> le(o[0]).putInt(r.payload() + 8, 0), o), "record PAGE_REFS", "undefined frame 0");
        refused(edit(shm, PAGE_REFS, r -> le(o[0]).putInt(r.payload() + 4, 0x1000), o), "record PAGE_REFS", "outside every VMA");
        refused(edit(shm, PAGE_REFS, r -> le(o[0]).putInt(r.payload() + 12, le(o[0]).getInt(r.payload() + 4)), o), "record PAGE_REFS", "appears twice");
        refused(edit(shm, IPCNS, r -> le(o[0]).putInt(r.payload(), 2), o), "record IPCNS", "out of order");
        refused(edit(msg, MSQ, r -> le(o[0]).putInt(r.payload() + 72, 6), o), "MSQ announced 1 more MSG records");
        refused(edit(msg, MSQ, r -> le(o[0]).putInt(r.payload() + 4, -5), o), "record MSQ", "message queue id -5");
        refused(edit(msg, MSG, r -> le(o[0]).putInt(r.payload(), 0), o), "record MSG", "message type 0");
        refused(edit(msg, MSG, r -> le(o[0]).putInt(r.payload() + 4, 1 << 30), o), "record MSG", "message of");
        refused(edit(msg, TASK_NS, r -> le(o[0]).putInt(r.payload() + 20, 777), o), "record TASK_NS", "undefined message queue 777");
        refused(edit(msg, TASK_NS, r -> le(o[0]).putInt(r.payload() + 4, 3), o), "record TASK_NS", "undefined IPCNS 3");
        refused(edit(undo, SEM, r -> le(o[0]).putInt(r.payload() + 52, 40000), o), "record SEM", "semaphore value 40000");
        refused(edit(undo, TASK_NS, r -> le(o[0]).putInt(r.payload() + 16, 31337), o), "record TASK_NS", "undefined semaphore set 31337");
        refused(edit(undo, TASK_NS, r -> le(o[0]).putInt(r.payload() + 20, 9), o), "record TASK_NS", "undo entry of 9");
        refused(edit(undo, TASK_NS, r -> le(o[0]).putInt(r.payload() + 8, 2), o), "record TASK_NS", "undo list 2 is not defined");
        if (uts != null) {
            refused(edit(uts, UTSNS, r -> le(o[0]).putInt(r.payload() + 4, 3), o), "record UTSNS", "UTSNS flags 3");
            refused(edit(uts, UTSNS, r -> le(o[0]).putInt(r.payload() + 8, 65), o), "record UTSNS", "at most 64");
        }
    }
}
