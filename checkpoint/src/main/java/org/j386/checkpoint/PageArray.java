package org.j386.checkpoint;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.UnsafeMemory;
import org.j386.mmu.PhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A page array, the {@code pgarr} of the Linux-CR series: up to {@link #capacity()} pages,
 * each a 32-bit user address and its 4096 bytes of contents, held off-heap in one Chronicle
 * native store, so that page contents go from guest frames to the image stream (and back)
 * without passing through the Java heap.
 *
 * <p>Layout of the store: the addresses as little-endian u32, {@code capacity} slots, then the
 * contents, {@code capacity} pages of 4096 bytes. The first {@link #size()} slots of each part
 * are in use, so the addresses and contents of a full or partly filled array are exactly the
 * two halves of a PAGES record's payload after its count (docs/image-format.md).
 *
 * <p>Use: <pre>{@code
 * try (PageArray pa = new PageArray(Image.PAGES_PER_CHUNK)) {   // one per checkpoint, reused
 *     pa.addFrame(addr, ram, frame);       // copy a guest frame in (nothing allocated)
 *     if (pa.isFull()) { w.pages(pa); pa.clear(); }              // RecordWriter: one PAGES record
 * }
 * }</pre>
 * and on restart {@code pa.copyToFrame(i, ram, frame)} for each slot {@code i}. Writers of
 * other page-holding records (shared memory segments, pages shared copy-on-write) fill an
 * array the same way and write it with {@code RecordWriter.pages(type, pa, leading u32
 * words...)}; their readers make an array of the record's count, {@link #setSize},
 * {@link #setAddress} for each slot, then {@code ImageInput.readFully(pa.contentsBuffer())}
 * (and the CRC over that buffer), as {@code ImageReader.readPages} does for PAGES.
 *
 * <p>The memory is released by {@link #close()} (deterministically: callers use
 * try-with-resources, also on errors); a closed array must not be used again. Not thread-safe.
 */
public final class PageArray implements AutoCloseable {
    public static final int PAGE_SIZE = PhysicalMemory.PAGE_SIZE;

    private final int capacity;
    private final BytesStore<?, Void> store;
    private final long addrs, data;
    /** The addresses for indexed access (limit never changes), and the views handed out for I/O (limits set per use). */
    private final ByteBuffer addrIndex, addrView, dataView;
    private int size;
    private boolean closed;

    /** An empty array for up to {@code capacity} pages (1 to 65536). */
    public PageArray(int capacity) {
        if (capacity <= 0 || capacity > 65536) throw new IllegalArgumentException("page array capacity " + capacity);
        this.capacity = capacity;
        long bytes = (long) capacity * (4 + PAGE_SIZE);
        this.store = BytesStore.lazyNativeBytesStoreWithFixedCapacity(bytes); // not zeroed: every slot is written before it is read
        this.addrs = store.addressForRead(0);
        this.data = addrs + 4L * capacity;
        ByteBuffer all = ((net.openhft.chronicle.bytes.internal.NativeBytesStore<?>) store).toTemporaryDirectByteBuffer();
        all.limit((int) bytes);
        this.addrIndex = all.duplicate().position(0).limit(4 * capacity).slice().order(ByteOrder.LITTLE_ENDIAN);
        this.addrView = addrIndex.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.dataView = all.duplicate().position(4 * capacity).limit((int) bytes).slice();
    }

    public int capacity() { return capacity; }

    /** Pages in use (slots 0 to size-1). */
    public int size() { return size; }

    public boolean isFull() { return size == capacity; }

    public boolean isEmpty() { return size == 0; }

    /** Forgets the pages (the memory stays, for the next chunk: Linux-CR's pgarr reset). */
    public void clear() { size = 0; }

    /** The user address of slot {@code i}. */
    public int address(int i) {
        check(i);
        return addrIndex.getInt(4 * i);
    }

    /** Appends page {@code address} with the 4096 bytes of RAM at physical address {@code frame}. */
    public void addFrame(int address, PhysicalMemory ram, long frame) {
        if (!ram.contains(frame, PAGE_SIZE)) throw new IndexOutOfBoundsException("frame 0x" + Long.toHexString(frame) + " outside RAM");
        long to = slot(address);
        UnsafeMemory.copyMemory(ram.hostAddress(frame), to, PAGE_SIZE);
        size++;
    }

    /**
     * Appends page {@code address} whose contents are zero but for {@code len} bytes of
     * {@code src} from {@code srcOff}, placed at {@code pageOff} in the page (a file-backed page
     * not touched yet: file bytes, then zeros past the end of the file).
     */
    public void addBytes(int address, byte[] src, int srcOff, int pageOff, int len) {
        if (len < 0 || pageOff < 0 || pageOff + len > PAGE_SIZE || srcOff < 0 || srcOff + len > src.length)
            throw new IndexOutOfBoundsException("page bytes " + srcOff + "+" + len + " at " + pageOff);
        long to = slot(address);
        UnsafeMemory.MEMORY.setMemory(to, PAGE_SIZE, (byte) 0);
        if (len > 0) UnsafeMemory.MEMORY.copyMemory(src, srcOff, to + pageOff, len);
        size++;
    }

    /** Copies the contents of slot {@code i} to RAM at physical address {@code frame}. */
    public void copyToFrame(int i, PhysicalMemory ram, long frame) {
        check(i);
        if (!ram.contains(frame, PAGE_SIZE)) throw new IndexOutOfBoundsException("frame 0x" + Long.toHexString(frame) + " outside RAM");
        UnsafeMemory.copyMemory(data + (long) i * PAGE_SIZE, ram.hostAddress(frame), PAGE_SIZE);
    }

    /** Sets the address of slot {@code i} (a reader filling the array; {@link #setSize} first). */
    public void setAddress(int i, int address) {
        check(i);
        addrIndex.putInt(4 * i, address);
    }

    /** Marks slots 0 to n-1 in use, their contents to be filled (by a reader) through {@link #contentsBuffer()}. */
    public void setSize(int n) {
        if (n < 0 || n > capacity) throw new IndexOutOfBoundsException("page array of " + capacity + " pages cannot hold " + n);
        if (closed) throw new IllegalStateException("page array closed");
        size = n;
    }

    /**
     * The addresses of the pages in use as little-endian u32 (position 0, limit 4 * size), a
     * direct view of the off-heap memory for writing to a channel or checksum; not a copy,
     * the same buffer object each time.
     */
    public ByteBuffer addressesBuffer() {
        if (closed) throw new IllegalStateException("page array closed");
        addrView.clear().limit(4 * size);
        return addrView;
    }

    /** The contents of the pages in use (position 0, limit 4096 * size), a direct view like {@link #addressesBuffer()}. */
    public ByteBuffer contentsBuffer() {
        if (closed) throw new IllegalStateException("page array closed");
        dataView.clear().limit(PAGE_SIZE * size);
        return dataView;
    }

    /** Releases the off-heap memory; later calls do nothing. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        size = 0;
        store.releaseLast();
    }

    private long slot(int address) {
        if (closed) throw new IllegalStateException("page array closed");
        if (size == capacity) throw new IllegalStateException("page array full (" + capacity + " pages)");
        addrIndex.putInt(4 * size, address);
        return data + (long) size * PAGE_SIZE;
    }

    private void check(int i) {
        if (closed) throw new IllegalStateException("page array closed");
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("page slot " + i + " of " + size);
    }
}
