package org.j386.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;

/**
 * The bundled guest root: the project's own userland (userland/root of the source tree),
 * packaged as class-path resources under {@value #BASE} and listed by {@value #INDEX}, one
 * line per entry, {@code d|f MODE PATH} (octal mode, path relative to the root, parents
 * first). {@code j386 run} without a PROGRAM extracts it into a private temporary directory
 * and boots {@code /bin/init} from it.
 */
public final class GuestRoot {
    static final String BASE = "/org/j386/app/root/";
    static final String INDEX = "/org/j386/app/root.index";
    /** The first program of the bundled root. */
    public static final String INIT = "/bin/init";

    private GuestRoot() {}

    /** Whether this build carries the bundled root. */
    public static boolean present() {
        return GuestRoot.class.getResource(INDEX) != null;
    }

    /**
     * Writes the bundled root into {@code dir} (which must exist and should be empty), with
     * the recorded permissions.
     *
     * @throws IOException when a resource is missing or the host refuses a write
     */
    public static void extractTo(Path dir) throws IOException {
        String index;
        try (InputStream in = GuestRoot.class.getResourceAsStream(INDEX)) {
            if (in == null) throw new IOException("the bundled guest root is missing from this build (" + INDEX + ")");
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int lineNo = 0;
        for (String line : index.split("\n")) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split(" ", 3);
            if (f.length != 3 || !(f[0].equals("d") || f[0].equals("f")) || !f[1].matches("[0-7]{3,4}")
                    || f[2].startsWith("/") || f[2].contains(".."))
                throw new IOException(INDEX + " line " + lineNo + ": malformed entry: " + line);
            Path target = dir.resolve(f[2]);
            if (f[0].equals("d")) {
                Files.createDirectories(target);
            } else {
                try (InputStream in = GuestRoot.class.getResourceAsStream(BASE + f[2])) {
                    if (in == null) throw new IOException("the bundled guest root lacks " + f[2]);
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
            setMode(target, Integer.parseInt(f[1], 8));
        }
    }

    /** Creates a fresh temporary directory holding the bundled root. */
    public static Path extractToTemp() throws IOException {
        Path dir = Files.createTempDirectory("j386-root-");
        try {
            extractTo(dir);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
        return dir;
    }

    /** Removes a directory tree (an extracted root, and whatever the guest left in it). */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                // a directory the guest made read-only must become writable to be emptied
                if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) p.toFile().setWritable(true, true);
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void setMode(Path p, int mode) throws IOException {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
        };
        for (int i = 0; i < 9; i++) if ((mode & (0400 >> i)) != 0) s.add(order[i]);
        Files.setPosixFilePermissions(p, s);
        if ((mode & 01000) != 0) {
            // the sticky bit (tmp/): NIO cannot set it; the guest sees the host's mode bits
            try {
                Files.setAttribute(p, "unix:mode", mode);
            } catch (UnsupportedOperationException | IllegalArgumentException | IOException ignored) {
                // without the "unix" view /tmp is 0777 instead of 1777: harmless in a private root
            }
        }
    }
}
