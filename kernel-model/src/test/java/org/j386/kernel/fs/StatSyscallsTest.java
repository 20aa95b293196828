package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.j386.kernel.fs.Flags.*;
import static org.junit.jupiter.api.Assertions.*;

class StatSyscallsTest {
    @TempDir Path root;
    FsHarness h;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(root.resolve("f"), "0123456789");
        Files.setLastModifiedTime(root.resolve("f"), FileTime.from(Instant.ofEpochSecond(1_500_000_000, 250)));
        Files.createDirectories(root.resolve("d"));
        for (String n : new String[] {"zeta", "alpha", "mid"}) Files.writeString(root.resolve("d/" + n), n);
        Files.createDirectory(root.resolve("d/sub"));
        Files.createSymbolicLink(root.resolve("d/ln"), Path.of("alpha"));
        h = new FsHarness(root);
    }

    private long ino(String p) throws Exception {
        return (Long) Files.getAttribute(root.resolve(p), "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void stat64Fields() throws Exception {
        int b = h.buf(96);
        assertEquals(0, h.call(195, h.str("/f"), b));
        assertEquals((Integer) Files.getAttribute(root.resolve("f"), "unix:mode"), h.task.mem.readInt(b + 16));
        assertEquals(S_IFREG, h.task.mem.readInt(b + 16) & S_IFMT);
        assertEquals(1, h.task.mem.readInt(b + 20), "nlink");
        assertEquals(10, h.task.mem.readLong(b + 44), "size");
        assertEquals(4096, h.task.mem.readInt(b + 52));
        assertEquals(8, h.task.mem.readLong(b + 56), "blocks of 512");
        assertEquals(1_500_000_000, h.task.mem.readInt(b + 72));
        assertEquals(250, h.task.mem.readInt(b + 76));
        assertEquals(ino("f"), h.task.mem.readLong(b + 88));
        assertEquals((int) ino("f"), h.task.mem.readInt(b + 12));
        assertEquals((Long) Files.getAttribute(root.resolve("f"), "unix:dev"), h.task.mem.readLong(b));
        assertEquals((Integer) Files.getAttribute(root.resolve("f"), "unix:uid"), h.task.mem.readInt(b + 24));
    }

    @Test
    void lstatSeesTheLinkStatFollowsIt() throws Exception {
        int b = h.buf(96);
        assertEquals(0, h.call(196, h.str("/d/ln"), b));
        assertEquals(S_IFLNK, h.task.mem.readInt(b + 16) & S_IFMT);
        assertEquals(5, h.task.mem.readLong(b + 44), "link text length");
        assertEquals(0, h.call(195, h.str("/d/ln"), b));
        assertEquals(S_IFREG, h.task.mem.readInt(b + 16) & S_IFMT);
        assertEquals(0, h.call(300, AT_FDCWD, h.str("/d/ln"), b, AT_SYMLINK_NOFOLLOW));
        assertEquals(S_IFLNK, h.task.mem.readInt(b + 16) & S_IFMT);
        assertEquals(-Errno.EINVAL, h.call(300, AT_FDCWD, h.str("/d/ln"), b, 1));
        assertEquals(-Errno.ENOENT, h.call(195, h.str("/none"), b));
        assertEquals(-Errno.ENOENT, h.call(195, h.str(""), b));
        assertEquals(-Errno.EFAULT, h.call(195, h.str("/f"), 0xBFFFFFF0));
        assertEquals(-Errno.EFAULT, h.call(195, 0xC0001000, b));
    }

    @Test
    void fstatAndEmptyPath() throws Exception {
        int fd = h.open("/d", O_RDONLY | O_DIRECTORY);
        int b = h.buf(96);
        assertEquals(0, h.call(197, fd, b));
        assertEquals(S_IFDIR, h.task.mem.readInt(b + 16) & S_IFMT);
        assertEquals(ino("d"), h.task.mem.readLong(b + 88));
        assertEquals(0, h.call(300, fd, h.str(""), b, AT_EMPTY_PATH));
        assertEquals(ino("d"), h.task.mem.readLong(b + 88));
        assertEquals(-Errno.ENOENT, h.call(300, fd, h.str(""), b, 0));
        assertEquals(0, h.call(300, fd, h.str("mid"), b, 0));
        assertEquals(ino("d/mid"), h.task.mem.readLong(b + 88));
        assertEquals(-Errno.EBADF, h.call(197, 40, b));
        // fstat on an O_PATH descriptor works
        int p = h.open("/f", O_PATH);
        assertEquals(0, h.call(197, p, b));
        assertEquals(10, h.task.mem.readLong(b + 44));
    }

    @Test
    void oldStat() throws Exception {
        int b = h.buf(64);
        assertEquals(0, h.call(106, h.str("/f"), b));
        assertEquals((int) ino("f"), h.task.mem.readInt(b + 4));
        assertEquals(S_IFREG, h.task.mem.readWord(b + 8) & S_IFMT);
        assertEquals(10, h.task.mem.readInt(b + 20));
        assertEquals(1_500_000_000, h.task.mem.readInt(b + 40));
        int fd = h.open("/big", O_CREAT | O_RDWR, 0644);
        assertEquals(0, h.call(194, fd, 0, 1), "4 GiB sparse");
        assertEquals(-Errno.EOVERFLOW, h.call(108, fd, b));
        assertEquals(0, h.call(197, fd, h.buf(96)));
    }

    @Test
    void statx() throws Exception {
        int b = h.buf(256);
        assertEquals(0, h.call(383, AT_FDCWD, h.str("/f"), 0, StatCodec.STATX_BASIC_STATS, b));
        assertEquals(StatCodec.STATX_BASIC_STATS, h.task.mem.readInt(b) & StatCodec.STATX_BASIC_STATS);
        assertEquals(0, h.task.mem.readInt(b) & StatCodec.STATX_BTIME, "birth time is not known");
        assertEquals(10, h.task.mem.readLong(b + 40));
        assertEquals(ino("f"), h.task.mem.readLong(b + 32));
        assertEquals(S_IFREG, h.task.mem.readWord(b + 28) & S_IFMT);
        assertEquals(1_500_000_000L, h.task.mem.readLong(b + 112));
        assertEquals(250, h.task.mem.readInt(b + 120));
        long dev = (Long) Files.getAttribute(root.resolve("f"), "unix:dev");
        assertEquals(Stat.major(dev), h.task.mem.readInt(b + 136));
        assertEquals(Stat.minor(dev), h.task.mem.readInt(b + 140));
        assertEquals(-Errno.EINVAL, h.call(383, AT_FDCWD, h.str("/f"), AT_STATX_SYNC_TYPE, 0x7ff, b));
        assertEquals(-Errno.EINVAL, h.call(383, AT_FDCWD, h.str("/f"), 0, 0x80000000, b));
        assertEquals(0, h.call(383, h.open("/f", O_RDONLY), 0, AT_EMPTY_PATH, 0x7ff, b), "NULL path with AT_EMPTY_PATH");
    }

    @Test
    void statfs() throws Exception {
        int b = h.buf(88);
        assertEquals(-Errno.EINVAL, h.call(268, h.str("/"), 88, b));
        assertEquals(0, h.call(268, h.str("/"), 84, b));
        assertEquals(Files.getFileStore(root).getBlockSize(), h.task.mem.readInt(b + 4));
        assertTrue(h.task.mem.readLong(b + 8) > 0, "blocks");
        assertEquals(255, h.task.mem.readInt(b + 56));
        assertEquals(0, h.call(269, 1, 84, b));
        assertEquals(StatfsInfo.PIPEFS_MAGIC, h.task.mem.readInt(b));
        assertEquals(0, h.call(100, h.open("/dev/null", O_RDONLY), b));
        assertEquals(StatfsInfo.TMPFS_MAGIC, h.task.mem.readInt(b));
        assertEquals(-Errno.ENOENT, h.call(99, h.str("/none"), b));
    }

    /** Decodes linux_dirent64 records: name → {ino, type}; also checks d_off cookies count up. */
    private List<String> dents64(int fd, int size) {
        List<String> out = new ArrayList<>();
        int b = h.buf(size);
        int n = h.call(220, fd, b, size);
        assertTrue(n >= 0, "getdents64 " + n);
        for (int off = 0; off < n; ) {
            int reclen = h.task.mem.readWord(b + off + 16);
            assertEquals(0, reclen % 8);
            int type = h.task.mem.readByte(b + off + 18);
            String name = h.task.mem.readCString(b + off + 19, 256);
            out.add(name + ":" + type);
            off += reclen;
        }
        return out;
    }

    @Test
    void getdents64ListsSortedWithTypesAndRewinds() throws Exception {
        int fd = h.open("/d", O_RDONLY | O_DIRECTORY);
        List<String> all = dents64(fd, 4096);
        assertEquals(List.of(".:4", "..:4", "alpha:8", "ln:10", "mid:8", "sub:4", "zeta:8"), all);
        assertEquals(List.of(), dents64(fd, 4096), "end of directory");
        assertEquals(0, h.call(19, fd, 0, SEEK_SET));
        Files.writeString(root.resolve("d/beta"), "b");
        assertEquals(8, dents64(fd, 4096).size(), "rewind re-reads");
        h.call(19, fd, 0, SEEK_SET);
        // a small buffer returns a prefix; the rest follows
        List<String> first = dents64(fd, 48);
        assertEquals(List.of(".:4", "..:4"), first);
        assertEquals("alpha:8", dents64(fd, 4096).get(0));
        h.call(19, fd, 0, SEEK_SET);
        assertEquals(-Errno.EINVAL, h.call(220, fd, h.buf(16), 16), "buffer too small for one entry");
        assertEquals(-Errno.ENOTDIR, h.call(220, h.open("/f", O_RDONLY), h.buf(64), 64));
        assertEquals(-Errno.EBADF, h.call(220, 50, h.buf(64), 64));
    }

    @Test
    void getdents64InoAndCookie() throws Exception {
        int fd = h.open("/d", O_RDONLY | O_DIRECTORY);
        int b = h.buf(4096);
        int n = h.call(220, fd, b, 4096);
        assertTrue(n > 0);
        assertEquals(ino("d"), h.task.mem.readLong(b));
        assertEquals(1, h.task.mem.readLong(b + 8), "d_off of the first entry");
        int second = h.task.mem.readWord(b + 16);
        assertEquals(ino(""), h.task.mem.readLong(b + second), ".. is the root");
        // lseek to a cookie continues from there
        h.call(19, fd, 2, SEEK_SET);
        assertEquals("alpha:8", dents64(fd, 4096).get(0));
    }

    @Test
    void oldGetdentsKeepsTheTypeInTheLastByte() {
        int fd = h.open("/d", O_RDONLY | O_DIRECTORY);
        int b = h.buf(4096);
        int n = h.call(141, fd, b, 4096);
        List<String> out = new ArrayList<>();
        for (int off = 0; off < n; ) {
            int reclen = h.task.mem.readWord(b + off + 8);
            assertEquals(0, reclen % 4);
            out.add(h.task.mem.readCString(b + off + 10, 256) + ":" + h.task.mem.readByte(b + off + reclen - 1));
            off += reclen;
        }
        assertEquals(List.of(".:4", "..:4", "alpha:8", "ln:10", "mid:8", "sub:4", "zeta:8"), out);
    }

    @Test
    void devListsTheInKernelDevices() {
        int fd = h.open("/dev", O_RDONLY | O_DIRECTORY);
        List<String> names = dents64(fd, 4096);
        assertTrue(names.containsAll(List.of("null:2", "zero:2", "full:2", "random:2", "urandom:2")), names.toString());
    }
}
