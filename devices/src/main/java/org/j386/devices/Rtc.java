package org.j386.devices;

import org.j386.mmu.IoBus;

import java.time.LocalDateTime;
import java.util.function.LongSupplier;

/**
 * The MC146818 real-time clock and its 128 bytes of CMOS RAM, on ports 0x70 (index; bit 7 is
 * the NMI mask, kept but unused) and 0x71 (data), IRQ 8. The clock runs on the machine's
 * virtual time from a start date: registers 0-9 (seconds, minutes, hours, day of week, day of
 * month, month, year, and the three alarm bytes), BCD or binary and 12- or 24-hour as
 * register B says; writing a time register sets the clock. Status A (update in progress
 * during the last 244 µs of each second, the periodic rate), B, C (interrupt flags, cleared
 * by reading) and D (valid RAM and time). The periodic interrupt (register B.PIE) raises IRQ 8
 * at the rate of register A; alarm and update-ended interrupts are not modelled. The CMOS RAM
 * holds the memory sizes a BIOS reports (0x15-0x18, 0x30-0x31, 0x34-0x35) with the standard
 * checksum over 0x10-0x2D at 0x2E-0x2F, and the century at 0x32.
 */
public final class Rtc implements IoBus.Port {
    public static final int IRQ = 8;
    private static final long NANOS = 1_000_000_000L;

    private final byte[] cmos = new byte[128];
    private final LongSupplier nanos;
    private final Runnable irq;
    private int index;
    /** The clock's date at virtual time 0, in seconds from the epoch (UTC, no zone). */
    private long startSeconds;
    /** The next periodic-interrupt edge in virtual nanoseconds, or Long.MAX_VALUE. */
    private long nextPeriodic = Long.MAX_VALUE;

    /**
     * @param start the clock's date when the machine starts
     * @param ramBytes physical RAM, for the memory-size bytes
     */
    public Rtc(LocalDateTime start, long ramBytes, LongSupplier nanos, Runnable irq) {
        this.nanos = nanos;
        this.irq = irq;
        this.startSeconds = start.toEpochSecond(java.time.ZoneOffset.UTC);
        cmos[0x0a] = 0x26;       // 32.768 kHz time base, 1024 Hz periodic rate
        cmos[0x0b] = 0x02;       // 24-hour, BCD
        cmos[0x0d] = (byte) 0x80; // valid RAM and time
        int baseKb = 640;
        long extKb = Math.max(0, ramBytes - (1 << 20)) >> 10;
        int ext = (int) Math.min(extKb, 0xfc00); // what fits in 16 bits (up to 64 MiB)
        long above16 = Math.max(0, ramBytes - (16 << 20)) >> 16;
        int blocks = (int) Math.min(above16, 0xffff);
        cmos[0x15] = (byte) baseKb;
        cmos[0x16] = (byte) (baseKb >> 8);
        cmos[0x17] = cmos[0x30] = (byte) ext;
        cmos[0x18] = cmos[0x31] = (byte) (ext >> 8);
        cmos[0x34] = (byte) blocks;
        cmos[0x35] = (byte) (blocks >> 8);
        cmos[0x14] = 0x06;       // equipment: FPU, VGA/EGA display, no floppies
        checksum();
    }

    /** Sets the clock to {@code date} at the current virtual time. */
    public void setDate(LocalDateTime date) {
        startSeconds = date.toEpochSecond(java.time.ZoneOffset.UTC) - Math.floorDiv(nanos.getAsLong(), NANOS);
    }

    public void attach(IoBus io) {
        io.register(0x70, 2, this);
    }

    private void checksum() {
        int sum = 0;
        for (int i = 0x10; i <= 0x2d; i++) sum += cmos[i] & 0xff;
        cmos[0x2e] = (byte) (sum >> 8);
        cmos[0x2f] = (byte) sum;
    }

    private LocalDateTime now() {
        long t = nanos.getAsLong();
        return LocalDateTime.ofEpochSecond(startSeconds + Math.floorDiv(t, NANOS), 0, java.time.ZoneOffset.UTC);
    }

    private boolean binary() { return (cmos[0x0b] & 4) != 0; }

    private int encode(int v) { return binary() ? v : (v / 10) << 4 | v % 10; }

    private int decode(int v) { return binary() ? v : ((v >> 4) & 15) * 10 + (v & 15); }

    @Override
    public int in(int port, int size) {
        if (port == 0x70) return size == 1 ? 0xff : size == 2 ? 0xffff : -1; // the index register is write-only
        int v = read(index & 0x7f);
        return size == 1 ? v : v | (size == 2 ? 0xff00 : 0xffffff00);
    }

