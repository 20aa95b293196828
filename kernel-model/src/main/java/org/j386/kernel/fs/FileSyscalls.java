package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

import java.util.function.LongSupplier;

/**
 * The file system calls of the i386 syscall table. Construct one per kernel and call
 * {@link #register}; the first task gets {@link FdTable#withConsole} and {@link FsContext#initial}.
 */
public final class FileSyscalls {
    final Kernel kernel;
    final Vfs vfs;
    /** Kernel bounce buffer between user memory and files; the kernel model runs one syscall at a time. */
    final byte[] buf = new byte[64 * 1024];
    /** Wall clock for UTIME_NOW, ns since the epoch: the guest's virtual clock. */
    private LongSupplier clock;

    /** Record and flock locks of every file. */
    final FileLocks locks;
    /** Kernel-side pipes of the FIFOs on the host root. */
    final HostFifos hostFifos = new HostFifos(new TmpFs(Stat.makedev(0, 29), () -> 0L, 0));
    /** The shared pages of MAP_SHARED file mappings. */
    public final PageCache pageCache;

    /** fds 0-2 of the first task, for {@link #openConsole}. */
    private OpenFile[] consoles;

    public FileSyscalls(Kernel kernel) {
        this.kernel = kernel;
        this.vfs = new Vfs(kernel.config().root, kernel.config().randomSeed);
        this.clock = () -> kernel.clock.realtimeNanos();
        this.locks = new FileLocks(kernel);
        this.pageCache = new PageCache(kernel.ram, kernel.frames);
        Mounts m = vfs.mounts();
        m.add("/dev", "devtmpfs", "devtmpfs", "rw,nosuid,relatime,mode=755", Mounts.DEVFS_DEV, DevFs.create(kernel, vfs.random()));
        m.add("/proc", "proc", "proc", "rw,nosuid,nodev,noexec,relatime", Mounts.PROC_DEV, new ProcFs(kernel, this).root());
        // /sys holds only the way to the freezer cgroup hierarchy (see CgroupFs)
        FixedDir sys = new FixedDir(Mounts.SYSFS_DEV, 1, 0555), sysFs = new FixedDir(Mounts.SYSFS_DEV, 2, 0555);
        FixedDir cgroup = new FixedDir(Mounts.SYSFS_DEV, 3, 0755);
        sys.put("fs", sysFs.put("cgroup", cgroup.put("freezer", new FixedDir(Mounts.SYSFS_DEV, 4, 0555))));
        m.add("/sys", "sysfs", "sysfs", "rw,nosuid,nodev,noexec,relatime", Mounts.SYSFS_DEV, sys);
        m.add("/sys/fs/cgroup/freezer", "cgroup", "cgroup", "rw,nosuid,nodev,noexec,relatime,freezer", Mounts.CGROUP_DEV,
                new CgroupFs(kernel).root());
        if (!kernel.config().hostTmp) {
            TmpFs tmp = new TmpFs(m.newTmpDev(), this::nowNanos, 01777, kernel.config().ramBytes / 2);
            m.add("/tmp", "tmpfs", "tmpfs", "rw,nosuid,nodev,relatime", tmp.dev, tmp.root);
        }
    }

    /** Remembers the first task's console descriptors (see {@link FdTable#withConsole}). */
    void rememberConsoles(OpenFile[] fds) {
        if (consoles == null) consoles = fds;
    }

    /**
     * /dev/tty and /dev/console for now: another reference to the first task's console when it
     * is a terminal, ENXIO (no controlling terminal) otherwise. {@link Kernel#consoleOpen} calls this.
     */
    public OpenFile openConsole(Task t, int flags) {
        if (consoles != null) {
            for (OpenFile f : consoles) {
                if (f instanceof ConsoleFile c && c.isTty() && c.readable() && c.writable()) {
                    f.get();
                    return f;
                }
            }
        }
        throw new SyscallException(Errno.ENXIO);
    }

    public Vfs vfs() { return vfs; }

    /** Replaces the clock UTIME_NOW reads (tests). */
    public void setClock(LongSupplier nanosSinceEpoch) { this.clock = nanosSinceEpoch; }

    long nowNanos() { return clock.getAsLong(); }

    public void register(SyscallTable t) {
        new IoCalls(this).register(t);
        new FdCalls(this).register(t);
        new PipeCalls().register(t);
        new OpenCalls(this).register(t);
        new NameCalls(this).register(t);
        new AttrCalls(this).register(t);
        new StatCalls(this).register(t);
        new MiscCalls(this).register(t);
    }

    // ---- shared helpers --------------------------------------------------------------------

