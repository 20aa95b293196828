package org.j386.tests.userland;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each script in userland/tests (the shell's features; the file tools on a scratch
 * directory; env, uname, hostname, pwd, sleep, kill and exit statuses), fed to the
 * userland's /bin/sh in j386, must give exactly the output and status the same binaries gave
 * natively in a chroot of the same root (userland/tests/expected, recorded by
 * `make -C userland expected`).
 */
class UserlandScriptsTest {
    static List<String> scripts() throws IOException {
        try (var files = Files.list(UserlandRunner.USERLAND.resolve("tests"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sh"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void matchesNativeRun(String name) throws IOException {
        Path dir = UserlandRunner.USERLAND.resolve("tests");
        String want = Files.readString(dir.resolve("expected/" + name + ".stdout"));
        int wantStatus = Integer.parseInt(Files.readString(dir.resolve("expected/" + name + ".status")).trim());
        UserlandRunner.Result r = UserlandRunner.runScript(Files.readAllBytes(dir.resolve(name + ".sh")));
        assertEquals(want, r.output(), name + ": guest output; j386 said:\n" + r.messages());
        assertEquals(wantStatus, r.status(), name + ": exit status; j386 said:\n" + r.messages());
    }
}
