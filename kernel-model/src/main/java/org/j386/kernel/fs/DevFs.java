package org.j386.kernel.fs;

import org.j386.kernel.Kernel;
import org.j386.kernel.Task;

/**
 * /dev: the memory devices (null, zero, full, random, urandom), the controlling terminal
 * (tty, console: opened through {@link Kernel#consoleOpen}), and the usual links stdin,
 * stdout, stderr and fd into /proc/self/fd. Read-only.
 */
final class DevFs {
    private DevFs() {}

    static FixedDir create(Kernel kernel, DeviceRandom random) {
        long dev = Mounts.DEVFS_DEV;
        FixedDir root = new FixedDir(dev, 1, 0755);
        for (Device d : Device.values()) root.put(d.name, new DeviceInode(d, random));
        root.put("tty", new TtyInode(kernel, 10, Stat.makedev(5, 0), 0666));
        root.put("console", new TtyInode(kernel, 11, Stat.makedev(5, 1), 0600));
        root.put("fd", new MemSymlink(dev, 20, "/proc/self/fd"));
        root.put("stdin", new MemSymlink(dev, 21, "/proc/self/fd/0"));
        root.put("stdout", new MemSymlink(dev, 22, "/proc/self/fd/1"));
        root.put("stderr", new MemSymlink(dev, 23, "/proc/self/fd/2"));
        return root;
    }

    /** A memory device node. */
    static final class DeviceInode extends Inode {
        private final Device d;
        private final DeviceRandom random;

        DeviceInode(Device d, DeviceRandom random) {
            super(Mounts.DEVFS_DEV, 100 + d.minor, Flags.S_IFCHR | 0666);
            this.d = d;
            this.random = random;
        }

        @Override long rdev() { return Stat.makedev(1, d.minor); }

        @Override OpenFile open(Task t, String path, int flags) { return new DeviceFile(d, random, flags); }
    }

    /** /dev/tty and /dev/console: the task's controlling terminal. */
    static final class TtyInode extends Inode {
        private final Kernel kernel;
        private final long rdev;

        TtyInode(Kernel kernel, long ino, long rdev, int perm) {
            super(Mounts.DEVFS_DEV, ino, Flags.S_IFCHR | perm);
            this.kernel = kernel;
            this.rdev = rdev;
        }

        @Override long rdev() { return rdev; }

        @Override OpenFile open(Task t, String path, int flags) { return kernel.consoleOpen(t, flags); }
    }
}
