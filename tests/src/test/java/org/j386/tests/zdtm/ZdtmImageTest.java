package org.j386.tests.zdtm;

import org.j386.app.Main;
import org.j386.app.Streams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad tree images: a whole-guest image of the threads test (threads sharing an address
 * space, handlers and descriptor table, a pipe) truncated at every record boundary and in
 * the middle of every record, and with references and counts broken while the checksum is
 * recomputed (so only the reader's structural checks can catch them). Each is refused by
 * `inspect` and `restart` with one line naming the record and the reason.
 */
class ZdtmImageTest {
    static byte[] image;

    @BeforeAll
    static void takeImage(@TempDir Path root) throws Exception {
        Zdtm.Guest g = Zdtm.start("threads", root);
        Path img = root.resolve("image");
        try {
            g.awaitLine("READY");
            String err = Zdtm.cli("checkpoint", "--control", root.resolve("ctl0").toString(), "-o", img.toString(), "--kill");
            assertEquals(null, err);
            g.finish();
        } finally {
            g.destroy();
        }
        image = Files.readAllBytes(img);
    }

    @TempDir
    Path dir;

    /** A record: its type, where its header starts, where its payload starts, its length. */
    record Rec(int type, int at, int payload, int len) {}

    static List<Rec> records(byte[] b) {
        List<Rec> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 12; at < b.length; ) {
            int type = bb.getShort(at) & 0xffff, len = bb.getInt(at + 4);
            out.add(new Rec(type, at, at + 8, len));
            at += 8 + len;
        }
        return out;
    }

    /** Recomputes the tail's checksum after an edit. */
    static byte[] reseal(byte[] b) {
        List<Rec> rs = records(b);
        Rec tail = rs.get(rs.size() - 1);
        assertEquals(255, tail.type());
        CRC32 crc = new CRC32();
        crc.update(b, 0, tail.at());
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(tail.payload() + 4, (int) crc.getValue());
        return b;
    }

    private String refused(byte[] bad, String... fragments) throws Exception {
        return refused(dir, bad, fragments);
    }

    /** Writes {@code bad} into {@code dir} and requires inspect and restart to refuse it with one line holding every fragment. */
    static String refused(Path dir, byte[] bad, String... fragments) throws Exception {
        Path f = dir.resolve("bad.img");
        Files.write(f, bad);
        String last = null;
        for (String cmd : new String[] {"inspect", "restart"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            Streams s = new Streams(new ByteArrayInputStream(new byte[0]), out, err, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false, false, false);
            String[] args = cmd.equals("inspect") ? new String[] {cmd, f.toString()} : new String[] {cmd, "--root", dir.toString(), f.toString()};
            int st = Main.execute(args, s);
            String e = err.toString(StandardCharsets.UTF_8).strip();
            assertEquals(1, st, cmd + " accepted a bad image: " + e);
            assertFalse(e.contains("\n") || e.contains("Exception") || e.contains("\tat "), "one clean line: " + e);
            for (String frag : fragments) assertTrue(e.contains(frag), "'" + frag + "' missing in: " + e);
            last = e;
        }
        return last;
    }

    @Test
    void theImageHoldsTheSharedObjectsOnce() {
        List<Rec> rs = records(image);
        long tasks = rs.stream().filter(r -> r.type() == 2).count();
        assertEquals(5, tasks, "the main thread and four workers");
        assertEquals(1, rs.stream().filter(r -> r.type() == 6).count(), "one MM for the five threads");
        assertEquals(1, rs.stream().filter(r -> r.type() == 12).count(), "one SIGHAND");
        assertEquals(1, rs.stream().filter(r -> r.type() == 15).count(), "one FDTABLE");
        assertEquals(1, rs.stream().filter(r -> r.type() == 16).count(), "one PIPE");
    }

    @Test
    void truncatedAtEveryRecordBoundaryAndMidRecord() throws Exception {
        for (Rec r : records(image)) {
            refused(Arrays.copyOf(image, r.at()), "truncated");
            refused(Arrays.copyOf(image, r.payload() + r.len() / 2), "truncated");
        }
    }

    /** Offset of a TASK payload's MM id: after pid..sid, comm, credentials, umask, cwd, root, rlimits, futex words, state, wait status. */
    static int mmIdOffset(byte[] b, Rec task) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int p = task.payload() + 20;
        p += 4 + bb.getInt(p);  // comm
        p += 36;                // 8 ids, umask
        p += 4 + bb.getInt(p);  // cwd
        p += 4 + bb.getInt(p);  // root
        return p + 256 + 12 + 8;
    }

    @Test
    void brokenReferencesAreRefused() throws Exception {
        List<Rec> rs = records(image);
        List<Rec> tasks = rs.stream().filter(r -> r.type() == 2).toList();
        Rec second = tasks.get(1);
        ByteBuffer bb;

        byte[] b = image.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(mmIdOffset(b, second), 99);
        refused(reseal(b), "record TASK", "undefined MM 99");

        b = image.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(mmIdOffset(b, second) + 8, 77);
        refused(reseal(b), "record TASK", "undefined SIGHAND 77");

        b = image.clone();
        bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(second.payload(), bb.getInt(tasks.get(0).payload())); // a duplicate pid
        refused(reseal(b), "record TASK", "appears twice");

        b = image.clone();
        bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(second.payload() + 8, 4242); // a thread with another parent than its leader
        refused(reseal(b), "record TAIL", "another parent than its leader");

        Rec table = rs.stream().filter(r -> r.type() == 15).findFirst().orElseThrow();
        b = image.clone();
        bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(table.payload() + 4, bb.getInt(table.payload() + 4) + 1); // announces one FD more than follow
        refused(reseal(b), "FDTABLE announced");

        Rec file = rs.stream().filter(r -> r.type() == 9 && ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(r.payload() + 4) == 5)
                .findFirst().orElseThrow();
        b = image.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(file.payload() + file.len() - 4, 55); // a pipe end naming no PIPE
        refused(reseal(b), "record FILE", "undefined PIPE 55");
    }
}
