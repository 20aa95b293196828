package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.ipc.IpcExit;
import org.j386.kernel.ipc.IpcNamespace;
import org.j386.kernel.ipc.SemOps;
import org.j386.kernel.ipc.SemUndo;
import org.j386.kernel.ns.UtsNamespace;

import java.nio.charset.StandardCharsets;

/**
 * UTS and IPC namespaces: unshare, the namespace flags of clone, sethostname and
 * setdomainname. Names are byte strings (one char per byte, ISO-8859-1), as the kernel keeps them.
 * Mount, network, user, pid, cgroup and time namespaces do not exist here: asking for one is EINVAL.
 */
public final class NamespaceSyscalls {
    static final int CLONE_VM = Kernel.CLONE_VM, CLONE_FS = Kernel.CLONE_FS, CLONE_FILES = Kernel.CLONE_FILES,
            CLONE_SIGHAND = Kernel.CLONE_SIGHAND, CLONE_THREAD = Kernel.CLONE_THREAD, CLONE_SYSVSEM = Kernel.CLONE_SYSVSEM,
            CLONE_NEWUTS = Kernel.CLONE_NEWUTS, CLONE_NEWIPC = Kernel.CLONE_NEWIPC;
    /** CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWTIME (0x80, only in unshare). */
    static final int UNSUPPORTED_NS = 0x20000 | 0x02000000 | 0x10000000 | 0x20000000 | 0x40000000;
    static final int CLONE_NEWTIME = 0x80;

    private final Kernel k;

    public NamespaceSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(310, "unshare", "x", (task, a, b, c, d, e, f) -> unshare(task, a));
        t.register(74, "sethostname", "sd", (task, a, b, c, d, e, f) -> {
            task.uts.hostname = name(task, a, b);
            return 0; });
        t.register(121, "setdomainname", "sd", (task, a, b, c, d, e, f) -> {
            task.uts.domainname = name(task, a, b);
            return 0; });
    }

    /** The name a sethostname/setdomainname passes: CAP_SYS_ADMIN, at most 64 bytes, readable. */
    private static String name(Task t, int addr, int len) {
        if (t.euid != 0) throw new SyscallException(Errno.EPERM);
        if (len < 0 || len > UtsNamespace.MAX_LEN) throw new SyscallException(Errno.EINVAL);
        byte[] b = t.mem.read(addr, len);
        int n = 0;
        while (n < len && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    private int unshare(Task t, int flags) {
        if ((flags & ~(CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM
                | CLONE_NEWUTS | CLONE_NEWIPC | UNSUPPORTED_NS | CLONE_NEWTIME)) != 0) throw new SyscallException(Errno.EINVAL);
        if ((flags & (UNSUPPORTED_NS | CLONE_NEWTIME)) != 0) throw new SyscallException(Errno.EINVAL);
        if ((flags & CLONE_NEWIPC) != 0) flags |= CLONE_SYSVSEM;
        if ((flags & (CLONE_THREAD | CLONE_VM | CLONE_SIGHAND)) != 0) {
            // only a single-threaded process may "unshare" these, and then nothing changes
            for (Task o : k.tasks.values()) {
                if (o != t && !o.exited && (o.tgid == t.tgid || o.mm == t.mm)) throw new SyscallException(Errno.EINVAL);
            }
        }
        if ((flags & (CLONE_NEWUTS | CLONE_NEWIPC)) != 0 && t.euid != 0) throw new SyscallException(Errno.EPERM);
        if ((flags & CLONE_FS) != 0 && sharedFs(t)) t.fs = t.fs.copy();
        if ((flags & CLONE_FILES) != 0 && sharedFiles(t)) t.files = t.files.copy();
        if ((flags & CLONE_SYSVSEM) != 0) SemOps.exitSem(k, t);
        if ((flags & CLONE_NEWUTS) != 0) t.uts = t.uts.copy();
        if ((flags & CLONE_NEWIPC) != 0) {
            IpcNamespace old = t.ipcNs;
            t.ipcNs = new IpcNamespace(k);
            IpcExit.leave(k, t, old);
        }
        return 0;
    }

    private boolean sharedFs(Task t) {
        for (Task o : k.tasks.values()) if (o != t && !o.exited && o.fs == t.fs) return true;
        return false;
    }

    private boolean sharedFiles(Task t) {
        for (Task o : k.tasks.values()) if (o != t && !o.exited && o.files == t.files) return true;
        return false;
    }

    /** clone's namespace flags, checked before anything is created. */
    public static void checkClone(Task parent, int flags) {
        if ((flags & UNSUPPORTED_NS) != 0) throw new SyscallException(Errno.EINVAL);
        if ((flags & CLONE_NEWIPC) != 0 && (flags & CLONE_SYSVSEM) != 0) throw new SyscallException(Errno.EINVAL);
        if ((flags & (CLONE_NEWUTS | CLONE_NEWIPC)) != 0 && parent.euid != 0) throw new SyscallException(Errno.EPERM);
    }

    /** The child's namespaces and SEM_UNDO list: the parent's, new ones, or (undo without CLONE_SYSVSEM) none. */
    public static void cloneInto(Task parent, Task c, int flags) {
        c.uts = (flags & CLONE_NEWUTS) != 0 ? parent.uts.copy() : parent.uts;
        c.ipcNs = (flags & CLONE_NEWIPC) != 0 ? new IpcNamespace(parent.kernel) : parent.ipcNs;
        if ((flags & CLONE_SYSVSEM) != 0) {
            if (parent.semUndo == null) parent.semUndo = new SemUndo(parent.ipcNs);
            c.semUndo = parent.semUndo;
        }
    }
}
