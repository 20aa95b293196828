package org.j386.tests;

import org.j386.checkpoint.PageArray;
import org.j386.mmu.PhysicalMemory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The off-heap page array: frames in and out, file bytes with zeros, the I/O views, reuse after a partial chunk, release. */
class PageArrayTest {
    @Test
    void framesGoInAndOutAndTheViewsAreTheRecordBytes() {
        try (PhysicalMemory ram = new PhysicalMemory(1 << 20); PageArray pa = new PageArray(4)) {
            for (int i = 0; i < 4096; i++) ram.writeByte(0x3000 + i, i * 7);
            pa.addFrame(0x08048000, ram, 0x3000);
            pa.addBytes(0x08049000, new byte[] {1, 2, 3, 4, 5}, 1, 100, 3);
            assertEquals(2, pa.size());
            assertEquals(0x08049000, pa.address(1));

            ByteBuffer a = pa.addressesBuffer();
            assertEquals(8, a.remaining());
            assertEquals(0x08048000, a.order(ByteOrder.LITTLE_ENDIAN).getInt(0));
            ByteBuffer c = pa.contentsBuffer();
            assertEquals(2 * 4096, c.remaining());
            assertEquals((byte) (5 * 7), c.get(5));
            assertEquals(0, c.get(4096 + 99));
            assertEquals(2, c.get(4096 + 100));
            assertEquals(4, c.get(4096 + 102));
            assertEquals(0, c.get(4096 + 103));

            pa.copyToFrame(1, ram, 0x5000);
            assertEquals(3, ram.readByte(0x5000 + 101));
            assertEquals(0, ram.readByte(0x5000 + 4095));

            // reused after a partial chunk whose views were handed out: the whole capacity is there again
            pa.clear();
            for (int i = 0; i < 4; i++) pa.addFrame(0x1000 * (i + 1), ram, 0x3000);
            assertTrue(pa.isFull());
            assertEquals(0x4000, pa.address(3));
            assertEquals(16, pa.addressesBuffer().remaining());
            assertThrows(IllegalStateException.class, () -> pa.addFrame(0x9000, ram, 0x3000));
            assertThrows(IndexOutOfBoundsException.class, () -> pa.addFrame(0x9000, ram, 1 << 20));
        }
    }

    @Test
    void closedArraysRefuseUseAndCloseTwiceIsHarmless() {
        PageArray pa = new PageArray(1);
        pa.close();
        pa.close();
        assertThrows(IllegalStateException.class, pa::contentsBuffer);
        assertThrows(IllegalStateException.class, () -> pa.setSize(1));
        assertThrows(IllegalArgumentException.class, () -> new PageArray(0));
    }
}
