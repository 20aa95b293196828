package org.j386.checkpoint;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.fs.OpenFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The guest's checkpoint and restart system calls, with the Linux-CR signatures
 * {@code checkpoint(pid, fd, flags, logfd)} and {@code restart(pid, fd, flags, logfd)}.
 * The Linux-CR numbers (347-349 in the series) now belong to process_vm_readv and friends,
 * so j386 uses 500 and 501 (tests/guest/include/j386.h). A successful checkpoint returns a
 * positive checkpoint id to the caller; the same call returns 0 in the restarted task.
 */
public final class CheckpointSyscalls {
    public static final int NR_CHECKPOINT = 500, NR_RESTART = 501;
    public static final int CHECKPOINT_SUBTREE = 0x1;
    public static final int RESTART_TASKSELF = 0x1, RESTART_FROZEN = 0x2, RESTART_GHOST = 0x4;

    private final Kernel k;
    private int nextCrid = 1;

    private CheckpointSyscalls(Kernel k) {
        this.k = k;
    }

    /**
     * The numbers the calls had in the Linux-CR series on i386 (checkpoint 347, restart 348;
     * Linux later gave them to process_vm_readv and process_vm_writev, which j386 does not
     * implement). A machine started with {@code run --linux-cr-numbers} answers them too, for
     * programs built against the series' headers.
     */
    public static final int NR_CHECKPOINT_LINUX_CR = 347, NR_RESTART_LINUX_CR = 348;

    /** Registers the calls in a machine's system call table (the upper layer plugs into the kernel). */
    public static void install(Kernel k) {
        install(k, false);
    }

    /** @param historical also answer the Linux-CR series' numbers */
    public static void install(Kernel k, boolean historical) {
        CheckpointSyscalls c = new CheckpointSyscalls(k);
        k.checkpointability = new org.j386.kernel.Checkpointability() {
            @Override public String report(Task t) { return new Checkpointer(k).report(t); }
            @Override public String fileReason(OpenFile f) { return Checkpointer.fileReason(f); }
        };
        k.syscalls.register(NR_CHECKPOINT, "checkpoint", "ddxd", c::checkpoint);
        k.syscalls.register(NR_RESTART, "restart", "ddxd", c::restart);
        if (historical) {
            k.syscalls.register(NR_CHECKPOINT_LINUX_CR, "checkpoint", "ddxd", c::checkpoint);
            k.syscalls.register(NR_RESTART_LINUX_CR, "restart", "ddxd", c::restart);
        }
    }

    private int checkpoint(Task t, int pid, int fd, int flags, int logfd, int e, int f) {
        if ((flags & ~CHECKPOINT_SUBTREE) != 0) throw new SyscallException(Errno.EINVAL);
        OpenFile out = t.files.get(fd);
        if (!out.writable()) throw new SyscallException(Errno.EBADF);
        OpenFile log = logfd >= 0 ? t.files.get(logfd) : null;
        if (pid != 0 && pid != t.pid) return external(t, pid, out, (flags & CHECKPOINT_SUBTREE) != 0, log);
        Checkpointer c = new Checkpointer(k);
        String why = c.refusal(t);
        try {
            c.write(t, new FileStream(out), out);
        } catch (IOException ex) {
            log(log, "checkpoint: write failed: " + ex.getMessage());
            throw new SyscallException(Errno.EIO);
        } catch (SyscallException ex) {
            log(log, "checkpoint: refused: " + why);
            throw ex;
        }
        int crid = nextCrid++;
        log(log, "checkpoint " + crid + ": pid " + t.pid + " written");
        return crid;
    }

    /** checkpoint(2) of another, frozen process or subtree (see {@link ExternalCheckpoint}). */
    private int external(Task t, int pid, OpenFile out, boolean subtree, OpenFile log) {
        FileStream stream = new FileStream(out);
        try {
            java.util.List<Task> set;
            try {
                set = ExternalCheckpoint.select(k, t, pid, subtree);
            } catch (ExternalCheckpoint.Refused r) {
                log(log, "checkpoint: refused: " + r.getMessage());
                ExternalCheckpoint.refuse(stream, r.getMessage());
                throw new SyscallException(r.errno);
            }
            ExternalCheckpoint.write(k, set, stream);
            int crid = nextCrid++;
            log(log, "checkpoint " + crid + ": " + set.size() + " task(s) of pid " + pid + " written");
            return crid;
        } catch (IOException ex) {
            log(log, "checkpoint: write failed: " + ex.getMessage());
            throw new SyscallException(Errno.EIO);
        }
    }

