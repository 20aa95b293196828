package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The mount table: tmpfs at /tmp, procfs at /proc, devfs at /dev, crossed by the path walk both ways. */
class MountsTest {
    @TempDir Path root;
    FsHarness h;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("home"));
        h = new FsHarness(root);
        h.kernel.tasks.put(h.task.pid, h.task);
    }

    record St(long dev, long ino, int mode, int nlink, long size) {}

    St stat(String path) {
        int b = h.buf(96);
        int r = h.call(195, h.str(path), b);
        if (r < 0) return null;
        return new St(h.task.mem.readLong(b), h.task.mem.readLong(b + 88), h.task.mem.readInt(b + 16),
                h.task.mem.readInt(b + 20), h.task.mem.readLong(b + 44));
    }

    int statfsType(String path) {
        int b = h.buf(84);
        assertEquals(0, h.call(268, h.str(path), 84, b));
        return h.task.mem.readInt(b);
    }

    List<String> names(String dir) {
        int fd = h.open(dir, Flags.O_RDONLY | Flags.O_DIRECTORY);
        assertTrue(fd >= 0, dir + ": " + fd);
        List<String> out = new ArrayList<>();
        int b = h.buf(4096);
        for (int n; (n = h.call(220, fd, b, 4096)) > 0; ) {
            for (int off = 0; off < n; ) {
                int reclen = h.task.mem.readWord(b + off + 16);
                StringBuilder s = new StringBuilder();
                for (int i = b + off + 19; h.task.mem.readByte(i) != 0; i++) s.append((char) h.task.mem.readByte(i));
                out.add(s.toString());
                off += reclen;
            }
        }
        h.call(6, fd);
        return out;
    }

    @Test
    void tmpfsIsMountedAtTmpWithItsOwnDeviceAndMagic() {
        St slash = stat("/"), tmp = stat("/tmp");
        assertNotNull(tmp, "/tmp exists although the host root has no tmp directory");
        assertNotEquals(slash.dev, tmp.dev);
        assertEquals(Flags.S_IFDIR | 01777, tmp.mode);
        assertEquals(StatfsInfo.TMPFS_MAGIC, statfsType("/tmp"));
        assertEquals(Mounts.PROC_SUPER_MAGIC, statfsType("/proc"));
        assertEquals(StatfsInfo.TMPFS_MAGIC, statfsType("/dev"));
        assertFalse(Files.exists(root.resolve("tmp")), "nothing is created on the host");
        assertEquals(List.of(".", "..", "home"), names("/"), "mount points the host lacks are not listed");
        assertNotEquals(stat("/dev/null").dev, tmp.dev);
        assertNotEquals(stat("/proc/self").dev, tmp.dev);
    }

    @Test
    void dotDotCrossesMountPointsBothWays() {
        assertEquals(0, h.call(39, h.str("/tmp/a"), 0755));
        assertEquals(0, h.call(39, h.str("/tmp/a/b"), 0755));
        St slash = stat("/");
        assertEquals(slash, stat("/tmp/.."));
        assertEquals(slash, stat("/tmp/a/b/../../.."));
        assertEquals(stat("/home"), stat("/tmp/a/../../home"));
        assertEquals(stat("/tmp"), stat("/home/../tmp/a/.."));
        assertEquals(stat("/proc"), stat("/proc/self/.."));
        assertEquals(slash, stat("/proc/self/../.."));
        assertEquals(slash, stat("/dev/.."));
        assertEquals(0, h.call(12, h.str("/tmp/a/b")));
        int b = h.buf(64);
        assertTrue(h.call(183, b, 64) > 0);
        assertEquals("/tmp/a/b", h.read(b, 8));
        assertEquals(stat("/tmp/a"), stat(".."));
        assertEquals(slash, stat("../../.."));
        assertEquals(0, h.call(12, h.str("../../../home")));
        assertEquals(stat("/home"), stat("."));
    }

    @Test
    void inodeNumbersAreStableAndNamesMoveOnlyWithinOneFileSystem() throws Exception {
        int fd = h.open("/tmp/f", Flags.O_CREAT | Flags.O_RDWR, 0644);
        assertTrue(fd >= 0);
        long ino = stat("/tmp/f").ino;
        assertEquals(ino, stat("/tmp/f").ino);
        assertEquals(0, h.call(38, h.str("/tmp/f"), h.str("/tmp/g")));
        assertEquals(ino, stat("/tmp/g").ino);
        assertEquals(-Errno.EXDEV, h.call(38, h.str("/tmp/g"), h.str("/home/g")));
        assertEquals(-Errno.EXDEV, h.call(9, h.str("/tmp/g"), h.str("/home/g")));
        Files.writeString(root.resolve("home/h"), "x");
        assertEquals(-Errno.EXDEV, h.call(38, h.str("/home/h"), h.str("/tmp/h")));
        assertEquals(-Errno.EBUSY, h.call(40, h.str("/tmp")), "a mount point cannot be removed");
        assertEquals(-Errno.EACCES, h.open("/proc/new", Flags.O_CREAT | Flags.O_WRONLY, 0644));
        assertEquals(-Errno.EACCES, h.call(39, h.str("/dev/x"), 0755));
    }

    @Test
    void unlinkedTmpfsFileStaysUsableAndMemoryIsReleasedByName() {
        int fd = h.open("/tmp/f", Flags.O_CREAT | Flags.O_RDWR, 0644);
        assertEquals(5, h.write(fd, "hello"));
        assertEquals(0, h.call(10, h.str("/tmp/f")));
        assertNull(stat("/tmp/f"));
        int b = h.buf(96);
        assertEquals(0, h.call(197, fd, b));
        assertEquals(0, h.task.mem.readInt(b + 20), "nlink 0");
        assertEquals(0, h.call(19, fd, 0, 0));
        assertEquals("hello", h.readFd(fd, 10));
    }

    @Test
    void tmpfsHoldsAtMostHalfTheRamAndGivesSpaceBackWhenAFileGoes() {
        int b = h.buf(84);
        assertEquals(0, h.call(268, h.str("/tmp"), 84, b));
        assertEquals(2048, h.task.mem.readLong(b + 8), "8 MiB of 4 KiB blocks: half of the 16 MiB machine");
        int fd = h.open("/tmp/big", Flags.O_CREAT | Flags.O_RDWR, 0600);
        int chunk = h.buf(65536);
        long written = 0;
        int r;
        while ((r = h.call(4, fd, chunk, 65536)) > 0) written += r;
        assertEquals(-Errno.ENOSPC, r);
        assertEquals(8L << 20, written);
        int other = h.open("/tmp/other", Flags.O_CREAT | Flags.O_RDWR, 0600);
        assertTrue(other >= 0, "an empty file needs no data space");
        assertEquals(-Errno.ENOSPC, h.write(other, "x"));
        assertEquals(0, h.call(10, h.str("/tmp/big")));
        assertEquals(-Errno.ENOSPC, h.write(other, "x"), "the open file still holds its bytes");
        assertEquals(0, h.call(6, fd));
        assertEquals(1, h.write(other, "x"), "closed and unlinked: space is back");
        assertEquals(0, h.call(268, h.str("/tmp"), 84, b));
        assertEquals(2047, h.task.mem.readLong(b + 16), "free blocks");
    }

    @Test
    void tmpfsHasAnInodeLimit() {
        int made = 0, r;
        while ((r = h.call(39, h.str("/tmp/d" + made), 0700)) == 0) made++;
        assertEquals(-Errno.ENOSPC, r);
        assertEquals(2047, made, "2048 inodes for 8 MiB, one of them the root");
        assertEquals(-Errno.ENOSPC, h.open("/tmp/f", Flags.O_CREAT | Flags.O_RDWR, 0600));
        assertEquals(0, h.call(40, h.str("/tmp/d7")));
        assertTrue(h.open("/tmp/f", Flags.O_CREAT | Flags.O_RDWR, 0600) >= 0, "rmdir gave one back");
    }

    @Test
    void hostTmpOptionKeepsTheHostDirectory(@TempDir Path other) throws Exception {
        Files.createDirectories(other.resolve("tmp"));
        Files.writeString(other.resolve("tmp/host-file"), "on the host");
        FsHarness hh = new FsHarness(other, "", false, true);
        assertEquals("on the host", hh.readFd(hh.open("/tmp/host-file", Flags.O_RDONLY), 100));
        FsHarness tm = new FsHarness(other);
        assertEquals(-Errno.ENOENT, tm.open("/tmp/host-file", Flags.O_RDONLY), "hidden under the tmpfs");
    }

    @Test
    void eachKernelGetsItsOwnTmpfs(@TempDir Path other) {
        FsHarness second = new FsHarness(other);
        assertTrue(h.open("/tmp/mine", Flags.O_CREAT | Flags.O_WRONLY, 0600) >= 0);
        assertEquals(-Errno.ENOENT, second.open("/tmp/mine", Flags.O_RDONLY));
    }

    @Test
    void devTtyWithoutATerminalIsENXIOAndWithOneIsTheConsole(@TempDir Path other) {
        assertEquals(-Errno.ENXIO, h.open("/dev/tty", Flags.O_RDWR));
        FsHarness tty = new FsHarness(other, "", true);
        int fd = tty.open("/dev/tty", Flags.O_RDWR);
        assertTrue(fd >= 0);
        assertTrue(tty.task.files.get(fd) instanceof ConsoleFile);
        assertEquals(3, tty.write(fd, "hi\n"));
        assertEquals("hi\n", tty.stdout.toString());
        assertTrue(names("/dev").containsAll(List.of("null", "zero", "full", "random", "urandom", "tty", "console", "stdin", "fd")));
        int b = h.buf(64);
        int n = h.call(85, h.str("/dev/stdin"), b, 64);
        assertEquals("/proc/self/fd/0", h.read(b, n));
    }
}
