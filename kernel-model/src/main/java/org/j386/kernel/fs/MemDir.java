package org.j386.kernel.fs;

import org.j386.kernel.Task;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A tmpfs directory: entries by name, in name order. */
final class MemDir extends Inode {
    /** Linux tmpfs counts 20 bytes of st_size per entry (BOGO_DIRENT_SIZE). */
    private static final int BOGO_DIRENT_SIZE = 20;
    final TmpFs fs;
    /** The directory this one is in (null for the root of the mount). */
    MemDir parent;
    private final TreeMap<String, Inode> entries = new TreeMap<>();
    /** Set by rmdir: nothing can be created in it any more. */
    boolean removed;

    MemDir(TmpFs fs, int perm, MemDir parent) {
        super(fs.dev, fs.newIno(), Flags.S_IFDIR | (perm & 07777));
        this.fs = fs;
        this.parent = parent;
        this.nlink = 2;
    }

    @Override long size() { return (entries.size() + 2L) * BOGO_DIRENT_SIZE; }

    @Override Inode lookup(Task t, String name) { return entries.get(name); }

    @Override
    void list(Task t, List<DirFile.Entry> out) {
        for (Map.Entry<String, Inode> e : entries.entrySet())
            out.add(new DirFile.Entry(e.getKey(), e.getValue().ino, Flags.dtype(e.getValue().mode)));
    }

    @Override MemDir writable() { return removed ? null : this; }

    @Override StatfsInfo statfs() { return fs.statfs(); }

    @Override
    boolean setMode(int m) {
        mode = (mode & Flags.S_IFMT) | (m & 07777);
        return true;
    }

    boolean isEmpty() { return entries.isEmpty(); }

    /** The names in this directory, in order (a copy). */
    java.util.List<String> names() { return new java.util.ArrayList<>(entries.keySet()); }

    /** Links {@code i} under {@code name} (which must be free). */
    void add(String name, Inode i) {
        entries.put(name, i);
        if (i instanceof MemDir d) {
            d.parent = this;
            nlink++;
        } else {
            i.nlink++;
            i.ctime = fs.now();
        }
        touch();
    }

    /** Unlinks {@code name}; returns the inode that was there. */
    Inode remove(String name) {
        Inode i = entries.remove(name);
        if (i instanceof MemDir d) {
            nlink--;
            d.nlink = 0;
            d.removed = true;
            fs.inodeGone();
        } else if (i != null) {
            i.nlink--;
            i.ctime = fs.now();
            if (i instanceof MemFile f) f.freeIfGone();
            else if (i.nlink == 0) fs.inodeGone();
        }
        touch();
        return i;
    }

    /** Moves an entry without changing link counts of non-directories (rename). */
    Inode detach(String name) {
        Inode i = entries.remove(name);
        if (i instanceof MemDir) nlink--;
        touch();
        return i;
    }

    void attach(String name, Inode i) {
        entries.put(name, i);
        if (i instanceof MemDir d) {
            d.parent = this;
            nlink++;
        }
        i.ctime = fs.now();
        touch();
    }

    private void touch() { mtime = ctime = fs.now(); }

    /** Whether {@code d} is this directory or below it (rename of a directory into itself). */
    boolean isAncestorOf(MemDir d) {
        for (MemDir p = d; p != null; p = p.parent) if (p == this) return true;
        return false;
    }
}
