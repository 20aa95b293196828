package org.j386.kernel.fs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The mount table: file systems by canonical guest mount point. One per kernel for now; it is
 * an object of its own so that a mount namespace can later hold a copy.
 */
public final class Mounts {
    /** st_dev of the in-kernel file systems (anonymous devices, major 0, as Linux gives them). */
    static final long DEVFS_DEV = Stat.makedev(0, 5), PROC_DEV = Stat.makedev(0, 21);
    static final long SYSFS_DEV = Stat.makedev(0, 22), CGROUP_DEV = Stat.makedev(0, 23);
    static final int PROC_SUPER_MAGIC = 0x9fa0, SYSFS_MAGIC = 0x62656572, CGROUP_SUPER_MAGIC = 0x27e0eb;
    private int nextTmpMinor = 30;

    private final ArrayList<Mount> list = new ArrayList<>();
    private final HashMap<String, Mount> byPath = new HashMap<>();
    private int nextId = 21;

    /** A fresh anonymous device number for a new tmpfs of this table (the same in every run). */
    long newTmpDev() { return Stat.makedev(0, nextTmpMinor++); }

    /** The statfs f_type of an in-kernel file system, by its st_dev. */
    static int magicOf(long dev) {
        if (dev == SYSFS_DEV) return SYSFS_MAGIC;
        if (dev == CGROUP_DEV) return CGROUP_SUPER_MAGIC;
        return dev == PROC_DEV ? PROC_SUPER_MAGIC : StatfsInfo.TMPFS_MAGIC;
    }

    Mount add(String path, String type, String source, String options, long dev, Inode root) {
        Mount m = new Mount(nextId++, Vfs.normalize(path), type, source, options, dev, root);
        Mount old = byPath.put(m.path, m);
        if (old != null) list.remove(old);
        list.add(m);
        return m;
    }

    /** The file system mounted exactly at {@code path}, or null. */
    Mount at(String path) { return byPath.get(path); }

    /** The mount a canonical guest path lies in (the longest mount point that is a prefix). */
    public Mount containing(String path) {
        Mount best = null;
        for (Mount m : list) {
            boolean in = m.path.equals("/") || path.equals(m.path) || path.startsWith(m.path + "/");
            if (in && (best == null || m.path.length() > best.path.length())) best = m;
        }
        return best;
    }

    /** The mount whose in-kernel file system has st_dev {@code dev}, or null (host). */
    Mount byDev(long dev) {
        for (Mount m : list) if (m.root != null && m.dev == dev) return m;
        return null;
    }

    public List<Mount> list() { return List.copyOf(list); }
}
