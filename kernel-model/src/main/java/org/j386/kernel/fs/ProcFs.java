package org.j386.kernel.fs;

import org.j386.kernel.Kernel;
import org.j386.kernel.Task;

import java.util.List;
import java.util.function.Function;

/**
 * /proc: one directory per process (and per thread under task/), the self and thread-self
 * links, and the system files. Every file's text is generated when it is opened
 * ({@link ProcText}); directories are computed at each lookup from the kernel's task table.
 * Inode numbers are derived from pid and entry, so they are stable while the task lives.
 */
final class ProcFs {
    private final Kernel kernel;
    private final FileSyscalls fs;
    private final ProcText text;
    private final FixedDir system;
    private final ProcNodes.Dir root;

    /** Entries of a process or thread directory, in listing order (index = inode low bits). */
    private static final String[] PID_ENTRIES = {"cmdline", "comm", "cwd", "environ", "exe", "fd", "fdinfo",
            "maps", "mounts", "root", "stat", "statm", "status", "task", "checkpointable", "cgroup"};

    ProcFs(Kernel kernel, FileSyscalls fs) {
        this.kernel = kernel;
        this.fs = fs;
        this.text = new ProcText(kernel, fs);
        this.system = new FixedDir(Mounts.PROC_DEV, 1, 0555);
        long ino = 2;
        system.put("meminfo", file(ino++, 0444, t -> text.meminfo()));
        system.put("cpuinfo", file(ino++, 0444, t -> text.cpuinfo()));
        system.put("uptime", file(ino++, 0444, t -> text.uptime()));
        system.put("loadavg", file(ino++, 0444, t -> text.loadavg()));
        system.put("stat", file(ino++, 0444, t -> text.stat()));
        system.put("version", file(ino++, 0444, t -> text.version()));
        system.put("filesystems", file(ino++, 0444, t -> text.filesystems()));
        system.put("mounts", new ProcNodes.Link(ino++, 0, 0, t -> "self/mounts"));
        system.put("self", new ProcNodes.Link(ino++, 0, 0, t -> t == null ? null : String.valueOf(t.tgid)));
        system.put("thread-self", new ProcNodes.Link(ino++, 0, 0, t -> t == null ? null : t.tgid + "/task/" + t.pid));
        FixedDir sys = new FixedDir(Mounts.PROC_DEV, ino++, 0555);
        FixedDir sysKernel = new FixedDir(Mounts.PROC_DEV, ino++, 0555);
        FixedDir sysFs = new FixedDir(Mounts.PROC_DEV, ino++, 0555);
        sys.put("kernel", sysKernel).put("fs", sysFs);
        sysKernel.put("hostname", file(ino++, 0644, t -> kernel.hostname(t) + "\n"));
        sysKernel.put("domainname", file(ino++, 0644, t -> kernel.domainname(t) + "\n"));
        sysKernel.put("osrelease", file(ino++, 0444, t -> org.j386.kernel.sys.ProcessSyscalls.RELEASE + "\n"));
        sysKernel.put("ostype", file(ino++, 0444, t -> org.j386.kernel.sys.ProcessSyscalls.SYSNAME + "\n"));
        sysKernel.put("pid_max", file(ino++, 0644, t -> "32768\n"));
        sysFs.put("pipe-max-size", file(ino++, 0644, t -> Pipe.MAX_CAPACITY + "\n"));
        system.put("sys", sys);
        for (Inode i : system.entries.values()) i.nlink = i.isDir() ? i.nlink : 1;
        root = new ProcNodes.Dir(1, 0555, 0, 0, this::lookupRoot, this::listRoot);
    }

    Inode root() { return root; }

    private static ProcNodes.File file(long ino, int perm, Function<Task, String> f) {
        return new ProcNodes.File(ino, perm, 0, 0, f);
    }

