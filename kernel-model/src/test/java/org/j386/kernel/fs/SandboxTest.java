package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * No path a guest gives reaches a host file outside its root: "..", absolute and relative
 * symlinks (on the host root and in tmpfs), symlink loops, and the /proc magic links
 * (/proc/self/root, cwd, exe, fd) are all resolved in guest terms.
 */
class SandboxTest {
    @TempDir Path outer;
    Path root;
    FsHarness h;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(outer.resolve("secret"), "host secret");
        root = Files.createDirectory(outer.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "guest passwd");
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../secret"));
        Files.createSymbolicLink(root.resolve("abs"), outer.resolve("secret"));
        Files.createSymbolicLink(root.resolve("dir"), outer);
        Files.createSymbolicLink(root.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(root.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
        h = new FsHarness(root);
        h.kernel.tasks.put(h.task.pid, h.task);
    }

    /** Every candidate either fails or yields guest data, never the host secret, and any host path stays in the root. */
    private void neverEscapes(String path) {
        int fd = h.open(path, Flags.O_RDONLY);
        if (fd >= 0) {
            String s = h.readFd(fd, 100);
            assertNotEquals("host secret", s, path);
        }
        try {
            Node n = h.sys.lookup(h.task, Flags.AT_FDCWD, path, Vfs.FOLLOW);
            if (n.host != null) assertTrue(n.host.normalize().startsWith(root), path + " -> " + n.host);
        } catch (SyscallException e) {
            // refused: fine
        }
    }

    @Test
    void noPathReachesTheHostOutsideTheRoot() throws Exception {
        String[] tries = {
                "/../secret", "../secret", "/../../../../secret", "/etc/../../secret", "/..//..//secret",
                "/up", "/abs", "/dir/secret", "/dir/../secret",
                "/proc/self/root/../secret", "/proc/self/root/../../secret", "/proc/1/root/../secret",
                "/proc/self/cwd/../secret", "/proc/thread-self/root/../secret", "/proc/self/root/abs",
                "/proc/self/root/up", "/proc/../secret", "/proc/self/../../secret",
                "/tmp/../secret", "/tmp/../../secret", "/dev/../secret", "/dev/fd/../../secret",
                "/tmp/up", "/tmp/abs", "/tmp/rel",
        };
        assertEquals(0, h.call(83, h.str("../../../../secret"), h.str("/tmp/up")));
        assertEquals(0, h.call(83, h.str(outer.resolve("secret").toString()), h.str("/tmp/abs")));
        assertEquals(0, h.call(83, h.str("/proc/self/root/../.."), h.str("/tmp/rel")));
        int dirFd = h.open("/", Flags.O_RDONLY | Flags.O_DIRECTORY);
        for (String p : tries) neverEscapes(p);
        neverEscapes("/proc/self/fd/" + dirFd + "/../secret");
        neverEscapes("/tmp/rel/secret");
        assertEquals("guest passwd", h.readFd(h.open("/proc/self/root/etc/passwd", Flags.O_RDONLY), 100));
        assertEquals("guest passwd", h.readFd(h.open("/proc/self/root/../../etc/passwd", Flags.O_RDONLY), 100));
        assertEquals("guest passwd", h.readFd(h.open("/proc/self/fd/" + dirFd + "/etc/passwd", Flags.O_RDONLY), 100));
    }

    @Test
    void symlinkLoopsEndInELOOP() {
        assertEquals(-Errno.ELOOP, h.open("/loop1", Flags.O_RDONLY));
        assertEquals(-Errno.ELOOP, h.open("/self/x", Flags.O_RDONLY));
        assertEquals(0, h.call(83, h.str("/tmp/b"), h.str("/tmp/a")));
        assertEquals(0, h.call(83, h.str("/tmp/a"), h.str("/tmp/b")));
        assertEquals(-Errno.ELOOP, h.open("/tmp/a", Flags.O_RDONLY));
        assertEquals(0, h.call(83, h.str("/proc/self/root/tmp/c"), h.str("/tmp/c")));
        assertEquals(-Errno.ELOOP, h.open("/tmp/c", Flags.O_RDONLY), "a loop through the /proc links");
    }

    @Test
    void procRootOfAChrootedTaskShowsItsOwnRoot() throws Exception {
        Files.createDirectories(root.resolve("jail/etc"));
        Files.writeString(root.resolve("jail/etc/passwd"), "jail passwd");
        int b = h.buf(64);
        int n = h.call(85, h.str("/proc/self/root"), b, 64);
        assertEquals("/", h.read(b, n));
        h.task.fs.setRoot("/jail");
        assertEquals(-Errno.ENOENT, h.open("/proc/self/root", Flags.O_RDONLY), "no /proc inside the jail");
        assertEquals("jail passwd", h.readFd(h.open("/../../etc/passwd", Flags.O_RDONLY), 100));
        assertEquals("/", ProcFs.seenFrom(h.task, "/jail"));
        assertEquals("/etc", ProcFs.seenFrom(h.task, "/jail/etc"));
    }
}
