package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/** The attributes of an inode as the kernel sees them (struct kstat); device numbers in Linux's user encoding. */
public final class Stat {
    public long dev, ino, rdev, size, blocks;
    public int mode, nlink, uid, gid, blksize = 4096;
    public long atimeSec, mtimeSec, ctimeSec;
    public int atimeNsec, mtimeNsec, ctimeNsec;

    private static final String ATTRS = "unix:dev,ino,mode,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime";

    /** lstat() of a host path (the VFS has already resolved every symlink it should follow). */
    static Stat ofHost(Path p) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw HostErrors.of(e);
        } catch (UnsupportedOperationException e) {
            throw new SyscallException(Errno.EIO);
        }
        Stat s = new Stat();
        s.dev = (Long) a.get("dev");
        s.ino = (Long) a.get("ino");
        s.mode = (Integer) a.get("mode");
        s.nlink = (Integer) a.get("nlink");
        s.uid = (Integer) a.get("uid");
        s.gid = (Integer) a.get("gid");
        s.rdev = (Long) a.get("rdev");
        s.size = (Long) a.get("size");
        // The JDK does not expose st_blocks: assume fully allocated 4 KiB blocks.
        s.blocks = ((s.size + 4095) >>> 12) << 3;
        Instant at = ((FileTime) a.get("lastAccessTime")).toInstant();
        Instant mt = ((FileTime) a.get("lastModifiedTime")).toInstant();
        Instant ct = ((FileTime) a.get("ctime")).toInstant();
        s.atimeSec = at.getEpochSecond(); s.atimeNsec = at.getNano();
        s.mtimeSec = mt.getEpochSecond(); s.mtimeNsec = mt.getNano();
        s.ctimeSec = ct.getEpochSecond(); s.ctimeNsec = ct.getNano();
        return s;
    }

    /** A synthetic inode (device node, console): fixed identity, epoch times. */
    static Stat synthetic(long dev, long ino, int mode, long rdev, int blksize) {
        Stat s = new Stat();
        s.dev = dev; s.ino = ino; s.mode = mode; s.rdev = rdev; s.nlink = 1; s.blksize = blksize;
        return s;
    }

    /** Linux new_encode_dev of (major, minor): what user space sees in st_dev/st_rdev. */
    public static long makedev(int major, int minor) {
        return (minor & 0xffL) | ((long) (major & 0xfff) << 8) | ((long) (minor & ~0xff) << 12);
    }

    public static int major(long dev) { return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL)); }

    public static int minor(long dev) { return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL)); }

    public int type() { return mode & Flags.S_IFMT; }

    public boolean isDir() { return type() == Flags.S_IFDIR; }
}
