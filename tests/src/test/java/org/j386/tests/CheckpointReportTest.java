package org.j386.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpointability reports (the Linux-CR seed's idea): /proc/PID/checkpointable names,
 * per subsystem, what keeps a process out of an image, and fdinfo says it per descriptor;
 * once the objects are gone the reports say the process can be saved.
 */
class CheckpointReportTest {
    @Test
    void reportsNameWhatCannotBeSavedAndClearWhenItIsGone() throws IOException {
        Path dir = Files.createTempDirectory("j386-report-");
        try {
            Path bin = dir.resolve("ckptreport");
            Files.copy(GuestRunner.GUEST.resolve("bin/musl/ckptreport"), bin);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            GuestRunner.Result r = GuestRunner.cli("run", "--root", dir.toString(), bin.toString());
            assertEquals(0, r.status(), r.stderr());
            String[] parts = r.out().split("== ");
            String before = parts[1], fdBefore = parts[2], after = parts[3], fdAfter = parts[4];
            assertTrue(before.contains("checkpointable:\t0 (task 1 descriptor 3 is a kind of file that is not checkpointable yet"), before);
            assertTrue(before.matches("(?s).*\nmm:\t0 \\(shared mapping [0-9a-f]{8}-[0-9a-f]{8} of /dev/zero \\(a device\\) is not checkpointable yet\\)\n.*"), before);
            assertTrue(before.matches("(?s).*\nfiles:\t0 \\(descriptor 3: /proc/\\d+/status is a kind of file not saved yet\\)\n.*"), before);
            assertTrue(before.contains("\ntask:\t1\n") && before.contains("\nsysvipc:\t1\n") && before.contains("\nnamespaces:\t1\n"), before);
            assertTrue(fdBefore.matches("(?s).*\ncheckpointable:\t0 \\(/proc/\\d+/status is a kind of file not saved yet\\)\n"), fdBefore);
            assertEquals("/proc/self/checkpointable\ncheckpointable:\t1\ntask:\t1\nmm:\t1\nfiles:\t1\nsysvipc:\t1\nnamespaces:\t1\nfrozen:\t0\n", after);
            assertTrue(fdAfter.endsWith("\ncheckpointable:\t1\n"), fdAfter);
        } finally {
            GuestRunner.deleteTree(dir);
        }
    }
}
