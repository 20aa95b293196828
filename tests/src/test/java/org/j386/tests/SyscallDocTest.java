package org.j386.tests;

import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.SyscallDoc;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/syscalls.md must be what the syscall table of a machine as `j386 run` builds it says. */
class SyscallDocTest {
    @Test
    void docsMatchTheTable() throws IOException {
        KernelConfig cfg = new KernelConfig();
        cfg.ramBytes = 16L << 20;
        String generated;
        try (Kernel k = new Kernel(cfg)) {
            org.j386.checkpoint.CheckpointSyscalls.install(k);
            generated = SyscallDoc.markdown(k.syscalls);
        }
        Path doc = GuestRunner.GUEST.getParent().getParent().resolve("docs/syscalls.md");
        if (Boolean.getBoolean("j386.writeDocs")) Files.writeString(doc, generated, StandardCharsets.UTF_8);
        assertTrue(Files.exists(doc), "docs/syscalls.md is missing: run this test with -Dj386.writeDocs=true");
        assertEquals(generated, Files.readString(doc, StandardCharsets.UTF_8),
                "docs/syscalls.md is stale: run this test with -Dj386.writeDocs=true");
    }
}
