package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Gdt;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

import java.nio.charset.StandardCharsets;

/** Process identity, exit, limits, TLS (set_thread_area), uname and friends. */
public final class ProcessSyscalls {
    public static final String SYSNAME = "Linux", RELEASE = "6.1.0-j386", VERSION = "#1 SMP PREEMPT_DYNAMIC j386", MACHINE = "i686";

    private final Kernel k;

    public ProcessSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(1, "exit", "d", (task, a, b, c, d, e, f) -> { k.exit(task, a); return 0; });
        t.register(252, "exit_group", "d", (task, a, b, c, d, e, f) -> { k.exitGroupWithCode(task, a); return 0; });
        t.register(20, "getpid", "", (task, a, b, c, d, e, f) -> task.tgid);
        t.register(224, "gettid", "", (task, a, b, c, d, e, f) -> task.pid);
        t.register(64, "getppid", "", (task, a, b, c, d, e, f) -> task.ppid);
        t.register(65, "getpgrp", "", (task, a, b, c, d, e, f) -> task.pgid);
        t.register(132, "getpgid", "d", (task, a, b, c, d, e, f) -> lookup(task, a).pgid);
        t.register(147, "getsid", "d", (task, a, b, c, d, e, f) -> lookup(task, a).sid);
        t.register(24, "getuid", "", (task, a, b, c, d, e, f) -> low16(task.uid));
        t.register(49, "geteuid", "", (task, a, b, c, d, e, f) -> low16(task.euid));
        t.register(47, "getgid", "", (task, a, b, c, d, e, f) -> low16(task.gid));
        t.register(50, "getegid", "", (task, a, b, c, d, e, f) -> low16(task.egid));
        t.register(199, "getuid32", "", (task, a, b, c, d, e, f) -> task.uid);
        t.register(201, "geteuid32", "", (task, a, b, c, d, e, f) -> task.euid);
        t.register(200, "getgid32", "", (task, a, b, c, d, e, f) -> task.gid);
        t.register(202, "getegid32", "", (task, a, b, c, d, e, f) -> task.egid);
        t.register(209, "getresuid32", "ppp", (task, a, b, c, d, e, f) -> {
            task.mem.writeInt(a, task.uid); task.mem.writeInt(b, task.euid); task.mem.writeInt(c, task.suid); return 0; });
        t.register(211, "getresgid32", "ppp", (task, a, b, c, d, e, f) -> {
            task.mem.writeInt(a, task.gid); task.mem.writeInt(b, task.egid); task.mem.writeInt(c, task.sgid); return 0; });
        t.register(205, "getgroups32", "dp", this::getgroups);
        t.register(122, "uname", "p", this::uname);
        t.register(243, "set_thread_area", "p", this::setThreadArea);
        t.register(244, "get_thread_area", "p", this::getThreadArea);
        t.register(258, "set_tid_address", "p", (task, a, b, c, d, e, f) -> { task.clearChildTid = a; return task.pid; });
        t.register(311, "set_robust_list", "pd", (task, a, b, c, d, e, f) -> {
            if (b != 12) throw new SyscallException(Errno.EINVAL);
            task.robustList = a; task.robustListLen = b; return 0; });
        t.register(312, "get_robust_list", "dpp", (task, a, b, c, d, e, f) -> {
            if (a != 0 && a != task.pid) throw new SyscallException(Errno.ESRCH);
            task.mem.writeInt(b, task.robustList); task.mem.writeInt(c, task.robustListLen); return 0; });
        t.register(76, "getrlimit", "dp", (task, a, b, c, d, e, f) -> getrlimit(task, a, b, true));
        t.register(191, "ugetrlimit", "dp", (task, a, b, c, d, e, f) -> getrlimit(task, a, b, false));
        t.register(75, "setrlimit", "dp", this::setrlimit);
        t.register(340, "prlimit64", "ddpp", this::prlimit64);
        t.register(158, "sched_yield", "", (task, a, b, c, d, e, f) -> 0);
        t.register(242, "sched_getaffinity", "ddp", (task, a, b, c, d, e, f) -> {
            if (b < 4) throw new SyscallException(Errno.EINVAL);
            task.mem.writeInt(c, 1);
            return 4; });
        t.register(136, "personality", "x", (task, a, b, c, d, e, f) -> 0);
        t.register(172, "prctl", "dxxxx", this::prctl);
        t.register(384, "arch_prctl", "dx", (task, a, b, c, d, e, f) -> -Errno.EINVAL);
        t.register(116, "sysinfo", "p", this::sysinfo);
        t.register(37, "kill", "dd", (task, a, b, c, d, e, f) -> kill(task, a, b));
        t.register(238, "tkill", "dd", (task, a, b, c, d, e, f) -> tkill(task, -1, a, b));
        t.register(270, "tgkill", "ddd", (task, a, b, c, d, e, f) -> tkill(task, a, b, c));
        t.register(57, "setpgid", "dd", this::setpgid);
        t.register(66, "setsid", "", this::setsid);
        t.register(355, "getrandom", "pdx", this::getrandom);
    }

    private static int low16(int id) { return id > 0xffff ? 65534 : id; }

    /** getpgid/getsid: a process, zombies included (as in Linux, a zombie keeps its pid, group and session until reaped). */
    private Task lookup(Task t, int pid) {
        if (pid == 0) return t;
        Task x = k.tasks.get(pid);
        if (x == null) throw new SyscallException(Errno.ESRCH);
        return x;
    }

    private int getgroups(Task t, int size, int list, int c, int d, int e, int f) {
        if (size < 0) throw new SyscallException(Errno.EINVAL);
        if (size == 0) return t.groups.length;
        if (size < t.groups.length) throw new SyscallException(Errno.EINVAL);
        for (int i = 0; i < t.groups.length; i++) t.mem.writeInt(list + 4 * i, t.groups[i]);
        return t.groups.length;
    }

    private int uname(Task t, int buf, int b, int c, int d, int e, int f) {
        String[] fields = {SYSNAME, k.hostname(t), RELEASE, VERSION, MACHINE, k.domainname(t)};
        byte[] out = new byte[6 * 65];
        for (int i = 0; i < 6; i++) {
            byte[] s = fields[i].getBytes(StandardCharsets.ISO_8859_1); // the UTS namespace's byte strings
            System.arraycopy(s, 0, out, i * 65, Math.min(64, s.length));
        }
        t.mem.write(buf, out);
        return 0;
    }

    private int setThreadArea(Task t, int uinfo, int b, int c, int d, int e, int f) {
        k.installTls(t, t.mem, uinfo);
        return 0;
    }

    private int getThreadArea(Task t, int uinfo, int b, int c, int d, int e, int f) {
        int entry = t.mem.readInt(uinfo);
        if (entry < Gdt.TLS_MIN || entry > Gdt.TLS_MAX) throw new SyscallException(Errno.EINVAL);
        int[] u = Gdt.toUserDesc(t.tls[entry - Gdt.TLS_MIN]);
        t.mem.writeInt(uinfo + 4, u[0]);
        t.mem.writeInt(uinfo + 8, u[1]);
        t.mem.writeInt(uinfo + 12, u[2]);
        return 0;
    }

    private int getrlimit(Task t, int res, int addr, boolean old) {
        if (res < 0 || res >= Task.RLIM_NLIMITS) throw new SyscallException(Errno.EINVAL);
        t.mem.writeInt(addr, clamp32(t.rlimCur[res], old));
        t.mem.writeInt(addr + 4, clamp32(t.rlimMax[res], old));
        return 0;
    }

    /** 32-bit rlim_t: infinity is ~0 (ugetrlimit) or 0x7fffffff (the old getrlimit). */
    private static int clamp32(long v, boolean old) {
        if (v == Task.RLIM_INFINITY || v > 0xffffffffL) return old ? 0x7fffffff : -1;
        return old && v > 0x7fffffff ? 0x7fffffff : (int) v;
    }

    private int setrlimit(Task t, int res, int addr, int c, int d, int e, int f) {
        if (res < 0 || res >= Task.RLIM_NLIMITS) throw new SyscallException(Errno.EINVAL);
        long cur = t.mem.readInt(addr) & 0xffffffffL, max = t.mem.readInt(addr + 4) & 0xffffffffL;
        if (cur == 0xffffffffL) cur = Task.RLIM_INFINITY;
        if (max == 0xffffffffL) max = Task.RLIM_INFINITY;
        return setLimit(t, res, cur, max);
    }

    private static int setLimit(Task t, int res, long cur, long max) {
        if (Long.compareUnsigned(cur, max) > 0) throw new SyscallException(Errno.EINVAL);
        if (Long.compareUnsigned(max, t.rlimMax[res]) > 0 && t.euid != 0) throw new SyscallException(Errno.EPERM);
        if (res == Task.RLIMIT_NOFILE && Long.compareUnsigned(max, 1 << 20) > 0) throw new SyscallException(Errno.EPERM);
        t.rlimCur[res] = cur;
        t.rlimMax[res] = max;
        if (res == Task.RLIMIT_NOFILE) t.files.setLimit((int) Math.min(cur == Task.RLIM_INFINITY ? 1 << 20 : cur, 1 << 20));
        return 0;
    }

    private int prlimit64(Task t, int pid, int res, int newAddr, int oldAddr, int e, int f) {
        if (pid != 0 && pid != t.tgid) throw new SyscallException(Errno.ESRCH);
        if (res < 0 || res >= Task.RLIM_NLIMITS) throw new SyscallException(Errno.EINVAL);
        long newCur = 0, newMax = 0;
        if (newAddr != 0) {
            newCur = t.mem.readLong(newAddr);
            newMax = t.mem.readLong(newAddr + 8);
        }
        if (oldAddr != 0) {
            t.mem.writeLong(oldAddr, t.rlimCur[res]);
            t.mem.writeLong(oldAddr + 8, t.rlimMax[res]);
        }
        if (newAddr != 0) return setLimit(t, res, newCur, newMax);
        return 0;
    }

    private int prctl(Task t, int option, int arg2, int c, int d, int e, int f) {
        switch (option) {
            case 15: { // PR_SET_NAME
                String name = t.mem.readCString(arg2, 4096);
                t.comm = name.length() > 15 ? name.substring(0, 15) : name;
                return 0;
            }
            case 16: { // PR_GET_NAME
                byte[] b = new byte[16];
                byte[] n = t.comm.getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(n, 0, b, 0, Math.min(15, n.length));
                t.mem.write(arg2, b);
                return 0;
            }
            case 1: case 2: case 3: case 4: return 0; // PDEATHSIG, DUMPABLE get/set: accepted
            default: throw new SyscallException(Errno.EINVAL);
        }
    }

    private int sysinfo(Task t, int addr, int b, int c, int d, int e, int f) {
        byte[] info = new byte[64];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, (int) (k.clock.monotonicNanos() / 1_000_000_000L));
        long total = k.ram.size(), free = (long) (k.frames.totalFrames() - k.frames.usedFrames()) * 4096;
        bb.putInt(16, (int) total);
        bb.putInt(20, (int) free);
        bb.putShort(40, (short) 1);
        bb.putInt(52, 1);  // mem_unit
        t.mem.write(addr, info);
        return 0;
    }

    /** kill: pid > 0 a process, 0 the caller's group, -1 every process but init, < -1 a group. */
    private int kill(Task t, int pid, int sig) {
        if (sig < 0 || sig > 64) throw new SyscallException(Errno.EINVAL);
        java.util.List<Task> targets = new java.util.ArrayList<>();
        for (Task x : k.tasks.values()) {
            if (x.exited || x.pid != x.tgid) continue;
            boolean match = pid > 0 ? x.tgid == pid : pid == 0 ? x.pgid == t.pgid : pid == -1 ? x.tgid != 1 && x.tgid != t.tgid : x.pgid == -pid;
            if (match) targets.add(x);
        }
        if (pid == -1 && sig != 0) targets.add(t);
        if (targets.isEmpty()) throw new SyscallException(Errno.ESRCH);
        int sent = 0;
        for (Task x : targets) {
            if (t.euid != 0 && t.uid != x.uid && t.euid != x.uid) continue;
            if (sig != 0) k.sendProcessSignal(x, org.j386.kernel.SigInfo.user(sig, org.j386.kernel.SigInfo.SI_USER, t.tgid, t.uid));
            sent++;
        }
        if (sent == 0) throw new SyscallException(Errno.EPERM);
        return 0;
    }

    /** tkill/tgkill: one thread. */
    private int tkill(Task t, int tgid, int tid, int sig) {
        if (sig < 0 || sig > 64 || tid <= 0) throw new SyscallException(Errno.EINVAL);
        Task x = k.tasks.get(tid);
        if (x == null || x.exited || (tgid > 0 && x.tgid != tgid)) throw new SyscallException(Errno.ESRCH);
        if (sig != 0) k.sendSignal(x, org.j386.kernel.SigInfo.user(sig, org.j386.kernel.SigInfo.SI_TKILL, t.tgid, t.uid));
        return 0;
    }

    private int setpgid(Task t, int pid, int pgid, int c, int d, int e, int f) {
        Task x = pid == 0 ? t : k.tasks.get(pid);
        if (x == null || (x != t && x.parent != t)) throw new SyscallException(Errno.ESRCH);
        if (pgid < 0) throw new SyscallException(Errno.EINVAL);
        if (x.sid == x.pid) throw new SyscallException(Errno.EPERM); // a session leader
        if (x.sid != t.sid) throw new SyscallException(Errno.EPERM);
        int g = pgid == 0 ? x.pid : pgid;
        if (g != x.pid) {
            boolean exists = false;
            for (Task y : k.tasks.values()) if (y.pgid == g && y.sid == t.sid) { exists = true; break; }
            if (!exists) throw new SyscallException(Errno.EPERM);
        }
        x.pgid = g;
        return 0;
    }

    private int setsid(Task t, int a, int b, int c, int d, int e, int f) {
        for (Task y : k.tasks.values()) if (y.pgid == t.pid && y != t && !y.exited) throw new SyscallException(Errno.EPERM);
        if (t.pgid == t.pid && t.sid == t.pid) throw new SyscallException(Errno.EPERM);
        t.sid = t.pgid = t.pid;
        t.ctty = null; // a new session starts without a controlling terminal
        return t.sid;
    }

    private int getrandom(Task t, int buf, int len, int flags, int d, int e, int f) {
        if ((flags & ~7) != 0) throw new SyscallException(Errno.EINVAL);
        if (len < 0) throw new SyscallException(Errno.EINVAL);
        int n = Math.min(len, 1 << 25);
        byte[] b = new byte[Math.min(n, 65536)];
        int done = 0;
        while (done < n) {
            int chunk = Math.min(b.length, n - done);
            k.random.nextBytes(b);
            t.mem.write(buf + done, b, 0, chunk);
            done += chunk;
        }
        return n;
    }

}
