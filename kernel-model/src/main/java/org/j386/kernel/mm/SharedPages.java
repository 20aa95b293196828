package org.j386.kernel.mm;

/**
 * Pages that several address spaces map at once and that outlive any one mapping: a SysV
 * shared memory segment. A VMA that has them ({@link Vma#shared}) takes its frames from here
 * instead of allocating its own, and tells the owner when a mapping of it appears (fork, a
 * split) or goes away (munmap, exit, execve), so the owner can count attachments.
 */
public interface SharedPages {
    /**
     * Physical address of page {@code index} (allocated, zeroed, on first use; the owner keeps
     * one reference), or -1 when memory is exhausted or the index lies past the end.
     */
    long frame(long index);

    /** One more VMA maps these pages. */
    void opened();

    /** A VMA that mapped these pages is gone. */
    void closed();
}
