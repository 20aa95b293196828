package org.j386.kernel.sys;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.exec.ElfFormatException;
import org.j386.kernel.exec.ElfImage;
import org.j386.kernel.fs.FileSyscalls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** fork, vfork, clone (process form), execve, wait4 and waitpid. */
public final class LifecycleSyscalls {
    static final int CLONE_VM = 0x100, CLONE_THREAD = 0x10000, SIGCHLD_FLAG_MASK = 0xff;
    static final int WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8, __WALL = 0x40000000, __WCLONE = 0x80000000;

    private final Kernel k;
    private final FileSyscalls files;

    public LifecycleSyscalls(Kernel k, FileSyscalls files) {
        this.k = k;
        this.files = files;
    }

    public void register(SyscallTable t) {
        t.register(2, "fork", "", (task, a, b, c, d, e, f) -> k.fork(task).pid);
        t.register(190, "vfork", "", (task, a, b, c, d, e, f) -> k.clone(task, Kernel.CLONE_VM | Kernel.CLONE_VFORK, 0, 0, 0, 0).pid);
        t.register(120, "clone", "xppxp", this::clone);
        t.register(11, "execve", "spp", this::execve);
        t.register(114, "wait4", "dpxp", (task, a, b, c, d, e, f) -> wait(task, a, b, c, d));
        t.register(7, "waitpid", "dpx", (task, a, b, c, d, e, f) -> wait(task, a, b, c, 0));
        t.register(284, "waitid", "ddpxp", this::waitid);
    }

    private int clone(Task t, int flags, int stack, int ptid, int tls, int ctid, int unused) {
        return k.clone(t, flags & ~0xff, stack, ptid, tls, ctid).pid;
    }

    private int execve(Task t, int pathAddr, int argvAddr, int envpAddr, int d, int e, int f) {
        String path = t.mem.readPath(pathAddr);
        List<String> argv = strings(t, argvAddr);
        List<String> envp = strings(t, envpAddr);
        FileSyscalls.Executable exe = files.resolveExecutable(t, path);
        byte[] image;
        try {
            image = exe.read();
        } catch (IOException ex) {
            throw new SyscallException(Errno.EIO);
        }
        if (image.length > 2 && image[0] == '#' && image[1] == '!') return script(t, path, image, argv, envp, 0);
        ElfImage elf;
        try {
            elf = ElfImage.parse(image);
        } catch (ElfFormatException ex) {
            throw new SyscallException(Errno.ENOEXEC);
        }
        if (elf.interpreter != null) throw new SyscallException(Errno.ENOENT); // no dynamic loader in the root yet
        try {
            k.exec(t, elf, path, argv, envp);
        } catch (ElfFormatException ex) {
            throw new SyscallException(Errno.ENOEXEC);
        }
        return 0;
    }

    /** "#!interpreter [arg]": runs the interpreter with the script's path in place of argv[0]. */
    private int script(Task t, String path, byte[] image, List<String> argv, List<String> envp, int depth) {
        if (depth > 4) throw new SyscallException(Errno.ELOOP);
        int end = 2;
        while (end < image.length && end < 256 && image[end] != '\n') end++;
        String line = new String(image, 2, end - 2, StandardCharsets.ISO_8859_1).trim();
        if (line.isEmpty()) throw new SyscallException(Errno.ENOEXEC);
        String[] parts = line.split("[ \t]+", 2);
        List<String> nargv = new ArrayList<>();
        nargv.add(parts[0]);
        if (parts.length > 1) nargv.add(parts[1]);
        nargv.add(path);
        if (argv.size() > 1) nargv.addAll(argv.subList(1, argv.size()));
        FileSyscalls.Executable exe = files.resolveExecutable(t, parts[0]);
        byte[] interp;
        try {
            interp = exe.read();
        } catch (IOException ex) {
            throw new SyscallException(Errno.EIO);
        }
        if (interp.length > 2 && interp[0] == '#' && interp[1] == '!') return script(t, parts[0], interp, nargv, envp, depth + 1);
        try {
            ElfImage elf = ElfImage.parse(interp);
            if (elf.interpreter != null) throw new SyscallException(Errno.ENOENT);
            k.exec(t, elf, parts[0], nargv, envp);
        } catch (ElfFormatException ex) {
            throw new SyscallException(Errno.ENOEXEC);
        }
        return 0;
    }

