package org.j386.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host process's uid and gid (from /proc/self/status), so a guest sees who runs it. */
final class HostIds {
    private HostIds() {}

    static int uid() { return field("Uid:"); }

    static int gid() { return field("Gid:"); }

    private static int field(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) return Integer.parseInt(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or unreadable: fall through to the unprivileged default
        }
        return 1000;
    }
}
