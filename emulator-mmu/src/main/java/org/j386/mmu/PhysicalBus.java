package org.j386.mmu;

/** Physical address space outside plain RAM: ROM images and memory-mapped devices. */
public interface PhysicalBus {
    /** True when the 4 KiB frame at {@code frame} is handled by this bus rather than by RAM. */
    boolean claims(long frame);

    int read(long pa, int size);

    void write(long pa, int size, int value);
}
