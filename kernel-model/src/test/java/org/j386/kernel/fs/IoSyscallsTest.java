package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.j386.kernel.fs.Flags.*;
import static org.junit.jupiter.api.Assertions.*;

class IoSyscallsTest {
    @TempDir Path root;
    FsHarness h;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(root.resolve("f"), "0123456789");
        Files.createDirectory(root.resolve("d"));
        h = new FsHarness(root);
    }

    @Test
    void openWriteReadSeekClose() throws Exception {
        int fd = h.open("/new", O_CREAT | O_RDWR | O_LARGEFILE, 0666);
        assertEquals(3, fd);
        assertEquals(5, h.write(fd, "hello"));
        assertEquals(0, h.call(19, fd, 0, SEEK_SET));
        assertEquals("hello", h.readFd(fd, 100));
        assertEquals("", h.readFd(fd, 100), "EOF");
        assertEquals(0, h.call(6, fd));
        assertEquals(-Errno.EBADF, h.call(6, fd));
        assertEquals("hello", Files.readString(root.resolve("new")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("new"))), "mode & ~022");
    }

    @Test
    void umaskAndCreateMode() throws Exception {
        assertEquals(022, h.call(60, 077));
        int fd = h.open("/m", O_CREAT | O_WRONLY, 0777);
        assertTrue(fd >= 0);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("m"))));
        assertEquals(077, h.call(60, 022));
        // a mode without write permission still gives a writable descriptor
        int ro = h.open("/ro", O_CREAT | O_WRONLY, 0444);
        assertEquals(2, h.write(ro, "ok"));
    }

    @Test
    void openFlagErrors() throws Exception {
        assertEquals(-Errno.EEXIST, h.open("/f", O_CREAT | O_EXCL | O_WRONLY, 0644));
        assertEquals(-Errno.ENOENT, h.open("/none", O_RDONLY));
        assertEquals(-Errno.EISDIR, h.open("/d", O_WRONLY));
        assertEquals(-Errno.EISDIR, h.open("/d", O_RDWR));
        assertEquals(-Errno.EISDIR, h.open("/d", O_CREAT | O_RDONLY, 0644));
        assertEquals(-Errno.ENOTDIR, h.open("/f", O_RDONLY | O_DIRECTORY));
        assertEquals(-Errno.EISDIR, h.open("/none/", O_CREAT | O_WRONLY, 0644));
        Files.createSymbolicLink(root.resolve("lf"), Path.of("f"));
        assertEquals(-Errno.ELOOP, h.open("/lf", O_RDONLY | O_NOFOLLOW));
        assertEquals(-Errno.EEXIST, h.open("/lf", O_CREAT | O_EXCL | O_WRONLY, 0644), "O_EXCL does not follow");
        int p = h.open("/lf", O_PATH | O_NOFOLLOW);
        assertTrue(p >= 0, "O_PATH|O_NOFOLLOW opens the link itself");
        assertEquals(-Errno.EBADF, h.call(3, p, h.buf(4), 4));
        assertEquals(O_PATH, h.call(55, p, F_GETFL) & O_PATH);
    }

    @Test
    void accessModesAreEnforcedPerDescriptor() {
        int ro = h.open("/f", O_RDONLY);
        assertEquals(-Errno.EBADF, h.write(ro, "x"));
        int wo = h.open("/f", O_WRONLY);
        assertEquals("E" + Errno.EBADF, h.readFd(wo, 4));
        int d = h.open("/d", O_RDONLY | O_DIRECTORY);
        assertEquals("E" + Errno.EISDIR, h.readFd(d, 4));
        assertEquals(-Errno.EISDIR, h.call(180, d, h.buf(4), 4, 0, 0));
        assertEquals(-Errno.EBADF, h.call(3, 99, h.buf(4), 4));
        assertEquals(-Errno.EBADF, h.call(3, -1, h.buf(4), 4));
        assertEquals(-Errno.EFAULT, h.call(3, ro, 0xC0000000, 4));
        assertEquals(-Errno.EFAULT, h.call(3, ro, 0x1000, -1), "count past user space");
    }

    @Test
    void truncAndAppend() throws Exception {
        int fd = h.open("/f", O_WRONLY | O_APPEND);
        assertEquals(3, h.write(fd, "abc"));
        assertEquals("0123456789abc", Files.readString(root.resolve("f")));
        assertEquals(O_WRONLY | O_APPEND, h.call(55, fd, F_GETFL));
        assertEquals(0, h.call(55, fd, F_SETFL, 0));
        assertEquals(0, h.call(19, fd, 0, SEEK_SET));
        h.write(fd, "X");
        assertEquals("X123456789abc", Files.readString(root.resolve("f")));
        int t = h.open("/f", O_RDONLY | O_TRUNC);
        assertTrue(t >= 0);
        assertEquals(0, Files.size(root.resolve("f")), "O_TRUNC truncates even with O_RDONLY");
    }

    @Test
    void seekErrorsAndLlseek() {
        int fd = h.open("/f", O_RDONLY);
        assertEquals(10, h.call(19, fd, 0, SEEK_END));
        assertEquals(7, h.call(19, fd, -3, SEEK_CUR));
        assertEquals(-Errno.EINVAL, h.call(19, fd, -20, SEEK_CUR));
        assertEquals(-Errno.EINVAL, h.call(19, fd, 0, 5));
        assertEquals(-Errno.ENXIO, h.call(19, fd, 10, SEEK_DATA));
        assertEquals(10, h.call(19, fd, 3, SEEK_HOLE));
        assertEquals(-Errno.ESPIPE, h.call(19, 0, 0, SEEK_SET));
        assertEquals(-Errno.ESPIPE, h.call(19, 1, 0, SEEK_CUR));
        int res = h.buf(8);
        assertEquals(0, h.call(140, fd, 1, 5, res, SEEK_SET));
        assertEquals((1L << 32) + 5, h.task.mem.readLong(res));
        assertEquals(-Errno.EOVERFLOW, h.call(19, fd, 0, SEEK_CUR), "position above 2 GiB");
        assertEquals(0, h.call(140, fd, 0, 2, res, SEEK_SET));
        assertEquals("23", h.readFd(fd, 2));
    }

    @Test
    void preadPwriteKeepThePosition() throws Exception {
        int fd = h.open("/f", O_RDWR);
        int b = h.buf(4);
        assertEquals(4, h.call(180, fd, b, 4, 6, 0));
        assertEquals("6789", h.read(b, 4));
        assertEquals(0, h.call(19, fd, 0, SEEK_CUR));
        assertEquals(2, h.call(181, fd, h.bytes("AB".getBytes()), 2, 12, 0));
        assertEquals("0123456789\0\0AB", Files.readString(root.resolve("f")));
        assertEquals(-Errno.EINVAL, h.call(180, fd, b, 4, 0, -1));
        assertEquals(-Errno.ESPIPE, h.call(180, 0, b, 4, 0, 0));
    }

    @Test
    void vectorIo() throws Exception {
        int fd = h.open("/v", O_CREAT | O_RDWR, 0644);
        int a = h.bytes("abc".getBytes()), b = h.bytes("defg".getBytes());
        int iov = h.buf(16);
        h.task.mem.writeInt(iov, a); h.task.mem.writeInt(iov + 4, 3);
        h.task.mem.writeInt(iov + 8, b); h.task.mem.writeInt(iov + 12, 4);
        assertEquals(7, h.call(146, fd, iov, 2));
        assertEquals("abcdefg", Files.readString(root.resolve("v")));
        h.call(19, fd, 1, SEEK_SET);
        h.task.mem.clear(a, 3);
        h.task.mem.clear(b, 4);
        assertEquals(6, h.call(145, fd, iov, 2));
        assertEquals("bcd", h.read(a, 3));
        assertEquals("efg", h.read(b, 3));
        assertEquals(3, h.call(333, fd, iov, 1, 4, 0), "preadv at 4");
        assertEquals("efg", h.read(a, 3));
        assertEquals(-Errno.EINVAL, h.call(145, fd, iov, 1025));
        assertEquals(-Errno.EINVAL, h.call(145, fd, iov, -1));
        assertEquals(0, h.call(145, fd, iov, 0));
        h.task.mem.writeInt(iov + 4, -1);
        assertEquals(-Errno.EINVAL, h.call(146, fd, iov, 2), "negative iov_len");
        h.task.mem.writeInt(iov, 0xBFFFFFF0);
        h.task.mem.writeInt(iov + 4, 0x100);
        assertEquals(-Errno.EFAULT, h.call(146, fd, iov, 1));
    }

    @Test
    void largeReadCrossesTheBounceBuffer() throws Exception {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
        Files.write(root.resolve("big"), data);
        int fd = h.open("/big", O_RDONLY);
        int b = h.buf(data.length);
        assertEquals(data.length, h.call(3, fd, b, data.length + 1000));
        assertArrayEquals(data, h.task.mem.read(b, data.length));
    }

    @Test
    void dupSharesTheOffsetButNotCloexec() {
        int fd = h.open("/f", O_RDONLY | O_CLOEXEC);
        assertEquals(FD_CLOEXEC, h.call(55, fd, F_GETFD));
        int d = h.call(41, fd);
        assertEquals(fd + 1, d);
        assertEquals(0, h.call(55, d, F_GETFD));
        assertEquals("012", h.readFd(fd, 3));
        assertEquals("345", h.readFd(d, 3));
        assertEquals(10, h.call(63, fd, 10));
        assertEquals("678", h.readFd(10, 3));
        assertEquals(10, h.call(63, 10, 10));
        assertEquals(-Errno.EBADF, h.call(63, 55, 55));
        assertEquals(-Errno.EINVAL, h.call(330, fd, fd, 0));
        assertEquals(-Errno.EINVAL, h.call(330, fd, 11, 1));
        assertEquals(11, h.call(330, fd, 11, O_CLOEXEC));
        assertEquals(FD_CLOEXEC, h.call(221, 11, F_GETFD));
        assertEquals(20, h.call(55, fd, F_DUPFD, 20));
        assertEquals(21, h.call(55, fd, F_DUPFD_CLOEXEC, 20));
        assertEquals(FD_CLOEXEC, h.call(55, 21, F_GETFD));
        assertEquals(-Errno.EINVAL, h.call(55, fd, F_DUPFD, 1024));
        assertEquals(-Errno.EBADF, h.call(63, fd, 1024));
        assertEquals(-Errno.EINVAL, h.call(55, fd, 9999));
        // closing one descriptor leaves the file open for the others
        assertEquals(0, h.call(6, fd));
        assertEquals("9", h.readFd(d, 3));
    }

    @Test
    void closeRange() {
        for (int i = 0; i < 5; i++) h.open("/f", O_RDONLY);
        assertEquals(-Errno.EINVAL, h.call(436, 5, 4, 0));
        assertEquals(-Errno.EINVAL, h.call(436, 0, 1, 8));
        assertEquals(0, h.call(436, 5, 6, CLOSE_RANGE_CLOEXEC));
        assertEquals(FD_CLOEXEC, h.call(55, 5, F_GETFD));
        assertEquals(0, h.call(436, 4, -1, 0));
        assertEquals(-Errno.EBADF, h.call(55, 4, F_GETFD));
        assertEquals(-Errno.EBADF, h.call(55, 7, F_GETFD));
        assertEquals(0, h.call(55, 3, F_GETFD));
    }

    @Test
    void emfileAtTheLimit() {
        int last = 0;
        for (int i = 3; i < 1024; i++) last = h.open("/f", O_RDONLY);
        assertEquals(1023, last);
        assertEquals(-Errno.EMFILE, h.open("/f", O_RDONLY));
        assertEquals(0, h.call(6, 500));
        assertEquals(500, h.open("/f", O_RDONLY), "lowest free descriptor");
    }

    @Test
    void locksAreGrantedAndReportedUnlocked() {
        int fd = h.open("/f", O_RDONLY);
        int fl = h.buf(24);
        h.task.mem.writeWord(fl, F_RDLCK);
        assertEquals(0, h.call(221, fd, F_SETLK64, fl));
        h.task.mem.writeWord(fl, F_WRLCK);
        assertEquals(-Errno.EBADF, h.call(55, fd, F_SETLK, fl), "write lock needs a writable fd");
        assertEquals(0, h.call(55, fd, F_GETLK, fl));
        assertEquals(F_UNLCK, h.task.mem.readWord(fl));
        h.task.mem.writeWord(fl, 7);
        assertEquals(-Errno.EINVAL, h.call(55, fd, F_SETLK, fl));
    }

    @Test
    void truncateAndFtruncate() throws Exception {
        int fd = h.open("/f", O_RDWR);
        assertEquals(0, h.call(93, fd, 4));
        assertEquals("0123", Files.readString(root.resolve("f")));
        assertEquals(0, h.call(194, fd, 8, 0));
        assertEquals("0123\0\0\0\0", Files.readString(root.resolve("f")));
        assertEquals(0, h.call(92, h.str("/f"), 2));
        assertEquals(2, Files.size(root.resolve("f")));
        assertEquals(-Errno.EINVAL, h.call(93, fd, -1));
        assertEquals(-Errno.EINVAL, h.call(93, h.open("/f", O_RDONLY), 1));
        assertEquals(-Errno.EISDIR, h.call(92, h.str("/d"), 0));
        assertEquals(-Errno.ENOENT, h.call(193, h.str("/none"), 0, 0));
        assertEquals(-Errno.EINVAL, h.call(93, 1, 0), "console");
    }

    @Test
    void devices() {
        int n = h.open("/dev/null", O_RDWR);
        assertEquals(5, h.write(n, "hello"));
        assertEquals("", h.readFd(n, 10));
        int z = h.open("/dev/zero", O_RDONLY);
        assertEquals("\0\0\0\0", h.readFd(z, 4));
        int f = h.open("/dev/full", O_WRONLY);
        assertEquals(-Errno.ENOSPC, h.write(f, "x"));
        String r1 = h.readFd(h.open("/dev/urandom", O_RDONLY), 32);
        assertEquals(32, r1.length());
        // same seed, same bytes
        FsHarness other = new FsHarness(h.root);
        assertEquals(r1, other.readFd(other.open("/dev/urandom", O_RDONLY), 32));
        assertNotEquals(r1, h.readFd(h.open("/dev/random", O_RDONLY), 32));
        int st = h.buf(96);
        assertEquals(0, h.call(197, n, st));
        assertEquals(S_IFCHR | 0666, h.task.mem.readInt(st + 16));
        assertEquals((1 << 8) | 3, h.task.mem.readInt(st + 32), "rdev 1:3");
        assertEquals(0, h.call(19, n, 100, SEEK_SET));
        assertEquals(-Errno.EACCES, h.call(10, h.str("/dev/null")));
    }
}
