package org.j386.devices;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.mmu.IoBus;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

import java.io.OutputStream;

/**
 * A bare PC that boots firmware: RAM, a ROM image on the physical bus, the port-I/O bus with
 * the debug console (0xE9), the POST ports (0x80, 0x190), the interrupt controllers, the
 * system timer, a 16550 UART (COM1), the RTC/CMOS, the 8042 keyboard controller (with the
 * A20 gate and port 0x92) and VGA text mode, and one CPU in its reset state delivering interrupts and exceptions through
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
    public final Uart uart;
    public final Rtc rtc;
    public final Keyboard keyboard;
    public final VgaText vga = new VgaText();
    private long haltedNanos;
    /** Set by the keyboard controller's or port 0x92's reset line: the CPU restarts between slices. */
    private boolean resetRequested;
    /** The clock date at virtual time 0 unless the caller sets another (fixed, so runs repeat exactly). */
    public static final java.time.LocalDateTime DEFAULT_DATE = java.time.LocalDateTime.of(2000, 1, 1, 0, 0, 0);

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
        this.uart = new Uart(Uart.COM1, null, () -> irq(Uart.IRQ));
        uart.attach(io);
        this.rtc = new Rtc(DEFAULT_DATE, ramBytes, this::nanos, () -> irq(Rtc.IRQ));
        rtc.attach(io);
        this.keyboard = new Keyboard(() -> irq(Keyboard.IRQ), new Keyboard.Board() {
            @Override public void a20(boolean open) { mmu.setA20(open); }
            @Override public void reset() { resetRequested = true; cpu.stopRequested = true; }
        });
        keyboard.attach(io);
        vga.attach(io);
        cpu.reset();
        cpu.fpu.powerUp(); // a power-on reset, not FNINIT (the kernel model's processes start from FNINIT)
    }

    /** A device's interrupt edge: into the controller, and the running slice ends so it can be delivered. */
    private void irq(int line) {
        pic.raise(line);
        cpu.stopRequested = true;
    }

    /** The earliest time a timer whose IRQ is not masked will raise it (Long.MAX_VALUE: none will). */
    private long nextWake() {
        long next = Long.MAX_VALUE;
        if (!pic.masked(0)) next = pit.nextEventNanos();
        if (!pic.masked(Rtc.IRQ)) next = Math.min(next, rtc.nextEventNanos());
        return next;
    }

    private void updateTimers() {
        pit.update(pic);
        rtc.update();
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
        int idleWakes = 0;
        try {
            for (;;) {
                if (resetRequested) { // a reset pulse from the keyboard controller or port 0x92: the CPU restarts, RAM stays
                    resetRequested = false;
                    keyboard.reopenA20();
                    cpu.reset();
                }
                updateTimers();
                if (cpu.interruptible() && !cpu.shutdown && pic.pendingVector() >= 0) cpu.externalInterrupt(pic.acknowledge());
                if (cpu.shutdown) return Stop.SHUTDOWN;
                if (cpu.halted) {
                    if ((cpu.getFlags() & CpuState.IF) == 0) return Stop.HALT;
                    long next = nextWake();
                    if (next == Long.MAX_VALUE) return Stop.IDLE; // no timer runs with its IRQ unmasked: nothing can wake it
                    haltedNanos += Math.max(0, next - nanos());
                    updateTimers();
                    // an edge that cannot be delivered (an interrupt of higher priority still in service) many times over: idle
                    if (pic.pendingVector() < 0 && ++idleWakes > 10_000) return Stop.IDLE;
                    continue;
                }
                idleWakes = 0;
                long chunk = 1L << 22;
                long next = Math.min(pit.nextEventNanos(), rtc.nextEventNanos());
                if (next != Long.MAX_VALUE) chunk = Math.max(1, Math.min(chunk, next - nanos()));
                if (pic.pendingVector() >= 0 && (cpu.getFlags() & CpuState.IF) != 0) chunk = 1; // inside an STI shadow
                if (maxInstructions > 0) chunk = Math.min(chunk, left);
                cpu.irqPending = pic.pendingVector() >= 0; // an instruction setting IF ends the slice
                left -= cpu.run(chunk);
                if (maxInstructions > 0 && left <= 0 && !cpu.halted && !cpu.shutdown) return Stop.LIMIT;
            }
        } finally {
            debug.flush();
            uart.flush();
        }
    }

    @Override
    public void close() {
        ram.close();
    }
}
