package org.j386.kernel.tty;

/** A bounded FIFO of bytes; a put into a full ring drops the byte, as a full tty buffer does. */
final class ByteRing {
    private final byte[] ring;
    private int head, count;

    ByteRing(int capacity) {
        ring = new byte[capacity];
    }

    int count() { return count; }

    void put(byte b) {
        if (count == ring.length) return;
        ring[(head + count) % ring.length] = b;
        count++;
    }

    byte takeOne() {
        byte b = ring[head];
        head = (head + 1) % ring.length;
        count--;
        return b;
    }

    int take(byte[] b, int off, int len) {
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) b[off + i] = takeOne();
        return n;
    }

    /** The bytes held, oldest first, left in place. */
    byte[] copy() {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) out[i] = ring[(head + i) % ring.length];
        return out;
    }

    void clear() {
        head = count = 0;
    }
}
