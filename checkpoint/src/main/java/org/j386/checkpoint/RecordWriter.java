package org.j386.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Writes the image as a stream of records (u16 type, u16 zero, u32 length, payload), never
 * seeking, with a CRC32 over every byte before the tail record. A record is built in a
 * growable buffer and written whole, except PAGES: its addresses and contents go from the
 * off-heap {@link PageArray} to the output as they are.
 */
final class RecordWriter {
    private final ImageOutput out;
    private final CRC32 crc = new CRC32();
    private final byte[] head = new byte[8];
    private final ByteBuffer headBuf = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    private int records;
    private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private int type = -1;

    RecordWriter(OutputStream out) throws IOException {
        this.out = new ImageOutput(out);
        emit(Image.MAGIC, 0, Image.MAGIC.length);
        byte[] v = {(byte) Image.VERSION, 0, 0, 0};
        emit(v, 0, 4);
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        crc.update(b, off, len);
        out.write(b, off, len);
    }

    RecordWriter begin(int type) {
        if (this.type != -1) throw new IllegalStateException("record " + this.type + " was not ended");
        this.type = type;
        buf.clear();
        return this;
    }

    private void room(int n) {
        if (buf.remaining() < n) {
            ByteBuffer b = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            b.put(buf);
            buf = b;
        }
    }

    RecordWriter u16(int v) { room(2); buf.putShort((short) v); return this; }
    RecordWriter u32(int v) { room(4); buf.putInt(v); return this; }
    RecordWriter u64(long v) { room(8); buf.putLong(v); return this; }
    RecordWriter bytes(byte[] b, int off, int len) { room(len); buf.put(b, off, len); return this; }

    RecordWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        return bytes(b, 0, b.length);
    }

    void end() throws IOException {
        headBuf.clear();
        headBuf.putShort((short) type).putShort((short) 0).putInt(buf.position());
        emit(head, 0, 8);
        emit(buf.array(), 0, buf.position());
        records++;
        type = -1;
    }

    /** One PAGES record: the count, the addresses and the contents of the array's pages (at least one). */
    void pages(PageArray pa) throws IOException {
        pages(Image.PAGES, pa);
    }

    /**
     * A record of type {@code type} whose payload is the u32 words {@code leading} (an object
     * id, say), then the count, the addresses and the contents of the array's pages (at least
     * one), the contents written from the off-heap array as they are. For other records that
     * carry pages the way PAGES does (shared memory segments, shared pages).
     */
    void pages(int type, PageArray pa, int... leading) throws IOException {
        if (this.type != -1) throw new IllegalStateException("record " + this.type + " was not ended");
        int n = pa.size();
        if (n == 0) throw new IllegalStateException("a page record without pages");
        headBuf.clear();
        headBuf.putShort((short) type).putShort((short) 0).putInt(4 * leading.length + 4 + n * (4 + PageArray.PAGE_SIZE));
        emit(head, 0, 8);
        for (int v : leading) {
            headBuf.clear();
            headBuf.putInt(v);
            emit(head, 0, 4);
        }
        headBuf.clear();
        headBuf.putInt(n);
        emit(head, 0, 4);
        emit(pa.addressesBuffer());
        emit(pa.contentsBuffer());
        records++;
    }

    private void emit(ByteBuffer direct) throws IOException {
        crc.update(direct);
        direct.flip();
        out.write(direct);
    }

    /** The tail: record count and the CRC32 of everything before the tail record. */
    void finish() throws IOException {
        int sum = (int) crc.getValue();
        int count = records;
        begin(Image.TAIL).u32(count).u32(sum);
        headBuf.clear();
        headBuf.putShort((short) Image.TAIL).putShort((short) 0).putInt(buf.position());
        out.write(head, 0, 8);
        out.write(buf.array(), 0, buf.position());
        out.flush();
    }
}
