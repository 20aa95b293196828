package org.j386.devices;

import org.j386.mmu.PhysicalBus;

/**
 * A raw ROM image on the physical bus, where a PC's firmware flash sits: the whole image ends
 * at 0xFFFFFFFF (where the reset vector at 0xFFFFFFF0 is fetched), and its last 128 KiB (or
 * all of it, if smaller) is aliased so that it ends at 0xFFFFF, the legacy BIOS area below
 * 1 MiB. Reads return the image; writes are ignored, as they are on a real ROM.
 */
public final class RomBus implements PhysicalBus {
    public static final int MIN_SIZE = 64 << 10;
    public static final int MAX_SIZE = 1 << 20;
    /** The largest part of the image that appears below 1 MiB (0xE0000-0xFFFFF). */
    public static final int LOW_WINDOW = 128 << 10;

    private final byte[] image;
    private final long highStart;
    private final long lowStart;
    private final int lowOffset;

    /**
     * @throws IllegalArgumentException when the size is not a multiple of 64 KiB between
     *         64 KiB and 1 MiB (the message says which)
     */
    public RomBus(byte[] image) {
        checkSize(image.length);
        this.image = image;
        this.highStart = (1L << 32) - image.length;
        int low = Math.min(image.length, LOW_WINDOW);
        this.lowStart = 0x100000L - low;
        this.lowOffset = image.length - low;
    }

    /** Rejects image sizes this bus cannot map, with a message for the user. */
    public static void checkSize(long size) {
        if (size == 0) throw new IllegalArgumentException("the ROM image is empty");
        if (size % MIN_SIZE != 0)
            throw new IllegalArgumentException("the ROM image is " + size + " bytes; its size must be a multiple of 64 KiB (65536 bytes)");
        if (size > MAX_SIZE)
            throw new IllegalArgumentException("the ROM image is " + size + " bytes; at most 1 MiB is supported");
    }

    /** First physical address of the copy below 1 MiB. */
    public long lowStart() { return lowStart; }

    /** First physical address of the copy below 4 GiB. */
    public long highStart() { return highStart; }

    /** Offset into the image of {@code pa}, or -1 when the ROM does not decode it. */
    private long offset(long pa) {
        if (pa >= highStart && pa < (1L << 32)) return pa - highStart;
        if (pa >= lowStart && pa < 0x100000L) return pa - lowStart + lowOffset;
        return -1;
    }

    @Override
    public boolean claims(long frame) {
        return offset(frame) >= 0;
    }

    @Override
    public int read(long pa, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) {
            long off = offset(pa + i);
            v = v << 8 | (off < 0 ? 0xff : image[(int) off] & 0xff);
        }
        return v;
    }

    @Override
    public void write(long pa, int size, int value) {
        // ROM: writes have no effect
    }
}
