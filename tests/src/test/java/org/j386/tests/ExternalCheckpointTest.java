package org.j386.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * checkpoint(2) of another process from inside the guest (tests/guest/src/extckpt.c, as
 * root): ESRCH, EBUSY for a thawed target with the reason in the image, EPERM for a caller
 * that may not ptrace the target, EINVAL without CHECKPOINT_SUBTREE for a target with
 * children, and a checkpoint of the subtree once frozen through the freezer cgroup files;
 * then restart(2) of that image: EBUSY while its pids live, and once they are gone, by a
 * caller of uid 1000, tasks that run as uid 1000, not as the image's root.
 */
class ExternalCheckpointTest {
    @TempDir
    Path root;

    @Test
    void errorsAndTheFrozenSubtree() throws IOException {
        Path bin = root.resolve("extckpt");
        Files.copy(GuestRunner.GUEST.resolve("bin/musl/extckpt"), bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        GuestRunner.Result r = GuestRunner.cli("run", "--root", root.toString(), "--uid", "0", "--gid", "0", "--argv0", "./extckpt", bin.toString());
        assertEquals("""
                no such pid: ESRCH
                thawed target: EBUSY, the image says why: yes
                freezer.state FROZEN
                tasks in the cgroup: 2 (the child and the grandchild it forked there)
                caller uid 1000, target uid 0: EPERM
                without CHECKPOINT_SUBTREE: EINVAL
                frozen subtree: checkpointed, image of some size
                still FROZEN
                restart while the pids are taken: EBUSY
                child killed: yes
                restarted by uid 1000: the grandchild is back as Uid:\t1000\t1000\t1000\t1000, Gid:\t1000\t1000\t1000\t1000
                and the restarter, now the child: Uid:\t1000\t1000\t1000\t1000
                """, r.out(), r.stderr());
        assertEquals(0, r.status());
        assertEquals("""
                checkpoint: refused: no such process 99999
                checkpoint: refused: task 2 is not frozen (freeze it in /sys/fs/cgroup/freezer first)
                checkpoint: refused: no permission to checkpoint task 2 (uid 0)
                checkpoint: refused: pid 2 has children (process 3): checkpoint its tree with CHECKPOINT_SUBTREE
                checkpoint 1: 2 task(s) of pid 2 written
                restart: refused: pid 3 is in use (process 3, extckpt)
                restart: pid 6 restored with 1 more task(s)
                """, r.stderr(), "the reasons on logfd");
    }
}
