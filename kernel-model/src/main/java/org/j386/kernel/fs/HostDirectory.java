package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * An open directory. Entries are ".", "..", then the host entries sorted by (guest) name; the
 * file position is an index into that list and is also the d_off cookie, so lseek(fd, 0,
 * SEEK_SET) rewinds and re-reads. In /dev the in-kernel devices are listed too.
 */
final class HostDirectory extends OpenFile {
    /** One directory entry as getdents reports it. */
    record Entry(String name, long ino, int type) {}

    private final Vfs vfs;
    private final String guestPath;
    private final Path host;
    private final boolean virtual;
    private ArrayList<Entry> entries;

    HostDirectory(Vfs vfs, Node n, int flags) {
        super(flags);
        this.vfs = vfs;
        this.guestPath = n.guestPath;
        this.host = n.host;
        this.virtual = n.virtualDir;
    }

    @Override public String path() { return guestPath; }

    @Override public Path hostPath() { return virtual ? null : host; }

    @Override public boolean isDirectory() { return true; }

    @Override public int read(byte[] b, int off, int len) { throw new SyscallException(Errno.EISDIR); }

    @Override public int pread(byte[] b, int off, int len, long at) { throw new SyscallException(Errno.EISDIR); }

    @Override public int write(byte[] b, int off, int len) { throw new SyscallException(Errno.EISDIR); }

    @Override public void sync() {}

    @Override
    public long seek(long offset, int whence) {
        long r = switch (whence) {
            case Flags.SEEK_SET -> offset;
            case Flags.SEEK_CUR -> pos + offset;
            default -> throw new SyscallException(Errno.EINVAL);
        };
        if (r < 0) throw new SyscallException(Errno.EINVAL);
        pos = r;
        return r;
    }

    @Override
    public Stat stat() {
        if (virtual) return Stat.synthetic(Device.DEVTMPFS_DEV, 1, Flags.S_IFDIR | 0755, 0, 4096);
        return Stat.ofHost(host);
    }

    /** The entry at the file position, or null at the end; a read from position 0 re-lists the directory. */
    Entry entry(long index) {
        if (entries == null || index == 0) entries = list();
        return index < entries.size() ? entries.get((int) index) : null;
    }

    void setPosition(long p) { pos = p; }

    private ArrayList<Entry> list() {
        ArrayList<Entry> out = new ArrayList<>();
        Node self;
        try {
            self = vfs.resolveCanonical(guestPath);
        } catch (SyscallException e) {
            return out;                 // removed or replaced: reads as empty, like a deleted directory
        }
        if (!self.isDir()) return out;
        Stat me = self.stat();
        out.add(new Entry(".", me.ino, Flags.DT_DIR));
        long parentIno = me.ino;
        if (!guestPath.equals("/")) {
            try {
                parentIno = vfs.resolveCanonical(self.parentGuestPath()).stat().ino;
            } catch (SyscallException ignored) {
                // keep our own inode number
            }
        }
        out.add(new Entry("..", parentIno, Flags.DT_DIR));
        TreeMap<String, Entry> sorted = new TreeMap<>();
        if (!self.virtualDir) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(self.host)) {
                for (Path p : ds) {
                    String name = Names.toGuest(p.getFileName().toString());
                    try {
                        Map<String, Object> a = Files.readAttributes(p, "unix:ino,mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        sorted.put(name, new Entry(name, (Long) a.get("ino"), Flags.dtype((Integer) a.get("mode"))));
                    } catch (IOException e) {
                        sorted.put(name, new Entry(name, 0, Flags.DT_UNKNOWN)); // vanished meanwhile
                    }
                }
            } catch (IOException e) {
                throw HostErrors.of(e);
            }
        }
        if (guestPath.equals("/dev"))
            for (Device d : Device.values()) sorted.put(d.name, new Entry(d.name, d.stat().ino, Flags.DT_CHR));
        out.addAll(sorted.values());
        return out;
    }
}
