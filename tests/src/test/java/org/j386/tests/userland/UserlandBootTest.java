package org.j386.tests.userland;

import org.j386.app.GuestRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `j386 run` without a PROGRAM: the bundled root, init, /etc/rc, the console shell, and the
 * status the machine ends with; the packaged root against userland/root; and the outputs that
 * cannot be recorded natively (ps, which depends on procfs; ls -l, whose owners and times
 * depend on the host).
 */
class UserlandBootTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String[]> index() throws IOException {
        return Files.readAllLines(UserlandRunner.USERLAND.resolve("root.index")).stream()
                .filter(l -> !l.isBlank()).map(l -> l.split(" ", 3)).toList();
    }

    @Test
    void runWithoutProgramBootsInitWhichRunsRcThenTheShellAndEndsWithItsStatus() throws IOException {
        String motd = Files.readString(UserlandRunner.USERLAND.resolve("root/etc/motd"));
        long tools = index().stream().filter(e -> e[0].equals("f") && e[2].startsWith("bin/")).count();
        UserlandRunner.Result r = UserlandRunner.cli(bytes("echo hello from the console shell\nls /bin | wc -l\nexit 4\necho never\n"), "run");
        assertEquals(motd + "hello from the console shell\n" + tools + "\n", r.output(), "j386 said:\n" + r.messages());
        assertEquals(4, r.status(), "init exits with the shell's status, and the machine with init's");
        assertEquals("", r.messages());
    }

    @Test
    void endOfInputEndsTheShellWithTheLastStatus() {
        UserlandRunner.Result r = UserlandRunner.cli(bytes("false\n"), "run");
        assertEquals(1, r.status(), r.output() + r.messages());
    }

    @Test
    void aShellKilledBySignalEndsTheMachineWith128PlusN() {
        UserlandRunner.Result r = UserlandRunner.cli(bytes("kill -9 $$\necho never\n"), "run");
        assertEquals(137, r.status(), r.output() + r.messages());
        assertTrue(!r.output().contains("never"), r.output());
    }

    @Test
    void withoutEtcRcInitStartsTheShellDirectly() throws IOException {
        Path root = Files.createTempDirectory("j386-userland-");
        try {
            GuestRoot.extractTo(root);
            Files.delete(root.resolve("etc/rc"));
            UserlandRunner.Result r = UserlandRunner.cli(bytes("echo $HOME $PATH; pwd\n"), "run", "--root", root.toString());
            assertEquals("/ /bin:/usr/bin\n/\n", r.output(), r.messages());
            assertEquals(0, r.status());
        } finally {
            GuestRoot.delete(root);
        }
    }

    @Test
    void aRootWithoutInitIsAClearError() throws IOException {
        Path root = Files.createTempDirectory("j386-userland-");
        try {
            UserlandRunner.Result r = UserlandRunner.cli(new byte[0], "run", "--root", root.toString());
            assertEquals(1, r.status());
            assertEquals("j386: --root " + root.toRealPath() + " has no /bin/init to boot (give a PROGRAM)\n",
                    r.messages().replace(root.toAbsolutePath().normalize().toString(), root.toRealPath().toString()));
        } finally {
            GuestRoot.delete(root);
        }
    }

    @Test
    void thePackagedRootIsUserlandRootWithTheIndexedModes() throws IOException {
        Path root = Files.createTempDirectory("j386-userland-");
        try {
            GuestRoot.extractTo(root);
            int files = 0;
            for (String[] e : index()) {
                Path got = root.resolve(e[2]);
                int mode = Integer.parseInt(e[1], 8);
                if (e[0].equals("f")) {
                    files++;
                    assertArrayEquals(Files.readAllBytes(UserlandRunner.USERLAND.resolve("root/" + e[2])), Files.readAllBytes(got), e[2]);
                } else {
                    assertTrue(Files.isDirectory(got), e[2]);
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(got);
                assertEquals((mode & 0100) != 0, perms.contains(PosixFilePermission.OWNER_EXECUTE), e[2] + " owner x");
                assertEquals((mode & 0002) != 0, perms.contains(PosixFilePermission.OTHERS_WRITE), e[2] + " others w");
            }
            assertTrue(files >= 19, "init, sh and 17 tools at least: " + files);
            try (var walk = Files.walk(root)) {
                assertEquals(index().size() + 1, walk.count(), "nothing but the indexed entries");
            }
        } finally {
            GuestRoot.delete(root);
        }
    }

    @Test
    void psListsTheProcessesOrSaysThatProcIsMissing() throws IOException {
        UserlandRunner.Result r = UserlandRunner.runScript(bytes("sleep 5 &\nps; echo status $?\nkill $!\n"));
        String out = r.output();
        if (out.startsWith("ps: /proc")) {
            // no procfs in this kernel model yet: one clear line and status 1
            assertEquals("ps: /proc: No such file or directory (ps needs procfs mounted on /proc)\nstatus 1\n", out);
        } else {
            String[] lines = out.split("\n");
            assertEquals("  PID  PPID S CMD", lines[0], out);
            assertTrue(out.matches("(?s).*\\n    1     0 [RS] /bin/sh\\n.*"), "the shell, pid 1:\n" + out);
            assertTrue(out.matches("(?s).*\\n +\\d+     1 [RS] sleep 5\\n.*"), "the background sleep, child of the shell:\n" + out);
            assertTrue(out.matches("(?s).*\\n +\\d+     1 R ps\\n.*"), "ps itself, running:\n" + out);
            assertTrue(out.endsWith("status 0\n"), out);
        }
    }

    @Test
    void lsLongFormat() throws IOException {
        UserlandRunner.Result r = UserlandRunner.runScript(bytes(
                "cd /tmp; mkdir d; echo hello > d/f; echo 12345678901 > d/g; ls -l d; ls -l /bin/sh; rm -r d\n"));
        String[] lines = r.output().split("\n");
        assertEquals(4, lines.length, r.output());
        assertTrue(lines[0].matches("total \\d+"), lines[0]);
        String when = "[A-Z][a-z][a-z] [ \\d]\\d ( \\d{4}|\\d\\d:\\d\\d)";
        assertTrue(lines[1].matches("-rw-r--r--  1 +\\d+ +\\d+ +6 " + when + " f"), lines[1]);
        assertTrue(lines[2].matches("-rw-r--r--  1 +\\d+ +\\d+ +12 " + when + " g"), lines[2]);
        long size = Files.size(UserlandRunner.USERLAND.resolve("root/bin/sh"));
        assertTrue(lines[3].matches("-rwxr-xr-x  1 +\\d+ +\\d+ +" + size + " " + when + " /bin/sh"), lines[3]);
    }

    @Test
    void theSameScriptRunsTheSameWayTwice() throws IOException {
        byte[] script = Files.readAllBytes(UserlandRunner.USERLAND.resolve("tests/shell.sh"));
        UserlandRunner.Result a = UserlandRunner.runScript(script, "--stats");
        UserlandRunner.Result b = UserlandRunner.runScript(script, "--stats");
        java.util.regex.Pattern count = java.util.regex.Pattern.compile("j386: (\\d+) instructions in ");
        java.util.regex.Matcher ma = count.matcher(a.messages()), mb = count.matcher(b.messages());
        assertTrue(ma.find() && mb.find(), a.messages() + b.messages());
        assertEquals(a.output(), b.output());
        assertEquals(ma.group(1), mb.group(1), "a multi-process run retires the same instructions every time");
        assertTrue(Long.parseLong(ma.group(1)) > 1_000_000, ma.group(1));
    }

    @Test
    void onATerminalTheShellPromptsOnStderr() {
        // --tty: the console is a terminal whose keys are the given bytes (the host's own
        // terminal is left alone); the terminal echoes the typed line and shows \r\n line ends
        java.io.ByteArrayOutputStream guest = new java.io.ByteArrayOutputStream();
        java.io.PrintStream msg = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        org.j386.app.Streams s = new org.j386.app.Streams(new java.io.ByteArrayInputStream(bytes("echo hi\n")), guest, guest,
                msg, msg, false, false, false);
        int status = org.j386.app.Main.execute(new String[] {"run", "--tty"}, s);
        String out = guest.toString(StandardCharsets.UTF_8);
        assertTrue(out.endsWith("\r\n# echo hi\r\nhi\r\n# exit\r\n"), out);
        assertEquals(0, status);
    }
}
