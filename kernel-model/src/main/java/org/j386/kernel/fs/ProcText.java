package org.j386.kernel.fs;

import org.j386.cpu.CpuTwoByte;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.mm.Vma;
import org.j386.kernel.sys.ProcessSyscalls;


/** The text of the procfs files, in the formats Linux 6.1 prints them (fs/proc/array.c, task_mmu.c, meminfo.c...). */
final class ProcText {
    /** USER_HZ: the unit of the clock-tick fields. */
    private static final long TICK_NS = 10_000_000L;
    private final Kernel kernel;
    private final FileSyscalls fs;

    ProcText(Kernel kernel, FileSyscalls fs) {
        this.kernel = kernel;
        this.fs = fs;
    }

    // ---- per process ----------------------------------------------------------------------

    /** cmdline (argv) or environ: the bytes of the task's own memory between the recorded bounds. */
    String memoryRange(Task p, boolean args) {
        Mm mm = p.mm;
        if (mm == null) return "";
        long start = args ? mm.argStart : mm.envStart, end = args ? mm.argEnd : mm.envEnd;
        if (end <= start || end - start > (1 << 20)) return "";
        byte[] b = new byte[(int) (end - start)];
        int n = readUser(p, start, b);
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Reads another task's memory through its page tables (never faulting pages in); returns the bytes read. */
    private int readUser(Task p, long addr, byte[] out) {
        if (p == kernel.current && p.mem != null) {
            try {
                p.mem.read((int) addr, out, 0, out.length);
                return out.length;
            } catch (SyscallException e) {
                // fall back to the page walk
            }
        }
        int done = 0;
        while (done < out.length) {
            long a = addr + done;
            long frame = p.mm.frameOf(a & ~0xfffL);
            if (frame < 0) break;
            int chunk = (int) Math.min(out.length - done, 4096 - (a & 0xfff));
            for (int i = 0; i < chunk; i++) out[done + i] = (byte) kernel.ram.readByte(frame + (a & 0xfff) + i);
            done += chunk;
        }
        return done;
    }

    private static final class Identity {
        long dev, ino;
    }

    /** st_dev and st_ino of a mapped file, by its guest path (0 when it is gone). */
    private Identity identity(String path) {
        Identity id = new Identity();
        try {
            Stat s = fs.vfs.resolveCanonical(path).stat();
            id.dev = s.dev;
            id.ino = s.ino;
        } catch (SyscallException | IllegalArgumentException e) {
            // unlinked or replaced: Linux still knows the inode; we show 0
        }
        return id;
    }

    /** The file a VMA maps, by guest path: its name, or the program for the ELF loader's unnamed file mappings. */
    private static String vmaPath(Task p, Vma v) {
        if (v.name != null && v.name.startsWith("/")) return v.name;
        if (v.file != null && (v.name == null || v.name.isEmpty())) return p.exe;
        return null;
    }

    /** /proc/PID/maps: "start-end perms offset major:minor inode", padded, then the name (32-bit kernel layout). */
    String maps(Task p) {
        if (p.mm == null) return "";
        StringBuilder sb = new StringBuilder();
        for (Vma v : p.mm.vmas()) {
            String path = vmaPath(p, v);
            Identity id = path != null ? identity(path) : new Identity();
            String name = path != null ? ProcFs.seenFrom(p, path) : v.name == null ? "" : v.name;
            int len = sb.length();
            sb.append(String.format("%08x-%08x %c%c%c%c %08x %02x:%02x %d ", v.start, v.end,
                    (v.prot & Vma.PROT_READ) != 0 ? 'r' : '-', (v.prot & Vma.PROT_WRITE) != 0 ? 'w' : '-',
                    (v.prot & Vma.PROT_EXEC) != 0 ? 'x' : '-', (v.flags & Vma.SHARED) != 0 ? 's' : 'p',
                    path != null ? v.fileOffset : 0, Stat.major(id.dev), Stat.minor(id.dev), id.ino));
            if (!name.isEmpty()) {      // seq_pad: spaces up to the name column (48 on a 32-bit kernel), then one more
                while (sb.length() - len < 25 + 4 * 6 - 1) sb.append(' ');
                sb.append(' ').append(name);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static long pages(long bytes) { return bytes >>> 12; }

    private static final class Usage {
        long size, rss, rssFile, data, stack, exe, peak;
    }

    private Usage usage(Task p) {
        Usage u = new Usage();
        if (p.mm == null) return u;
        for (Vma v : p.mm.vmas()) {
            long len = v.end - v.start;
            u.size += len;
            long resident = 0;
            for (long a = v.start; a < v.end; a += 4096) if (p.mm.frameOf(a) >= 0) resident += 4096;
            u.rss += resident;
            if (v.file != null) u.rssFile += resident;
            if ((v.flags & Vma.GROWSDOWN) != 0 || "[stack]".equals(v.name)) u.stack += len;
            else if ((v.prot & Vma.PROT_WRITE) != 0 && (v.flags & Vma.SHARED) == 0) u.data += len;
            else if ((v.prot & Vma.PROT_EXEC) != 0 && v.file != null) u.exe += len;
        }
        u.peak = u.size;
        return u;
    }

    private static String kb(String label, long bytes) { return String.format("%s\t%8d kB\n", label, bytes >>> 10); }

    private static String sigset(long s) { return String.format("%016x", s); }

    private long sigMask(Task p, boolean ignored) {
        long m = 0;
        int[] h = p.signals.handler;
        for (int sig = 1; sig < h.length && sig <= 64; sig++) {
            boolean ign = h[sig] == 1, caught = h[sig] > 1;
            if (ignored ? ign : caught) m |= 1L << (sig - 1);
        }
        return m;
    }

    private int threads(Task p) {
        int n = 0;
        for (Task t : kernel.tasks.values()) if (t.tgid == p.tgid && !t.exited) n++;
        return Math.max(n, 1);
    }

    private char state(Task p, Task reader) {
        if (p.state == Task.State.ZOMBIE || p.exited) return 'Z';
        if (p == reader || p == kernel.current) return 'R';
        return p.state == Task.State.BLOCKED ? 'S' : 'R';
    }

    private static String stateName(char c) {
        return switch (c) {
            case 'R' -> "R (running)";
            case 'S' -> "S (sleeping)";
            case 'Z' -> "Z (zombie)";
            default -> "D (disk sleep)";
        };
    }

    /** /proc/PID/status. */
    String status(Task p, Task reader, boolean thread) {
        Usage u = usage(p);
        int fdSize = 64;
        if (p.files != null) while (fdSize < p.files.size()) fdSize <<= 1;
        StringBuilder sb = new StringBuilder();
        sb.append("Name:\t").append(p.comm).append('\n');
        sb.append(String.format("Umask:\t%04o\n", p.fs == null ? 022 : p.fs.umask()));
        sb.append("State:\t").append(stateName(state(p, reader))).append('\n');
        sb.append("Tgid:\t").append(p.tgid).append('\n');
        sb.append("Ngid:\t0\n");
        sb.append("Pid:\t").append(p.pid).append('\n');
        sb.append("PPid:\t").append(p.ppid).append('\n');
        sb.append("TracerPid:\t0\n");
        sb.append("Uid:\t").append(p.uid).append('\t').append(p.euid).append('\t').append(p.suid).append('\t').append(p.fsuid).append('\n');
        sb.append("Gid:\t").append(p.gid).append('\t').append(p.egid).append('\t').append(p.sgid).append('\t').append(p.fsgid).append('\n');
        sb.append("FDSize:\t").append(fdSize).append('\n');
        sb.append("Groups:\t");
        for (int i = 0; i < p.groups.length; i++) sb.append(i > 0 ? " " : "").append(p.groups[i]);
        sb.append(" \n");
        sb.append("NStgid:\t").append(p.tgid).append('\n');
        sb.append("NSpid:\t").append(p.pid).append('\n');
        sb.append("NSpgid:\t").append(p.pgid).append('\n');
        sb.append("NSsid:\t").append(p.sid).append('\n');
        if (p.mm != null) {
            sb.append(kb("VmPeak:", u.peak)).append(kb("VmSize:", u.size)).append(kb("VmLck:", 0)).append(kb("VmPin:", 0))
                    .append(kb("VmHWM:", u.rss)).append(kb("VmRSS:", u.rss))
                    .append(kb("RssAnon:", u.rss - u.rssFile)).append(kb("RssFile:", u.rssFile)).append(kb("RssShmem:", 0))
                    .append(kb("VmData:", u.data)).append(kb("VmStk:", u.stack)).append(kb("VmExe:", u.exe))
                    .append(kb("VmLib:", 0)).append(kb("VmPTE:", 8192)).append(kb("VmSwap:", 0))
                    .append(kb("HugetlbPages:", 0));
        }
        sb.append("CoreDumping:\t0\nTHP_enabled:\t").append(p.mm != null ? 1 : 0).append('\n');
        sb.append("Threads:\t").append(threads(p)).append('\n');
        sb.append("SigQ:\t").append(p.signals.pending.count() + p.signals.shared.count()).append('/').append(p.rlimCur[11]).append('\n');
        sb.append("SigPnd:\t").append(sigset(p.signals.pending.mask())).append('\n');
        sb.append("ShdPnd:\t").append(sigset(p.signals.shared.mask())).append('\n');
        sb.append("SigBlk:\t").append(sigset(p.signals.blocked)).append('\n');
        sb.append("SigIgn:\t").append(sigset(sigMask(p, true))).append('\n');
        sb.append("SigCgt:\t").append(sigset(sigMask(p, false))).append('\n');
        boolean root = p.euid == 0;
        sb.append("CapInh:\t0000000000000000\n");
        sb.append("CapPrm:\t").append(root ? "000001ffffffffff" : "0000000000000000").append('\n');
        sb.append("CapEff:\t").append(root ? "000001ffffffffff" : "0000000000000000").append('\n');
        sb.append("CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n");
        sb.append("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        sb.append("Speculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\tnot affected\n");
        sb.append("Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
        sb.append("voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
        return sb.toString();
    }

    /** The controlling terminal as stat's tty_nr (old dev_t encoding), or 0. */
    private int ttyNr() {
        try {
            OpenFile f = kernel.files().openConsole(null, Flags.O_RDWR);
            f.put();
            int minor = 0, major = 136;
            return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
        } catch (SyscallException e) {
            return 0;
        }
    }

    /** /proc/PID/stat: the 52 fields. */
    String stat(Task p, boolean thread) {
        Usage u = usage(p);
        Mm mm = p.mm;
        long cpu = thread ? p.cpuNanos : kernel.processCpuNanos(p);
        int tty = ttyNr();
        StringBuilder sb = new StringBuilder();
        sb.append(p.pid).append(" (").append(p.comm).append(") ").append(state(p, kernel.current)).append(' ');
        long[] f = {
                p.ppid, p.pgid, p.sid, tty, tty != 0 ? p.pgid : -1, 0x400000,       // ppid pgrp session tty_nr tpgid flags
                0, 0, 0, 0, cpu / TICK_NS, 0, 0, 0,                                // minflt cminflt majflt cmajflt utime stime cutime cstime
                20, 0, threads(p), 0, 0,                                           // priority nice num_threads itrealvalue starttime
                u.size, pages(u.rss), 0xffffffffL,                                  // vsize rss rsslim
                mm == null ? 0 : mm.startCode, mm == null ? 0 : mm.endCode, mm == null ? 0 : mm.startStack,
                0, 0,                                                               // kstkesp kstkeip
                p.signals.pending.mask() & 0xffffffffL, p.signals.blocked & 0xffffffffL,
                sigMask(p, true) & 0xffffffffL, sigMask(p, false) & 0xffffffffL,
                0, 0, 0, thread && p.pid != p.tgid ? -1 : 17, 0, 0, 0, 0, 0, 0,    // wchan nswap cnswap exit_signal cpu rt_prio policy blkio guest cguest
                mm == null ? 0 : mm.startData, mm == null ? 0 : mm.endData, mm == null ? 0 : mm.startBrk,
                mm == null ? 0 : mm.argStart, mm == null ? 0 : mm.argEnd, mm == null ? 0 : mm.envStart, mm == null ? 0 : mm.envEnd,
                p.exited ? p.waitStatus : 0};
        for (int i = 0; i < f.length; i++) sb.append(f[i]).append(i + 1 < f.length ? ' ' : '\n');
        return sb.toString();
    }

    /** /proc/PID/statm: size resident shared text lib data dt, in pages. */
    String statm(Task p) {
        Usage u = usage(p);
        long text = p.mm == null ? 0 : pages(((p.mm.endCode - p.mm.startCode) + 4095) & ~4095L);
        return pages(u.size) + " " + pages(u.rss) + " " + pages(u.rssFile) + " " + text + " 0 " + pages(u.data + u.stack) + " 0\n";
    }

    /** What /proc/PID/fd/N points at. */
    String fdTarget(OpenFile f, Task reader) {
        if (f instanceof ConsoleFile c) {
            Stat s = c.stat();
            return c.isTty() ? "/dev/pts/0" : "pipe:[" + s.ino + "]";
        }
        if (f instanceof Pipe.End e && e.fifo == null) return "pipe:[" + e.stat().ino + "]";
        String path = f.path();
        if (path != null) return ProcFs.seenFrom(reader, path);
        Stat s = f.stat();
        return switch (s.type()) {
            case Flags.S_IFIFO -> "pipe:[" + s.ino + "]";
            case Flags.S_IFSOCK -> "socket:[" + s.ino + "]";
            default -> "anon_inode:[unknown]";
        };
    }

    /** /proc/PID/fdinfo/N. */
    String fdinfo(Task p, int fd) {
        OpenFile f = p.files.peek(fd);
        if (f == null) return "";
        int flags = f.flags() | (p.files.closeOnExec(fd) ? Flags.O_CLOEXEC : 0);
        Mount m = f.path() != null ? fs.vfs.mounts().containing(f.path()) : null;
        long ino;
        try {
            ino = f.stat().ino;
        } catch (SyscallException e) {
            ino = 0;
        }
        String text = "pos:\t" + f.position() + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t" + (m == null ? 15 : m.id)
                + "\nino:\t" + ino + "\n";
        org.j386.kernel.Checkpointability c = kernel.checkpointability;
        if (c != null) {
            String why = c.fileReason(f);
            text += "checkpointable:\t" + (why == null ? "1" : "0 (" + why + ")") + "\n";
        }
        return text;
    }

    /** /proc/PID/mounts: the mounts under the task's root, with paths as the task sees them. */
    String mounts(Task p) {
        StringBuilder sb = new StringBuilder();
        String root = p.fs == null ? "/" : p.fs.root();
        for (Mount m : fs.vfs.mounts().list()) {
            if (!root.equals("/") && !m.path.equals(root) && !m.path.startsWith(root + "/")) continue;
            String shown = ProcFs.seenFrom(p, m.path);
            String type = m.root == null ? rootType() : m.type;
            String source = m.root == null ? "/dev/root" : m.source;
            sb.append(source).append(' ').append(shown).append(' ').append(type).append(' ').append(m.options).append(" 0 0\n");
        }
        return sb.toString();
    }

    private String rootType() {
        try {
            String t = java.nio.file.Files.getFileStore(fs.vfs.hostRoot()).type();
            return t == null || t.isEmpty() ? "ext4" : t;
        } catch (java.io.IOException | RuntimeException e) {
            return "ext4";
        }
    }

    // ---- system -----------------------------------------------------------------------------

    private static String memLine(String label, long kb) { return String.format("%-16s%8d kB\n", label, kb); }

    String meminfo() {
        long total = kernel.config().ramBytes >> 10;
        long used = (long) kernel.frames.usedFrames() * 4;
        long free = Math.max(0, total - used);
        StringBuilder sb = new StringBuilder();
        sb.append(memLine("MemTotal:", total)).append(memLine("MemFree:", free)).append(memLine("MemAvailable:", free))
                .append(memLine("Buffers:", 0)).append(memLine("Cached:", 0)).append(memLine("SwapCached:", 0))
                .append(memLine("Active:", used)).append(memLine("Inactive:", 0))
                .append(memLine("HighTotal:", 0)).append(memLine("HighFree:", 0))
                .append(memLine("LowTotal:", total)).append(memLine("LowFree:", free))
                .append(memLine("SwapTotal:", 0)).append(memLine("SwapFree:", 0))
                .append(memLine("Dirty:", 0)).append(memLine("Writeback:", 0)).append(memLine("AnonPages:", used))
                .append(memLine("Mapped:", 0)).append(memLine("Shmem:", 0)).append(memLine("CommitLimit:", total))
                .append(memLine("Committed_AS:", used)).append(memLine("VmallocTotal:", 122880))
                .append(memLine("VmallocUsed:", 0)).append(memLine("VmallocChunk:", 0));
        return sb.toString();
    }

    String cpuinfo() {
        int edx = CpuTwoByte.CPUID_FEATURES_EDX;
        String[] names = new String[32];
        names[0] = "fpu"; names[1] = "vme"; names[2] = "de"; names[3] = "pse"; names[4] = "tsc"; names[5] = "msr";
        names[6] = "pae"; names[7] = "mce"; names[8] = "cx8"; names[9] = "apic"; names[11] = "sep"; names[12] = "mtrr";
        names[13] = "pge"; names[14] = "mca"; names[15] = "cmov"; names[16] = "pat"; names[17] = "pse36";
        names[19] = "clflush"; names[23] = "mmx"; names[24] = "fxsr"; names[25] = "sse"; names[26] = "sse2";
        StringBuilder flags = new StringBuilder();
        for (int b = 0; b < 32; b++) if ((edx & (1 << b)) != 0 && names[b] != null) flags.append(flags.length() > 0 ? " " : "").append(names[b]);
        return "processor\t: 0\nvendor_id\t: GenuineJ386\ncpu family\t: 6\nmodel\t\t: 3\n"
                + "model name\t: j386 virtual i386 processor\nstepping\t: 3\ncpu MHz\t\t: 1000.000\n"
                + "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
                + "fdiv_bug\t: no\nf00f_bug\t: no\ncoma_bug\t: no\nfpu\t\t: yes\nfpu_exception\t: yes\n"
                + "cpuid level\t: 1\nwp\t\t: yes\nflags\t\t: " + flags + "\nbogomips\t: 2000.00\n"
                + "clflush size\t: 32\ncache_alignment\t: 32\naddress sizes\t: 32 bits physical, 32 bits virtual\n"
                + "power management:\n\n";
    }

    private static String centis(long ns) {
        long cs = ns / 10_000_000L;
        return (cs / 100) + "." + String.format("%02d", cs % 100);
    }

    String uptime() {
        long up = kernel.clock.monotonicNanos();
        long busy = 0;
        for (Task t : kernel.tasks.values()) busy += t.cpuNanos;
        return centis(up) + " " + centis(Math.max(0, up - busy)) + "\n";
    }

    String loadavg() {
        int running = 0, last = 0;
        for (Task t : kernel.tasks.values()) {
            if (t.state == Task.State.RUNNABLE && !t.exited) running++;
            last = Math.max(last, t.pid);
        }
        return "0.00 0.00 0.00 " + Math.max(running, 1) + "/" + kernel.tasks.size() + " " + last + "\n";
    }

    String stat() {
        long up = kernel.clock.monotonicNanos() / TICK_NS;
        long user = 0;
        int running = 0, blocked = 0;
        for (Task t : kernel.tasks.values()) {
            user += t.cpuNanos;
            if (t.state == Task.State.RUNNABLE && !t.exited) running++;
        }
        user /= TICK_NS;
        long idle = Math.max(0, up - user);
        String cpu = user + " 0 0 " + idle + " 0 0 0 0 0 0\n";
        long btime = (kernel.clock.realtimeNanos() - kernel.clock.monotonicNanos()) / 1_000_000_000L;
        int last = kernel.tasks.isEmpty() ? 0 : kernel.tasks.lastKey();
        return "cpu  " + cpu + "cpu0 " + cpu + "intr 0\nctxt 0\nbtime " + btime + "\nprocesses " + last
                + "\nprocs_running " + Math.max(running, 1) + "\nprocs_blocked " + blocked + "\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n";
    }

    String version() {
        return ProcessSyscalls.SYSNAME + " version " + ProcessSyscalls.RELEASE + " (j386@j386) (j386 kernel model) "
                + ProcessSyscalls.VERSION + "\n";
    }

    String filesystems() {
        return "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tpipefs\nnodev\tdevpts\n\text3\n\text2\n\text4\n";
    }

}
