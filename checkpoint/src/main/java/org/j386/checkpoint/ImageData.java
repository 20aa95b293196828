package org.j386.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A decoded, validated image: what a restart rebuilds and what `j386 inspect` shows. The page
 * contents are off-heap ({@link PageArray}s): whoever reads an image closes it when done
 * (try-with-resources), which releases them.
 */
public final class ImageData implements AutoCloseable {
    public static final class Header {
        public String arch, kernelModel, sysname, nodename, release, version, machine;
        public long icount, skippedNanos, bootEpochNanos;
    }

    public static final class TaskRec {
        public int pid, tgid, ppid, pgid, sid;
        public String comm;
        public int uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
        public int umask;
        public String cwd, root;
        public final long[] rlimCur = new long[16], rlimMax = new long[16];
        public int clearChildTid, robustList, robustListLen;
        /** Version 2: zombie or live, wait status, the shared objects it uses, and its scheduler state. */
        public boolean zombie;
        public int waitStatus;
        public int mmId, filesId, sighandId;
        public int flags;
        public int stopSignal;
        public long sleepDeadline, sigwaitMask, suspendSavedMask, cpuNanos;
        public long realDeadline, realInterval, virtDeadline, virtInterval, profDeadline, profInterval;
    }

    /** TASK flag bits. */
    public static final int T_STOPPED = 1, T_STOP_UNREPORTED = 2, T_CONT_UNREPORTED = 4, T_IN_RESTART = 8,
            T_INTERRUPT_ONLY = 16, T_FUTEX_WOKEN = 32, T_CONSOLE_CTTY = 64, T_ALL = 127;

    public static final class SigInfoRec {
        public int signo, code, addr, pid, uid, trapno, err, cr2, status;
        /** Which set it is pending in: 0 the thread's own, 1 its process's (shared by the threads). */
        public int set;
    }

    public static final class TimerRec {
        public int id, clockId, base, notify, signo, value, tid, clockTid, overrun;
        public long deadline, interval;
    }

    /** Everything of one task: its TASK record and the records that follow it. */
    public static final class TaskImage {
        public TaskRec task;
        public CpuRec cpu;
        public final long[] tls = new long[3];
        public boolean tlsSeen;
        public long[] ldt = new long[0];
        public SignalsRec signals;
        public final List<SigInfoRec> sigInfo = new ArrayList<>();
        public final List<TimerRec> timers = new ArrayList<>();
    }

    /** One address space: MM and the VMA and PAGES records after it. */
    public static final class MmImage {
        public int id;
        public MmRec mm;
        public final List<VmaRec> vmas = new ArrayList<>();
        /** The populated pages, one off-heap page array per PAGES record, in image order (ascending addresses). */
        public final List<PageArray> pages = new ArrayList<>();

        /** Pages in the address space. */
        public int pageCount() {
            int n = 0;
            for (PageArray pa : pages) n += pa.size();
            return n;
        }

        /** Pages with addresses in [start, end) (unsigned). */
        public int pagesIn(int start, int end) {
            long s = start & 0xffffffffL, e = end & 0xffffffffL;
            int n = 0;
            for (PageArray pa : pages) {
                for (int i = 0; i < pa.size(); i++) {
                    long a = pa.address(i) & 0xffffffffL;
                    if (a >= s && a < e) n++;
                }
            }
            return n;
        }
    }

    /** Signal dispositions shared by the tasks that name them (CLONE_SIGHAND). */
    public static final class SigHandRec {
        public int id;
        public final int[] handler = new int[65], flags = new int[65], restorer = new int[65];
        public final long[] mask = new long[65];
    }

    public static final class CpuRec {
        public final int[] r = new int[8];
        public int eip, eflags;
        public final int[] seg = new int[6];
        public int fcw, fsw, ftw, fip, fcs, fop, fdp, fds;
        public final long[] fsig = new long[8];
        public final int[] fse = new int[8];
    }

    public static final class SignalsRec {
        public final int[] handler = new int[65], flags = new int[65], restorer = new int[65];
        public final long[] mask = new long[65];
        public long blocked, pending;
        public int altBase, altSize, altFlags;
    }

    public static final class MmRec {
        public int startBrk, brk, startCode, endCode, startStack, argStart, argEnd, envStart, envEnd;
        /** The program the address space was loaded from (/proc/PID/exe), "" if unknown. */
        public String exe = "";
    }

    public static final class VmaRec {
        public int start, end, prot, flags;
        public String name;
    }

    public static final class FileRec {
        public int id, kind, flags, consoleIndex, pipeId;
        public long pos, size, mtimeNanos;
        public String path;
    }

    public static final class FdRec {
        public int fd, fileId;
        public boolean cloexec;
    }

    public Header header;
    /** Every task, in image order (ascending pid); the first with no parent in the image is the root. */
    public final List<TaskImage> tasks = new ArrayList<>();
    public final TreeMap<Integer, MmImage> mms = new TreeMap<>();
    public final TreeMap<Integer, SigHandRec> sighands = new TreeMap<>();
    /** File descriptor tables by id, each a list of its FD records. */
    public final TreeMap<Integer, List<FdRec>> fdTables = new TreeMap<>();
    /** Pipe buffers by id: the bytes in flight. */
    public final TreeMap<Integer, byte[]> pipes = new TreeMap<>();
    /** The root task of the tree (the machine's first task after a restart). */
    public TaskImage root;

    // The root task's parts, as version 1 had them (inspect, single-task restart):
    public TaskRec task;
    public CpuRec cpu;
    public final long[] tls = new long[3];
    public SignalsRec signals;
    public MmRec mm;
    public final List<VmaRec> vmas = new ArrayList<>();
    /** The root task's address space with its pages. */
    public MmImage rootMm;
    public final TreeMap<Integer, FileRec> files = new TreeMap<>();
    public final List<FdRec> fds = new ArrayList<>();
    public long[] ldt = new long[0];
    /** The tmpfs at /tmp (empty when the machine had none). */
    public final org.j386.kernel.fs.TmpfsImage tmpfs = new org.j386.kernel.fs.TmpfsImage();
    /** TMPFS_NODE records as read, before their data: id to {mode, size, bytes filled}. */
    final java.util.HashMap<Integer, long[]> tmpfsPending = new java.util.HashMap<>();
    final java.util.HashMap<Integer, byte[]> tmpfsData = new java.util.HashMap<>();
    /** Records 20–29: shared frames, shared mappings' backing, namespaces, SysV IPC. */
    public final IpcData ipc = new IpcData();
    /** Event descriptors, socket pairs, unlinked files, the terminal, shared fs contexts (records 30–39). */
    public final ObjectData objects = new ObjectData();
    public int recordCount;
    public int checksum;

    /** Releases the off-heap page contents of every address space (the image cannot be restored after). */
    @Override
    public void close() {
        for (MmImage mi : mms.values()) {
            for (PageArray pa : mi.pages) pa.close();
        }
    }
}
