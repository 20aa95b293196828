package org.j386.tests.userland;

import org.j386.app.GuestRoot;
import org.j386.app.Main;
import org.j386.app.Streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the project's userland in j386 under the convention of userland/run-native.sh, the
 * native reference: the root unpacked from the app's bundled resources into a fresh
 * directory, /bin/sh with the script on stdin (not a terminal), the fixed environment,
 * stdout and stderr into one buffer.
 */
final class UserlandRunner {
    static final Path USERLAND = locate();
    static final List<String> ENV = List.of("HOME=/", "PATH=/bin:/usr/bin", "TERM=dumb", "LANG=C");

    /** output: the guest's stdout and stderr interleaved; messages: what j386 itself printed. */
    record Result(int status, String output, String messages) {}

    private UserlandRunner() {}

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path u = p.resolve("userland");
            if (Files.isRegularFile(u.resolve("root.index"))) return u;
        }
        throw new IllegalStateException("userland/ not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs {@code script} through /bin/sh of a fresh copy of the bundled root. */
    static Result runScript(byte[] script, String... extraOptions) throws IOException {
        Path root = Files.createTempDirectory("j386-userland-");
        try {
            GuestRoot.extractTo(root);
            List<String> cli = new ArrayList<>(List.of("run", "--root", root.toString(), "--argv0", "/bin/sh"));
            for (String e : ENV) { cli.add("--env"); cli.add(e); }
            cli.addAll(List.of(extraOptions));
            cli.add(root.resolve("bin/sh").toString());
            return cli(script, cli.toArray(new String[0]));
        } finally {
            GuestRoot.delete(root);
        }
    }

    /** Runs the CLI in-process with {@code stdin} as the guest's (non-terminal) standard input. */
    static Result cli(byte[] stdin, String... args) {
        ByteArrayOutputStream guest = new ByteArrayOutputStream();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream msg = new PrintStream(messages, true, StandardCharsets.UTF_8);
        Streams s = new Streams(new ByteArrayInputStream(stdin), guest, guest, msg, msg, false, false, false);
        int status = Main.execute(args, s);
        return new Result(status, guest.toString(StandardCharsets.UTF_8), messages.toString(StandardCharsets.UTF_8));
    }
}
