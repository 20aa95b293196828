package org.j386.kernel;

import java.util.TreeMap;

/**
 * One cgroup of the freezer hierarchy (cgroup v1's freezer controller, seen in the guest at
 * /sys/fs/cgroup/freezer). Every task is in exactly one cgroup ({@link Task#cgroup}, null for
 * the root); a child of fork is in its parent's. A cgroup is frozen when it or an ancestor
 * was asked to be ({@link #selfFreezing}, the file freezer.state); its tasks are then frozen
 * by the same {@link Freezer} the host's freeze command uses, so both views agree.
 */
public final class FreezerCgroup {
    public final String name;
    public final FreezerCgroup parent;
    public final TreeMap<String, FreezerCgroup> children = new TreeMap<>();
    /** Stable number of the cgroup (its directory's inode number). */
    public final long id;
    /** FROZEN was written to this cgroup's freezer.state (and THAWED since was not). */
    boolean selfFreezing;
    /** rmdir'ed: nothing can join it any more. */
    public boolean removed;

    FreezerCgroup(String name, FreezerCgroup parent, long id) {
        this.name = name;
        this.parent = parent;
        this.id = id;
    }

    public boolean selfFreezing() { return selfFreezing; }

    /** Frozen because an ancestor is (freezer.parent_freezing). */
    public boolean parentFreezing() {
        for (FreezerCgroup g = parent; g != null; g = g.parent) if (g.selfFreezing) return true;
        return false;
    }

    /** Whether tasks of this cgroup are to be frozen: this cgroup or an ancestor is. */
    public boolean freezing() { return selfFreezing || parentFreezing(); }

    /** Whether {@code g} is this cgroup or lies below it. */
    public boolean contains(FreezerCgroup g) {
        for (; g != null; g = g.parent) if (g == this) return true;
        return false;
    }

    /** The path inside the hierarchy: "/" for the root, "/a/b" below it (/proc/PID/cgroup). */
    public String path() {
        if (parent == null) return "/";
        String p = parent.path();
        return (p.equals("/") ? "" : p) + "/" + name;
    }
}
