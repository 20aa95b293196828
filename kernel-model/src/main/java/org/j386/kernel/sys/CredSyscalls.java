package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/**
 * Changing credentials: set*uid, set*gid (16- and 32-bit forms), setfs*id, setgroups and the
 * capability calls. The model is Linux's without file capabilities: a task whose effective uid
 * is 0 holds every capability (so CAP_SETUID, CAP_SETGID), any other holds none. Credentials
 * are per thread here, as in the kernel; the C libraries broadcast set*id to all threads.
 */
public final class CredSyscalls {
    private final Kernel k;

    public CredSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(23, "setuid", "d", (task, a, b, c, d, e, f) -> setuid(task, id16(a)));
        t.register(213, "setuid32", "d", (task, a, b, c, d, e, f) -> setuid(task, a));
        t.register(46, "setgid", "d", (task, a, b, c, d, e, f) -> setgid(task, id16(a)));
        t.register(214, "setgid32", "d", (task, a, b, c, d, e, f) -> setgid(task, a));
        t.register(70, "setreuid", "dd", (task, a, b, c, d, e, f) -> setreuid(task, id16(a), id16(b)));
        t.register(203, "setreuid32", "dd", (task, a, b, c, d, e, f) -> setreuid(task, a, b));
        t.register(71, "setregid", "dd", (task, a, b, c, d, e, f) -> setregid(task, id16(a), id16(b)));
        t.register(204, "setregid32", "dd", (task, a, b, c, d, e, f) -> setregid(task, a, b));
        t.register(164, "setresuid", "ddd", (task, a, b, c, d, e, f) -> setresuid(task, id16(a), id16(b), id16(c)));
        t.register(208, "setresuid32", "ddd", (task, a, b, c, d, e, f) -> setresuid(task, a, b, c));
        t.register(170, "setresgid", "ddd", (task, a, b, c, d, e, f) -> setresgid(task, id16(a), id16(b), id16(c)));
        t.register(210, "setresgid32", "ddd", (task, a, b, c, d, e, f) -> setresgid(task, a, b, c));
        t.register(165, "getresuid", "ppp", (task, a, b, c, d, e, f) -> {
            writeId16(task, a, task.uid); writeId16(task, b, task.euid); writeId16(task, c, task.suid); return 0; });
        t.register(171, "getresgid", "ppp", (task, a, b, c, d, e, f) -> {
            writeId16(task, a, task.gid); writeId16(task, b, task.egid); writeId16(task, c, task.sgid); return 0; });
        t.register(138, "setfsuid", "d", (task, a, b, c, d, e, f) -> setfsuid(task, id16(a)));
        t.register(215, "setfsuid32", "d", (task, a, b, c, d, e, f) -> setfsuid(task, a));
        t.register(139, "setfsgid", "d", (task, a, b, c, d, e, f) -> setfsgid(task, id16(a)));
        t.register(216, "setfsgid32", "d", (task, a, b, c, d, e, f) -> setfsgid(task, a));
        t.register(80, "getgroups", "dp", this::getgroups16);
        t.register(81, "setgroups", "dp", (task, a, b, c, d, e, f) -> setgroups(task, a, b, false));
        t.register(206, "setgroups32", "dp", (task, a, b, c, d, e, f) -> setgroups(task, a, b, true));
        t.register(184, "capget", "pp", this::capget);
        t.register(185, "capset", "pp", this::capset);
    }

    /** A 16-bit id argument: 0xffff is -1 ("unchanged"). */
    private static int id16(int v) {
        v &= 0xffff;
        return v == 0xffff ? -1 : v;
    }

    private static void writeId16(Task t, int addr, int id) {
        t.mem.writeWord(addr, id > 0xffff ? 65534 : id);
    }

    private static boolean privileged(Task t) { return t.euid == 0; }

    private static boolean oneOf(int v, int a, int b, int c) { return v == a || v == b || v == c; }

    private int setuid(Task t, int uid) {
        if (uid < 0) throw new SyscallException(Errno.EINVAL);
        if (privileged(t)) {
            t.uid = t.euid = t.suid = t.fsuid = uid;
        } else if (uid == t.uid || uid == t.suid) {
            t.euid = t.fsuid = uid;
        } else {
            throw new SyscallException(Errno.EPERM);
        }
        return 0;
    }

    private int setgid(Task t, int gid) {
        if (gid < 0) throw new SyscallException(Errno.EINVAL);
        if (privileged(t)) {
            t.gid = t.egid = t.sgid = t.fsgid = gid;
        } else if (gid == t.gid || gid == t.sgid) {
            t.egid = t.fsgid = gid;
        } else {
            throw new SyscallException(Errno.EPERM);
        }
        return 0;
    }

    private int setreuid(Task t, int ruid, int euid) {
        boolean p = privileged(t);
        if (ruid != -1 && !p && ruid != t.uid && ruid != t.euid) throw new SyscallException(Errno.EPERM);
        if (euid != -1 && !p && !oneOf(euid, t.uid, t.euid, t.suid)) throw new SyscallException(Errno.EPERM);
        int oldRuid = t.uid;
        if (ruid != -1) t.uid = ruid;
        if (euid != -1) t.euid = euid;
        if (ruid != -1 || (euid != -1 && euid != oldRuid)) t.suid = t.euid;
        t.fsuid = t.euid;
        return 0;
    }

    private int setregid(Task t, int rgid, int egid) {
        boolean p = privileged(t);
        if (rgid != -1 && !p && rgid != t.gid && rgid != t.egid) throw new SyscallException(Errno.EPERM);
        if (egid != -1 && !p && !oneOf(egid, t.gid, t.egid, t.sgid)) throw new SyscallException(Errno.EPERM);
        int oldRgid = t.gid;
        if (rgid != -1) t.gid = rgid;
        if (egid != -1) t.egid = egid;
        if (rgid != -1 || (egid != -1 && egid != oldRgid)) t.sgid = t.egid;
        t.fsgid = t.egid;
        return 0;
    }

    private int setresuid(Task t, int r, int e, int s) {
        if (!privileged(t)) {
            for (int v : new int[] {r, e, s}) {
                if (v != -1 && !oneOf(v, t.uid, t.euid, t.suid)) throw new SyscallException(Errno.EPERM);
            }
        }
        if (r != -1) t.uid = r;
        if (e != -1) t.euid = e;
        if (s != -1) t.suid = s;
        t.fsuid = t.euid;
        return 0;
    }

    private int setresgid(Task t, int r, int e, int s) {
        if (!privileged(t)) {
            for (int v : new int[] {r, e, s}) {
                if (v != -1 && !oneOf(v, t.gid, t.egid, t.sgid)) throw new SyscallException(Errno.EPERM);
            }
        }
        if (r != -1) t.gid = r;
        if (e != -1) t.egid = e;
        if (s != -1) t.sgid = s;
        t.fsgid = t.egid;
        return 0;
    }

    /** setfsuid never fails: it returns the old value, and changes it only when allowed. */
    private int setfsuid(Task t, int uid) {
        int old = t.fsuid;
        if (uid != -1 && (privileged(t) || uid == t.uid || uid == t.euid || uid == t.suid || uid == t.fsuid)) t.fsuid = uid;
        return old;
    }

    private int setfsgid(Task t, int gid) {
        int old = t.fsgid;
        if (gid != -1 && (privileged(t) || gid == t.gid || gid == t.egid || gid == t.sgid || gid == t.fsgid)) t.fsgid = gid;
        return old;
    }

    private int getgroups16(Task t, int size, int list, int c, int d, int e, int f) {
        if (size < 0) throw new SyscallException(Errno.EINVAL);
        if (size == 0) return t.groups.length;
        if (size < t.groups.length) throw new SyscallException(Errno.EINVAL);
        for (int i = 0; i < t.groups.length; i++) writeId16(t, list + 2 * i, t.groups[i]);
        return t.groups.length;
    }

    private int setgroups(Task t, int size, int list, boolean wide) {
        if (!privileged(t)) throw new SyscallException(Errno.EPERM);
        if (size < 0 || size > 65536) throw new SyscallException(Errno.EINVAL);
        int[] g = new int[size];
        for (int i = 0; i < size; i++) g[i] = wide ? t.mem.readInt(list + 4 * i) : t.mem.readWord(list + 2 * i) & 0xffff;
        java.util.Arrays.sort(g);
        t.groups = g;
        return 0;
    }

    static final int CAP_V1 = 0x19980330, CAP_V2 = 0x20071026, CAP_V3 = 0x20080522;
    /** CAP_LAST_CAP is 40 (checkpoint_restore): bits 0..31 and 0..8 of the second word. */
    static final int CAPS_LO = 0xffffffff, CAPS_HI = 0x1ff;

    private int capget(Task t, int header, int data, int c, int d, int e, int f) {
        int version = t.mem.readInt(header);
        int words = version == CAP_V1 ? 1 : version == CAP_V2 || version == CAP_V3 ? 2 : 0;
        if (words == 0) {
            t.mem.writeInt(header, CAP_V3);
            if (data != 0) throw new SyscallException(Errno.EINVAL);
            return 0; // a version probe
        }
        int pid = t.mem.readInt(header + 4);
        Task x = pid == 0 ? t : k.tasks.get(pid);
        if (pid < 0 || x == null || x.exited) throw new SyscallException(Errno.ESRCH);
        if (data == 0) return 0;
        boolean all = privileged(x);
        for (int w = 0; w < words; w++) {
            int caps = all ? (w == 0 ? CAPS_LO : CAPS_HI) : 0;
            t.mem.writeInt(data + 12 * w, caps);     // effective
            t.mem.writeInt(data + 12 * w + 4, caps); // permitted
            t.mem.writeInt(data + 12 * w + 8, 0);    // inheritable
        }
        return 0;
    }

    private int capset(Task t, int header, int data, int c, int d, int e, int f) {
        int version = t.mem.readInt(header);
        int words = version == CAP_V1 ? 1 : version == CAP_V2 || version == CAP_V3 ? 2 : 0;
        if (words == 0) {
            t.mem.writeInt(header, CAP_V3);
            throw new SyscallException(Errno.EINVAL);
        }
        int pid = t.mem.readInt(header + 4);
        if (pid != 0 && pid != t.pid) throw new SyscallException(Errno.EPERM);
        // a set of capabilities within what the task holds is accepted (and not modelled further)
        boolean all = privileged(t);
        for (int w = 0; w < words; w++) {
            int held = all ? (w == 0 ? CAPS_LO : CAPS_HI) : 0;
            int eff = t.mem.readInt(data + 12 * w), perm = t.mem.readInt(data + 12 * w + 4);
            if ((perm & ~held) != 0 || (eff & ~perm) != 0) throw new SyscallException(Errno.EPERM);
        }
        return 0;
    }
}
