package org.j386.kernel.fs;

import org.j386.kernel.mm.FrameAllocator;
import org.j386.kernel.mm.SharedPages;
import org.j386.mmu.PhysicalMemory;

import java.util.TreeMap;

/**
 * The cached pages of one file that MAP_SHARED mappings share: every mapping of the file, in
 * every process, maps the same frames, so a store through one is seen by all. Pages are read
 * from the file on first use and written back on msync, when the last mapping goes, and before
 * the file is read through a descriptor; a write through a descriptor refreshes them. Writing
 * back never extends the file: the part of a page past the end of the file stays in memory
 * only, as in Linux.
 */
public final class FilePages implements SharedPages {
    private final PageCache cache;
    final Object key;
    /** An open file of the mapped file, held while any mapping exists (for reads and write-back; a writable one once any is offered). */
    private OpenFile file;
    private final PhysicalMemory ram;
    private final FrameAllocator frames;
    /** Page index to frame. */
    private final TreeMap<Long, Long> pages = new TreeMap<>();
    private int mappings;
    private final byte[] buf = new byte[4096];

    FilePages(PageCache cache, Object key, OpenFile file, PhysicalMemory ram, FrameAllocator frames) {
        this.cache = cache;
        this.key = key;
        this.file = file;
        this.ram = ram;
        this.frames = frames;
        file.get();
    }

    /** Another descriptor maps the file: if it can write and the held one cannot, write-back goes through it. */
    void offer(OpenFile f) {
        if (file.writable() || !f.writable()) return;
        f.get();
        file.put();
        file = f;
    }

    @Override
    public long frame(long index) {
        Long pa = pages.get(index);
        if (pa != null) return pa;
        long f = frames.alloc();
        if (f < 0) return -1;
        load(index, f);
        pages.put(index, f);
        return f;
    }

    private void load(long index, long frame) {
        java.util.Arrays.fill(buf, (byte) 0);
        long off = index << 12;
        int done = 0;
        try {
            while (done < 4096) {
                int n = file.pread(buf, done, 4096 - done, off + done);
                if (n <= 0) break;
                done += n;
            }
        } catch (org.j386.kernel.SyscallException e) {
            // an unreadable region maps as zeros (Linux would SIGBUS past the end of the file)
        }
        ram.write(frame, buf, 0, 4096);
    }

    @Override
    public void opened() {
        mappings++;
    }

    @Override
    public void closed() {
        if (--mappings > 0) return;
        writeBack(0, Long.MAX_VALUE);
        for (long pa : pages.values()) frames.release(pa);
        pages.clear();
        cache.drop(this);
        file.put();
    }

    /** The open file the pages are read from and written back through (a checkpoint names it by path). */
    public OpenFile file() {
        return file;
    }

    /** msync of file range [from, to). */
    public void sync(long from, long to) {
        writeBack(from, to);
    }

    /** Writes the cached pages of file range [from, to) back to the file, up to its current size. */
    void writeBack(long from, long to) {
        if (pages.isEmpty() || !file.writable()) return; // only read-only mappings: nothing to write
        long size;
        try {
            size = file.stat().size;
        } catch (org.j386.kernel.SyscallException e) {
            return;
        }
        for (var e : pages.subMap(from >>> 12, true, Math.max(0, (to - 1) >>> 12), true).entrySet()) {
            long off = e.getKey() << 12;
            int n = (int) Math.min(4096, size - off);
            if (n <= 0) continue;
            ram.read(e.getValue(), buf, 0, n);
            int done = 0;
            try {
                while (done < n) {
                    int w = file.pwrite(buf, done, n - done, off + done);
                    if (w <= 0) break;
                    done += w;
                }
            } catch (org.j386.kernel.SyscallException ex) {
                return; // the file cannot take it (read-only open): the mapping was read-only too
            }
        }
    }

    /** The file changed under the cache (write, truncate): cached pages of [from, to) are read again. */
    void reload(long from, long to) {
        for (var e : pages.subMap(from >>> 12, true, Math.max(0, (to - 1) >>> 12), true).entrySet()) load(e.getKey(), e.getValue());
    }
}
