package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.Freezer;
import org.j386.kernel.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.j386.kernel.fs.Flags.O_RDONLY;
import static org.j386.kernel.fs.Flags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The freezer cgroup hierarchy at /sys/fs/cgroup/freezer, through the file system calls. */
class CgroupFsTest {
    @TempDir Path root;
    private static final String F = "/sys/fs/cgroup/freezer";

    private FsHarness h;

    /** A task in the kernel's table, as fork would leave it (not on the CPU). */
    private Task task(int pid) {
        Task t = new Task(h.kernel);
        t.pid = t.tgid = pid;
        h.kernel.tasks.put(pid, t);
        return t;
    }

    private String cat(String path) {
        int fd = h.open(path, O_RDONLY);
        assertTrue(fd >= 0, path + ": " + fd);
        String s = h.readFd(fd, 4096);
        h.call(6, fd);
        return s;
    }

    private int echo(String path, String text) {
        int fd = h.open(path, O_WRONLY);
        if (fd < 0) return fd;
        int n = h.write(fd, text);
        h.call(6, fd);
        return n;
    }

    @Test
    void cgroupsFreezeTheirTasksAndChildrenFollow() {
        h = new FsHarness(root);
        Task a = task(10), b = task(11), c = task(12);
        assertEquals(0, h.call(39, h.str(F + "/job"), 0755), "mkdir");
        assertEquals(0, h.call(39, h.str(F + "/job/inner"), 0755));
        assertEquals(-Errno.EEXIST, h.call(39, h.str(F + "/job"), 0755));
        assertEquals("THAWED\n", cat(F + "/job/freezer.state"));
        assertEquals(-Errno.ENOENT, h.open(F + "/freezer.state", O_RDONLY), "the root has no state file");
        assertEquals(3, echo(F + "/job/tasks", "10\n"));
        assertEquals(3, echo(F + "/job/cgroup.procs", "11\n"));
        assertEquals(3, echo(F + "/job/inner/tasks", "12\n"));
        assertEquals(-Errno.ESRCH, echo(F + "/job/tasks", "99\n"));
        assertEquals(-Errno.EINVAL, echo(F + "/job/tasks", "ten\n"));
        assertEquals("10\n11\n", cat(F + "/job/tasks"));
        assertEquals("12\n", cat(F + "/job/inner/tasks"));
        assertEquals("1:freezer:/job/inner\n", cat("/proc/12/cgroup"));

        assertEquals(7, echo(F + "/job/freezer.state", "FROZEN\n"));
        assertEquals(Freezer.State.FROZEN, a.freezeState);
        assertEquals(Freezer.State.FROZEN, c.freezeState, "the child cgroup follows its parent");
        assertEquals("FROZEN\n", cat(F + "/job/freezer.state"));
        assertEquals("FROZEN\n", cat(F + "/job/inner/freezer.state"));
        assertEquals("1\n", cat(F + "/job/inner/freezer.parent_freezing"));
        assertEquals("0\n", cat(F + "/job/inner/freezer.self_freezing"));

        // thawing the child alone does nothing while its parent is frozen
        echo(F + "/job/inner/freezer.state", "THAWED");
        assertEquals(Freezer.State.FROZEN, c.freezeState);
        // a task that has not parked yet (it was on the CPU) keeps the cgroup FREEZING
        b.freezeState = Freezer.State.FREEZING;
        assertEquals("FREEZING\n", cat(F + "/job/freezer.state"));
        b.freezeState = Freezer.State.FROZEN;
        assertEquals("FROZEN\n", cat(F + "/job/freezer.state"));

        assertEquals(-Errno.EINVAL, echo(F + "/job/freezer.state", "FREEZING"));
        echo(F + "/job/freezer.state", "THAWED");
        assertEquals(Freezer.State.THAWED, a.freezeState);
        assertEquals(Freezer.State.THAWED, c.freezeState);
        assertEquals("THAWED\n", cat(F + "/job/inner/freezer.state"));

        // moving a task into a frozen cgroup freezes it, and out of it thaws it
        echo(F + "/job/inner/freezer.state", "FROZEN");
        echo(F + "/job/inner/tasks", "10");
        assertEquals(Freezer.State.FROZEN, a.freezeState);
        echo(F + "/tasks", "10");
        assertEquals(Freezer.State.THAWED, a.freezeState);
        assertEquals("1:freezer:/\n", cat("/proc/10/cgroup"));

        assertEquals(-Errno.EBUSY, h.call(40, h.str(F + "/job/inner")), "a cgroup with a task");
        assertEquals(-Errno.EBUSY, h.call(40, h.str(F + "/job")), "a cgroup with a child cgroup");
        echo(F + "/tasks", "12");
        assertEquals(Freezer.State.THAWED, c.freezeState);
        assertEquals(0, h.call(40, h.str(F + "/job/inner")), "rmdir");
        assertEquals(-Errno.ENOENT, h.open(F + "/job/inner/tasks", O_RDONLY));
    }

    @Test
    void theHostsFreezeAndThawAgreeWithTheGuestsView() {
        h = new FsHarness(root);
        Task a = task(10), b = task(11);
        h.call(39, h.str(F + "/job"), 0755);
        echo(F + "/job/tasks", "10");
        echo(F + "/job/tasks", "11");
        h.kernel.freezer.freeze(java.util.List.of(a, b)); // ./j386 freeze
        assertEquals("FROZEN\n", cat(F + "/job/freezer.state"), "frozen by the host: the guest sees it");
        assertEquals("0\n", cat(F + "/job/freezer.self_freezing"));
        echo(F + "/job/freezer.state", "FROZEN");
        h.kernel.freezer.thawFromHost(java.util.List.of(a, b)); // ./j386 thaw
        assertEquals(Freezer.State.THAWED, b.freezeState);
        assertEquals("THAWED\n", cat(F + "/job/freezer.state"));
        assertEquals("0\n", cat(F + "/job/freezer.self_freezing"), "the host's thaw ends the cgroup's freeze too");
    }

    @Test
    void onlyRootControlsTheHierarchy() {
        h = new FsHarness(root);
        task(10);
        assertEquals(0, h.call(39, h.str(F + "/job"), 0755));
        h.task.uid = h.task.euid = h.task.fsuid = 1000;
        assertEquals(-Errno.EACCES, h.call(39, h.str(F + "/mine"), 0755));
        assertEquals(-Errno.EACCES, h.open(F + "/job/freezer.state", O_WRONLY));
        assertEquals("THAWED\n", cat(F + "/job/freezer.state"), "but anyone may read");
    }
}
