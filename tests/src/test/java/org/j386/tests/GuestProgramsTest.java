package org.j386.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every guest program, musl and glibc builds, must print byte for byte what it printed when
 * this host ran it natively (tests/guest/expected, recorded by `make -C tests/guest expected`)
 * and exit with the same status.
 */
class GuestProgramsTest {
    static Stream<Arguments> programs() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (String flavour : List.of("musl", "glibc", "glibc-pie")) {
            Path dir = GuestRunner.GUEST.resolve("expected/" + flavour);
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".status")).sorted().toList()) {
                    String name = p.getFileName().toString().replace(".status", "");
                    all.add(Arguments.of(flavour, name));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("programs")
    void matchesNativeRun(String flavour, String name) throws IOException {
        Path expected = GuestRunner.GUEST.resolve("expected/" + flavour);
        byte[] wantOut = Files.readAllBytes(expected.resolve(name + ".stdout"));
        int wantStatus = Integer.parseInt(Files.readString(expected.resolve(name + ".status")).trim());
        GuestRunner.Result r = GuestRunner.runGuest(flavour, name);
        assertEquals(new String(wantOut, java.nio.charset.StandardCharsets.UTF_8), r.out(), flavour + "/" + name + " stdout; stderr was:\n" + r.stderr());
        assertArrayEquals(wantOut, r.stdout(), "stdout bytes");
        assertEquals(wantStatus, r.status(), "exit status; stderr was:\n" + r.stderr());
    }
}
