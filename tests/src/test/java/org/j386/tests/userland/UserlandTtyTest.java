package org.j386.tests.userland;

import org.j386.app.GuestRoot;
import org.j386.app.Main;
import org.j386.app.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interactive shell with job control: each userland/tests/tty/NAME.keys is typed into
 * /bin/sh on the console terminal of `j386 run --tty` (a chunk whenever no task can run), and
 * what the terminal shows, echo included, must equal the native run of the same sh binary on
 * a pseudo-terminal (userland/run-native-tty.py, recorded by `make -C userland expected-tty`
 * into tests/tty/expected/NAME.out and NAME.status). The scenarios stop jobs with ^Z, list
 * them, continue them in the background and the foreground, interrupt one with ^C, stop a
 * background reader with SIGTTIN and report finished background jobs.
 */
class UserlandTtyTest {
    private static final Path TTY = UserlandRunner.USERLAND.resolve("tests/tty");

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> s = Files.list(TTY)) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".keys"))
                    .map(n -> n.substring(0, n.length() - ".keys".length())).sorted().toList();
            assertTrue(names.size() >= 5, "scenarios: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void theInteractiveShellShowsWhatItShowsNatively(String name) throws IOException {
        byte[] keys = Files.readAllBytes(TTY.resolve(name + ".keys"));
        String expected = Files.readString(TTY.resolve("expected/" + name + ".out"), StandardCharsets.UTF_8);
        int expectedStatus = Integer.parseInt(Files.readString(TTY.resolve("expected/" + name + ".status")).trim());
        Path root = Files.createTempDirectory("j386-userland-tty-");
        try {
            GuestRoot.extractTo(root);
            List<String> cli = new ArrayList<>(List.of("run", "--tty", "--root", root.toString(), "--argv0", "/bin/sh"));
            for (String e : UserlandRunner.ENV) { cli.add("--env"); cli.add(e); }
            cli.add(root.resolve("bin/sh").toString());
            ByteArrayOutputStream terminal = new ByteArrayOutputStream();
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            PrintStream msg = new PrintStream(messages, true, StandardCharsets.UTF_8);
            Streams s = new Streams(new ByteArrayInputStream(keys), terminal, terminal, msg, msg, false, false, false);
            int status = Main.execute(cli.toArray(new String[0]), s);
            String shown = terminal.toString(StandardCharsets.UTF_8);
            assertEquals(expected, shown, name + ": j386 said:\n" + messages);
            assertEquals(expectedStatus, status, name);
            assertEquals("", messages.toString(StandardCharsets.UTF_8), name);
        } finally {
            GuestRoot.delete(root);
        }
    }

    @Test
    void theNativeReferenceShowsJobControlAtWork() throws IOException {
        // the recorded native runs themselves: what the scenarios are meant to exercise
        String stop = Files.readString(TTY.resolve("expected/stop.out")).replace("\r\n", "\n");
        assertTrue(stop.contains("# sleep 5\n^Z\n[1]+  Stopped                 sleep 5\n"), stop);
        assertTrue(stop.contains("# bg\n[1]+ sleep 5 &\n# jobs\n[1]+  Running                 sleep 5 &\n"), stop);
        assertTrue(stop.contains("# fg\nsleep 5\n"), stop);
        String intr = Files.readString(TTY.resolve("expected/intr.out")).replace("\r\n", "\n");
        assertTrue(intr.contains("# cat\n^C\n# echo status $?\nstatus 130\n"), intr);
        String done = Files.readString(TTY.resolve("expected/done.out")).replace("\r\n", "\n");
        assertTrue(done.contains("[1]+  Done                    true\n"), done);
        assertTrue(done.contains("[1]+  Exit 1                  false\n"), done);
        String ttin = Files.readString(TTY.resolve("expected/ttin.out")).replace("\r\n", "\n");
        assertTrue(ttin.contains("# jobs\n[1]+  Stopped                 cat\n# fg\ncat\nhello\nhello\n"), ttin);
    }

    @Test
    void theConsoleShellThatInitStartsHasJobControlToo() throws IOException {
        // `j386 run --tty` without a PROGRAM: init (pid 1) runs /etc/rc, then sh on the console;
        // sh is not a session leader there, so it makes its own group and takes the terminal
        byte[] keys = Files.readAllBytes(TTY.resolve("stop.keys"));
        String expected = Files.readString(TTY.resolve("expected/stop.out"), StandardCharsets.UTF_8);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream msg = new PrintStream(messages, true, StandardCharsets.UTF_8);
        Streams s = new Streams(new ByteArrayInputStream(keys), terminal, terminal, msg, msg, false, false, false);
        int status = Main.execute(new String[] {"run", "--tty"}, s);
        String shown = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(shown.endsWith("\r\n" + expected), shown + messages);
        assertEquals(0, status, shown + messages);
    }
}
