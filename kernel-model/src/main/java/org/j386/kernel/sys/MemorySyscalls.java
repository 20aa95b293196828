package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.mm.FileImage;
import org.j386.kernel.mm.Mm;
import org.j386.kernel.mm.Vma;

/** brk, mmap, munmap, mprotect, mremap, madvise: the address-space system calls. */
public final class MemorySyscalls {
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_TYPE = 0xf, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_GROWSDOWN = 0x100, MAP_FIXED_NOREPLACE = 0x100000;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;

    private final Kernel k;

    public MemorySyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(45, "brk", "p=p", this::brk);
        t.register(192, "mmap2", "pdxxdd=p", (task, a, b, c, d, e, f) -> mmap(task, a, b, c, d, e, (f & 0xffffffffL) << 12));
        t.register(90, "old_mmap", "p=p", (task, a, b, c, d, e, f) -> {
            int[] v = new int[6];
            for (int i = 0; i < 6; i++) v[i] = task.mem.readInt(a + 4 * i);
            if ((v[5] & 0xfff) != 0) throw new SyscallException(Errno.EINVAL);
            return mmap(task, v[0], v[1], v[2], v[3], v[4], v[5] & 0xffffffffL);
        });
        t.register(91, "munmap", "pd", this::munmap);
        t.register(125, "mprotect", "pdx", this::mprotect);
        t.register(163, "mremap", "pddxp=p", this::mremap);
        t.register(219, "madvise", "pdd", this::madvise);
        t.register(144, "msync", "pdx", this::msync);
        t.register(150, "mlock", "pd", (task, a, b, c, d, e, f) -> 0);
        t.register(151, "munlock", "pd", (task, a, b, c, d, e, f) -> 0);
        t.register(152, "mlockall", "x", (task, a, b, c, d, e, f) -> 0);
        t.register(153, "munlockall", "", (task, a, b, c, d, e, f) -> 0);
        t.register(218, "mincore", "pdp", this::mincore);
    }

    private static long u(int v) { return v & 0xffffffffL; }

    private static long pageUp(long v) { return (v + 0xfff) & ~0xfffL; }

    private int brk(Task t, int addr, int b, int c, int d, int e, int f) {
        Mm mm = t.mm;
        long want = u(addr);
        if (want < mm.startBrk) return (int) mm.brk;
        long oldTop = pageUp(mm.brk), newTop = pageUp(want);
        if (newTop > oldTop) {
            if (newTop > Mm.TASK_SIZE || !mm.isFree(oldTop, newTop + 4096)) return (int) mm.brk;
            Vma heap = mm.find(oldTop - 1);
            if (heap != null && "[heap]".equals(heap.name) && heap.end == oldTop) mm.resize(heap, newTop);
            else mm.map(oldTop, newTop, Vma.PROT_READ | Vma.PROT_WRITE, Vma.ANON, null, 0, "[heap]");
        } else if (newTop < oldTop) {
            mm.unmap(newTop, oldTop);
        }
        mm.brk = want;
        return addr;
    }

    private int mmap(Task t, int addr, int len, int prot, int flags, int fd, long off) {
        long start = u(addr), length = u(len);
        if (length == 0) throw new SyscallException(Errno.EINVAL);
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != 3) throw new SyscallException(Errno.EINVAL);
        length = pageUp(length);
        if (length == 0 || length > Mm.TASK_SIZE) throw new SyscallException(Errno.ENOMEM);
        boolean fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
        if (fixed && (start & 0xfff) != 0) throw new SyscallException(Errno.EINVAL);
        FileImage image = null;
        String name = "";
        org.j386.kernel.fs.FilePages filePages = null;
        if ((flags & MAP_ANONYMOUS) == 0) {
            OpenFile file = t.files.get(fd);
            if ((off & 0xfff) != 0) throw new SyscallException(Errno.EINVAL);
            if (type == MAP_SHARED) {
                // shared: the file's cached pages, which every mapping of it shares (writes reach the file)
                if (!file.seekable()) throw new SyscallException(Errno.ENODEV);
                if (!file.readable() || ((prot & Vma.PROT_WRITE) != 0 && !file.writable())) throw new SyscallException(Errno.EACCES);
                filePages = k.files().pageCache.pagesOf(file);
            } else {
                image = snapshot(file, off, length, prot, type);
            }
            name = file.path() != null ? file.path() : "";
        }
        Mm mm = t.mm;
        if (fixed) {
            if (start + length > Mm.TASK_SIZE || start < Mm.MMAP_MIN_ADDR) throw new SyscallException(Errno.EPERM);
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && !mm.isFree(start, start + length)) throw new SyscallException(Errno.EEXIST);
        } else {
            long hint = start & ~0xfffL;
            if (hint != 0 && hint >= Mm.MMAP_MIN_ADDR && hint + length <= Mm.TASK_SIZE && mm.isFree(hint, hint + length)) start = hint;
            else {
                start = mm.findFreeTopDown(length, Mm.MMAP_BASE);
                if (start < 0) throw new SyscallException(Errno.ENOMEM);
            }
        }
        int vflags = (type == MAP_SHARED ? Vma.SHARED : 0) | (image == null && filePages == null ? Vma.ANON : 0)
                | ((flags & MAP_GROWSDOWN) != 0 ? Vma.GROWSDOWN : 0);
        Vma v = mm.map(start, start + length, prot & 7, vflags, image, image == null && filePages == null ? 0 : off, name);
        if (filePages != null) {
            v.shared = filePages;
            filePages.opened();
        }
        return (int) start;
    }

    /**
     * The file bytes a private mapping starts from, read now. Shared file mappings (whose
     * writes reach the file) arrive with the kernel's page cache; until then they are refused.
     */
    private static FileImage snapshot(OpenFile file, long off, long length, int prot, int type) {
        if (!file.seekable()) throw new SyscallException(Errno.ENODEV);
        if (!file.readable()) throw new SyscallException(Errno.EACCES);
        if (type == MAP_SHARED && (prot & Vma.PROT_WRITE) != 0) throw new SyscallException(Errno.ENODEV);
        long size = file.stat().size;
        int n = (int) Math.max(0, Math.min(length, size - off));
        byte[] data = new byte[n];
        int done = 0;
        while (done < n) {
            int got = file.pread(data, done, n - done, off + done);
            if (got <= 0) break;
            done += got;
        }
        return new FileImage(data, off, off + done);
    }

    static final int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

    /** msync: the shared file pages of the range go back to their files (MS_ASYNC too: the write is immediate here). */
    private int msync(Task t, int addr, int len, int flags, int d, int e, int f) {
        long start = u(addr), end = start + pageUp(u(len));
        if ((start & 0xfff) != 0 || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0
                || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) throw new SyscallException(Errno.EINVAL);
        if (end > Mm.TASK_SIZE) throw new SyscallException(Errno.ENOMEM);
        boolean hole = false;
        long at = start;
        for (Vma v : t.mm.vmas()) {
            if (v.end <= start || v.start >= end) continue;
            if (v.start > at) hole = true;
            at = Math.max(at, v.end);
            if (v.shared instanceof org.j386.kernel.fs.FilePages p) {
                long from = Math.max(start, v.start), to = Math.min(end, v.end);
                p.sync(v.fileOffset + (from - v.start), v.fileOffset + (to - v.start));
            }
        }
        if (hole || at < end) throw new SyscallException(Errno.ENOMEM); // part of the range is not mapped
        return 0;
    }

    private int munmap(Task t, int addr, int len, int c, int d, int e, int f) {
        long start = u(addr), length = pageUp(u(len));
        if ((start & 0xfff) != 0 || length == 0 || start + length > Mm.TASK_SIZE) throw new SyscallException(Errno.EINVAL);
        t.mm.unmap(start, start + length);
        return 0;
    }

    private int mprotect(Task t, int addr, int len, int prot, int d, int e, int f) {
        long start = u(addr), length = pageUp(u(len));
        if ((start & 0xfff) != 0) throw new SyscallException(Errno.EINVAL);
        if ((prot & ~(7 | 0x01000000 | 0x02000000)) != 0) throw new SyscallException(Errno.EINVAL);
        if (length == 0) return 0;
        if (start + length > Mm.TASK_SIZE) throw new SyscallException(Errno.ENOMEM);
        if (!t.mm.accessible(start, length, 0)) throw new SyscallException(Errno.ENOMEM);
        t.mm.protect(start, start + length, prot & 7);
        return 0;
    }

    private int mremap(Task t, int oldAddr, int oldLen, int newLen, int flags, int newAddr, int f) {
        long old = u(oldAddr), oldSize = pageUp(u(oldLen)), newSize = pageUp(u(newLen));
        if ((old & 0xfff) != 0 || (flags & ~3) != 0 || newSize == 0) throw new SyscallException(Errno.EINVAL);
        Mm mm = t.mm;
        Vma v = mm.find(old);
        if ((flags & MREMAP_FIXED) != 0) return mremapFixed(mm, v, old, oldSize, newSize, flags, u(newAddr));
        if (v == null || old + oldSize > v.end) throw new SyscallException(Errno.EFAULT);
        if (newSize <= oldSize) {
            if (newSize < oldSize) mm.unmap(old + newSize, old + oldSize);
            return oldAddr;
        }
        if (old + oldSize == v.end && mm.isFree(v.end, old + newSize) && old + newSize <= Mm.TASK_SIZE) {
            mm.resize(v, old + newSize);
            return oldAddr;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) throw new SyscallException(Errno.ENOMEM);
        long dest = mm.findFreeTopDown(newSize, Mm.MMAP_BASE);
        if (dest < 0) throw new SyscallException(Errno.ENOMEM);
        mm.move(old, oldSize, dest);
        Vma moved = mm.find(dest);
        mm.resize(moved, dest + newSize);
        return (int) dest;
    }

    /**
     * MREMAP_FIXED (with MREMAP_MAYMOVE, as Linux requires): whatever is mapped at the
     * target goes, as with MAP_FIXED, then the pages move there; the old and new ranges
     * must not overlap.
     */
    private static int mremapFixed(Mm mm, Vma v, long old, long oldSize, long newSize, int flags, long dest) {
        if ((flags & MREMAP_MAYMOVE) == 0 || (dest & 0xfff) != 0 || dest + newSize > Mm.TASK_SIZE) throw new SyscallException(Errno.EINVAL);
        if (dest < old + oldSize && old < dest + newSize) throw new SyscallException(Errno.EINVAL);
        if (v == null || old + oldSize > v.end) throw new SyscallException(Errno.EFAULT);
        mm.unmap(dest, dest + newSize);
        if (newSize < oldSize) {
            mm.unmap(old + newSize, old + oldSize);
            oldSize = newSize;
        }
        mm.move(old, oldSize, dest);
        if (newSize > oldSize) mm.resize(mm.find(dest), dest + newSize);
        return (int) dest;
    }

    private int madvise(Task t, int addr, int len, int advice, int d, int e, int f) {
        long start = u(addr);
        if ((start & 0xfff) != 0) throw new SyscallException(Errno.EINVAL);
        long length = pageUp(u(len));
        if (advice == 4 /* MADV_DONTNEED */ && length > 0) {
            if (!t.mm.accessible(start, length, 0)) throw new SyscallException(Errno.ENOMEM);
            t.mm.discard(start, start + length);
        }
        return 0;
    }

    private int mincore(Task t, int addr, int len, int vec, int d, int e, int f) {
        long start = u(addr), length = pageUp(u(len));
        if ((start & 0xfff) != 0) throw new SyscallException(Errno.EINVAL);
        if (!t.mm.accessible(start, length, 0)) throw new SyscallException(Errno.ENOMEM);
        int pages = (int) (length >>> 12);
        byte[] out = new byte[pages];
        for (int i = 0; i < pages; i++) out[i] = (byte) (k.mmu.peek((int) (start + ((long) i << 12))) >= 0 ? 1 : 0);
        t.mem.write(vec, out);
        return 0;
    }
}