    private static int number(String name) {
        if (name.isEmpty() || name.length() > 9 || name.charAt(0) == '0') return -1;
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < '0' || name.charAt(i) > '9') return -1;
        return Integer.parseInt(name);
    }

    private Inode lookupRoot(Task reader, String name) {
        int pid = number(name);
        if (pid > 0) {
            Task p = kernel.tasks.get(pid);
            return p == null ? null : pidDir(p, false);
        }
        return system.lookup(reader, name);
    }

    private void listRoot(Task reader, List<DirFile.Entry> out) {
        for (Task p : kernel.tasks.values()) if (p.pid == p.tgid) out.add(ProcNodes.entry(String.valueOf(p.pid), pidDir(p, false)));
        system.list(reader, out);
    }

    /** /proc/PID (a process) or /proc/PID/task/TID (a thread). */
    private Inode pidDir(Task p, boolean thread) {
        long base = inoBase(p, thread);
        return new ProcNodes.Dir(base, 0555, p.uid, p.gid,
                (r, name) -> pidEntry(p, thread, name),
                (r, out) -> {
                    for (String n : PID_ENTRIES) {
                        if (thread && n.equals("task")) continue;
                        Inode i = pidEntry(p, thread, n);
                        if (i != null) out.add(ProcNodes.entry(n, i));
                    }
                });
    }

    private static long inoBase(Task p, boolean thread) { return ((long) p.pid << 16) | (thread ? 0x8000 : 0); }

    private Inode pidEntry(Task p, boolean thread, String name) {
        int idx = java.util.Arrays.asList(PID_ENTRIES).indexOf(name);
        if (idx < 0 || (thread && name.equals("task"))) return null;
        long ino = inoBase(p, thread) + 1 + idx;
        int uid = p.uid, gid = p.gid;
        return switch (name) {
            case "cmdline" -> new ProcNodes.File(ino, 0444, uid, gid, r -> text.memoryRange(p, true));
            case "environ" -> new ProcNodes.File(ino, 0400, uid, gid, r -> text.memoryRange(p, false));
            case "comm" -> new ProcNodes.File(ino, 0644, uid, gid, r -> p.comm + "\n");
            case "maps" -> new ProcNodes.File(ino, 0444, uid, gid, r -> text.maps(p));
            case "mounts" -> new ProcNodes.File(ino, 0444, uid, gid, r -> text.mounts(p));
            case "stat" -> new ProcNodes.File(ino, 0444, uid, gid, r -> text.stat(p, thread));
            case "statm" -> new ProcNodes.File(ino, 0444, uid, gid, r -> text.statm(p));
            case "status" -> new ProcNodes.File(ino, 0444, uid, gid, r -> text.status(p, r, thread));
            case "exe" -> new ProcNodes.Link(ino, uid, gid, r -> exe(p, r));
            case "cwd" -> new ProcNodes.Link(ino, uid, gid, r -> p.fs == null ? null : seenFrom(r, p.fs.cwd()));
            case "root" -> new ProcNodes.Link(ino, uid, gid, r -> p.fs == null ? null : seenFrom(r, p.fs.root()));
            case "cgroup" -> new ProcNodes.File(ino, 0444, uid, gid,
                    r -> "1:freezer:" + (p.cgroup == null ? "/" : p.cgroup.path()) + "\n");
            case "fd" -> fdDir(p, ino, false);
            case "fdinfo" -> fdDir(p, ino, true);
            case "checkpointable" -> kernel.checkpointability == null ? null
                    : new ProcNodes.File(ino, 0444, uid, gid, r -> kernel.checkpointability.report(p));
            case "task" -> new ProcNodes.Dir(ino, 0555, uid, gid, (r, n) -> {
                int tid = number(n);
                Task th = tid > 0 ? kernel.tasks.get(tid) : null;
                return th != null && th.tgid == p.tgid ? pidDir(th, true) : null;
            }, (r, out) -> {
                for (Task th : kernel.tasks.values()) if (th.tgid == p.tgid) out.add(ProcNodes.entry(String.valueOf(th.pid), pidDir(th, true)));
            });
            default -> null;
        };
    }

    private String exe(Task p, Task reader) {
        String e = p.exe;
        return e == null || e.isEmpty() || p.exited ? null : seenFrom(reader, e);
    }

    /** A canonical guest path as the reading task names it: relative to its root. */
    static String seenFrom(Task reader, String canonical) {
        if (reader == null || reader.fs == null) return canonical;
        String root = reader.fs.root();
        if (root.equals("/")) return canonical;
        if (canonical.equals(root)) return "/";
        if (canonical.startsWith(root + "/")) return canonical.substring(root.length());
        return canonical;       // outside the reader's root: Linux shows it the same way
    }

    /** /proc/PID/fd (links to what each descriptor is) or fdinfo (position, flags, mount). */
    private Inode fdDir(Task p, long ino, boolean info) {
        long base = ((long) p.pid << 16) | (info ? 0x6000 : 0x4000);
        return new ProcNodes.Dir(ino, info ? 0555 : 0500, p.uid, p.gid, (r, n) -> {
            int fd = number(n.equals("0") ? "1" : n) < 0 ? -1 : Integer.parseInt(n);
            if (fd < 0 || p.files == null || p.files.peek(fd) == null) return null;
            return fdNode(p, fd, base + (fd & 0x1fff), info);
        }, (r, out) -> {
            if (p.files == null) return;
            for (int fd = 0; fd < p.files.size(); fd++)
                if (p.files.peek(fd) != null) out.add(ProcNodes.entry(String.valueOf(fd), fdNode(p, fd, base + (fd & 0x1fff), info)));
        });
    }

    private Inode fdNode(Task p, int fd, long ino, boolean info) {
        if (info) return new ProcNodes.File(ino, 0444, p.uid, p.gid, r -> text.fdinfo(p, fd));
        Inode link = new ProcNodes.Link(ino, p.uid, p.gid, r -> {
            OpenFile f = p.files == null ? null : p.files.peek(fd);
            return f == null ? null : text.fdTarget(f, r);
        }, r -> {
            OpenFile f = p.files == null ? null : p.files.peek(fd);
            if (f == null) return null;
            boolean pathless = f.path() == null || (f instanceof MemFileHandle m && m.file.nlink == 0)
                    || f instanceof ConsoleFile || (f instanceof Pipe.End e && e.fifo == null);
            return pathless ? new ProcNodes.FdObject(f, ino) : null;
        });
        link.mode = Flags.S_IFLNK | 0700;
        return link;
    }
}
