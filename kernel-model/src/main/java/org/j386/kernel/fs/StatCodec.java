package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encoders of the i386 stat structures (arch/x86/include/uapi/asm/stat.h, linux/stat.h). */
public final class StatCodec {
    private StatCodec() {}

    public static final int STAT64_SIZE = 96, STAT_SIZE = 64, STATX_SIZE = 256;
    public static final int STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800, STATX_MNT_ID = 0x1000,
            STATX__RESERVED = 0x80000000;
    private static final int OVERFLOW_UID = 65534;

    private static ByteBuffer buf(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    /** struct stat64: 96 bytes, 64-bit fields only 4-byte aligned. */
    public static byte[] stat64(Stat s) {
        ByteBuffer b = buf(STAT64_SIZE);
        b.putLong(0, s.dev);
        b.putInt(12, (int) s.ino);
        b.putInt(16, s.mode);
        b.putInt(20, s.nlink);
        b.putInt(24, s.uid);
        b.putInt(28, s.gid);
        b.putLong(32, s.rdev);
        b.putLong(44, s.size);
        b.putInt(52, s.blksize);
        b.putLong(56, s.blocks);
        b.putInt(64, (int) s.atimeSec); b.putInt(68, s.atimeNsec);
        b.putInt(72, (int) s.mtimeSec); b.putInt(76, s.mtimeNsec);
        b.putInt(80, (int) s.ctimeSec); b.putInt(84, s.ctimeNsec);
        b.putLong(88, s.ino);
        return b.array();
    }

    private static boolean oldValidDev(long dev) { return Stat.major(dev) < 256 && Stat.minor(dev) < 256; }

    /** The old struct stat (64 bytes) of stat/lstat/fstat, with cp_new_stat's EOVERFLOW checks. */
    public static byte[] oldStat(Stat s) {
        if (!oldValidDev(s.dev) || !oldValidDev(s.rdev) || s.size > 0x7fffffffL
                || (s.ino >>> 32) != 0 || s.nlink > 0xffff || s.nlink < 0)
            throw new SyscallException(Errno.EOVERFLOW);
        ByteBuffer b = buf(STAT_SIZE);
        b.putInt(0, Stat.major(s.dev) << 8 | Stat.minor(s.dev));
        b.putInt(4, (int) s.ino);
        b.putShort(8, (short) s.mode);
        b.putShort(10, (short) s.nlink);
        b.putShort(12, (short) ((s.uid & ~0xffff) != 0 ? OVERFLOW_UID : s.uid));
        b.putShort(14, (short) ((s.gid & ~0xffff) != 0 ? OVERFLOW_UID : s.gid));
        b.putInt(16, Stat.major(s.rdev) << 8 | Stat.minor(s.rdev));
        b.putInt(20, (int) s.size);
        b.putInt(24, s.blksize);
        b.putInt(28, (int) s.blocks);
        b.putInt(32, (int) s.atimeSec); b.putInt(36, s.atimeNsec);
        b.putInt(40, (int) s.mtimeSec); b.putInt(44, s.mtimeNsec);
        b.putInt(48, (int) s.ctimeSec); b.putInt(52, s.ctimeNsec);
        return b.array();
    }

    /**
     * struct statx (256 bytes). Like Linux, all basic fields are filled whatever was asked;
     * stx_mask says which are valid. Birth time is not available from the JDK, so never reported.
     */
    public static byte[] statx(Stat s, int requestMask) {
        ByteBuffer b = buf(STATX_SIZE);
        b.putInt(0, STATX_BASIC_STATS | STATX_MNT_ID);
        b.putInt(4, s.blksize);
        b.putLong(8, 0);            // stx_attributes
        b.putInt(16, s.nlink);
        b.putInt(20, s.uid);
        b.putInt(24, s.gid);
        b.putShort(28, (short) s.mode);
        b.putLong(32, s.ino);
        b.putLong(40, s.size);
        b.putLong(48, s.blocks);
        b.putLong(56, 0);           // stx_attributes_mask
        putTs(b, 64, s.atimeSec, s.atimeNsec);
        // btime at 80 left zero
        putTs(b, 96, s.ctimeSec, s.ctimeNsec);
        putTs(b, 112, s.mtimeSec, s.mtimeNsec);
        b.putInt(128, Stat.major(s.rdev));
        b.putInt(132, Stat.minor(s.rdev));
        b.putInt(136, Stat.major(s.dev));
        b.putInt(140, Stat.minor(s.dev));
        b.putLong(144, 1);          // stx_mnt_id: one mount
        return b.array();
    }

    private static void putTs(ByteBuffer b, int off, long sec, int nsec) {
        b.putLong(off, sec);
        b.putInt(off + 8, nsec);
    }
}