    /**
     * restart(pid, fd, flags, logfd): the caller becomes the root task of the image read from
     * fd; the other tasks of a tree image are recreated around it ({@link TreeRestart}).
     * RESTART_TASKSELF asks for a one-task image. The image is read and validated completely,
     * and every pid checked, first: on any error the caller gets the errno and is untouched.
     * On success the call does not return: the restored task continues from its checkpoint.
     * With RESTART_FROZEN every restored task is left frozen.
     */
    private int restart(Task t, int pid, int fd, int flags, int logfd, int e, int f) {
        if ((flags & ~(RESTART_TASKSELF | RESTART_FROZEN | RESTART_GHOST)) != 0) throw new SyscallException(Errno.EINVAL);
        if ((flags & RESTART_GHOST) != 0) throw new SyscallException(Errno.ENOSYS);
        if (pid != 0 && pid != t.pid) throw new SyscallException(Errno.ESRCH);
        OpenFile in = t.files.get(fd);
        if (!in.readable()) throw new SyscallException(Errno.EBADF);
        OpenFile log = logfd >= 0 ? t.files.get(logfd) : null;
        if (k.tasks.values().stream().anyMatch(o -> o != t && o.tgid == t.tgid)) {
            log(log, "restart: the caller has other threads");
            throw new SyscallException(Errno.EBUSY);
        }
        ImageData img;
        try {
            img = ImageReader.read(new java.io.BufferedInputStream(new FileInput(in)));
        } catch (ImageException ex) {
            log(log, "restart: " + ex.getMessage());
            throw new SyscallException(Errno.EINVAL);
        } catch (IOException ex) {
            log(log, "restart: " + ex.getMessage());
            throw new SyscallException(Errno.EIO);
        }
        boolean tree = img.tasks.size() > 1;
        try (img) { // its pages are copied into guest memory; the off-heap arrays go on every path
            if (tree && (flags & RESTART_TASKSELF) != 0) {
                log(log, "restart: the image holds " + img.tasks.size() + " tasks; RESTART_TASKSELF restarts one");
                throw new SyscallException(Errno.EINVAL);
            }
            if (tree) {
                String why = TreeRestart.refusal(k, t, img);
                if (why != null) {
                    log(log, "restart: refused: " + why);
                    throw new SyscallException(Errno.EBUSY);
                }
            }
            try {
                Restorer.preflight(img, k.config().root);
            } catch (Restorer.RestoreException ex) {
                log(log, "restart: refused: " + ex.getMessage());
                throw new SyscallException(Errno.EINVAL);
            }
            if (log != null) log.get(); // the caller's descriptors close: the log line after success still goes to its old logfd
            try {
                if (tree) TreeRestart.restore(k, t, img, (flags & RESTART_FROZEN) != 0);
                else {
                    Restorer.restoreInto(k, t, img);
                    if ((flags & RESTART_FROZEN) != 0) k.freezer.freeze(java.util.List.of(t));
                }
            } catch (Restorer.RestoreException ex) {
                // the old image is gone at this point: the task cannot go on
                log(log, "restart: " + ex.getMessage());
                k.killBySignal(t, org.j386.kernel.Signals.SIGKILL);
                if (log != null) log.put();
                return 0;
            }
        }
        log(log, "restart: pid " + t.pid + " restored" + (tree ? " with " + (img.tasks.size() - 1) + " more task(s)" : "")
                + ((flags & RESTART_FROZEN) != 0 ? ", frozen" : ""));
        if (log != null) log.put();
        return k.cpu.r[org.j386.cpu.CpuState.EAX]; // the restored task's EAX, so the dispatcher leaves it unchanged
    }

    /** An InputStream over a guest open file. */
    private static final class FileInput extends java.io.InputStream {
        private final OpenFile f;

        FileInput(OpenFile f) {
            this.f = f;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            try {
                int n = f.read(b, off, len);
                return n == 0 ? -1 : n;
            } catch (SyscallException e) {
                throw new IOException(e.getMessage());
            }
        }
    }

    private static void log(OpenFile log, String line) {
        if (log == null) return;
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            log.write(b, 0, b.length);
        } catch (SyscallException ignored) {
            // the log is best effort
        }
    }

    /** An OutputStream over a guest open file. */
    private static final class FileStream extends OutputStream {
        private final OpenFile f;

        FileStream(OpenFile f) {
            this.f = f;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n;
                try {
                    n = f.write(b, off, len);
                } catch (SyscallException e) {
                    throw new IOException(e.getMessage());
                }
                if (n <= 0) throw new IOException("short write");
                off += n;
                len -= n;
            }
        }
    }
}