    private static List<String> strings(Task t, int addr) {
        List<String> out = new ArrayList<>();
        if (addr == 0) return out;
        for (int i = 0; ; i++) {
            if (i > 65536) throw new SyscallException(Errno.E2BIG);
            int p = t.mem.readInt(addr + 4 * i);
            if (p == 0) break;
            // guest bytes to the UTF-8 strings the loader writes back byte for byte
            String latin = t.mem.readCString(p, 131072);
            out.add(new String(latin.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private int wait(Task t, int pid, int statusAddr, int options, int rusage) {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE)) != 0) throw new SyscallException(Errno.EINVAL);
        boolean any = false;
        for (Task c : t.children) {
            if (!matches(t, c, pid)) continue;
            any = true;
            if (c.state == Task.State.ZOMBIE) {
                if (statusAddr != 0) t.mem.writeInt(statusAddr, c.waitStatus);
                if (rusage != 0) t.mem.clear(rusage, 72);
                k.reap(c);
                return c.pid;
            }
            if ((options & WUNTRACED) != 0 && c.stopUnreported && c.stopped) {
                c.stopUnreported = false;
                if (statusAddr != 0) t.mem.writeInt(statusAddr, c.stopSignal << 8 | 0x7f);
                if (rusage != 0) t.mem.clear(rusage, 72);
                return c.pid;
            }
            if ((options & WCONTINUED) != 0 && c.continueUnreported) {
                c.continueUnreported = false;
                if (statusAddr != 0) t.mem.writeInt(statusAddr, 0xffff);
                if (rusage != 0) t.mem.clear(rusage, 72);
                return c.pid;
            }
        }
        if (!any) throw new SyscallException(Errno.ECHILD);
        if ((options & WNOHANG) != 0) return 0;
        throw new BlockedException(t.childExit);
    }

    static final int P_ALL = 0, P_PID = 1, P_PGID = 2, WSTOPPED = 2, WEXITED = 4, WNOWAIT = 0x01000000;

    /** waitid: the event as a siginfo (CLD_EXITED, KILLED, DUMPED, STOPPED, CONTINUED); WNOWAIT leaves it to be waited for again. */
    private int waitid(Task t, int idtype, int id, int infop, int options, int rusage, int f) {
        if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WALL | __WCLONE)) != 0
                || (options & (WSTOPPED | WEXITED | WCONTINUED)) == 0) throw new SyscallException(Errno.EINVAL);
        int pid = switch (idtype) {
            case P_ALL -> -1;
            case P_PID -> {
                if (id <= 0) throw new SyscallException(Errno.EINVAL);
                yield id;
            }
            case P_PGID -> {
                if (id < 0) throw new SyscallException(Errno.EINVAL);
                yield id == 0 ? 0 : -id;
            }
            default -> throw new SyscallException(Errno.EINVAL);
        };
        boolean keep = (options & WNOWAIT) != 0;
        boolean any = false;
        for (Task c : new ArrayList<>(t.children)) {
            if (!matches(t, c, pid)) continue;
            any = true;
            int code, status;
            if (c.state == Task.State.ZOMBIE && (options & WEXITED) != 0) {
                int sig = c.waitStatus & 0x7f;
                code = sig == 0 ? org.j386.kernel.SigInfo.CLD_EXITED
                        : (c.waitStatus & 0x80) != 0 ? org.j386.kernel.SigInfo.CLD_DUMPED : org.j386.kernel.SigInfo.CLD_KILLED;
                status = sig == 0 ? (c.waitStatus >> 8) & 0xff : sig;
                if (!keep) k.reap(c);
            } else if ((options & WSTOPPED) != 0 && c.stopUnreported && c.stopped) {
                code = org.j386.kernel.SigInfo.CLD_STOPPED;
                status = c.stopSignal;
                if (!keep) c.stopUnreported = false;
            } else if ((options & WCONTINUED) != 0 && c.continueUnreported) {
                code = org.j386.kernel.SigInfo.CLD_CONTINUED;
                status = org.j386.kernel.Signals.SIGCONT;
                if (!keep) c.continueUnreported = false;
            } else {
                continue;
            }
            if (infop != 0) t.mem.write(infop, org.j386.kernel.SigInfo.child(code, c.tgid, c.uid, status).encode());
            if (rusage != 0) t.mem.clear(rusage, 72);
            return 0;
        }
        if (!any) throw new SyscallException(Errno.ECHILD);
        if ((options & WNOHANG) != 0) {
            if (infop != 0) t.mem.clear(infop, 128); // si_pid 0: nothing waited for
            return 0;
        }
        throw new BlockedException(t.childExit);
    }

    private static boolean matches(Task parent, Task c, int pid) {
        if (pid > 0) return c.pid == pid;
        if (pid == -1) return true;
        if (pid == 0) return c.pgid == parent.pgid;
        return c.pgid == -pid;
    }
}
