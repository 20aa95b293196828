package org.j386.mmu;

import net.openhft.chronicle.bytes.BytesStore;
import sun.misc.Unsafe;

import java.lang.reflect.Field;

/**
 * Guest physical RAM, held off-heap in a Chronicle native BytesStore.
 *
 * Chronicle owns the allocation (and its release); the hot paths read and write the raw
 * address with Unsafe so that a guest memory access is one bounds-free native load once the
 * software TLB has validated the page. Everything outside the fast path goes through the
 * checked methods here, which ignore writes and read 0xFF beyond the end of RAM, as an
 * unclaimed bus would.
 */
public final class PhysicalMemory implements AutoCloseable {
    public static final int PAGE_SIZE = 4096;
    static final Unsafe U = unsafe();

    private final BytesStore<?, Void> store;
    private final long base;
    private final long size;

    public PhysicalMemory(long sizeBytes) {
        if (sizeBytes <= 0 || (sizeBytes & (PAGE_SIZE - 1)) != 0 || sizeBytes > (1L << 32))
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB up to 4 GiB: " + sizeBytes);
        this.store = BytesStore.nativeStoreWithFixedCapacity(sizeBytes);
        this.base = store.addressForRead(0);
        this.size = sizeBytes;
    }

    /** Bytes of RAM. */
    public long size() { return size; }

    /** Host address of physical address {@code pa}; only valid when {@code pa < size()}. */
    public long hostAddress(long pa) { return base + pa; }

    public boolean contains(long pa, int len) { return pa >= 0 && pa + len <= size; }

    public int readByte(long pa) { return pa >= 0 && pa < size ? U.getByte(base + pa) & 0xff : 0xff; }
    public int readWord(long pa) { return contains(pa, 2) ? U.getShort(base + pa) & 0xffff : readByte(pa) | readByte(pa + 1) << 8; }
    public int readInt(long pa) { return contains(pa, 4) ? U.getInt(base + pa) : readWord(pa) | readWord(pa + 2) << 16; }
    public long readLong(long pa) { return (readInt(pa) & 0xffffffffL) | (long) readInt(pa + 4) << 32; }

    public void writeByte(long pa, int v) { if (pa >= 0 && pa < size) U.putByte(base + pa, (byte) v); }
    public void writeWord(long pa, int v) { if (contains(pa, 2)) U.putShort(base + pa, (short) v); else { writeByte(pa, v); writeByte(pa + 1, v >> 8); } }
    public void writeInt(long pa, int v) { if (contains(pa, 4)) U.putInt(base + pa, v); else { writeWord(pa, v); writeWord(pa + 2, v >> 16); } }
    public void writeLong(long pa, long v) { writeInt(pa, (int) v); writeInt(pa + 4, (int) (v >>> 32)); }

    /** Copies {@code len} bytes from RAM into {@code dst}. Caller guarantees the range is inside RAM. */
    public void read(long pa, byte[] dst, int off, int len) {
        check(pa, len);
        U.copyMemory(null, base + pa, dst, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, len);
    }

    public void write(long pa, byte[] src, int off, int len) {
        check(pa, len);
        U.copyMemory(src, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, null, base + pa, len);
    }

    public void fill(long pa, long len, byte value) {
        check(pa, len);
        U.setMemory(base + pa, len, value);
    }

    /** Copies within RAM (used for copy-on-write and page moves). */
    public void copy(long fromPa, long toPa, long len) {
        check(fromPa, len);
        check(toPa, len);
        U.copyMemory(base + fromPa, base + toPa, len);
    }

    private void check(long pa, long len) {
        if (pa < 0 || len < 0 || pa + len > size)
            throw new IndexOutOfBoundsException("physical range 0x" + Long.toHexString(pa) + "+" + len + " outside RAM");
    }

    @Override
    public void close() { store.releaseLast(); }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
