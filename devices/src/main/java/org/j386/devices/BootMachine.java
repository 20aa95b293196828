package org.j386.devices;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

import java.io.OutputStream;

/**
 * A bare PC that boots firmware: RAM, a ROM image on the physical bus, the port-I/O bus with
 * the debug console (0xE9), the POST ports (0x80, 0x190), the interrupt controllers and the
 * system timer, and one CPU in its reset state delivering interrupts and exceptions through
 * its own IVT/IDT (no kernel model).
 */
public final class BootMachine implements AutoCloseable {
    /** Why {@link #run} returned. */
    public enum Stop {
        /** HLT with interrupts disabled: the firmware says it is done. */
        HALT,
        /** HLT with interrupts enabled, and no interrupt that could ever come (no timer running, or its IRQ masked). */
        IDLE,
        /** The instruction limit was reached. */
        LIMIT,
        /** A fault while delivering a double fault (triple fault): the processor shut down. */
        SHUTDOWN
    }

    public final PhysicalMemory ram;
    public final Mmu mmu;
    public final IoBus io = new IoBus();
    public final Cpu cpu;
    public final RomBus rom;
    public final DebugPort debug;
    public final PostPort post;
    public final Pic pic = new Pic();
    public final Pit pit;
    private long haltedNanos;

    /**
     * @param image the raw ROM (size checked by {@link RomBus#checkSize})
     * @param ramBytes physical RAM, a multiple of 4 KiB
     * @param console where port 0xE9 bytes go
     * @param postLog told about every POST write (may be null)
     */
    public BootMachine(byte[] image, long ramBytes, OutputStream console, PostPort.Listener postLog) {
        this.rom = new RomBus(image);
        this.ram = new PhysicalMemory(ramBytes);
        this.mmu = new Mmu(ram);
        mmu.setBus(rom);
        this.cpu = new Cpu(mmu, io);
        this.debug = new DebugPort(console);
        debug.attach(io);
        this.post = new PostPort(postLog, () -> cpu.icount);
        post.attach(io);
        pic.attach(io);
        this.pit = new Pit(this::nanos);
        pit.attach(io);
        cpu.reset();
        cpu.fpu.powerUp(); // a power-on reset, not FNINIT (the kernel model's processes start from FNINIT)
    }

    /** Virtual time: one nanosecond per retired instruction (as in the kernel model), plus time spent halted. */
    public long nanos() { return cpu.icount + haltedNanos; }

    /**
     * Runs until the CPU halts for good, shuts down, or {@code maxInstructions} retire (0: no
     * limit). Between slices of instructions the timer raises its IRQ edges and the interrupt
     * controller's pending interrupt is delivered when EFLAGS.IF allows; a HLT with IF set
     * sleeps (virtual time jumps) until the timer's next edge.
     */
    public Stop run(long maxInstructions) {
        long left = maxInstructions;
        try {
            for (;;) {
                pit.update(pic);
                if (cpu.interruptible() && !cpu.shutdown && pic.pendingVector() >= 0) cpu.externalInterrupt(pic.acknowledge());
                if (cpu.shutdown) return Stop.SHUTDOWN;
                if (cpu.halted) {
                    if ((cpu.getFlags() & CpuState.IF) == 0) return Stop.HALT;
                    long next = pit.nextEventNanos();
                    if (next == Long.MAX_VALUE) return Stop.IDLE;
                    haltedNanos += Math.max(0, next - nanos());
                    pit.update(pic);
                    if (pic.pendingVector() < 0) return Stop.IDLE; // the timer's IRQ is masked: nothing can wake it
                    continue;
                }
                long chunk = 1L << 22;
                long next = pit.nextEventNanos();
                if (next != Long.MAX_VALUE) chunk = Math.max(1, Math.min(chunk, next - nanos()));
                if (pic.pendingVector() >= 0 && (cpu.getFlags() & CpuState.IF) != 0) chunk = 1; // inside an STI shadow
                if (maxInstructions > 0) chunk = Math.min(chunk, left);
                cpu.irqPending = pic.pendingVector() >= 0; // an instruction setting IF ends the slice
                left -= cpu.run(chunk);
                if (maxInstructions > 0 && left <= 0 && !cpu.halted && !cpu.shutdown) return Stop.LIMIT;
            }
        } finally {
            debug.flush();
        }
    }

    @Override
    public void close() {
        ram.close();
    }
}
