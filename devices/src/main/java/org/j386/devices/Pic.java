package org.j386.devices;

import org.j386.mmu.IoBus;

/**
 * The two cascaded 8259A interrupt controllers of a PC: the master on ports 0x20/0x21 with
 * IRQ 0-7, the slave on 0xA0/0xA1 with IRQ 8-15 on the master's IRQ 2. Edge-triggered,
 * fully nested: initialisation words ICW1-ICW4 (vector base, automatic EOI), the mask
 * (OCW1), specific and non-specific EOI (OCW2), and reading IRR or ISR (OCW3). Special mask,
 * poll and rotation modes are not modelled.
 */
public final class Pic {
    /** One 8259A. */
    static final class Chip implements IoBus.Port {
        int irr, isr, imr;
        int base;
        boolean autoEoi;
        boolean readIsr;
        /** 0: operational; 2, 3, 4: the next data write is ICW2, ICW3, ICW4. */
        int initStep;
        boolean needIcw3, needIcw4;

        /** Highest-priority requested, unmasked IRQ not blocked by one in service, or -1. */
        int pending() {
            int req = irr & ~imr;
            for (int i = 0; i < 8; i++) {
                if ((isr & (1 << i)) != 0) return -1; // in service at equal or higher priority
                if ((req & (1 << i)) != 0) return i;
            }
            return -1;
        }

        void ack(int irq) {
            irr &= ~(1 << irq);
            if (!autoEoi) isr |= 1 << irq;
        }

        @Override
        public int in(int port, int size) {
            if ((port & 1) == 0) return readIsr ? isr : irr;
            return imr;
        }

        @Override
        public void out(int port, int size, int value) {
            value &= 0xff;
            if ((port & 1) == 0) {
                if ((value & 0x10) != 0) { // ICW1
                    initStep = 2;
                    needIcw3 = (value & 2) == 0;
                    needIcw4 = (value & 1) != 0;
                    imr = 0;
                    isr = 0;
                    irr = 0;
                    autoEoi = false;
                    readIsr = false;
                } else if ((value & 0x08) == 0) { // OCW2
                    int cmd = value >>> 5;
                    if (cmd == 1) { // non-specific EOI: the highest-priority bit in service
                        if (isr != 0) isr &= isr - 1;
                    } else if (cmd == 3) { // specific EOI
                        isr &= ~(1 << (value & 7));
                    }
                } else if ((value & 2) != 0) { // OCW3 with RR: select IRR or ISR for reads
                    readIsr = (value & 1) != 0;
                }
                return;
            }
            switch (initStep) {
                case 2:
                    base = value & 0xf8;
                    initStep = needIcw3 ? 3 : needIcw4 ? 4 : 0;
                    return;
                case 3:
                    initStep = needIcw4 ? 4 : 0;
                    return;
                case 4:
                    autoEoi = (value & 2) != 0;
                    initStep = 0;
                    return;
                default:
                    imr = value;
            }
        }
    }

    final Chip master = new Chip(), slave = new Chip();

    public Pic() {
        // what a BIOS would program; until then nothing is delivered anyway (all masked is not
        // the reset state of the chip, but no IRQ is raised before software sets things up)
        master.base = 0x08;
        slave.base = 0x70;
    }

    public void attach(IoBus io) {
        io.register(0x20, 2, master);
        io.register(0xa0, 2, slave);
    }

    /** An edge on IRQ line {@code irq} (0-15). */
    public void raise(int irq) {
        if (irq < 8) master.irr |= 1 << irq;
        else {
            slave.irr |= 1 << (irq - 8);
        }
    }

    /** True when IRQ line {@code irq} is masked (for the slave's lines: at the slave or at the master's IRQ 2). */
    public boolean masked(int irq) {
        if (irq < 8) return (master.imr & (1 << irq)) != 0;
        return (slave.imr & (1 << (irq - 8))) != 0 || (master.imr & 4) != 0;
    }

    /** The vector the CPU would get now, or -1 when no interrupt is pending. */
    public int pendingVector() {
        syncCascade();
        int m = master.pending();
        if (m < 0) return -1;
        if (m == 2) {
            int s = slave.pending();
            if (s < 0) return -1;
            return slave.base | s;
        }
        return master.base | m;
    }

    /** INTA: takes the pending interrupt into service and returns its vector (-1 when none). */
    public int acknowledge() {
        syncCascade();
        int m = master.pending();
        if (m < 0) return -1;
        if (m == 2) {
            int s = slave.pending();
            if (s < 0) return -1;
            slave.ack(s);
            master.ack(2);
            return slave.base | s;
        }
        master.ack(m);
        return master.base | m;
    }

    /** The slave's request line is the master's IRQ 2. */
    private void syncCascade() {
        if (slave.pending() >= 0) master.irr |= 4;
        else master.irr &= ~4;
    }
}
