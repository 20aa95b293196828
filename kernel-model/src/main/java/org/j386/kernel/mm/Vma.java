package org.j386.kernel.mm;

/**
 * A virtual memory area: a page-aligned range of a task's address space with one protection
 * and one backing. Addresses are held as longs so the top of the 4 GiB space compares right.
 */
public final class Vma {
    public static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int SHARED = 1, GROWSDOWN = 2, ANON = 4;
    /** The mapping may never become writable (a SHM_RDONLY attachment: Linux's missing VM_MAYWRITE). */
    public static final int NO_WRITE = 8;

    public long start;
    public long end;
    public int prot;
    public int flags;
    /** File contents for file-backed private mappings (null for anonymous memory). */
    public FileImage file;
    /** File offset of {@link #start}. */
    public long fileOffset;
    /** Name shown in /proc/PID/maps: a path, "[heap]", "[stack]" or "". */
    public String name;
    /** The frames of a SysV shm attachment (null otherwise); {@link #fileOffset} is the offset in the segment. */
    public SharedPages shared;

    public Vma(long start, long end, int prot, int flags, FileImage file, long fileOffset, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.file = file;
        this.fileOffset = fileOffset;
        this.name = name;
    }

    public boolean contains(long a) { return a >= start && a < end; }

    /** A copy covering [s, e) of this one. */
    Vma slice(long s, long e) {
        Vma v = new Vma(s, e, prot, flags, file, file == null && shared == null ? 0 : fileOffset + (s - start), name);
        if (shared != null) {
            v.shared = shared;
            shared.opened();
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format("%08x-%08x %c%c%c%c %s", start, end,
                (prot & PROT_READ) != 0 ? 'r' : '-', (prot & PROT_WRITE) != 0 ? 'w' : '-',
                (prot & PROT_EXEC) != 0 ? 'x' : '-', (flags & SHARED) != 0 ? 's' : 'p', name);
    }
}
