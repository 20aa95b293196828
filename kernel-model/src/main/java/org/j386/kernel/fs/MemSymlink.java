package org.j386.kernel.fs;

import org.j386.kernel.Task;

/** A symlink in an in-kernel file system: fixed target text. */
final class MemSymlink extends Inode {
    private final String target;

    MemSymlink(long dev, long ino, String target) {
        super(dev, ino, Flags.S_IFLNK | 0777);
        this.target = target;
    }

    @Override long size() { return target.length(); }

    @Override String readlink(Task t) { return target; }
}
