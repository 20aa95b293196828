package org.j386.kernel.ipc;

import org.j386.kernel.mm.FrameAllocator;
import org.j386.kernel.mm.SharedPages;

/**
 * A SysV shared memory segment: its frames (allocated zeroed on first touch, one reference
 * held here, one per page-table entry that maps them) and struct shmid_ds's fields. It lives
 * until IPC_RMID and the last detach, whichever comes later.
 */
public final class ShmSegment extends IpcObject implements SharedPages {
    public static final int SHM_DEST = 01000, SHM_LOCKED = 02000;

    public final IpcNamespace ns;
    private final FrameAllocator alloc;
    /** Size asked for at shmget, bytes. */
    public long size;
    /** Physical address of each page, 0 while never touched. */
    public final long[] frames;
    /** Mappings (VMAs) of the segment in every address space. */
    public int nattch;
    public long atime, dtime;
    public int cpid, lpid;

    public ShmSegment(IpcNamespace ns, FrameAllocator alloc, long size) {
        this.ns = ns;
        this.alloc = alloc;
        this.size = size;
        this.frames = new long[(int) ((size + 4095) >>> 12)];
    }

    public int pages() { return frames.length; }

    /** What a segment of {@code pages} pages costs in kernel memory (its frame table). */
    static long kernelBytes(long pages) { return 8 * pages + IpcNamespace.OBJECT_BYTES; }

    @Override
    public long frame(long index) {
        if (index < 0 || index >= frames.length || removed) return -1;
        int i = (int) index;
        if (frames[i] == 0) {
            long pa = alloc.alloc();
            if (pa < 0) return -1;
            frames[i] = pa;
        }
        return frames[i];
    }

    @Override
    public void opened() {
        nattch++;
        atime = ns.now();
        lpid = ns.currentPid();
    }

    @Override
    public void closed() {
        nattch--;
        dtime = ns.now();
        lpid = ns.currentPid();
        if (nattch == 0 && (mode & SHM_DEST) != 0) destroy();
    }

    /** IPC_RMID: gone now when nobody is attached, else at the last detach (and the key is released at once). */
    void markDestroyed() {
        if (nattch == 0) {
            destroy();
        } else {
            mode |= SHM_DEST;
            key = IPC_PRIVATE;
        }
    }

    /** Frees the frames (pages still mapped keep theirs until unmapped) and the id. */
    void destroy() {
        if (removed) return;
        removed = true;
        for (int i = 0; i < frames.length; i++) {
            if (frames[i] != 0) alloc.release(frames[i]);
            frames[i] = 0;
        }
        ns.shmTotPages -= frames.length;
        ns.budget.release(kernelBytes(frames.length));
        ns.shm.remove(this);
    }
}
