package org.j386.tests;

import org.j386.app.Main;
import org.j386.app.Streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs guest programs through the CLI's entry point, in-process, under the same convention
 * tests/guest/run-native.sh uses for the native reference run: a fresh empty directory as
 * the root and working directory, the binary copied in and invoked as ./NAME, the fixed
 * environment, and empty stdin.
 */
final class GuestRunner {
    static final Path GUEST = locateGuestDir();
    static final List<String> ENV = List.of("HOME=/", "PATH=/bin:/usr/bin", "TERM=dumb", "LANG=C");

    record Result(int status, byte[] stdout, String stderr) {
        String out() { return new String(stdout, StandardCharsets.UTF_8); }
    }

    private GuestRunner() {}

    private static Path locateGuestDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path g = p.resolve("tests/guest");
            if (Files.isDirectory(g.resolve("bin"))) return g;
        }
        throw new IllegalStateException("tests/guest not found above " + Path.of("").toAbsolutePath());
    }

    static List<String> args(String name) throws IOException {
        Path f = GUEST.resolve("args/" + name + ".args");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** Runs tests/guest/bin/FLAVOUR/NAME as the native reference run did. */
    static Result runGuest(String flavour, String name, String... extraOptions) throws IOException {
        Path dir = Files.createTempDirectory("j386-guest-");
        try {
            Path bin = dir.resolve(name);
            Files.copy(GUEST.resolve("bin/" + flavour + "/" + name), bin);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> cli = new ArrayList<>(List.of("run", "--root", dir.toString(), "--argv0", "./" + name));
            for (String e : ENV) { cli.add("--env"); cli.add(e); }
            // a keys file: the program runs on a terminal that types it (as run-native-tty.py does natively)
            Path keys = GUEST.resolve("keys/" + name + ".keys");
            byte[] stdin = new byte[0];
            if (Files.exists(keys)) {
                cli.add("--tty");
                stdin = Files.readAllBytes(keys);
            }
            // j386 options the recorded native run implies (creds: recorded as root, so --uid 0 --gid 0)
            Path opts = GUEST.resolve("opts/" + name + ".opts");
            if (Files.exists(opts)) cli.addAll(Files.readAllLines(opts));
            cli.addAll(List.of(extraOptions));
            cli.add(bin.toString());
            cli.addAll(args(name));
            return cli(stdin, cli.toArray(new String[0]));
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs the CLI in-process with captured streams. */
    static Result cli(String... args) {
        return cli(new byte[0], args);
    }

    /** Runs the CLI in-process with captured streams and {@code stdin} as its input. */
    static Result cli(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errPrint = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream outPrint = new PrintStream(out, true, StandardCharsets.UTF_8);
        Streams s = new Streams(new ByteArrayInputStream(stdin), out, err, outPrint, errPrint, false, false, false);
        int status = Main.execute(args, s);
        return new Result(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** The command line that starts the j386 CLI in a new JVM, with the flags off-heap RAM needs. */
    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(List.of(("--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.lang.reflect=ALL-UNNAMED "
                + "--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
                + "--add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED "
                + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED").split(" ")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.j386.app.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
