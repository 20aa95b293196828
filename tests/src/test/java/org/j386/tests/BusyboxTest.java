package org.j386.tests;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real third-party userland: Debian's busybox-static for i386 (fetched by
 * tests/busybox/fetch.sh when the Debian archive is reachable; skipped with the reason
 * otherwise) runs the shell scripts of tests/busybox/scripts — pipelines, command
 * substitution, background jobs, traps, find, sort, sed, awk, tar, xargs — in j386 and
 * natively on this host, from identical directory trees; output and status must be equal.
 */
class BusyboxTest {
    static final Path DIR = GuestRunner.GUEST.getParent().resolve("busybox");
    static Path busybox;
    static List<String> applets;

    @BeforeAll
    static void fetch() throws IOException, InterruptedException {
        Path cached = DIR.resolve("cache/busybox");
        if (!Files.isExecutable(cached)) {
            Process p = new ProcessBuilder("bash", DIR.resolve("fetch.sh").toString()).redirectErrorStream(true).start();
            String why = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(300, TimeUnit.SECONDS);
            Assumptions.assumeTrue(Files.isExecutable(cached), "busybox-static:i386 is not available, test skipped: " + why);
        }
        busybox = cached;
        Process list = new ProcessBuilder(busybox.toString(), "--list").start();
        String names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(list.waitFor() == 0, "this host cannot run i386 busybox natively: no reference, test skipped");
        applets = List.of(names.trim().split("\n"));
    }

    /** A fresh tree: bin/busybox, a link per applet, and the script. */
    private static Path tree(String script) throws IOException {
        Path t = Files.createTempDirectory("j386-busybox-");
        Path bin = Files.createDirectory(t.resolve("bin"));
        Files.copy(busybox, bin.resolve("busybox"));
        for (String a : applets) if (!a.equals("busybox")) Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
        Files.copy(DIR.resolve("scripts/" + script), t.resolve(script));
        return t;
    }

    private static String nativeRun(String script) throws IOException, InterruptedException {
        Path t = tree(script);
        try {
            ProcessBuilder pb = new ProcessBuilder("./bin/busybox", "sh", script).directory(t.toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(java.util.Map.of("HOME", "/", "PATH", t.resolve("bin").toString(), "TERM", "dumb", "LANG", "C"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return out + "status " + p.waitFor() + "\n";
        } finally {
            GuestRunner.deleteTree(t);
        }
    }

    private static String j386Run(String script) throws IOException {
        Path t = tree(script);
        try {
            List<String> cli = new ArrayList<>(List.of("run", "--root", t.toString(), "--argv0", "./bin/busybox"));
            for (String e : List.of("HOME=/", "PATH=/bin", "TERM=dumb", "LANG=C")) { cli.add("--env"); cli.add(e); }
            cli.addAll(List.of(t.resolve("bin/busybox").toString(), "sh", script));
            // the guest's stdout and stderr into one stream, as the native run's are
            java.io.ByteArrayOutputStream guest = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream host = new java.io.ByteArrayOutputStream();
            java.io.PrintStream hostPrint = new java.io.PrintStream(host, true, StandardCharsets.UTF_8);
            org.j386.app.Streams streams = new org.j386.app.Streams(new java.io.ByteArrayInputStream(new byte[0]), guest, guest,
                    hostPrint, hostPrint, false, false, false);
            int status = org.j386.app.Main.execute(cli.toArray(new String[0]), streams);
            return guest.toString(StandardCharsets.UTF_8) + "status " + status + "\n";
        } finally {
            GuestRunner.deleteTree(t);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell.sh", "text.sh", "files.sh"})
    void scriptMatchesNativeRun(String script) throws IOException, InterruptedException {
        String want = nativeRun(script);
        String got = j386Run(script);
        assertEquals(want, got, script);
    }
}
