package org.j386.devices;

import org.j386.mmu.IoBus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The interrupt controllers' priorities and cascade, and the timer's time base, at the port level. */
class PicPitTest {
    private final IoBus io = new IoBus();
    private final Pic pic = new Pic();

    PicPitTest() {
        pic.attach(io);
        // ICW1-ICW4 for both chips: master at 0x20, slave at 0x28, cascade on IRQ 2
        io.out(0x20, 1, 0x11); io.out(0x21, 1, 0x20); io.out(0x21, 1, 0x04); io.out(0x21, 1, 0x01);
        io.out(0xa0, 1, 0x11); io.out(0xa1, 1, 0x28); io.out(0xa1, 1, 0x02); io.out(0xa1, 1, 0x01);
    }

    @Test
    void lowestIrqFirstAndInServiceBlocksLowerPriority() {
        pic.raise(5);
        pic.raise(3);
        assertEquals(0x23, pic.acknowledge());
        assertEquals(-1, pic.pendingVector(), "IRQ 5 waits while IRQ 3 is in service");
        pic.raise(1);
        assertEquals(0x21, pic.acknowledge(), "a higher priority IRQ nests");
        io.out(0x20, 1, 0x20); // non-specific EOI: IRQ 1
        io.out(0x20, 1, 0x0b);
        assertEquals(1 << 3, io.in(0x20, 1), "ISR after one EOI");
        io.out(0x20, 1, 0x63); // specific EOI for IRQ 3
        assertEquals(0x25, pic.acknowledge());
    }

    @Test
    void slaveInterruptsGoThroughIrq2() {
        pic.raise(12);
        assertEquals(0x2c, pic.pendingVector());
        assertEquals(0x2c, pic.acknowledge());
        io.out(0x20, 1, 0x0b);
        assertEquals(1 << 2, io.in(0x20, 1), "master has IRQ 2 in service");
        io.out(0xa0, 1, 0x0b);
        assertEquals(1 << 4, io.in(0xa0, 1), "slave has IRQ 12 in service");
    }

    @Test
    void maskHoldsRequests() {
        io.out(0x21, 1, 0x01);
        pic.raise(0);
        assertEquals(-1, pic.pendingVector());
        io.out(0x20, 1, 0x0a);
        assertEquals(1, io.in(0x20, 1), "the request is in IRR");
        io.out(0x21, 1, 0x00);
        assertEquals(0x20, pic.pendingVector());
    }

    @Test
    void timerTicksAtItsFrequency() {
        assertEquals(0, Pit.ticksAt(0));
        assertEquals(Pit.HZ, Pit.ticksAt(1_000_000_000L));
        assertEquals(1, Pit.ticksAt(839));      // one tick is 838.1 ns
        assertEquals(0, Pit.ticksAt(838));
        assertEquals(839, Pit.nanosAt(1));
        long big = 10_000L * 1_000_000_000L;    // ten thousand virtual seconds: no overflow
        assertEquals(10_000L * Pit.HZ, Pit.ticksAt(big));
        for (long t : new long[] {1, 2, 1193, 65536, 1_193_183, 123_456_789_012L})
            assertEquals(t, Pit.ticksAt(Pit.nanosAt(t)), "tick " + t);
    }

    @Test
    void rateGeneratorRaisesIrq0EveryPeriod() {
        long[] now = {0};
        Pit pit = new Pit(() -> now[0]);
        pit.attach(io);
        io.out(0x43, 1, 0x34);
        io.out(0x40, 1, 100);
        io.out(0x40, 1, 0);
        io.out(0x21, 1, 0xfe);
        long edge = pit.nextEventNanos();
        assertEquals(Pit.nanosAt(100), edge);
        now[0] = edge - 1;
        pit.update(pic);
        assertEquals(-1, pic.pendingVector(), "not before the 100th tick");
        now[0] = edge;
        pit.update(pic);
        assertEquals(0x20, pic.acknowledge());
        assertEquals(Pit.nanosAt(200), pit.nextEventNanos());
        now[0] = Pit.nanosAt(150);
        io.out(0x43, 1, 0x00); // latch
        int lo = io.in(0x40, 1), hi = io.in(0x40, 1);
        assertEquals(50, lo | hi << 8);
    }
}
