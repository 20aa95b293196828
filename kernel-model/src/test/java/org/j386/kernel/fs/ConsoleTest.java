package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.j386.kernel.fs.Flags.*;
import static org.junit.jupiter.api.Assertions.*;

class ConsoleTest {
    @TempDir Path root;

    @Test
    void pipesReadAndWriteTheHostStreamsInOrder() {
        FsHarness h = new FsHarness(root, "line one\nrest", false);
        assertEquals(3, h.write(1, "out"));
        assertEquals(3, h.write(2, "err"));
        assertEquals(4, h.write(1, "put\n"));
        assertEquals("output\n", h.stdout.toString());
        assertEquals("err", h.stderr.toString());
        assertEquals("line one\nrest", h.readFd(0, 100));
        assertEquals("", h.readFd(0, 100), "EOF");
        assertEquals(-Errno.EBADF, h.write(0, "x"));
        assertEquals("E" + Errno.EBADF, h.readFd(1, 1));
        assertEquals(O_RDONLY, h.call(55, 0, F_GETFL));
        assertEquals(O_WRONLY, h.call(55, 1, F_GETFL));
    }

    @Test
    void notATtyMeansEnotty() {
        FsHarness h = new FsHarness(root, "abc", false);
        int b = h.buf(64);
        assertEquals(-Errno.ENOTTY, h.call(54, 1, Ioctls.TCGETS, b));
        assertEquals(-Errno.ENOTTY, h.call(54, 1, Ioctls.TIOCGWINSZ, b));
        assertEquals(0, h.call(54, 0, Ioctls.FIONREAD, b));
        assertEquals(3, h.task.mem.readInt(b));
        int st = h.buf(96);
        assertEquals(0, h.call(197, 1, st));
        assertEquals(S_IFIFO, h.task.mem.readInt(st + 16) & S_IFMT);
        assertEquals(-Errno.ENOTTY, h.call(54, h.open("/dev/null", O_RDONLY), Ioctls.TCGETS, b));
    }

    @Test
    void ttyTermiosAndWindowSize() {
        FsHarness h = new FsHarness(root, "", true);
        int b = h.buf(64);
        assertEquals(0, h.call(54, 1, Ioctls.TCGETS, b));
        assertEquals(0x0500, h.task.mem.readInt(b));
        assertEquals(0x0005, h.task.mem.readInt(b + 4));
        int lflag = h.task.mem.readInt(b + 12);
        assertTrue((lflag & 2) != 0 && (lflag & 8) != 0, "ICANON and ECHO");
        assertEquals(3, h.task.mem.readByte(b + 17), "VINTR ^C");
        assertEquals(1, h.task.mem.readByte(b + 17 + 6), "VMIN");
        // raw mode set through fd 0 is seen through fd 2: one terminal
        h.task.mem.writeInt(b + 12, lflag & ~(2 | 8));
        assertEquals(0, h.call(54, 0, Ioctls.TCSETSW, b));
        int c = h.buf(64);
        assertEquals(0, h.call(54, 2, Ioctls.TCGETS, c));
        assertEquals(lflag & ~(2 | 8), h.task.mem.readInt(c + 12));
        assertEquals(0, h.call(54, 1, Ioctls.TIOCGWINSZ, b));
        assertEquals(24, h.task.mem.readWord(b));
        assertEquals(80, h.task.mem.readWord(b + 2));
        assertEquals(-Errno.ENOTTY, h.call(54, 1, 0x12345678, b));
        int st = h.buf(96);
        assertEquals(0, h.call(197, 0, st));
        assertEquals(S_IFCHR, h.task.mem.readInt(st + 16) & S_IFMT);
        assertEquals(O_RDWR, h.call(55, 1, F_GETFL));
        assertEquals(-Errno.ESPIPE, h.call(19, 0, 0, SEEK_SET));
    }

    @Test
    void nonblockingEmptyReadIsEagain() {
        FsHarness h = new FsHarness(root, "", false);
        assertEquals(0, h.call(55, 0, F_SETFL, O_NONBLOCK));
        assertEquals(O_NONBLOCK, h.call(55, 0, F_GETFL) & O_NONBLOCK);
        assertEquals("E" + Errno.EAGAIN, h.readFd(0, 10));
    }

    @Test
    void fioclexSetsTheDescriptorFlag() {
        FsHarness h = new FsHarness(root, "", false);
        assertEquals(0, h.call(54, 1, Ioctls.FIOCLEX, 0));
        assertEquals(FD_CLOEXEC, h.call(55, 1, F_GETFD));
        h.task.files.closeOnExec();
        assertFalse(h.task.files.isOpen(1));
        assertTrue(h.task.files.isOpen(2));
    }
}
