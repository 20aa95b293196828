package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.SyscallException;

import java.util.Arrays;

/**
 * A task's file descriptors (Linux struct files_struct): open files by number, lowest free
 * number first, with a close-on-exec flag per descriptor.
 */
public final class FdTable {
    /** RLIMIT_NOFILE soft default. */
    public static final int DEFAULT_LIMIT = 1024;

    private OpenFile[] files = new OpenFile[32];
    private boolean[] cloexec = new boolean[32];
    private int limit = DEFAULT_LIMIT;

    public FdTable() {}

    /** The first task's table: fds 0, 1, 2 on the host's stdin, stdout and stderr. */
    public static FdTable withConsole(Kernel k) {
        KernelConfig c = k.config();
        FdTable t = new FdTable();
        if (k.console != null) {
            for (int fd = 0; fd < 3; fd++) t.install(fd, new ConsoleFile(k.console, fd), false);
            return t;
        }
        // On a terminal the three descriptors are one tty open read-write, as login sets them up.
        Termios tty = c.stdinTty || c.stdoutTty || c.stderrTty ? new Termios() : null;
        t.install(0, new ConsoleFile(c.stdin, c.stdinTty ? c.stdout : null, c.stdinTty ? tty : null, 0), false);
        t.install(1, new ConsoleFile(c.stdoutTty ? c.stdin : null, c.stdout, c.stdoutTty ? tty : null, 1), false);
        t.install(2, new ConsoleFile(c.stderrTty ? c.stdin : null, c.stderr, c.stderrTty ? tty : null, 2), false);
        if (k.files() != null) k.files().rememberConsoles(new OpenFile[] {t.files[0], t.files[1], t.files[2]});
        return t;
    }

    public int limit() { return limit; }

    /** setrlimit(RLIMIT_NOFILE): open descriptors above the new limit stay open, as in Linux. */
    public void setLimit(int limit) { this.limit = Math.max(0, limit); }

    /** The open file of {@code fd}; EBADF when it is not open. */
    public OpenFile get(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) throw new SyscallException(Errno.EBADF);
        return files[fd];
    }

    /** Null when not open. */
    public OpenFile peek(int fd) {
        return fd < 0 || fd >= files.length ? null : files[fd];
    }

    public boolean isOpen(int fd) { return peek(fd) != null; }

    public boolean closeOnExec(int fd) {
        get(fd);
        return cloexec[fd];
    }

    public void setCloseOnExec(int fd, boolean on) {
        get(fd);
        cloexec[fd] = on;
    }

    /** Installs a new reference at the lowest free descriptor ≥ {@code min}; EMFILE if none. Takes over the caller's reference. */
    public int allocate(OpenFile f, int min, boolean closeOnExec) {
        int fd = lowestFree(min);
        if (fd < 0) {
            f.put();
            throw new SyscallException(Errno.EMFILE);
        }
        install(fd, f, closeOnExec);
        return fd;
    }

    public int allocate(OpenFile f, boolean closeOnExec) { return allocate(f, 0, closeOnExec); }

    private int lowestFree(int min) {
        for (int fd = Math.max(0, min); fd < limit; fd++)
            if (fd >= files.length || files[fd] == null) return fd;
        return -1;
    }

    /** Puts {@code f} (whose reference is taken over) at {@code fd}, closing what was there. */
    public void install(int fd, OpenFile f, boolean closeOnExec) {
        if (fd >= files.length) {
            int n = Math.max(files.length * 2, fd + 1);
            files = Arrays.copyOf(files, n);
            cloexec = Arrays.copyOf(cloexec, n);
        }
        OpenFile old = files[fd];
        files[fd] = f;
        cloexec[fd] = closeOnExec;
        if (old != null) {
            old.descriptorClosed();
            old.put();
        }
    }

    /** dup / F_DUPFD: the lowest free descriptor ≥ {@code min} on the same open file. */
    public int dup(int fd, int min, boolean closeOnExec) {
        OpenFile f = get(fd);
        if (min < 0 || min >= limit) throw new SyscallException(Errno.EINVAL);
        f.get();
        return allocate(f, min, closeOnExec);
    }

    /** dup2 / dup3 semantics once the argument checks are done: {@code newFd} refers to {@code oldFd}'s file. */
    public int dupTo(int oldFd, int newFd, boolean closeOnExec) {
        OpenFile f = get(oldFd);
        if (newFd < 0 || newFd >= limit) throw new SyscallException(Errno.EBADF);
        f.get();
        install(newFd, f, closeOnExec);
        return newFd;
    }

    public void close(int fd) {
        OpenFile f = get(fd);
        files[fd] = null;
        cloexec[fd] = false;
        f.descriptorClosed();
        f.put();
    }

    /** close_range: closes (or marks close-on-exec) the open descriptors in [first, last]. */
    public void closeRange(int first, int last, boolean onlyCloexec) {
        int end = (int) Math.min(Integer.toUnsignedLong(last), files.length - 1L);
        for (int fd = first; fd >= 0 && fd <= end; fd++) {
            if (files[fd] == null) continue;
            if (onlyCloexec) cloexec[fd] = true;
            else close(fd);
        }
    }

    /** At execve. */
    public void closeOnExec() {
        for (int fd = 0; fd < files.length; fd++) if (files[fd] != null && cloexec[fd]) close(fd);
    }

    /** At exit (last user of the table). */
    public void closeAll() {
        for (int fd = 0; fd < files.length; fd++) if (files[fd] != null) close(fd);
    }

    /** For fork without CLONE_FILES: same open files, one more reference each. */
    public FdTable copy() {
        FdTable t = new FdTable();
        t.files = files.clone();
        t.cloexec = cloexec.clone();
        t.limit = limit;
        for (OpenFile f : t.files) if (f != null) f.get();
        return t;
    }

    /** Highest open descriptor + 1 (for iteration, e.g. by the checkpointer). */
    public int size() {
        for (int fd = files.length - 1; fd >= 0; fd--) if (files[fd] != null) return fd + 1;
        return 0;
    }
}
