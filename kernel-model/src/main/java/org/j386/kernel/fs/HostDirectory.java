package org.j386.kernel.fs;

import org.j386.kernel.SyscallException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * An open host directory: the host entries sorted by (guest) name. A mount point the host
 * directory lacks (a guest root without /tmp) can be entered but is not listed, so that a
 * bare directory used as the root lists exactly what the host has. The directory is found
 * again by guest path on each listing.
 */
final class HostDirectory extends DirFile {
    private final Vfs vfs;
    private final String guestPath;
    private final Path host;

    HostDirectory(Vfs vfs, Node n, int flags) {
        super(flags);
        this.vfs = vfs;
        this.guestPath = n.guestPath;
        this.host = n.host;
    }

    @Override public String path() { return guestPath; }

    @Override public Path hostPath() { return host; }

    @Override public Stat stat() { return Stat.ofHost(host); }

    @Override public Object lockKey() { return HostFile.key(host); }

    @Override
    ArrayList<Entry> list() {
        ArrayList<Entry> out = new ArrayList<>();
        Node self;
        try {
            self = vfs.resolveCanonical(guestPath);
        } catch (SyscallException e) {
            return out;                 // removed or replaced: reads as empty, like a deleted directory
        }
        if (!self.isDir() || self.host == null || self.inode != null) return out;
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
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(self.host)) {
            for (Path p : ds) {
                String name = Names.toGuest(p.getFileName().toString());
                try {
                    Map<String, Object> a = Files.readAttributes(p, "unix:ino,mode", LinkOption.NOFOLLOW_LINKS);
                    sorted.put(name, new Entry(name, (Long) a.get("ino"), Flags.dtype((Integer) a.get("mode"))));
                } catch (IOException e) {
                    sorted.put(name, new Entry(name, 0, Flags.DT_UNKNOWN)); // vanished meanwhile
                }
            }
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
        out.addAll(sorted.values());
        return out;
    }
}
