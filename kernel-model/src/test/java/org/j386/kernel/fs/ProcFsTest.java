package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The formats of the procfs files a task without an address space can show, and the proc directory operations. */
class ProcFsTest {
    @TempDir Path root;
    FsHarness h;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(root.resolve("file"), "0123456789");
        h = new FsHarness(root);
        h.task.pid = h.task.tgid = h.task.pgid = h.task.sid = 7;
        h.task.comm = "prog";
        h.task.exe = "/file";
        h.kernel.tasks.put(7, h.task);
    }

    String cat(String path) {
        int fd = h.open(path, Flags.O_RDONLY);
        assertTrue(fd >= 0, path + ": " + fd);
        StringBuilder sb = new StringBuilder();
        for (String s; !(s = h.readFd(fd, 4096)).isEmpty(); ) sb.append(s);
        h.call(6, fd);
        return sb.toString();
    }

    String readlink(String path) {
        int b = h.buf(256);
        int n = h.call(85, h.str(path), b, 256);
        return n < 0 ? "E" + (-n) : h.read(b, n);
    }

    @Test
    void selfLinksAndPidDirectory() {
        assertEquals("7", readlink("/proc/self"));
        assertEquals("7/task/7", readlink("/proc/thread-self"));
        assertEquals("/file", readlink("/proc/self/exe"));
        assertEquals("/", readlink("/proc/7/cwd"));
        assertEquals("/", readlink("/proc/self/root"));
        assertEquals("self/mounts", readlink("/proc/mounts"));
        assertEquals("prog\n", cat("/proc/self/comm"));
        assertEquals("0123456789", cat("/proc/self/exe"), "the link leads to the program");
        assertEquals(-Errno.ENOENT, h.open("/proc/8/stat", Flags.O_RDONLY));
        assertEquals(-Errno.ENOENT, h.open("/proc/07/stat", Flags.O_RDONLY), "no leading zeros");
    }

    @Test
    void statHas52FieldsAndStatusItsLines() {
        String stat = cat("/proc/self/stat");
        assertTrue(stat.startsWith("7 (prog) R 0 7 7 0 -1 "), stat);
        assertTrue(stat.endsWith("\n"));
        assertEquals(52, stat.trim().split(" ").length);
        String status = cat("/proc/7/status");
        assertTrue(status.startsWith("Name:\tprog\nUmask:\t0022\nState:\tR (running)\nTgid:\t7\nNgid:\t0\nPid:\t7\nPPid:\t0\nTracerPid:\t0\n"), status);
        assertTrue(status.contains("\nThreads:\t1\nSigQ:\t0/"));
        assertTrue(status.contains("\nSigBlk:\t0000000000000000\n"));
        h.task.signals.blocked = 1L << 9;
        h.task.signals.handler[12] = 0x8048000;
        h.task.signals.handler[13] = 1;
        status = cat("/proc/7/status");
        assertTrue(status.contains("\nSigBlk:\t0000000000000200\nSigIgn:\t0000000000001000\nSigCgt:\t0000000000000800\n"), status);
    }

    @Test
    void fdAndFdinfo() {
        int fd = h.open("/file", Flags.O_RDONLY | Flags.O_CLOEXEC);
        assertEquals("0123", h.readFd(fd, 4));
        assertEquals("/file", readlink("/proc/self/fd/" + fd));
        String info = cat("/proc/self/fdinfo/" + fd);
        assertTrue(info.startsWith("pos:\t4\nflags:\t02000000\nmnt_id:\t21\nino:\t"), info);
        int[] p = new int[2];
        int b = h.buf(8);
        assertEquals(0, h.call(42, b));
        p[0] = h.task.mem.readInt(b);
        assertTrue(readlink("/proc/self/fd/" + p[0]).matches("pipe:\\[\\d+]"));
        assertEquals(-Errno.ENOENT, h.open("/proc/self/fd/99", Flags.O_RDONLY));
        h.call(6, fd);
        assertEquals("E" + Errno.ENOENT, readlink("/proc/self/fd/" + fd));
    }

    @Test
    void fdLinksToObjectsWithoutAPathOpenTheObject() {
        int b = h.buf(8);
        assertEquals(0, h.call(42, b));
        int r = h.task.mem.readInt(b), w = h.task.mem.readInt(b + 4);
        int again = h.open("/proc/self/fd/" + r, Flags.O_RDONLY);
        assertTrue(again >= 0);
        assertEquals(3, h.write(w, "abc"));
        assertEquals("abc", h.readFd(again, 10), "a new read end of the same pipe");
        int tmp = h.open("/tmp/gone", Flags.O_CREAT | Flags.O_RDWR, 0600);
        assertEquals(4, h.write(tmp, "data"));
        assertEquals(0, h.call(10, h.str("/tmp/gone")));
        assertEquals("/tmp/gone (deleted)", readlink("/proc/self/fd/" + tmp));
        assertEquals("data", h.readFd(h.open("/proc/self/fd/" + tmp, Flags.O_RDONLY), 10), "the deleted file itself");
        int in = h.open("/dev/stdin", Flags.O_RDONLY);
        assertSame(h.task.files.get(0), h.task.files.get(in), "the console");
        assertEquals(-Errno.ENOTDIR, h.open("/proc/self/fd/" + r + "/x", Flags.O_RDONLY));
    }

    @Test
    void mapsHasLinuxsColumnsAndNames() throws Exception {
        org.j386.kernel.Task p = h.kernel.startEmpty();
        p.exe = "/file";
        var mm = p.mm;
        var img = new org.j386.kernel.mm.FileImage(new byte[4096], 0, 4096);
        mm.map(0x08048000L, 0x08049000L, 5, 0, img, 0, "");
        mm.map(0x08049000L, 0x0804a000L, 3, org.j386.kernel.mm.Vma.ANON, null, 0, "");
        mm.map(0x0804a000L, 0x0804c000L, 3, org.j386.kernel.mm.Vma.ANON, null, 0, "[heap]");
        mm.map(0xbffdf000L, 0xc0000000L, 3, org.j386.kernel.mm.Vma.ANON | org.j386.kernel.mm.Vma.GROWSDOWN, null, 0, "[stack]");
        var a = Files.readAttributes(root.resolve("file"), "unix:dev,ino");
        long dev = (Long) a.get("dev"), ino = (Long) a.get("ino");
        String head = String.format("08048000-08049000 r-xp 00000000 %02x:%02x %d ", Stat.major(dev), Stat.minor(dev), ino);
        String want = head + " ".repeat(48 - head.length()) + " /file\n"
                + "08049000-0804a000 rw-p 00000000 00:00 0 \n"
                + "0804a000-0804c000 rw-p 00000000 00:00 0" + " ".repeat(48 - 39) + " [heap]\n"
                + "bffdf000-c0000000 rw-p 00000000 00:00 0" + " ".repeat(48 - 39) + " [stack]\n";
        assertEquals(want, cat("/proc/" + p.pid + "/maps"));
        String statm = cat("/proc/" + p.pid + "/statm");
        assertEquals("37 0 0 0 0 36 0\n", statm, "37 pages mapped, none populated, 36 writable");
    }

    @Test
    void systemFiles() {
        String mem = cat("/proc/meminfo");
        assertTrue(mem.startsWith("MemTotal:          16384 kB\nMemFree:   "), mem);
        String cpu = cat("/proc/cpuinfo");
        assertTrue(cpu.contains("vendor_id\t: GenuineJ386\ncpu family\t: 6\nmodel\t\t: 3\nmodel name\t: j386 virtual i386 processor\nstepping\t: 3\n"), cpu);
        assertTrue(cpu.contains("\nflags\t\t: fpu pse tsc cx8 cmov fxsr\n"), cpu);
        assertTrue(cat("/proc/uptime").matches("\\d+\\.\\d\\d \\d+\\.\\d\\d\n"));
        assertTrue(cat("/proc/loadavg").matches("0\\.00 0\\.00 0\\.00 1/1 7\n"));
        assertEquals("j386\n", cat("/proc/sys/kernel/hostname"));
        assertEquals("Linux\n", cat("/proc/sys/kernel/ostype"));
        assertEquals("32768\n", cat("/proc/sys/kernel/pid_max"));
        String mounts = cat("/proc/self/mounts");
        assertTrue(mounts.contains("\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"), mounts);
        assertTrue(mounts.contains("\ntmpfs /tmp tmpfs rw,nosuid,nodev,relatime 0 0\n"), mounts);
        assertTrue(cat("/proc/version").startsWith("Linux version 6.1.0-j386 "));
    }

    @Test
    void procFilesAreSnapshotsThatSeekLikeSeqFiles() {
        int fd = h.open("/proc/self/comm", Flags.O_RDONLY);
        h.task.comm = "renamed";
        assertEquals("prog\n", h.readFd(fd, 100), "generated at open");
        assertEquals(2, h.call(19, fd, 2, Flags.SEEK_SET));
        assertEquals("og\n", h.readFd(fd, 100));
        assertEquals(-Errno.EINVAL, h.call(19, fd, 0, Flags.SEEK_END));
        assertEquals(-Errno.EBADF, h.write(fd, "x"));
        assertEquals(-Errno.EACCES, h.open("/proc/self/stat", Flags.O_WRONLY));
        assertEquals(-Errno.EACCES, h.call(10, h.str("/proc/self/stat")));
    }
}
