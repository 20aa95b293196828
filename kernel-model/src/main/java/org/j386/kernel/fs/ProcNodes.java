package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The inode kinds of procfs: generated files, computed symlinks and computed directories. */
final class ProcNodes {
    private ProcNodes() {}

    /** A file whose text is generated for the reading task at open. */
    static final class File extends Inode {
        private final Function<Task, String> text;

        File(long ino, int perm, int uid, int gid, Function<Task, String> text) {
            super(Mounts.PROC_DEV, ino, Flags.S_IFREG | perm);
            this.text = text;
            this.uid = uid;
            this.gid = gid;
        }

        @Override
        OpenFile open(Task t, String path, int flags) {
            if ((flags & Flags.O_ACCMODE) != Flags.O_RDONLY || (flags & Flags.O_TRUNC) != 0) throw new SyscallException(Errno.EACCES);
            Perm.check(t, this, Perm.R);
            return new SnapshotFile(text.apply(t).getBytes(StandardCharsets.ISO_8859_1), this, path, flags);
        }
    }

    /** A symlink whose target is computed for the reading task; null means it names nothing now (ENOENT). */
    static final class Link extends Inode {
        private final Function<Task, String> target;
        private final Function<Task, Inode> jump;

        Link(long ino, int uid, int gid, Function<Task, String> target) { this(ino, uid, gid, target, null); }

        Link(long ino, int uid, int gid, Function<Task, String> target, Function<Task, Inode> jump) {
            super(Mounts.PROC_DEV, ino, Flags.S_IFLNK | 0777);
            this.target = target;
            this.jump = jump;
            this.uid = uid;
            this.gid = gid;
        }

        @Override Inode jump(Task t) { return jump == null ? null : jump.apply(t); }

        @Override
        String readlink(Task t) {
            String s = target.apply(t);
            if (s == null) throw new SyscallException(Errno.ENOENT);
            return s;
        }

        @Override long size() { return 64; }
    }

    /** A directory whose entries are computed at each lookup and listing. */
    static final class Dir extends Inode {
        private final BiFunction<Task, String, Inode> lookup;
        private final BiConsumer<Task, List<DirFile.Entry>> lister;

        Dir(long ino, int perm, int uid, int gid, BiFunction<Task, String, Inode> lookup, BiConsumer<Task, List<DirFile.Entry>> lister) {
            super(Mounts.PROC_DEV, ino, Flags.S_IFDIR | perm);
            this.lookup = lookup;
            this.lister = lister;
            this.uid = uid;
            this.gid = gid;
            this.nlink = 2;
        }

        @Override Inode lookup(Task t, String name) { return lookup.apply(t, name); }

        @Override void list(Task t, List<DirFile.Entry> out) { lister.accept(t, out); }
    }

    /**
     * What /proc/PID/fd/N opens when the descriptor's file has no path: the same pipe (a new
     * end of it), the same console, or the deleted tmpfs file itself.
     */
    static final class FdObject extends Inode {
        private final OpenFile f;

        FdObject(OpenFile f, long ino) {
            super(Mounts.PROC_DEV, ino, f.stat().mode);
            this.f = f;
        }

        @Override Stat stat() { return f.stat(); }

        @Override
        OpenFile open(Task t, String path, int flags) {
            if (f instanceof Pipe.End e) {
                int acc = flags & Flags.O_ACCMODE;
                if (acc == Flags.O_RDWR) throw new SyscallException(Errno.EACCES);
                return new Pipe.End(e.pipe(), flags & ~(Flags.O_CREAT | Flags.O_EXCL | Flags.O_TRUNC));
            }
            if (f instanceof MemFileHandle m) return m.file.open(t, m.path(), flags);
            f.get();
            return f;
        }
    }

    static DirFile.Entry entry(String name, Inode i) { return new DirFile.Entry(name, i.ino, Flags.dtype(i.mode)); }
}
