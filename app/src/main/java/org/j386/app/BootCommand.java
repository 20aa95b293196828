package org.j386.app;

import org.j386.cpu.Cpu;
import org.j386.cpu.CpuState;
import org.j386.devices.BootMachine;
import org.j386.devices.PostPort;
import org.j386.devices.RomBus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code j386 boot}: powers on a bare PC with a raw ROM image as its firmware and runs it
 * from the reset vector. Port 0xE9 is the ROM's console; POST codes on ports 0x80 and 0x190
 * are logged; COM1 can go to a file, keys can be typed, the text screen dumped at the end. Exit status: 0 when the ROM halts, 124 at the instruction limit, 3 after a
 * triple fault (shutdown), 1 for a bad ROM, 2 for a bad command line.
 */
@Command(name = "boot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Boot a raw ROM image (firmware) on a bare machine, from the reset vector F000:FFF0.")
public final class BootCommand implements Callable<Integer> {
    public static final int EXIT_LIMIT = 124, EXIT_SHUTDOWN = 3;

    @Option(names = "--bios", paramLabel = "ROM", required = true,
            description = "Raw ROM image, 64 KiB to 1 MiB in 64 KiB steps; it ends at 0xFFFFFFFF and its last 128 KiB at 0xFFFFF.")
    Path bios;

    @Option(names = "--ram", paramLabel = "MB", defaultValue = "16", description = "Physical memory in MiB (default: ${DEFAULT-VALUE}).")
    int ramMb;

    @Option(names = "--port-e9", paramLabel = "FILE|-", defaultValue = "-",
            description = "Where bytes written to port 0xE9 go: a file, or - for stdout (default).")
    String portE9;

    @Option(names = "--post", paramLabel = "FILE", description = "Log POST codes (ports 0x80, 0x190) to FILE instead of stderr.")
    Path postFile;

    @Option(names = "--serial", paramLabel = "FILE|-",
            description = "Where bytes the ROM transmits on COM1 (the 16550 UART at 0x3F8) go: a file, or - for stdout. Default: discarded.")
    String serial;

    @Option(names = "--vga-dump", paramLabel = "FILE",
            description = "When the machine stops, write the VGA text screen (80x25 at 0xB8000) to FILE as text.")
    Path vgaDump;

    @Option(names = "--keys", paramLabel = "TEXT",
            description = "Keys to type on the keyboard (scan code set 1), once the ROM resets or enables the keyboard. \\n is Enter.")
    String keys;

    @Option(names = "--rtc", paramLabel = "DATE",
            description = "The real-time clock's date and time at power-on, as 2000-01-01T00:00:00 (the default).")
    String rtcDate;

    @Option(names = "--max-instructions", paramLabel = "N", defaultValue = "0",
            description = "Stop after N instructions (exit status 124); 0 runs until the ROM halts.")
    long maxInstructions;

    private final Streams streams;

    BootCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        if (ramMb < 1 || ramMb > 3072) return usage("--ram must be between 1 and 3072 MiB");
        if (maxInstructions < 0) return usage("--max-instructions must not be negative");
        byte[] image;
        try {
            if (Files.isDirectory(bios)) return fail(bios + ": is a directory");
            RomBus.checkSize(Files.size(bios));
            image = Files.readAllBytes(bios);
            RomBus.checkSize(image.length);
        } catch (NoSuchFileException e) {
            return fail(bios + ": no such file");
        } catch (AccessDeniedException e) {
            return fail(bios + ": permission denied");
        } catch (IOException e) {
            return fail(bios + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(bios + ": " + e.getMessage());
        }

        java.time.LocalDateTime date = BootMachine.DEFAULT_DATE;
        if (rtcDate != null) {
            try {
                date = java.time.LocalDateTime.parse(rtcDate);
            } catch (java.time.format.DateTimeParseException e) {
                return usage("--rtc " + rtcDate + ": not a date and time like 2000-01-01T00:00:00");
            }
            if (date.getYear() < 1900 || date.getYear() > 9999) return usage("--rtc " + rtcDate + ": the year must be between 1900 and 9999");
        }
        String typed = keys == null ? null : keys.replace("\\n", "\n");
        if (typed != null) {
            for (char ch : typed.toCharArray()) {
                if (org.j386.devices.Keyboard.scanCode(ch) < 0) return usage("--keys: no key types " + (ch < 32 || ch > 126 ? String.format("U+%04X", (int) ch) : "'" + ch + "'"));
            }
        }

        if (vgaDump != null) {
            Path parent = vgaDump.toAbsolutePath().getParent();
            if (Files.isDirectory(vgaDump)) return fail("--vga-dump " + vgaDump + ": cannot write: is a directory");
            if (parent != null && !Files.isDirectory(parent)) return fail("--vga-dump " + vgaDump + ": cannot write: no such directory " + parent);
        }

        OutputStream console = null;
        OutputStream serialOut = null;
        PrintStream postLog = null;
        try {
            try {
                console = output(portE9);
            } catch (IOException | java.nio.file.InvalidPathException e) {
                return fail("--port-e9 " + portE9 + ": cannot open: " + e.getMessage());
            }
            try {
                serialOut = serial == null ? null : output(serial);
            } catch (IOException | java.nio.file.InvalidPathException e) {
                return fail("--serial " + serial + ": cannot open: " + e.getMessage());
            }
            try {
                postLog = postFile == null ? streams.err() : new PrintStream(Files.newOutputStream(postFile), true, "UTF-8");
            } catch (IOException e) {
                return fail("--post " + postFile + ": cannot open: " + e.getMessage());
            }
            PrintStream log = postLog;
            PostPort.Listener listener = (port, size, value, icount) ->
                    log.printf("POST %s (port 0x%X) after %d instructions%n", PostPort.format(value, size), port, icount);
            BootMachine.Stop stop;
            try (BootMachine machine = new BootMachine(image, (long) ramMb << 20, console, listener)) {
                machine.uart.output(serialOut);
                machine.rtc.setDate(date);
                if (typed != null) machine.keyboard.type(typed);
                try {
                    stop = machine.run(maxInstructions);
                } catch (java.io.UncheckedIOException e) {
                    return fail("write failed (--port-e9 or --serial): " + e.getCause().getMessage());
                }
                report(machine, stop);
                if (vgaDump != null) {
                    try {
                        Files.write(vgaDump, machine.vga.screenBytes(machine.ram));
                    } catch (IOException | java.nio.file.InvalidPathException e) {
                        return fail("--vga-dump " + vgaDump + ": cannot write: " + e.getMessage());
                    }
                }
            }
            return switch (stop) {
                case HALT, IDLE -> 0;
                case LIMIT -> EXIT_LIMIT;
                case SHUTDOWN -> EXIT_SHUTDOWN;
            };
        } finally {
            close(console);
            close(serialOut);
            if (postLog != null && postLog != streams.err()) postLog.close();
            try { streams.guestOut().flush(); } catch (IOException ignored) { /* stdout gone */ }
        }
    }

    /** A console option's stream: stdout for "-", else the file (created or truncated). */
    private OutputStream output(String where) throws IOException {
        return where.equals("-") ? streams.guestOut() : new BufferedOutputStream(Files.newOutputStream(Path.of(where)));
    }

    /** The final state, on stderr: why the machine stopped, the registers, the last POST code. */
    private void report(BootMachine m, BootMachine.Stop stop) {
        Cpu c = m.cpu;
        PrintStream e = streams.err();
        String why = switch (stop) {
            case HALT -> "HLT with interrupts disabled";
            case IDLE -> "HLT with interrupts enabled and no interrupt source";
            case LIMIT -> "instruction limit reached";
            case SHUTDOWN -> "triple fault: the processor shut down";
        };
        e.printf("j386 boot: stopped: %s after %d instructions%n", why, c.icount);
        int[] r = c.r;
        e.printf("EAX=%08x EBX=%08x ECX=%08x EDX=%08x%n", r[CpuState.EAX], r[CpuState.EBX], r[CpuState.ECX], r[CpuState.EDX]);
        e.printf("ESI=%08x EDI=%08x EBP=%08x ESP=%08x%n", r[CpuState.ESI], r[CpuState.EDI], r[CpuState.EBP], r[CpuState.ESP]);
        String mode = !c.protectedMode() ? "real" : c.v86() ? "v86" : "protected";
        e.printf("EIP=%08x EFLAGS=%08x CPL=%d mode=%s%n", c.eip, c.getFlags(), c.cpl, mode);
        String[] names = {"ES", "CS", "SS", "DS", "FS", "GS"};
        for (int s = 0; s < 6; s++)
            e.printf("%s=%04x base=%08x limit=%08x attr=%04x%n", names[s], c.seg[s], c.segBase[s], c.segLimit[s], (c.segAttr[s] >>> 8) & 0xf0ff);
        e.printf("CR0=%08x CR2=%08x CR3=%08x CR4=%08x%n", c.cr0, c.cr2, c.cr3, c.cr4);
        e.printf("GDTR=%08x/%04x IDTR=%08x/%04x LDTR=%04x TR=%04x%n", c.gdtBase, c.gdtLimit, c.idtBase, c.idtLimit, c.ldtSel, c.trSel);
        int last = m.post.last();
        e.printf("last POST code: %s (%d written)%n", last < 0 ? "none" : PostPort.format(last, m.post.lastSize()), m.post.count());
    }

    private void close(OutputStream out) {
        if (out == null || out == streams.guestOut()) return;
        try { out.close(); } catch (IOException ignored) { /* reported by the write that failed */ }
    }

    private int fail(String message) {
        streams.err().println("j386: " + message);
        return 1;
    }

    private int usage(String message) {
        streams.err().println("j386: " + message);
        return 2;
    }
}
