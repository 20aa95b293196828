package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import static org.j386.kernel.fs.Flags.*;
import static org.junit.jupiter.api.Assertions.*;

class NameSyscallsTest {
    @TempDir Path root;
    FsHarness h;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(root.resolve("f"), "data");
        Files.createDirectories(root.resolve("d/sub"));
        Files.createDirectories(root.resolve("etc"));
        h = new FsHarness(root);
    }

    @Test
    void mkdirRmdir() throws Exception {
        assertEquals(0, h.call(39, h.str("/n"), 0777));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("n"))));
        assertEquals(-Errno.EEXIST, h.call(39, h.str("/n"), 0777));
        assertEquals(-Errno.EEXIST, h.call(39, h.str("/f"), 0777));
        assertEquals(0, h.call(39, h.str("/n2/"), 0755), "trailing slash is fine for mkdir");
        assertEquals(-Errno.ENOENT, h.call(39, h.str("/x/y"), 0755));
        assertEquals(0, h.call(296, AT_FDCWD, h.str("n/in"), 0755));
        assertEquals(-Errno.ENOTEMPTY, h.call(40, h.str("/n")));
        assertEquals(-Errno.ENOTDIR, h.call(40, h.str("/f")));
        assertEquals(-Errno.EINVAL, h.call(40, h.str("/n/in/.")));
        assertEquals(-Errno.ENOTEMPTY, h.call(40, h.str("/n/in/..")));
        assertEquals(-Errno.EBUSY, h.call(40, h.str("/")));
        assertEquals(0, h.call(40, h.str("/n/in")));
        assertEquals(0, h.call(301, AT_FDCWD, h.str("/n"), AT_REMOVEDIR));
        assertFalse(Files.exists(root.resolve("n")));
        assertEquals(-Errno.ENOENT, h.call(40, h.str("/n")));
    }

    @Test
    void unlink() throws Exception {
        assertEquals(-Errno.EISDIR, h.call(10, h.str("/d")));
        assertEquals(-Errno.ENOTDIR, h.call(10, h.str("/f/")));
        assertEquals(-Errno.EINVAL, h.call(301, AT_FDCWD, h.str("/f"), 1));
        Files.createSymbolicLink(root.resolve("ld"), Path.of("d"));
        assertEquals(-Errno.ENOTDIR, h.call(40, h.str("/ld")), "rmdir does not follow");
        assertEquals(-Errno.ENOTDIR, h.call(40, h.str("/ld/")), "not even with a trailing slash");
        assertEquals(0, h.call(10, h.str("/ld")), "unlink removes the link");
        assertTrue(Files.isDirectory(root.resolve("d")));
        assertEquals(0, h.call(10, h.str("f")));
        assertFalse(Files.exists(root.resolve("f")));
        assertEquals(-Errno.ENOENT, h.call(10, h.str("/f")));
    }

    @Test
    void openFileSurvivesUnlink() {
        int fd = h.open("/f", O_RDONLY);
        assertEquals(0, h.call(10, h.str("/f")));
        assertEquals("data", h.readFd(fd, 10));
    }

    @Test
    void rename() throws Exception {
        assertEquals(0, h.call(38, h.str("/f"), h.str("/d/g")));
        assertEquals("data", Files.readString(root.resolve("d/g")));
        assertEquals(-Errno.ENOENT, h.call(38, h.str("/f"), h.str("/x")));
        Files.writeString(root.resolve("a"), "A");
        assertEquals(-Errno.EEXIST, h.call(353, AT_FDCWD, h.str("/a"), AT_FDCWD, h.str("/d/g"), RENAME_NOREPLACE));
        assertEquals(0, h.call(353, AT_FDCWD, h.str("/a"), AT_FDCWD, h.str("/d/g"), RENAME_EXCHANGE));
        assertEquals("data", Files.readString(root.resolve("a")));
        assertEquals("A", Files.readString(root.resolve("d/g")));
        assertEquals(-Errno.EINVAL, h.call(353, AT_FDCWD, h.str("/a"), AT_FDCWD, h.str("/b"), RENAME_EXCHANGE | RENAME_NOREPLACE));
        assertEquals(-Errno.EISDIR, h.call(38, h.str("/a"), h.str("/d")));
        assertEquals(-Errno.ENOTDIR, h.call(38, h.str("/d"), h.str("/a")));
        assertEquals(-Errno.EBUSY, h.call(38, h.str("/d/."), h.str("/e")));
        assertEquals(-Errno.ENOTDIR, h.call(38, h.str("/a/"), h.str("/e")));
        assertEquals(0, h.call(38, h.str("/a"), h.str("/a")), "same name");
        int dfd = h.open("/d", O_RDONLY | O_DIRECTORY);
        assertEquals(0, h.call(302, dfd, h.str("g"), AT_FDCWD, h.str("/g2")));
        assertEquals("A", Files.readString(root.resolve("g2")));
    }

    @Test
    void linksAndSymlinks() throws Exception {
        assertEquals(0, h.call(9, h.str("/f"), h.str("/hard")));
        assertEquals(2, (Integer) Files.getAttribute(root.resolve("f"), "unix:nlink"));
        assertEquals(-Errno.EEXIST, h.call(9, h.str("/f"), h.str("/hard")));
        assertEquals(-Errno.EPERM, h.call(9, h.str("/d"), h.str("/dl")));
        assertEquals(-Errno.ENOENT, h.call(9, h.str("/none"), h.str("/x")));
        assertEquals(-Errno.ENOENT, h.call(9, h.str("/f"), h.str("/x/")));
        assertEquals(-Errno.EINVAL, h.call(303, AT_FDCWD, h.str("/f"), AT_FDCWD, h.str("/x"), 1));

        assertEquals(0, h.call(83, h.str("/etc/../f"), h.str("/sl")));
        assertEquals("/etc/../f", Files.readSymbolicLink(root.resolve("sl")).toString());
        assertEquals(-Errno.EEXIST, h.call(83, h.str("x"), h.str("/sl")));
        assertEquals(-Errno.ENOENT, h.call(83, h.str(""), h.str("/s2")));
        int b = h.buf(64);
        assertEquals(9, h.call(85, h.str("/sl"), b, 64));
        assertEquals("/etc/../f", h.read(b, 9));
        assertEquals(4, h.call(85, h.str("/sl"), b, 4), "truncated, no NUL");
        assertEquals(-Errno.EINVAL, h.call(85, h.str("/f"), b, 64));
        assertEquals(-Errno.EINVAL, h.call(85, h.str("/sl"), b, 0));
        assertEquals(-Errno.ENOENT, h.call(85, h.str("/none"), b, 64));
        // the guest reads through it in guest terms: /etc/.. is /, so /f
        assertEquals("data", h.readFd(h.open("/sl", O_RDONLY), 10));
        // readlinkat on an O_PATH|O_NOFOLLOW descriptor with an empty path
        int p = h.open("/sl", O_PATH | O_NOFOLLOW);
        assertEquals(9, h.call(305, p, h.str(""), b, 64));
        assertEquals(0, h.call(304, h.str("f"), h.open("/d", O_RDONLY), h.str("rel")));
        assertTrue(Files.isSymbolicLink(root.resolve("d/rel")));
    }

    @Test
    void chdirGetcwdFchdir() {
        int b = h.buf(64);
        assertEquals(2, h.call(183, b, 64));
        assertEquals("/\0", h.read(b, 2));
        assertEquals(0, h.call(12, h.str("d/sub")));
        assertEquals(7, h.call(183, b, 64));
        assertEquals("/d/sub\0", h.read(b, 7));
        assertEquals(-Errno.ERANGE, h.call(183, b, 6));
        assertEquals(-Errno.ERANGE, h.call(183, b, 0));
        assertEquals(-Errno.ENOTDIR, h.call(12, h.str("/f")));
        assertEquals(-Errno.ENOENT, h.call(12, h.str("/none")));
        assertEquals(0, h.call(12, h.str("..")));
        assertEquals("/d", h.task.fs.cwd());
        int dfd = h.open("/d/sub", O_RDONLY | O_DIRECTORY);
        assertEquals(0, h.call(12, h.str("/")));
        assertEquals(0, h.call(133, dfd));
        assertEquals("/d/sub", h.task.fs.cwd());
        assertEquals(-Errno.ENOTDIR, h.call(133, h.open("/f", O_RDONLY)));
    }

    @Test
    void accessChmodChownUtimens() throws Exception {
        assertEquals(0, h.call(33, h.str("/f"), F_OK));
        assertEquals(0, h.call(33, h.str("/f"), R_OK | W_OK));
        assertEquals(-Errno.EACCES, h.call(33, h.str("/f"), X_OK), "no x bit: not even root");
        assertEquals(-Errno.ENOENT, h.call(33, h.str("/none"), F_OK));
        assertEquals(-Errno.EINVAL, h.call(33, h.str("/f"), 8));
        assertEquals(-Errno.EINVAL, h.call(439, AT_FDCWD, h.str("/f"), 0, 1));
        assertEquals(0, h.call(15, h.str("/f"), 04751));
        assertEquals(0104751, (Integer) Files.getAttribute(root.resolve("f"), "unix:mode"));
        assertEquals(0, h.call(33, h.str("/f"), X_OK));
        int fd = h.open("/f", O_RDONLY);
        assertEquals(0, h.call(94, fd, 0600));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("f"))));
        assertEquals(0, h.call(212, h.str("/f"), 1234, 1234));
        assertEquals(-Errno.ENOENT, h.call(212, h.str("/none"), 0, 0));
        assertEquals(0, h.call(207, fd, 0, 0));
        assertEquals(-Errno.EBADF, h.call(207, 66, 0, 0));

        int ts = h.buf(16);
        h.task.mem.writeInt(ts, 1000); h.task.mem.writeInt(ts + 4, UTIME_OMIT);
        h.task.mem.writeInt(ts + 8, 1_600_000_000); h.task.mem.writeInt(ts + 12, 123_456_789);
        assertEquals(0, h.call(320, AT_FDCWD, h.str("/f"), ts, 0));
        assertEquals(FileTime.from(java.time.Instant.ofEpochSecond(1_600_000_000, 123_456_789)),
                Files.getLastModifiedTime(root.resolve("f")));
        h.task.mem.writeInt(ts + 12, 1_000_000_000);
        assertEquals(-Errno.EINVAL, h.call(320, AT_FDCWD, h.str("/f"), ts, 0));
        Files.createSymbolicLink(root.resolve("lnk"), Path.of("f"));
        h.task.mem.writeInt(ts + 12, 0);
        h.task.mem.writeInt(ts + 8, 5000);
        assertEquals(0, h.call(320, AT_FDCWD, h.str("/lnk"), ts, AT_SYMLINK_NOFOLLOW));
        assertEquals(5000, Files.getLastModifiedTime(root.resolve("lnk"), LinkOption.NOFOLLOW_LINKS).toMillis() / 1000);
        h.sys.setClock(() -> 42_000_000_000L);
        assertEquals(0, h.call(320, fd, 0, 0, 0), "futimens on the fd, now");
        assertEquals(42, Files.getLastModifiedTime(root.resolve("f")).toMillis() / 1000);
    }

    @Test
    void mknod() throws Exception {
        assertEquals(0, h.call(14, h.str("/reg"), S_IFREG | 0640, 0));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("reg"))));
        assertEquals(-Errno.EEXIST, h.call(14, h.str("/reg"), S_IFREG | 0640, 0));
        assertEquals(-Errno.EPERM, h.call(14, h.str("/chr"), S_IFCHR | 0640, 0x103));
        assertEquals(-Errno.EPERM, h.call(14, h.str("/dir"), S_IFDIR | 0640, 0));
        assertEquals(-Errno.EINVAL, h.call(14, h.str("/bad"), 0170000, 0));
        assertEquals(0, h.call(297, AT_FDCWD, h.str("/fifo"), S_IFIFO | 0640, 0));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("fifo"))));
        assertEquals(S_IFIFO, (Integer) Files.getAttribute(root.resolve("fifo"), "unix:mode") & S_IFMT, "a real FIFO on the host");
        assertEquals(-Errno.EEXIST, h.call(297, AT_FDCWD, h.str("/fifo"), S_IFIFO | 0600, 0));
        assertEquals(-Errno.ENXIO, h.open("/fifo", O_WRONLY | O_NONBLOCK), "opened in the kernel, never on the host");
        int r = h.open("/fifo", O_RDONLY | O_NONBLOCK), w = h.open("/fifo", O_WRONLY | O_NONBLOCK);
        assertEquals(2, h.write(w, "ok"));
        assertEquals("ok", h.readFd(r, 10));
        assertEquals(-Errno.EPERM, h.call(14, h.str("/sock"), S_IFSOCK | 0600, 0));
    }
}