    /** The directory a relative path in an *at call starts from. */
    String startDir(Task t, int dirfd) {
        if (dirfd == Flags.AT_FDCWD) return t.fs.cwd();
        OpenFile f = t.files.get(dirfd);
        if (!f.isDirectory()) throw new SyscallException(Errno.ENOTDIR);
        return f.path();
    }

    Node lookup(Task t, int dirfd, String path, int mode) {
        String start = path.startsWith("/") ? null : startDir(t, dirfd);
        return vfs.resolve(t, t.fs, start, path, mode);
    }

    /** Reads a path argument and resolves it; {@code emptyOk} for AT_EMPTY_PATH (then null: use dirfd). */
    Node lookupAt(Task t, int dirfd, int pathAddr, int mode, boolean emptyOk) {
        String path = t.mem.readPath(pathAddr);
        if (path.isEmpty()) {
            if (!emptyOk) throw new SyscallException(Errno.ENOENT);
            return null;
        }
        return lookup(t, dirfd, path, mode);
    }

    /** Opens an existing file again by guest path (restart); the caller installs it and restores its position. */
    public OpenFile reopen(Task t, String guestPath, int flags) {
        int f = flags & ~(Flags.O_CREAT | Flags.O_EXCL | Flags.O_TRUNC);
        return new OpenCalls(this).openFile(t, Flags.AT_FDCWD, guestPath, f, 0);
    }

    /**
     * Restart: an end of the FIFO at {@code guestPath} (tmpfs or host) on the restored pipe
     * {@code p}, or null when the path no longer names a FIFO that can take it.
     */
    public OpenFile reopenFifo(Task t, String guestPath, Pipe p, int flags) {
        Node n;
        try {
            n = lookup(t, Flags.AT_FDCWD, guestPath, Vfs.FOLLOW);
        } catch (SyscallException e) {
            return null;
        }
        FifoInode fifo = n.inode instanceof FifoInode f ? f
                : n.inode == null && n.host != null && n.attrs != null && n.attrs.isOther()
                        && OpenCalls.hostType(n.host) == Flags.S_IFIFO ? hostFifos.at(n.host) : null;
        if (fifo == null) return null;
        OpenFile e = fifo.adopt(p, n.guestPath, flags);
        if (e != null) e.locks = locks;
        return e;
    }

    /** Restart: an open file on host file {@code host} (about to be unlinked) that reports {@code guestPath}. */
    public OpenFile openUnlinked(java.nio.file.Path host, String guestPath, int flags) {
        OpenFile f = OpenCalls.openRegular(host, guestPath, flags & ~(Flags.O_CREAT | Flags.O_EXCL | Flags.O_TRUNC), false);
        f.locks = locks;
        return f;
    }

    /** The canonical guest path {@code path} names for {@code t} (symlinks followed), or its lexical form if it does not resolve. */
    public String canonicalPath(Task t, String path) {
        try {
            return lookup(t, Flags.AT_FDCWD, path, Vfs.FOLLOW).guestPath;
        } catch (SyscallException e) {
            return Vfs.normalize(path.startsWith("/") ? path : t.fs.cwd() + "/" + path);
        }
    }

    /** What execve needs of a program path: the host file (null for a tmpfs file) and its canonical guest path. */
    public record Executable(java.nio.file.Path host, String guestPath, byte[] inKernel) {
        /** The program's bytes. */
        public byte[] read() throws java.io.IOException {
            return inKernel != null ? inKernel : java.nio.file.Files.readAllBytes(host);
        }
    }

    /** Resolves a program path for execve: it must be an existing regular file (EACCES otherwise). */
    public Executable resolveExecutable(Task t, String path) {
        Node n = lookup(t, Flags.AT_FDCWD, path, Vfs.FOLLOW);
        if (!n.exists()) throw new SyscallException(Errno.ENOENT);
        if (n.inode instanceof MemFile mf) {
            Perm.check(t, mf, Perm.X);
            if ((mf.mode & 0111) == 0) throw new SyscallException(Errno.EACCES);
            return new Executable(null, n.guestPath, mf.bytes());
        }
        if (n.inode != null || n.attrs.isDirectory() || !n.attrs.isRegularFile()) throw new SyscallException(Errno.EACCES);
        return new Executable(n.host, n.guestPath, null);
    }

    /** Linux access_ok: the whole range lies in user space. */
    static void checkUser(int addr, long len) {
        if (len > 0 && (Integer.toUnsignedLong(addr) + len > 0xC0000000L)) throw new SyscallException(Errno.EFAULT);
    }

    static long offset64(int lo, int hi) { return (lo & 0xffffffffL) | (long) hi << 32; }
}
