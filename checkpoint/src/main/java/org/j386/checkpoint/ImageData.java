package org.j386.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A decoded, validated image: what a restart rebuilds and what `j386 inspect` shows. */
public final class ImageData {
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
    }

    public static final class VmaRec {
        public int start, end, prot, flags;
        public String name;
    }

    public static final class FileRec {
        public int id, kind, flags, consoleIndex;
        public long pos, size, mtimeNanos;
        public String path;
    }

    public static final class FdRec {
        public int fd, fileId;
        public boolean cloexec;
    }

    public Header header;
    public TaskRec task;
    public CpuRec cpu;
    public final long[] tls = new long[3];
    public SignalsRec signals;
    public MmRec mm;
    public final List<VmaRec> vmas = new ArrayList<>();
    /** Page address to content (4096 bytes each). */
    public final TreeMap<Integer, byte[]> pages = new TreeMap<>();
    public final TreeMap<Integer, FileRec> files = new TreeMap<>();
    public final List<FdRec> fds = new ArrayList<>();
    public long[] ldt = new long[0];
    /** The tmpfs at /tmp (empty when the machine had none). */
    public final org.j386.kernel.fs.TmpfsImage tmpfs = new org.j386.kernel.fs.TmpfsImage();
    /** TMPFS_NODE records as read, before their data: id to {mode, size, bytes filled}. */
    final java.util.HashMap<Integer, long[]> tmpfsPending = new java.util.HashMap<>();
    final java.util.HashMap<Integer, byte[]> tmpfsData = new java.util.HashMap<>();
    public int recordCount;
    public int checksum;
}
