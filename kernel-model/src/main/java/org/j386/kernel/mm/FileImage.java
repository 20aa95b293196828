package org.j386.kernel.mm;

/**
 * The bytes a private file mapping pages in from: a snapshot of the file region taken at map
 * time, with a limit past which the mapping reads zeros (the ELF bss tail of a data page).
 */
public final class FileImage {
    private final byte[] data;
    /** File offset of data[0]. */
    private final long base;
    /** File offsets at or beyond this read as zero. */
    private final long limit;

    public FileImage(byte[] data, long base, long limit) {
        this.data = data;
        this.base = base;
        this.limit = limit;
    }

    /** Copies the 4 KiB page at file offset {@code off} into {@code page} (zero beyond the limit or the data). */
    public void readPage(long off, byte[] page) {
        java.util.Arrays.fill(page, (byte) 0);
        long from = Math.max(off, base);
        long to = Math.min(Math.min(off + 4096, limit), base + data.length);
        if (to > from) System.arraycopy(data, (int) (from - base), page, (int) (from - off), (int) (to - from));
    }

    /** Takes the file bytes of a page: {@code len} bytes of {@code src} from {@code srcOff}, at {@code pageOff} in the page. */
    @FunctionalInterface
    public interface PageBytes {
        void take(byte[] src, int srcOff, int pageOff, int len);
    }

    /**
     * Hands the file bytes of the 4 KiB page at file offset {@code off} to {@code to}, once
     * (length 0 when the page is all zeros); the rest of the page is zero. Like
     * {@link #readPage} without a copy in between (a checkpoint copies them off-heap).
     */
    public void copyPage(long off, PageBytes to) {
        long from = Math.max(off, base);
        long end = Math.min(Math.min(off + 4096, limit), base + data.length);
        if (end > from) to.take(data, (int) (from - base), (int) (from - off), (int) (end - from));
        else to.take(data, 0, 0, 0);
    }

    /** The same bytes with a different zero limit. */
    public FileImage withLimit(long newLimit) {
        return new FileImage(data, base, newLimit);
    }
}
