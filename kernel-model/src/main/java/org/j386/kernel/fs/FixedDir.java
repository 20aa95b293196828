package org.j386.kernel.fs;

import org.j386.kernel.Task;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A read-only in-kernel directory with a fixed set of entries (devfs, procfs's static parts). */
class FixedDir extends Inode {
    final TreeMap<String, Inode> entries = new TreeMap<>();

    FixedDir(long dev, long ino, int perm) {
        super(dev, ino, Flags.S_IFDIR | perm);
        nlink = 2;
    }

    FixedDir put(String name, Inode i) {
        entries.put(name, i);
        if (i.isDir()) nlink++;
        return this;
    }

    @Override Inode lookup(Task t, String name) { return entries.get(name); }

    @Override
    void list(Task t, List<DirFile.Entry> out) {
        for (Map.Entry<String, Inode> e : entries.entrySet())
            out.add(new DirFile.Entry(e.getKey(), e.getValue().ino, Flags.dtype(e.getValue().mode)));
    }
}
