package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

class StatCodecTest {
    private static Stat sample() {
        Stat s = new Stat();
        s.dev = Stat.makedev(8, 1);
        s.ino = 0x1_2345_6789L;
        s.mode = Flags.S_IFREG | 0755;
        s.nlink = 3;
        s.uid = 1000;
        s.gid = 100;
        s.rdev = Stat.makedev(1, 3);
        s.size = 0x1_0000_0001L;
        s.blksize = 4096;
        s.blocks = 77;
        s.atimeSec = 11; s.atimeNsec = 12;
        s.mtimeSec = 21; s.mtimeNsec = 22;
        s.ctimeSec = 31; s.ctimeNsec = 32;
        return s;
    }

    private static ByteBuffer le(byte[] b) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN); }

    @Test
    void stat64Layout() {
        ByteBuffer b = le(StatCodec.stat64(sample()));
        assertEquals(96, b.capacity());
        assertEquals(0x801, b.getLong(0));
        assertEquals(0x23456789, b.getInt(12), "__st_ino truncated");
        assertEquals(Flags.S_IFREG | 0755, b.getInt(16));
        assertEquals(3, b.getInt(20));
        assertEquals(1000, b.getInt(24));
        assertEquals(100, b.getInt(28));
        assertEquals(0x103, b.getLong(32));
        assertEquals(0x1_0000_0001L, b.getLong(44));
        assertEquals(4096, b.getInt(52));
        assertEquals(77, b.getLong(56));
        assertEquals(11, b.getInt(64)); assertEquals(12, b.getInt(68));
        assertEquals(21, b.getInt(72)); assertEquals(22, b.getInt(76));
        assertEquals(31, b.getInt(80)); assertEquals(32, b.getInt(84));
        assertEquals(0x1_2345_6789L, b.getLong(88));
    }

    @Test
    void oldStatLayoutAndOverflow() {
        Stat s = sample();
        assertEquals(Errno.EOVERFLOW, assertThrows(SyscallException.class, () -> StatCodec.oldStat(s)).errno);
        s.size = 5;
        assertEquals(Errno.EOVERFLOW, assertThrows(SyscallException.class, () -> StatCodec.oldStat(s)).errno, "inode above 32 bits");
        s.ino = 42;
        s.uid = 70000;
        ByteBuffer b = le(StatCodec.oldStat(s));
        assertEquals(64, b.capacity());
        assertEquals(0x801, b.getInt(0));
        assertEquals(42, b.getInt(4));
        assertEquals((short) (Flags.S_IFREG | 0755), b.getShort(8));
        assertEquals(3, b.getShort(10));
        assertEquals((short) 65534, b.getShort(12), "uid above 16 bits is the overflow uid");
        assertEquals(100, b.getShort(14));
        assertEquals(0x103, b.getInt(16));
        assertEquals(5, b.getInt(20));
        assertEquals(4096, b.getInt(24));
        assertEquals(77, b.getInt(28));
        assertEquals(21, b.getInt(40)); assertEquals(22, b.getInt(44));
        s.dev = Stat.makedev(259, 0);
        assertThrows(SyscallException.class, () -> StatCodec.oldStat(s), "major above 255");
    }

    @Test
    void statxLayout() {
        Stat s = sample();
        s.dev = Stat.makedev(259, 300);
        ByteBuffer b = le(StatCodec.statx(s, 0x7ff));
        assertEquals(256, b.capacity());
        assertEquals(0x7ff, b.getInt(0) & 0xfff);
        assertEquals(4096, b.getInt(4));
        assertEquals(3, b.getInt(16));
        assertEquals(1000, b.getInt(20));
        assertEquals(100, b.getInt(24));
        assertEquals((short) (Flags.S_IFREG | 0755), b.getShort(28));
        assertEquals(0x1_2345_6789L, b.getLong(32));
        assertEquals(0x1_0000_0001L, b.getLong(40));
        assertEquals(77, b.getLong(48));
        assertEquals(11, b.getLong(64)); assertEquals(12, b.getInt(72));
        assertEquals(31, b.getLong(96)); assertEquals(32, b.getInt(104));
        assertEquals(21, b.getLong(112)); assertEquals(22, b.getInt(120));
        assertEquals(1, b.getInt(128)); assertEquals(3, b.getInt(132));
        assertEquals(259, b.getInt(136)); assertEquals(300, b.getInt(140));
    }

    @Test
    void deviceNumberEncoding() {
        long d = Stat.makedev(259, 0x12345);
        assertEquals(259, Stat.major(d));
        assertEquals(0x12345, Stat.minor(d));
        assertEquals(0x801, Stat.makedev(8, 1));
    }

    @Test
    void statfs64Layout() {
        StatfsInfo i = StatfsInfo.synthetic(StatfsInfo.TMPFS_MAGIC);
        i.blocks = 1L << 33;
        i.bfree = 5;
        i.bavail = 4;
        ByteBuffer b = le(i.statfs64());
        assertEquals(84, b.capacity());
        assertEquals(StatfsInfo.TMPFS_MAGIC, b.getInt(0));
        assertEquals(4096, b.getInt(4));
        assertEquals(1L << 33, b.getLong(8));
        assertEquals(5, b.getLong(16));
        assertEquals(4, b.getLong(24));
        assertEquals(255, b.getInt(56));
        assertEquals(4096, b.getInt(60));
        assertEquals(Errno.EOVERFLOW, assertThrows(SyscallException.class, i::statfs).errno);
    }
}
