package org.j386.kernel.fs;

import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.UserMemory;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A kernel, one task and the file system calls over a temporary guest root, with user memory
 * on 1 MiB of RAM with paging off (user addresses are physical). Calls return what EAX would hold.
 */
final class FsHarness {
    final Path root;
    final KernelConfig config = new KernelConfig();
    final Kernel kernel;
    final Task task;
    final SyscallTable table = new SyscallTable();
    final FileSyscalls sys;
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private int scratch = 0x10000;

    FsHarness(Path root, String stdin, boolean tty) { this(root, stdin, tty, false); }

    FsHarness(Path root, String stdin, boolean tty, boolean hostTmp) {
        this.root = root;
        config.hostTmp = hostTmp;
        config.root = root;
        config.cwd = "/";
        config.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1));
        config.stdout = stdout;
        config.stderr = stderr;
        config.stdinTty = config.stdoutTty = config.stderrTty = tty;
        config.ramBytes = 16L << 20;
        kernel = new Kernel(config);
        sys = new FileSyscalls(kernel);
        sys.register(table);
        task = new Task(kernel);
        task.mem = new UserMemory(new Mmu(new PhysicalMemory(1 << 20)), null);
        task.fs = FsContext.initial(kernel);
        task.files = FdTable.withConsole(kernel);
    }

    FsHarness(Path root) { this(root, "", false); }

    int call(int nr, int... a) {
        int[] r = new int[6];
        System.arraycopy(a, 0, r, 0, a.length);
        SyscallTable.Entry e = table.get(nr);
        if (e == null) throw new AssertionError("syscall " + nr + " not registered");
        try {
            return e.handler().call(task, r[0], r[1], r[2], r[3], r[4], r[5]);
        } catch (SyscallException ex) {
            return -ex.errno;
        }
    }

    /** A NUL-terminated guest string (bytes = chars) in scratch memory. */
    int str(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        int addr = scratch;
        task.mem.write(addr, b);
        task.mem.writeByte(addr + b.length, 0);
        scratch += (b.length + 16) & ~15;
        return addr;
    }

    /** A zeroed scratch buffer. */
    int buf(int len) {
        int addr = scratch;
        task.mem.clear(addr, len);
        scratch += (len + 15) & ~15;
        return addr;
    }

    int bytes(byte[] b) {
        int addr = buf(b.length);
        task.mem.write(addr, b);
        return addr;
    }

    String read(int addr, int len) {
        return new String(task.mem.read(addr, len), StandardCharsets.ISO_8859_1);
    }

    int open(String path, int flags, int mode) { return call(5, str(path), flags, mode); }

    int open(String path, int flags) { return open(path, flags, 0); }

    int write(int fd, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return call(4, fd, bytes(b), b.length);
    }

    /** Reads up to n bytes; the result, or "E<errno>" on failure. */
    String readFd(int fd, int n) {
        int b = buf(n);
        int r = call(3, fd, b, n);
        return r < 0 ? "E" + (-r) : read(b, r);
    }
}
