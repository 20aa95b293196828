package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** struct kstatfs and its i386 encodings (struct statfs, 64 bytes; struct statfs64, 84 bytes). */
final class StatfsInfo {
    static final int STATFS_SIZE = 64, STATFS64_SIZE = 84;
    static final int TMPFS_MAGIC = 0x01021994, PIPEFS_MAGIC = 0x50495045, DEVPTS_MAGIC = 0x1cd1;
    private static final int ST_RDONLY = 1, ST_VALID = 0x20;

    int type, bsize = 4096, namelen = 255, flags = ST_VALID;
    long blocks, bfree, bavail, files, ffree;

    static StatfsInfo ofHost(Path p) {
        try {
            FileStore s = Files.getFileStore(p);
            StatfsInfo i = new StatfsInfo();
            i.type = magic(s.type());
            long bs = s.getBlockSize();
            i.bsize = bs > 0 && bs <= Integer.MAX_VALUE ? (int) bs : 4096;
            i.blocks = s.getTotalSpace() / i.bsize;
            i.bfree = s.getUnallocatedSpace() / i.bsize;
            i.bavail = s.getUsableSpace() / i.bsize;
            if (s.isReadOnly()) i.flags |= ST_RDONLY;
            return i;       // inode counts are not available from the JDK: reported as 0
        } catch (IOException e) {
            throw HostErrors.of(e);
        } catch (UnsupportedOperationException e) {
            throw new SyscallException(Errno.ENOSYS);
        }
    }

    static StatfsInfo synthetic(int type) {
        StatfsInfo i = new StatfsInfo();
        i.type = type;
        return i;
    }

    /** Linux super block magic numbers of the file system types a host is likely to have. */
    static int magic(String type) {
        return switch (type) {
            case "ext2", "ext3", "ext4" -> 0xEF53;
            case "tmpfs" -> TMPFS_MAGIC;
            case "overlay" -> 0x794c7630;
            case "btrfs" -> 0x9123683E;
            case "xfs" -> 0x58465342;
            case "zfs" -> 0x2FC12FC1;
            case "nfs", "nfs4" -> 0x6969;
            case "fuse", "fuseblk" -> 0x65735546;
            case "vfat" -> 0x4d44;
            case "9p" -> 0x01021997;
            case "proc" -> 0x9fa0;
            default -> 0xEF53;
        };
    }

    byte[] statfs() {
        if (((blocks | bfree | bavail) >>> 32) != 0 || ((files | ffree) >>> 32) != 0)
            throw new SyscallException(Errno.EOVERFLOW);
        ByteBuffer b = ByteBuffer.allocate(STATFS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, type).putInt(4, bsize).putInt(8, (int) blocks).putInt(12, (int) bfree)
                .putInt(16, (int) bavail).putInt(20, (int) files).putInt(24, (int) ffree)
                .putInt(36, namelen).putInt(40, bsize).putInt(44, flags);
        return b.array();
    }

    byte[] statfs64() {
        ByteBuffer b = ByteBuffer.allocate(STATFS64_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, type).putInt(4, bsize).putLong(8, blocks).putLong(16, bfree).putLong(24, bavail)
                .putLong(32, files).putLong(40, ffree).putInt(56, namelen).putInt(60, bsize).putInt(64, flags);
        return b.array();
    }
}
