package org.j386.devices;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

import java.io.OutputStream;

/**
 * A bare PC that boots firmware: RAM, a ROM image on the physical bus, the port-I/O bus with
 * the debug console (0xE9) and the POST ports (0x80, 0x190), and one CPU in its reset state
 * delivering interrupts and exceptions through its own IVT/IDT (no kernel model).
 */
public final class BootMachine implements AutoCloseable {
    /** Why {@link #run} returned. */
    public enum Stop {
        /** HLT with interrupts disabled: the firmware says it is done. */
        HALT,
        /** HLT with interrupts enabled, and no device that could ever interrupt. */
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
        cpu.reset();
        cpu.fpu.powerUp(); // a power-on reset, not FNINIT (the kernel model's processes start from FNINIT)
    }

    /**
     * Runs until the CPU halts, shuts down, or {@code maxInstructions} retire (0: no limit).
     */
    public Stop run(long maxInstructions) {
        long left = maxInstructions;
        try {
            for (;;) {
                long chunk = maxInstructions > 0 ? Math.min(left, 1L << 22) : 1L << 22;
                left -= cpu.run(chunk);
                if (cpu.shutdown) return Stop.SHUTDOWN;
                if (cpu.halted) return (cpu.getFlags() & CpuState.IF) == 0 ? Stop.HALT : Stop.IDLE;
                if (maxInstructions > 0 && left <= 0) return Stop.LIMIT;
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
