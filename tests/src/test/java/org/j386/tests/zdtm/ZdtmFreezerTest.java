package org.j386.tests.zdtm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The freezer and the host commands around the suite: a frozen guest does not run (not even
 * a signal handler) until thawed, `restart --frozen` leaves the tree frozen, a checkpoint
 * without --kill thaws the guest, a refused checkpoint leaves the guest running, and
 * `inspect` shows the whole tree of an image.
 */
class ZdtmFreezerTest {
    @TempDir
    Path root;

    /** How long a frozen guest is watched for output it must not produce. */
    private static final long FROZEN_MS = 1500;

    @Test
    void aFrozenGuestRunsNothingUntilThawed() throws Exception {
        Zdtm.Guest g = Zdtm.start("tree", root);
        try {
            g.awaitLine("READY");
            String ctl = root.resolve("ctl0").toString();
            assertNull(Zdtm.cli("freeze", "--control", ctl));
            assertNull(Zdtm.cli("kill", "--control", ctl, "--pid", "1", "--signal", "10"));
            Thread.sleep(FROZEN_MS);
            assertEquals("READY\n", g.out(), "the frozen guest ran its handler");
            assertTrue(g.alive());
            assertNull(Zdtm.cli("thaw", "--control", ctl));
            assertEquals(0, g.finish(), g.err());
            assertEquals("READY\nPASS\n", g.out());
        } finally {
            g.destroy();
        }
    }

    @Test
    void restartFrozenWaitsForThaw() throws Exception {
        Zdtm.Guest g = Zdtm.start("pipe", root);
        Path image = root.resolve("image");
        Zdtm.Guest r = null;
        try {
            g.awaitLine("READY");
            assertNull(Zdtm.cli("checkpoint", "--control", root.resolve("ctl0").toString(), "-o", image.toString(), "--kill"));
            assertEquals(128 + 9, g.finish());
            Path ctl = root.resolve("ctl1");
            r = Zdtm.Guest.start(root, "restart", "--frozen", "--root", root.toString(), "--control", ctl.toString(), image.toString());
            Zdtm.awaitControl(r, ctl);
            assertNull(Zdtm.cli("kill", "--control", ctl.toString(), "--pid", "1", "--signal", "10"));
            Thread.sleep(FROZEN_MS);
            assertEquals("", r.out(), "the restored tree ran before it was thawed");
            assertTrue(r.alive());
            assertNull(Zdtm.cli("thaw", "--control", ctl.toString()));
            assertEquals(0, r.finish(), r.err());
            assertEquals("PASS\n", r.out());
        } finally {
            g.destroy();
            if (r != null) r.destroy();
        }
    }

    @Test
    void checkpointWithoutKillThawsAndInspectShowsTheTree() throws Exception {
        Zdtm.Guest g = Zdtm.start("zombie", root);
        Path image = root.resolve("image");
        try {
            g.awaitLine("READY");
            String ctl = root.resolve("ctl0").toString();
            assertNull(Zdtm.cli("checkpoint", "--control", ctl, "-o", image.toString()));
            assertNull(Zdtm.cli("kill", "--control", ctl, "--pid", "1", "--signal", "10"));
            assertEquals(0, g.finish(), g.err());
            assertEquals("READY\nPASS\n", g.out(), "the guest goes on after the checkpoint");
        } finally {
            g.destroy();
        }
        String json = inspect(image);
        // the parent, two zombies and the live child blocked in read()
        assertEquals(4, count(json, "\"ppid\":"), json);
        assertEquals(2, count(json, "\"zombie\":true"), json);
        assertEquals(3, count(json, "\"ppid\":1,"), json);
        Matcher m = Pattern.compile("\"waitStatus\":(\\d+)").matcher(json);
        int exit42 = 0, sigterm = 0;
        while (m.find()) {
            int st = Integer.parseInt(m.group(1));
            if (st == 42 << 8) exit42++;
            if (st == 15) sigterm++;
        }
        assertEquals(1, exit42, "the zombie that exited with 42: " + json);
        assertEquals(1, sigterm, "the zombie killed by SIGTERM: " + json);
    }

    @Test
    void aSubtreeCheckpointHoldsJustThatSubtree() throws Exception {
        Zdtm.Guest g = Zdtm.start("tree", root);
        Path whole = root.resolve("whole"), sub = root.resolve("sub");
        String wholeJson, subJson;
        int a;
        try {
            g.awaitLine("READY");
            String ctl = root.resolve("ctl0").toString();
            assertNull(Zdtm.cli("checkpoint", "--control", ctl, "-o", whole.toString()));
            wholeJson = inspect(whole);
            // A: the child of the root that leads its own session
            Matcher m = Pattern.compile("\\{\"pid\":(\\d+),\"tgid\":\\d+,\"ppid\":1,\"pgid\":(\\d+),\"sid\":(\\d+),").matcher(wholeJson);
            a = -1;
            while (m.find()) if (m.group(1).equals(m.group(3))) a = Integer.parseInt(m.group(1));
            assertTrue(a > 1, "a session leader below the root: " + wholeJson);
            assertNull(Zdtm.cli("checkpoint", "--control", ctl, "--pid", Integer.toString(a), "-o", sub.toString()));
            subJson = inspect(sub);
            assertNull(Zdtm.cli("kill", "--control", ctl, "--pid", "1", "--signal", "10"));
            assertEquals(0, g.finish(), g.err());
            assertEquals("READY\nPASS\n", g.out(), "the guest goes on after both checkpoints");
        } finally {
            g.destroy();
        }
        assertEquals(5, count(wholeJson, "\"ppid\":"), wholeJson);
        assertEquals(2, count(subJson, "\"ppid\":"), "A and its child: " + subJson);
        assertTrue(subJson.contains("\"tasks\":[{\"pid\":" + a + ",\"tgid\":" + a + ",\"ppid\":1,"), "A is the root: " + subJson);
        assertTrue(subJson.contains("\"ppid\":" + a + ","), "its child hangs below it: " + subJson);
    }

    @Test
    void aRefusedCheckpointLeavesTheGuestRunning() throws Exception {
        Zdtm.Guest g = Zdtm.start("sharedmem", root);
        Path image = root.resolve("image");
        try {
            g.awaitLine("READY");
            String ctl = root.resolve("ctl0").toString();
            String err = Zdtm.cli("checkpoint", "--control", ctl, "-o", image.toString(), "--kill");
            assertNotNull(err, "a shared device mapping is not checkpointable");
            assertTrue(err.matches("(?s).*task \\d+: shared mapping [0-9a-f]{8}-[0-9a-f]{8} of /dev/zero \\(a device\\) is not checkpointable yet.*"), err);
            assertFalse(err.contains("\n") || err.contains("Exception"), "one clean line: " + err);
            assertFalse(Files.exists(image), "no image is left behind");
            assertNull(Zdtm.cli("kill", "--control", ctl, "--pid", "1", "--signal", "10"));
            assertEquals(0, g.finish(), g.err());
            assertEquals("READY\nPASS\n", g.out(), "the guest was thawed and untouched");
        } finally {
            g.destroy();
        }
    }

    private static String inspect(Path image) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        var s = new org.j386.app.Streams(new java.io.ByteArrayInputStream(new byte[0]), out, err,
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), false, false, false);
        int st = org.j386.app.Main.execute(new String[] {"inspect", "--json", image.toString()}, s);
        assertEquals(0, st, err.toString());
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
