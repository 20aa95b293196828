package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.Freezer;
import org.j386.kernel.FreezerCgroup;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The cgroup-v1 freezer hierarchy as a file system (mounted at /sys/fs/cgroup/freezer): one
 * directory per {@link FreezerCgroup}, made by mkdir and removed by rmdir when empty, each
 * with the files {@code tasks} (thread ids) and {@code cgroup.procs} (process ids), which
 * move a task (or a whole process) in when a pid is written, and, below the root,
 * {@code freezer.state} (THAWED, FREEZING or FROZEN; FROZEN and THAWED may be written),
 * {@code freezer.self_freezing} and {@code freezer.parent_freezing}. The state lives in the
 * kernel's {@link Freezer}, which the host's freeze and thaw drive as well.
 */
final class CgroupFs {
    private static final String[] FILES = {"cgroup.procs", "freezer.parent_freezing", "freezer.self_freezing", "freezer.state", "tasks"};

    private final Kernel kernel;

    CgroupFs(Kernel kernel) {
        this.kernel = kernel;
    }

    Inode root() { return new Dir(kernel.freezer.rootCgroup); }

    /** Inode numbers: 16 per cgroup, the directory first. */
    private static long ino(FreezerCgroup g, int entry) { return (g.id << 4) + entry; }

    /** A cgroup's directory. */
    final class Dir extends Inode {
        final FreezerCgroup g;

        Dir(FreezerCgroup g) {
            super(Mounts.CGROUP_DEV, ino(g, 0), Flags.S_IFDIR | 0755);
            this.g = g;
            this.nlink = 2 + g.children.size();
        }

        @Override
        Inode lookup(Task t, String name) {
            FreezerCgroup c = g.children.get(name);
            if (c != null) return new Dir(c);
            for (int i = 0; i < FILES.length; i++) {
                if (FILES[i].equals(name) && (g.parent != null || !name.startsWith("freezer."))) return new File(g, name, i + 1);
            }
            return null;
        }

        @Override
        void list(Task t, List<DirFile.Entry> out) {
            for (String n : FILES) {
                Inode i = lookup(t, n);
                if (i != null) out.add(ProcNodes.entry(n, i));
            }
            for (FreezerCgroup c : g.children.values()) out.add(ProcNodes.entry(c.name, new Dir(c)));
        }

        /** mkdir NAME here: a new cgroup (root only, as the directory's mode says). */
        void mkdir(Task t, String name) {
            Perm.check(t, this, Perm.W | Perm.X);
            if (g.removed) throw new SyscallException(Errno.ENOENT);
            if (lookup(t, name) != null || kernel.freezer.mkdir(g, name) == null) throw new SyscallException(Errno.EEXIST);
        }

        /** rmdir NAME here: only a cgroup without tasks and without child cgroups goes (else EBUSY). */
        void rmdir(Task t, String name) {
            Perm.check(t, this, Perm.W | Perm.X);
            FreezerCgroup c = g.children.get(name);
            if (c == null) throw new SyscallException(lookup(t, name) == null ? Errno.ENOENT : Errno.ENOTDIR);
            if (!kernel.freezer.rmdir(c)) throw new SyscallException(Errno.EBUSY);
        }
    }

    /** One control file of a cgroup. */
    private final class File extends Inode {
        private final FreezerCgroup g;
        private final String name;

        File(FreezerCgroup g, String name, int entry) {
            super(Mounts.CGROUP_DEV, ino(g, entry), Flags.S_IFREG | (name.equals("freezer.state") || !name.startsWith("freezer.") ? 0644 : 0444));
            this.g = g;
            this.name = name;
        }

        @Override
        OpenFile open(Task t, String path, int flags) {
            int acc = flags & Flags.O_ACCMODE;
            boolean write = acc != Flags.O_RDONLY;
            Perm.check(t, this, (acc != Flags.O_WRONLY ? Perm.R : 0) | (write ? Perm.W : 0));
            if (write) return new Control(this, t, path, flags);
            return new SnapshotFile(text().getBytes(StandardCharsets.ISO_8859_1), this, path, flags);
        }

        String text() {
            Freezer f = kernel.freezer;
            StringBuilder sb = new StringBuilder();
            switch (name) {
                case "tasks" -> { for (Task t : f.tasksOf(g, false)) sb.append(t.pid).append('\n'); }
                case "cgroup.procs" -> { for (Task t : f.tasksOf(g, false)) if (t.pid == t.tgid) sb.append(t.pid).append('\n'); }
                case "freezer.state" -> sb.append(f.stateOf(g)).append('\n');
                case "freezer.self_freezing" -> sb.append(g.selfFreezing() ? 1 : 0).append('\n');
                case "freezer.parent_freezing" -> sb.append(g.parentFreezing() ? 1 : 0).append('\n');
                default -> { }
            }
            return sb.toString();
        }

        /** One write: a pid to move in, or a state to enter. */
        int command(Task t, String s) {
            s = s.strip();
            Freezer f = kernel.freezer;
            switch (name) {
                case "freezer.state" -> {
                    if (s.equals("FROZEN")) f.setState(g, true);
                    else if (s.equals("THAWED")) f.setState(g, false);
                    else throw new SyscallException(Errno.EINVAL);
                }
                case "tasks", "cgroup.procs" -> {
                    if (g.removed) throw new SyscallException(Errno.ENODEV);
                    int pid;
                    try {
                        pid = Integer.parseInt(s);
                    } catch (NumberFormatException e) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    Task who = pid == 0 ? t : kernel.tasks.get(pid);
                    if (who == null || who.exited) throw new SyscallException(Errno.ESRCH);
                    // as cgroup v1: root, or the owner of the task (its uid or saved uid)
                    if (t.euid != 0 && t.euid != who.uid && t.euid != who.suid) throw new SyscallException(Errno.EACCES);
                    if (name.equals("tasks")) {
                        f.attach(who, g);
                    } else {
                        for (Task th : List.copyOf(kernel.tasks.values())) if (th.tgid == who.tgid && !th.exited) f.attach(th, g);
                    }
                }
                default -> throw new SyscallException(Errno.EINVAL);
            }
            return 0;
        }
    }

    /** A control file open for writing: each write(2) is one command, as the kernel's cgroup files take them, with the writer's credentials. */
    private final class Control extends OpenFile {
        private final File file;
        private final Task opener;
        private final String path;

        Control(File file, Task opener, String path, int flags) {
            super(flags & ~(Flags.O_CREAT | Flags.O_EXCL | Flags.O_TRUNC));
            this.file = file;
            this.opener = opener;
            this.path = path;
        }

        @Override public String path() { return path; }

        @Override public Stat stat() { return file.stat(); }

        @Override public int read(byte[] b, int off, int len) { throw new SyscallException(Errno.EBADF); }

        @Override
        public int write(byte[] b, int off, int len) {
            file.command(kernel.current != null ? kernel.current : opener, new String(b, off, len, StandardCharsets.ISO_8859_1));
            return len;
        }

        @Override public void truncate(long length) { }
    }
}
