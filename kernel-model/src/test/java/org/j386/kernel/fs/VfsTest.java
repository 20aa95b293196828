package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class VfsTest {
    @TempDir Path outer;
    Path root;
    FsHarness h;
    Vfs vfs;

    @BeforeEach
    void setUp() throws Exception {
        // A secret next to the guest root: nothing may reach it.
        Files.writeString(outer.resolve("secret"), "host secret");
        Files.createDirectories(outer.resolve("etc"));
        Files.writeString(outer.resolve("etc/passwd"), "host passwd");
        root = Files.createDirectory(outer.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "guest passwd");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/file"), "file in a");
        h = new FsHarness(root, "", false, true);     // the JUnit directory is under the host's /tmp
        vfs = h.sys.vfs();
    }

    private Node resolve(String path, int mode) {
        return vfs.resolve(h.task.fs, h.task.fs.cwd(), path, mode);
    }

    private int errno(String path, int mode) {
        try {
            resolve(path, mode);
            return 0;
        } catch (SyscallException e) {
            return e.errno;
        }
    }

    @Test
    void dotDotNeverLeavesTheRoot() {
        Node n = resolve("/../../../etc/passwd", Vfs.FOLLOW);
        assertEquals("/etc/passwd", n.guestPath);
        assertEquals(root.resolve("etc/passwd"), n.host);
        assertEquals("/", resolve("/a/../..", Vfs.FOLLOW).guestPath);
        assertEquals(root, resolve("/..", Vfs.FOLLOW).host);
        assertEquals("guest passwd", h.readFd(h.open("../../../../a/../etc/passwd", Flags.O_RDONLY), 100));
        assertEquals(-Errno.ENOENT, h.open("/../secret", Flags.O_RDONLY));
        assertEquals(-Errno.ENOENT, h.open("/../secret/../etc/passwd", Flags.O_RDONLY), "a missing directory has no ..");
    }

    @Test
    void absoluteSymlinkIsRelativeToTheGuestRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("pw"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("a/up"), Path.of("../../../../../secret"));
        Files.createSymbolicLink(root.resolve("a/b/etc"), Path.of("/../../etc"));
        Node n = resolve("/pw", Vfs.FOLLOW);
        assertEquals(root.resolve("etc/passwd"), n.host);
        assertEquals("guest passwd", h.readFd(h.open("/pw", Flags.O_RDONLY), 100));
        assertEquals("guest passwd", h.readFd(h.open("/a/b/etc/passwd", Flags.O_RDONLY), 100));
        // "../../../../../secret" from /a climbs to "/" and stops: /secret does not exist in the guest.
        assertEquals(-Errno.ENOENT, h.open("/a/up", Flags.O_RDONLY));
        assertEquals("/secret", resolve("/a/up", Vfs.FOLLOW).guestPath);
        assertEquals(root.resolve("secret"), resolve("/a/up", Vfs.FOLLOW).host);
        // Creating through the dangling link creates inside the root.
        int fd = h.open("/a/up", Flags.O_CREAT | Flags.O_WRONLY, 0644);
        assertTrue(fd >= 3);
        h.write(fd, "guest");
        assertEquals("host secret", Files.readString(outer.resolve("secret")));
        assertEquals("guest", Files.readString(root.resolve("secret")));
    }

    @Test
    void hostSymlinkInTheRootIsNotFollowedByTheHost() throws Exception {
        // A directory symlink whose host meaning would escape: resolved in guest terms instead.
        Files.createSymbolicLink(root.resolve("esc"), outer);
        assertEquals(Errno.ENOENT, errno("/esc/secret", Vfs.FOLLOW));
        assertEquals(-Errno.ENOENT, h.open("/esc/secret", Flags.O_RDONLY));
        // Once the guest has that directory, the link leads there, still inside the root.
        Path inside = root.resolve(outer.toString().substring(1));
        Files.createDirectories(inside);
        Files.writeString(inside.resolve("secret"), "guest copy");
        Node n = resolve("/esc/secret", Vfs.FOLLOW);
        assertEquals(inside.resolve("secret"), n.host);
        assertEquals("guest copy", h.readFd(h.open("/esc/secret", Flags.O_RDONLY), 100));
    }

    @Test
    void lstatSemanticsForTheLastComponent() throws Exception {
        Files.createSymbolicLink(root.resolve("link"), Path.of("a"));
        assertTrue(resolve("/link", Vfs.NOFOLLOW).isSymlink());
        assertTrue(resolve("/link", Vfs.FOLLOW).isDir());
        assertTrue(resolve("/link/", Vfs.NOFOLLOW).isDir(), "a trailing slash follows");
        assertTrue(resolve("/link/", Vfs.PARENT).isSymlink(), "unlink and rmdir never follow");
        assertEquals("/a/file", resolve("/link/file", Vfs.NOFOLLOW).guestPath);
    }

    @Test
    void symlinkLoopsGiveEloop() throws Exception {
        Files.createSymbolicLink(root.resolve("l1"), Path.of("l2"));
        Files.createSymbolicLink(root.resolve("l2"), Path.of("/l1"));
        assertEquals(Errno.ELOOP, errno("/l1", Vfs.FOLLOW));
        assertEquals(Errno.ELOOP, errno("/l1/x", Vfs.NOFOLLOW));
        assertEquals(0, errno("/l1", Vfs.NOFOLLOW));
        assertEquals(-Errno.ELOOP, h.open("/l1", Flags.O_RDONLY));
        // A chain of exactly 40 links resolves; 41 do not.
        Files.writeString(root.resolve("t0"), "end");
        for (int i = 1; i <= 41; i++) Files.createSymbolicLink(root.resolve("t" + i), Path.of("t" + (i - 1)));
        assertEquals(root.resolve("t0"), resolve("/t40", Vfs.FOLLOW).host);
        assertEquals(Errno.ELOOP, errno("/t41", Vfs.FOLLOW));
    }

    @Test
    void dotDotAfterASymlinkIsThePhysicalParent() throws Exception {
        Files.createSymbolicLink(root.resolve("deep"), Path.of("a/b/c"));
        assertEquals("/a/b", resolve("/deep/..", Vfs.FOLLOW).guestPath);
    }

    @Test
    void componentErrors() {
        assertEquals(Errno.ENOTDIR, errno("/a/file/x", Vfs.FOLLOW));
        assertEquals(Errno.ENOTDIR, errno("/a/file/", Vfs.FOLLOW));
        assertEquals(Errno.ENOTDIR, errno("/a/file/.", Vfs.FOLLOW));
        assertEquals(Errno.ENOENT, errno("/nope/x", Vfs.FOLLOW));
        assertEquals(Errno.ENOENT, errno("", Vfs.FOLLOW));
        assertFalse(resolve("/a/nope", Vfs.FOLLOW).exists());
        assertEquals(Errno.ENAMETOOLONG, errno("/a/" + "x".repeat(256), Vfs.FOLLOW));
        assertEquals(0, errno("/a/" + "x".repeat(255), Vfs.FOLLOW));
        assertEquals(-Errno.ENOENT, h.call(5, h.str(""), 0, 0));
    }

    @Test
    void relativePathsStartAtTheCwdOrTheDirfd() {
        assertEquals(0, h.call(12, h.str("/a/b")));
        assertEquals("/a/b/c", resolve("c", Vfs.FOLLOW).guestPath);
        assertEquals("/a/file", resolve("../file", Vfs.FOLLOW).guestPath);
        int dfd = h.open("/a", Flags.O_RDONLY | Flags.O_DIRECTORY);
        assertEquals("file in a", h.readFd(h.call(295, dfd, h.str("file"), 0, 0), 100));
        int ffd = h.open("/a/file", Flags.O_RDONLY);
        assertEquals(-Errno.ENOTDIR, h.call(295, ffd, h.str("file"), 0, 0));
        assertEquals(-Errno.EBADF, h.call(295, 77, h.str("file"), 0, 0));
        // an absolute path ignores even a bad dirfd
        assertTrue(h.call(295, 77, h.str("/a/file"), 0, 0) >= 0);
    }

    @Test
    void namesAreBytesOnTheGuestAndUtf8OnTheHost() throws Exception {
        String guest = new String("café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        int fd = h.open("/" + guest, Flags.O_CREAT | Flags.O_WRONLY, 0644);
        assertTrue(fd >= 0);
        assertTrue(Files.exists(root.resolve("café")));
        assertEquals(-Errno.EINVAL, h.open("/bad\u00ff", Flags.O_CREAT | Flags.O_WRONLY, 0644), "not UTF-8");
        assertEquals(-Errno.ENOENT, h.open("/bad\u00ff", Flags.O_RDONLY));
    }

    @Test
    void devIsInKernelEvenWithoutAHostDev() {
        Node n = resolve("/dev/null", Vfs.FOLLOW);
        assertTrue(n.inode instanceof DevFs.DeviceInode);
        assertEquals(Stat.makedev(1, 3), n.stat().rdev);
        assertTrue(resolve("/dev", Vfs.FOLLOW).isDir());
        assertFalse(resolve("/dev/sda", Vfs.FOLLOW).exists());
        assertEquals(Errno.ENOTDIR, errno("/dev/null/x", Vfs.FOLLOW));
    }

    @Test
    void chrootLikeRootBoundsDotDotAndAbsoluteLinks() throws Exception {
        Files.createSymbolicLink(root.resolve("a/abs"), Path.of("/file"));
        h.task.fs.setRoot("/a");
        h.task.fs.setCwd("/a/b");
        assertEquals("/a/file", resolve("../../../file", Vfs.FOLLOW).guestPath);
        assertEquals("/a/file", resolve("/abs", Vfs.FOLLOW).guestPath);
        assertEquals("/b", h.task.fs.cwdForGetcwd());
    }
}
