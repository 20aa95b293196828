package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.j386.kernel.fs.Flags.*;
import static org.junit.jupiter.api.Assertions.*;

class MiscSyscallsTest {
    @TempDir Path root;
    FsHarness h;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(root.resolve("src"), "abcdefghij");
        Files.createDirectories(root.resolve("jail/inner"));
        Files.writeString(root.resolve("jail/inner/x"), "in jail");
        h = new FsHarness(root);
    }

    @Test
    void sendfileToTheConsoleAndAFile() throws Exception {
        int in = h.open("/src", O_RDONLY);
        assertEquals(4, h.call(187, 1, in, 0, 4));
        assertEquals("abcd", h.stdout.toString());
        assertEquals(4, h.call(19, in, 0, SEEK_CUR), "no offset pointer: the position moves");
        int off = h.buf(8);
        h.task.mem.writeLong(off, 6);
        int out = h.open("/dst", O_CREAT | O_WRONLY, 0644);
        assertEquals(4, h.call(239, out, in, off, 100));
        assertEquals(10, h.task.mem.readLong(off));
        assertEquals(4, h.call(19, in, 0, SEEK_CUR), "with an offset pointer the position stays");
        assertEquals("ghij", Files.readString(root.resolve("dst")));
        assertEquals(-Errno.EINVAL, h.call(187, out, 0, 0, 4), "console input is not seekable");
        assertEquals(-Errno.EBADF, h.call(187, in, in, 0, 4));
    }

    @Test
    void copyFileRange() throws Exception {
        int in = h.open("/src", O_RDONLY);
        int out = h.open("/dst", O_CREAT | O_RDWR, 0644);
        int offIn = h.buf(8);
        h.task.mem.writeLong(offIn, 2);
        assertEquals(5, h.call(377, in, offIn, out, 0, 5, 0));
        assertEquals("cdefg", Files.readString(root.resolve("dst")));
        assertEquals(7, h.task.mem.readLong(offIn));
        assertEquals(5, h.call(19, out, 0, SEEK_CUR));
        assertEquals(-Errno.EINVAL, h.call(377, in, 0, out, 0, 5, 1));
        assertEquals(-Errno.EBADF, h.call(377, out, 0, in, 0, 5, 0));
        int same = h.open("/src", O_RDWR);
        assertEquals(-Errno.EINVAL, h.call(377, in, 0, same, 0, 5, 0), "overlapping range of one file");
    }

    @Test
    void fallocateFlockAdvice() throws Exception {
        int fd = h.open("/src", O_RDWR);
        assertEquals(0, h.call(324, fd, 0, 0, 0, 100, 0));
        assertEquals(100, Files.size(root.resolve("src")));
        assertEquals(0, h.call(324, fd, 1, 0, 0, 1000, 0), "KEEP_SIZE");
        assertEquals(100, Files.size(root.resolve("src")));
        assertEquals(-Errno.EOPNOTSUPP, h.call(324, fd, 8, 0, 0, 10, 0));
        assertEquals(-Errno.EINVAL, h.call(324, fd, 0, 0, 0, 0, 0));
        assertEquals(-Errno.EBADF, h.call(324, h.open("/src", O_RDONLY), 0, 0, 0, 10, 0));
        assertEquals(0, h.call(143, fd, 2 | 4));
        assertEquals(-Errno.EINVAL, h.call(143, fd, 3));
        assertEquals(-Errno.EBADF, h.call(143, 99, 2));
        assertEquals(0, h.call(272, fd, 0, 0, 0, 0, 4));
        assertEquals(-Errno.EINVAL, h.call(272, fd, 0, 0, 0, 0, 9));
        assertEquals(-Errno.ESPIPE, h.call(250, 0, 0, 0, 0, 0));
    }

    @Test
    void chrootBoundsTheTask() {
        h.task.euid = 0;
        assertEquals(0, h.call(61, h.str("/jail")));
        assertEquals("/jail", h.task.fs.root());
        assertEquals(0, h.call(12, h.str("/")));
        assertEquals("in jail", h.readFd(h.open("/../../inner/x", O_RDONLY), 20));
        int b = h.buf(16);
        assertEquals(2, h.call(183, b, 16));
        assertEquals("/", h.read(b, 1));
        h.task.euid = 1000;
        assertEquals(-Errno.EPERM, h.call(61, h.str("/inner")));
        assertEquals(-Errno.ENOTDIR, h.call(61, h.str("/inner/x")));
    }

    @Test
    void getcwdOfARemovedDirectory() {
        assertEquals(0, h.call(39, h.str("/gone"), 0755));
        assertEquals(0, h.call(12, h.str("/gone")));
        assertEquals(0, h.call(40, h.str("/gone")));
        assertEquals(-Errno.ENOENT, h.call(183, h.buf(64), 64));
        assertEquals(-Errno.ENOENT, h.open("x", O_CREAT | O_WRONLY, 0644));
    }

    @Test
    void fchmodat2DoesNotChmodSymlinks() throws Exception {
        Files.createSymbolicLink(root.resolve("l"), Path.of("src"));
        assertEquals(-Errno.EOPNOTSUPP, h.call(452, AT_FDCWD, h.str("/l"), 0600, AT_SYMLINK_NOFOLLOW));
        assertEquals(0, h.call(452, AT_FDCWD, h.str("/l"), 0600, 0));
        assertEquals(0100600, (Integer) Files.getAttribute(root.resolve("src"), "unix:mode"));
    }
}
