package org.j386.kernel.fs;

/** The in-kernel character devices under /dev (memory devices, major 1). */
public enum Device {
    NULL("null", 3), ZERO("zero", 5), FULL("full", 7), RANDOM("random", 8), URANDOM("urandom", 9);

    final String name;
    final int minor;

    Device(String name, int minor) {
        this.name = name;
        this.minor = minor;
    }

    Stat stat() {
        return Stat.synthetic(Mounts.DEVFS_DEV, 100 + minor, Flags.S_IFCHR | 0666, Stat.makedev(1, minor), 4096);
    }
}