    private int read(int reg) {
        switch (reg) {
            case 0x00: return encode(now().getSecond());
            case 0x02: return encode(now().getMinute());
            case 0x04: {
                int h = now().getHour();
                if ((cmos[0x0b] & 2) != 0) return encode(h);
                int h12 = h % 12 == 0 ? 12 : h % 12;
                return encode(h12) | (h >= 12 ? 0x80 : 0);
            }
            case 0x06: return encode(now().getDayOfWeek().getValue() % 7 + 1); // 1 = Sunday
            case 0x07: return encode(now().getDayOfMonth());
            case 0x08: return encode(now().getMonthValue());
            case 0x09: return encode(now().getYear() % 100);
            case 0x32: return encode(now().getYear() / 100);
            case 0x0a: {
                long frac = Math.floorMod(nanos.getAsLong(), NANOS);
                boolean uip = frac >= NANOS - 244_000 && (cmos[0x0b] & 0x80) == 0;
                return (cmos[0x0a] & 0x7f) | (uip ? 0x80 : 0);
            }
            case 0x0c: {
                update();
                int v = cmos[0x0c] & 0xff;
                cmos[0x0c] = 0; // reading clears the flags
                return v;
            }
            default: return cmos[reg] & 0xff;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        value &= 0xff;
        if (port == 0x70) { index = value; return; }
        int reg = index & 0x7f;
        switch (reg) {
            case 0x00: case 0x02: case 0x04: case 0x07: case 0x08: case 0x09: case 0x32:
                setTime(reg, value);
                return;
            case 0x0a: cmos[reg] = (byte) (value & 0x7f); reprogram(); return;
            case 0x0b: cmos[reg] = (byte) value; reprogram(); return;
            case 0x0c: case 0x0d: return; // read-only
            default:
                cmos[reg] = (byte) value;
        }
    }

    /** A write to a time register: the clock continues from the date with that field replaced. */
    private void setTime(int reg, int value) {
        LocalDateTime t = now();
        boolean pmBit = reg == 0x04 && (cmos[0x0b] & 2) == 0; // 12-hour mode: bit 7 of the hours is PM
        int v = decode(pmBit ? value & 0x7f : value);
        switch (reg) {
            case 0x00 -> t = t.withSecond(Math.min(v, 59));
            case 0x02 -> t = t.withMinute(Math.min(v, 59));
            case 0x04 -> {
                int h = v;
                if ((cmos[0x0b] & 2) == 0) h = (v % 12) + ((value & 0x80) != 0 ? 12 : 0);
                t = t.withHour(Math.min(h, 23));
            }
            case 0x07 -> t = t.withDayOfMonth(Math.max(1, Math.min(v, t.toLocalDate().lengthOfMonth())));
            case 0x08 -> t = t.withMonth(Math.max(1, Math.min(v, 12)));
            case 0x09 -> t = t.withYear(t.getYear() / 100 * 100 + v % 100);
            default -> t = t.withYear(v * 100 + t.getYear() % 100);
        }
        startSeconds = t.toEpochSecond(java.time.ZoneOffset.UTC) - Math.floorDiv(nanos.getAsLong(), NANOS);
    }

    /** Periodic interrupt period in nanoseconds for rate bits 0-3 of register A (0: off). */
    private long period() {
        int rate = cmos[0x0a] & 15;
        if (rate == 0) return 0;
        if (rate < 3) rate += 7; // rates 1 and 2 give 256 and 128 Hz
        return NANOS * (1L << (rate - 1)) / 32768;
    }

    private void reprogram() {
        long p = period();
        nextPeriodic = p == 0 ? Long.MAX_VALUE : (nanos.getAsLong() / p + 1) * p;
    }

    /** When the periodic flag will next be set (Long.MAX_VALUE when the rate is off). */
    public long nextEventNanos() {
        return (cmos[0x0b] & 0x40) != 0 ? nextPeriodic : Long.MAX_VALUE;
    }

    /** Sets PF for every period that passed, raising IRQ 8 when PIE is set. */
    public void update() {
        long now = nanos.getAsLong();
        if (nextPeriodic > now) return;
        long p = period();
        nextPeriodic = (now / p + 1) * p;
        cmos[0x0c] |= 0x40;
        if ((cmos[0x0b] & 0x40) != 0) {
            cmos[0x0c] |= (byte) 0x80;
            irq.run();
        }
    }
}
