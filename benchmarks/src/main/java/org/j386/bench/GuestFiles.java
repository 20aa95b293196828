package org.j386.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the committed guest binaries (tests/guest/bin) from the working directory or -Dj386.guest. */
final class GuestFiles {
    private GuestFiles() {}

    static Path binary(String flavour, String name) {
        String prop = System.getProperty("j386.guest");
        if (prop != null) return Path.of(prop, "bin", flavour, name);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path b = p.resolve("tests/guest/bin/" + flavour + "/" + name);
            if (Files.exists(b)) return b;
        }
        throw new IllegalStateException("tests/guest/bin not found; run from the repository or pass -Dj386.guest=DIR");
    }
}
