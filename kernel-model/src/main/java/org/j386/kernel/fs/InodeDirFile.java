package org.j386.kernel.fs;

import org.j386.kernel.Task;

import java.util.ArrayList;

/** An open in-kernel directory (tmpfs, procfs, devfs). */
final class InodeDirFile extends DirFile {
    final Inode dir;
    private final String guestPath;
    private final long parentIno;
    private final Task task;

    InodeDirFile(Inode dir, String guestPath, long parentIno, Task task, int flags) {
        super(flags);
        this.dir = dir;
        this.guestPath = guestPath;
        this.parentIno = parentIno;
        this.task = task;
    }

    @Override public String path() { return guestPath; }

    @Override public Stat stat() { return dir.stat(); }

    @Override public Object lockKey() { return dir; }

    @Override public void setTimes(long atimeNs, long mtimeNs, long nowNs) { InodeTimes.set(dir, atimeNs, mtimeNs, nowNs); }

    @Override public boolean chmod(int mode) { return dir.setMode(mode); }

    @Override StatfsInfo statfs() { return dir.statfs(); }

    @Override
    ArrayList<Entry> list() {
        ArrayList<Entry> out = new ArrayList<>();
        if (dir instanceof MemDir m && m.removed) return out;      // rmdir'ed: reads as empty
        out.add(new Entry(".", dir.ino, Flags.DT_DIR));
        out.add(new Entry("..", parentIno, Flags.DT_DIR));
        dir.list(task, out);
        return out;
    }
}
