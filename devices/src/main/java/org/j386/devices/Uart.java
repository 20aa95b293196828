package org.j386.devices;

import org.j386.mmu.IoBus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A 16550A UART (COM1 at 0x3F8, IRQ 4). The transmitter is infinitely fast: a byte written to
 * THR goes straight to the host stream (or, in loopback, to the receiver), so LSR always
 * reports THR empty and the transmitter idle. Registers: RBR/THR, IER, IIR/FCR, LCR (DLAB
 * selects the divisor latch at offsets 0 and 1), MCR (loopback, OUT2), LSR, MSR, scratch.
 * Interrupts: received data available (IER bit 0) and THR empty (IER bit 1), reported in IIR
 * by priority and raised on the IRQ line only while MCR.OUT2 is set, as on a PC.
 */
public final class Uart implements IoBus.Port {
    public static final int COM1 = 0x3f8, IRQ = 4;

    private final int base;
    private final Runnable irq;
    private OutputStream out;
    private long bytes;

    private int ier, lcr, mcr, scratch, fcr;
    private int dll = 12, dlm; // 9600 baud after reset on most firmware; the chip's own reset leaves it undefined
    /** Receiver FIFO (16 bytes; only loopback feeds it). */
    private final byte[] rx = new byte[16];
    private int rxHead, rxCount;
    private boolean overrun;
    /** A THR-empty interrupt is pending (set when THR empties or the interrupt is enabled, cleared by reading IIR or writing THR). */
    private boolean threPending;
    private boolean irqLine;

    /**
     * @param out where transmitted bytes go (null: discarded)
     * @param irq raises the UART's IRQ edge on the interrupt controller
     */
    public Uart(int base, OutputStream out, Runnable irq) {
        this.base = base;
        this.out = out;
        this.irq = irq;
    }

    public void attach(IoBus io) {
        io.register(base, 8, this);
    }

    /** Where transmitted bytes go from now on (null: discarded). */
    public void output(OutputStream out) { this.out = out; }

    /** Bytes transmitted to the host stream so far. */
    public long bytes() { return bytes; }

    @Override
    public int in(int port, int size) {
        int v = read(port - base);
        return size == 1 ? v : v | (size == 2 ? 0xff00 : 0xffffff00);
    }

    private int read(int reg) {
        boolean dlab = (lcr & 0x80) != 0;
        switch (reg) {
            case 0: {
                if (dlab) return dll;
                int v = 0;
                if (rxCount > 0) {
                    v = rx[rxHead] & 0xff;
                    rxHead = (rxHead + 1) & 15;
                    rxCount--;
                }
                updateIrq();
                return v;
            }
            case 1: return dlab ? dlm : ier;
            case 2: {
                int id = interruptId();
                if (id == 0x02) threPending = false; // reading IIR acknowledges THR empty
                updateIrq();
                return id | ((fcr & 1) != 0 ? 0xc0 : 0);
            }
            case 3: return lcr;
            case 4: return mcr;
            case 5: {
                int v = 0x60 | (rxCount > 0 ? 1 : 0) | (overrun ? 2 : 0); // THRE and TEMT always
                overrun = false;
                return v;
            }
            case 6: {
                if ((mcr & 0x10) != 0) { // loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD
                    return ((mcr & 2) << 3) | ((mcr & 1) << 5) | ((mcr & 4) << 4) | ((mcr & 8) << 4);
                }
                return 0xb0; // CTS, DSR, DCD: a host terminal is always there
            }
            default: return scratch;
        }
    }

    /** IIR bits 0-3: 0x04 data available, 0x02 THR empty, 0x01 nothing pending. */
    private int interruptId() {
        if ((ier & 1) != 0 && rxCount > 0) return 0x04;
        if ((ier & 2) != 0 && threPending) return 0x02;
        return 0x01;
    }

    @Override
    public void out(int port, int size, int value) {
        write(port - base, value & 0xff);
    }

    private void write(int reg, int v) {
        boolean dlab = (lcr & 0x80) != 0;
        switch (reg) {
            case 0:
                if (dlab) { dll = v; return; }
                transmit(v);
                threPending = true; // the byte left at once: THR is empty again
                break;
            case 1:
                if (dlab) { dlm = v; return; }
                if ((v & 2) != 0 && (ier & 2) == 0) threPending = true; // enabling it with THR empty
                ier = v & 0x0f;
                break;
            case 2:
                fcr = v & 0xc9;
                if ((v & 2) != 0) { rxCount = 0; rxHead = 0; }
                break;
            case 3: lcr = v; return;
            case 4: mcr = v & 0x1f; break;
            case 7: scratch = v; return;
            default: return; // LSR and MSR are read-only
        }
        updateIrq();
    }

    private void transmit(int v) {
        if ((mcr & 0x10) != 0) { // loopback: the byte comes back to the receiver
            if (rxCount == 16) { overrun = true; return; }
            rx[(rxHead + rxCount) & 15] = (byte) v;
            rxCount++;
            return;
        }
        bytes++;
        if (out == null) return;
        try {
            out.write(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raises an IRQ edge when the interrupt output goes active (it is gated by MCR.OUT2). */
    private void updateIrq() {
        boolean line = interruptId() != 0x01 && (mcr & 0x08) != 0;
        if (line && !irqLine) irq.run();
        irqLine = line;
    }

    public void flush() {
        if (out == null) return;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
