package org.j386.kernel.fs;

import org.j386.kernel.mm.FrameAllocator;
import org.j386.mmu.PhysicalMemory;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared file pages of MAP_SHARED mappings, one {@link FilePages} per file identity (the
 * same key that record locks use), and the hooks that keep them coherent with read and write
 * through descriptors.
 */
public final class PageCache {
    private final Map<Object, FilePages> files = new HashMap<>();
    private final PhysicalMemory ram;
    private final FrameAllocator frames;

    public PageCache(PhysicalMemory ram, FrameAllocator frames) {
        this.ram = ram;
        this.frames = frames;
    }

    /** The shared pages of {@code f}'s file, created on first use. */
    public FilePages pagesOf(OpenFile f) {
        Object key = f.lockKey();
        if (key == null) throw new org.j386.kernel.SyscallException(org.j386.kernel.Errno.ENODEV);
        FilePages p = files.computeIfAbsent(key, k -> new FilePages(this, k, f, ram, frames));
        p.offer(f);
        return p;
    }

    void drop(FilePages p) {
        files.remove(p.key, p);
    }

    /** Before a read through a descriptor: stores made through mappings reach the file first. */
    void beforeRead(OpenFile f) {
        if (files.isEmpty()) return;
        FilePages p = files.get(f.lockKey());
        if (p != null) p.writeBack(0, Long.MAX_VALUE);
    }

    /** Before a write through a descriptor: the mappings' stores go first, so the write lands on top of them. */
    void beforeWrite(OpenFile f) {
        beforeRead(f);
    }

    /** After a write through a descriptor of [at, at+n): the mappings see the new bytes. */
    void afterWrite(OpenFile f, long at, long n) {
        if (files.isEmpty() || n <= 0) return;
        FilePages p = files.get(f.lockKey());
        if (p != null) p.reload(at, at + n);
    }
}
