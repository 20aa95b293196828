package org.j386.kernel.ipc;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.mm.Vma;

/** shmget, shmat, shmdt and shmctl on the caller's IPC namespace. */
public final class ShmOps {
    public static final int IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000;
    public static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    public static final int SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;
    public static final int SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000;
    /** SHMLBA on i386: a page. */
    static final long SHMLBA = 4096;

    private final Kernel k;

    public ShmOps(Kernel k) {
        this.k = k;
    }

    public int shmget(Task t, int key, long size, int flg) {
        IpcNamespace ns = t.ipcNs;
        ShmSegment s = ns.shm.byKey(key);
        if (s != null) {
            if ((flg & IPC_CREAT) != 0 && (flg & IPC_EXCL) != 0) throw new SyscallException(Errno.EEXIST);
            if (s.size < size) throw new SyscallException(Errno.EINVAL);
            if (!s.permits(t, flg & 0777)) throw new SyscallException(Errno.EACCES);
            return s.id;
        }
        if (key != IpcObject.IPC_PRIVATE && (flg & IPC_CREAT) == 0) throw new SyscallException(Errno.ENOENT);
        if (size < 1 || size > ns.shmMax) throw new SyscallException(Errno.EINVAL);
        long pages = (size + 4095) >>> 12;
        if (ns.shmTotPages + pages > ns.shmAll) throw new SyscallException(Errno.ENOSPC);
        if (ns.shm.size() >= ns.shmMni) throw new SyscallException(Errno.ENOSPC);
        ns.budget.charge(ShmSegment.kernelBytes(pages));
        s = new ShmSegment(ns, k.frames, size);
        s.init(t, key, flg, ns.now());
        ns.shm.add(s, ns.shmMni);
        s.cpid = t.tgid;
        ns.shmTotPages += s.pages();
        return s.id;
    }

    /** @return the address the segment is attached at */
    public long shmat(Task t, int id, long addr, int flg) {
        ShmSegment s = t.ipcNs.shm.get(id);
        if (s == null) throw new SyscallException(Errno.EINVAL);
        boolean fixed = addr != 0;
        if (!fixed && (flg & SHM_REMAP) != 0) throw new SyscallException(Errno.EINVAL);
        if ((addr & (SHMLBA - 1)) != 0) {
            if ((flg & SHM_RND) == 0) throw new SyscallException(Errno.EINVAL);
            addr &= ~(SHMLBA - 1);
            if (addr == 0 && (flg & SHM_REMAP) != 0) throw new SyscallException(Errno.EINVAL);
        }
        int prot = Vma.PROT_READ, want = IpcObject.S_IRUGO;
        if ((flg & SHM_RDONLY) == 0) {
            prot |= Vma.PROT_WRITE;
            want |= IpcObject.S_IWUGO;
        }
        if ((flg & SHM_EXEC) != 0) {
            prot |= Vma.PROT_EXEC;
            want |= 0111;
        }
        if (!s.permits(t, want)) throw new SyscallException(Errno.EACCES);
        long len = (long) s.pages() << 12;
        Mm mm = t.mm;
        if (fixed) {
            if (addr + len > Mm.TASK_SIZE) throw new SyscallException(Errno.EINVAL);
            if (addr < Mm.MMAP_MIN_ADDR) throw new SyscallException(Errno.EPERM);
            if ((flg & SHM_REMAP) == 0 && !mm.isFree(addr, addr + len)) throw new SyscallException(Errno.EINVAL);
        } else {
            addr = mm.findFreeTopDown(len, Mm.MMAP_BASE);
            if (addr < 0) throw new SyscallException(Errno.ENOMEM);
        }
        int vflags = Vma.SHARED | ((flg & SHM_RDONLY) != 0 ? Vma.NO_WRITE : 0);
        Vma v = mm.map(addr, addr + len, prot, vflags, null, 0, String.format("/SYSV%08x (deleted)", s.key));
        v.shared = s;
        s.opened();
        return addr;
    }

    public int shmdt(Task t, long addr) {
        if ((addr & 0xfff) != 0) throw new SyscallException(Errno.EINVAL);
        Vma first = t.mm.find(addr);
        if (first == null || first.start != addr || first.fileOffset != 0 || !(first.shared instanceof ShmSegment s))
            throw new SyscallException(Errno.EINVAL);
        long end = addr + ((long) s.pages() << 12);
        for (Vma v : t.mm.vmas()) {
            if (v.shared == s && v.start >= addr && v.end <= end) t.mm.unmap(v.start, v.end);
        }
        return 0;
    }

    public int shmctl(Task t, int id, int cmd, int buf, boolean v64) {
        IpcNamespace ns = t.ipcNs;
        switch (cmd) {
            case IPC_INFO: {
                int[] info = {(int) ns.shmMax, 1, ns.shmMni, 4096, (int) ns.shmAll, 0, 0, 0, 0};
                for (int i = 0; i < info.length; i++) t.mem.writeInt(buf + 4 * i, info[i]);
                return highestIndex(ns.shm);
            }
            case SHM_INFO: {
                long rss = 0;
                for (ShmSegment s : ns.shm.byIndex.values()) for (long f : s.frames) if (f != 0) rss++;
                int[] info = {ns.shm.size(), (int) ns.shmTotPages, (int) rss, 0, 0, 0};
                for (int i = 0; i < info.length; i++) t.mem.writeInt(buf + 4 * i, info[i]);
                return highestIndex(ns.shm);
            }
            case SHM_STAT: case SHM_STAT_ANY: {
                ShmSegment s = ns.shm.byIndex.get(id);
                if (s == null) throw new SyscallException(Errno.EINVAL);
                if (cmd == SHM_STAT && !s.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
                t.mem.write(buf, IpcLayout.shmid(s, v64));
                return s.id;
            }
            default:
                break;
        }
        ShmSegment s = ns.shm.get(id);
        if (s == null) throw new SyscallException(Errno.EINVAL);
        switch (cmd) {
            case IPC_STAT:
                if (!s.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
                t.mem.write(buf, IpcLayout.shmid(s, v64));
                return 0;
            case IPC_SET: {
                s.setPerm(t, IpcLayout.readSetPerm(t.mem, buf, v64), ns.now());
                return 0;
            }
            case IPC_RMID:
                if (!s.ownedBy(t)) throw new SyscallException(Errno.EPERM);
                s.markDestroyed();
                return 0;
            case SHM_LOCK: case SHM_UNLOCK:
                if (!s.ownedBy(t)) throw new SyscallException(Errno.EPERM);
                if (cmd == SHM_LOCK) s.mode |= ShmSegment.SHM_LOCKED;
                else s.mode &= ~ShmSegment.SHM_LOCKED;
                return 0;
            default:
                throw new SyscallException(Errno.EINVAL);
        }
    }

    static int highestIndex(IpcIds<?> ids) {
        return ids.byIndex.isEmpty() ? 0 : ids.byIndex.lastKey();
    }
}
