package org.j386.tests.zdtm;

import org.j386.app.Main;
import org.j386.app.Streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The harness of the checkpoint/restart suite (tests/zdtm, in the style of CRIU's ZDTM). A
 * test program runs in its own JVM with a control socket; when it says READY the harness
 * checkpoints the whole guest from the host with --kill, restarts the image in a fresh JVM
 * (as many cycles as asked, zero for the control run), sends SIGUSR1 through the control
 * socket, and collects what the guest printed across all the JVMs.
 */
final class Zdtm {
    static final Path DIR = locate();
    private static final long TIMEOUT_S = 90;

    /** What a run produced: the guest's output over every JVM, the last JVM's exit status, and its stderr. */
    record Outcome(String out, int status, String err) {}

    private Zdtm() {}

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path g = p.resolve("tests/zdtm");
            if (Files.isDirectory(g.resolve("bin"))) return g;
        }
        throw new IllegalStateException("tests/zdtm not found above " + Path.of("").toAbsolutePath());
    }

    /** Starts test {@code name} in its own JVM with control socket root/ctl0. */
    static Guest start(String name, Path root) throws IOException {
        Path bin = root.resolve(name);
        Files.copy(DIR.resolve("bin/" + name), bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (name.equals("termios")) { // the console as its terminal, with a line typed while it waits
            Path typed = Files.writeString(root.resolve("typed"), "typed ahead\n");
            return Guest.start(root, typed.toFile(), "run", "--tty", "--root", root.toString(), "--control", root.resolve("ctl0").toString(),
                    "--argv0", "./" + name, bin.toString());
        }
        return Guest.start(root, "run", "--root", root.toString(), "--control", root.resolve("ctl0").toString(),
                "--argv0", "./" + name, bin.toString());
    }

    /** Waits until a restarted JVM has opened its control socket. */
    static void awaitControl(Guest g, Path control) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(control) && g.alive(); i++) Thread.sleep(50);
        if (!Files.exists(control)) throw new AssertionError("the JVM did not open " + control + "; stderr: " + g.err());
    }

    /** Runs test {@code name} through {@code cycles} checkpoint/restart cycles. */
    static Outcome run(String name, int cycles, Path root) throws Exception {
        StringBuilder all = new StringBuilder();
        Path control = root.resolve("ctl0");
        Guest g = start(name, root);
        try {
            g.awaitLine("READY");
            for (int c = 1; c <= cycles; c++) {
                Path image = root.resolve("image" + c);
                String ck = cli("checkpoint", "--control", control.toString(), "-o", image.toString(), "--kill");
                if (ck != null) throw new AssertionError("checkpoint " + c + " failed: " + ck);
                int st = g.finish();
                if (st != 128 + 9) throw new AssertionError("checkpoint --kill: the guest JVM ended with " + st + "; stderr: " + g.err());
                all.append(g.out());
                control = root.resolve("ctl" + c);
                g = Guest.start(root, "restart", "--root", root.toString(), "--control", control.toString(), image.toString());
                awaitControl(g, control);
            }
            String sig = cli("kill", "--control", control.toString(), "--pid", "1", "--signal", "10");
            if (sig != null) throw new AssertionError("sending SIGUSR1 failed: " + sig);
            int st = g.finish();
            all.append(g.out());
            return new Outcome(all.toString(), st, g.err());
        } finally {
            g.destroy();
        }
    }

    /** Runs the CLI in-process; null on success, else its stderr. */
    static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Streams s = new Streams(new ByteArrayInputStream(new byte[0]), out, err, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, false, false);
        int status = Main.execute(args, s);
        return status == 0 ? null : "status " + status + ": " + err.toString(StandardCharsets.UTF_8).strip();
    }

    /** A j386 JVM whose stdout is collected as it comes. */
    static final class Guest {
        private final Process p;
        private final Path errFile;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Thread pump;

        private Guest(Process p, Path errFile) {
            this.p = p;
            this.errFile = errFile;
            pump = new Thread(() -> {
                byte[] b = new byte[4096];
                try (InputStream in = p.getInputStream()) {
                    for (int n; (n = in.read(b)) > 0; ) synchronized (out) { out.write(b, 0, n); }
                } catch (IOException ignored) {
                    // the JVM went away
                }
            });
            pump.setDaemon(true);
            pump.start();
        }

        static Guest start(Path root, String... args) throws IOException {
            return start(root, new File("/dev/null"), args);
        }

        /** A JVM whose stdin is {@code input}. */
        static Guest start(Path root, File input, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) cmd.add(a);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.j386.app.Main"));
            cmd.addAll(List.of(args));
            Path err = Files.createTempFile(root, "stderr", ".txt");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectInput(input).start();
            return new Guest(p, err);
        }

        String out() {
            synchronized (out) { return out.toString(StandardCharsets.UTF_8); }
        }

        String err() {
            try {
                return Files.readString(errFile);
            } catch (IOException e) {
                return "(no stderr: " + e.getMessage() + ")";
            }
        }

        boolean alive() { return p.isAlive(); }

        void awaitLine(String line) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!out().contains(line + "\n")) {
                if (!p.isAlive() && !out().contains(line + "\n")) {
                    pump.join(2000);
                    if (out().contains(line + "\n")) return;
                    throw new AssertionError("the guest ended before " + line + "; output: " + out() + "; stderr: " + err());
                }
                if (System.nanoTime() > until) throw new AssertionError("no " + line + " within " + TIMEOUT_S + " s; output: " + out());
                Thread.sleep(20);
            }
        }

        int finish() throws InterruptedException {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the guest JVM did not end within " + TIMEOUT_S + " s; output: " + out() + "; stderr: " + err());
            }
            pump.join(5000);
            return p.exitValue();
        }

        void destroy() {
            if (p.isAlive()) p.destroyForcibly();
        }
    }
}
