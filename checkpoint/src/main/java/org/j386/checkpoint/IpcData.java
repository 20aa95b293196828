package org.j386.checkpoint;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decoded records 20–29 of an image: physical pages shared between mappings (FRAMES),
 * which pages of an address space map them (PAGE_REFS), what backs a shared VMA
 * (VMA_SHARED), UTS and IPC namespaces, SysV shm segments, semaphore sets, message queues
 * and each task's namespaces, SEM_UNDO list and SysV wait (TASK_NS).
 */
public final class IpcData {
    /** Frame contents by frame id − 1. */
    public final List<byte[]> frames = new ArrayList<>();
    /** Per address space: page address to frame id. */
    public final Map<ImageData.MmImage, TreeMap<Integer, Integer>> refs = new IdentityHashMap<>();
    /** Per shared VMA with a backing object: the object. */
    public final Map<ImageData.VmaRec, Backing> backing = new IdentityHashMap<>();
    public final List<UtsRec> uts = new ArrayList<>();
    public final List<IpcNsRec> ipcNs = new ArrayList<>();
    /** Per TASK (by pid): its namespaces, undo list and wait. */
    public final Map<Integer, TaskNsRec> tasks = new TreeMap<>();

    /** VMA_SHARED kinds. */
    public static final int BACK_SHM = 1, BACK_FILE = 2;

    public static final class Backing {
        public int kind, nsId, shmId, openFlags;
        public long offset;
        public String path;
    }

    public static final class UtsRec {
        public int id;
        public boolean initial;
        public String hostname, domainname;
    }

    /** The fields of struct kern_ipc_perm an object keeps. */
    public static class PermRec {
        public int id, key, uid, gid, cuid, cgid, mode;
        public long ctime;
    }

    public static final class ShmRec extends PermRec {
        public long size, atime, dtime;
        public int cpid, lpid;
        /** Page index to frame id. */
        public final TreeMap<Integer, Integer> pages = new TreeMap<>();
    }

    public static final class SemRec extends PermRec {
        public long otime;
        public int[] val, pid;
    }

    public static final class MsqRec extends PermRec {
        public long stime, rtime, qbytes;
        public int lspid, lrpid;
        public final List<Integer> types = new ArrayList<>();
        public final List<byte[]> texts = new ArrayList<>();
    }

    public static final class IpcNsRec {
        public int id;
        public boolean initial;
        public int seqShm, seqSem, seqMsg;
        public long shmMax, shmAll;
        public int shmMni, semMsl, semMns, semOpm, semMni, msgMax, msgMnb, msgMni;
        public final Map<Integer, ShmRec> shm = new TreeMap<>();
        public final Map<Integer, SemRec> sem = new TreeMap<>();
        public final Map<Integer, MsqRec> msq = new TreeMap<>();
    }

    /** TASK_NS wait kinds. */
    public static final int WAIT_NONE = 0, WAIT_SEM = 1, WAIT_MSG = 2;

    public static final class TaskNsRec {
        /** 0: the initial namespace. */
        public int utsId, ipcId, undoId;
        /** The undo list's adjustments by semid, when this task's record defines the list. */
        public final TreeMap<Integer, int[]> undo = new TreeMap<>();
        public int waitKind, waitId, waitSem;
        public boolean waitZero;
    }

    /** Whether the image holds namespaces or SysV objects (restart(2) into a live task takes none). */
    public boolean hasIpcState() {
        return !uts.isEmpty() || !ipcNs.isEmpty() || !tasks.isEmpty();
    }

    /** The IPCNS a task names: 0 is the initial namespace (its record, if the image has one). */
    IpcNsRec taskNs(int id) {
        if (id != 0) return ns(id);
        for (IpcNsRec n : ipcNs) if (n.initial) return n;
        return null;
    }

    IpcNsRec ns(int id) {
        for (IpcNsRec n : ipcNs) if (n.id == id) return n;
        return null;
    }

    UtsRec utsNs(int id) {
        for (UtsRec n : uts) if (n.id == id) return n;
        return null;
    }
}
