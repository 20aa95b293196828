package org.j386.kernel;

import org.j386.mmu.Fault;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;

import java.nio.charset.StandardCharsets;

/**
 * How kernel code reads and writes the current task's user memory: through the task's page
 * tables with user privilege, exactly as the guest would, so a bad pointer yields EFAULT
 * (thrown as {@link SyscallException}) instead of touching anything else. A page that is not
 * yet populated is faulted in through the task's mm first (demand paging).
 */
public final class UserMemory {
    /** Resolves a user page fault (demand paging, stack growth, copy-on-write). */
    public interface FaultResolver {
        boolean resolve(int lin, boolean write);
    }

    private final Mmu mmu;
    private final PhysicalMemory ram;
    private FaultResolver resolver;

    public UserMemory(Mmu mmu, FaultResolver resolver) {
        this.mmu = mmu;
        this.ram = mmu.ram();
        this.resolver = resolver;
    }

    public void setResolver(FaultResolver resolver) { this.resolver = resolver; }

    /** Physical address of user address {@code addr}, faulting the page in if needed. */
    public long phys(int addr, boolean write) {
        if (Integer.compareUnsigned(addr, 0xC0000000) >= 0) throw new SyscallException(Errno.EFAULT);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return mmu.translate(addr, write, true);
            } catch (Fault f) {
                if (resolver == null || !resolver.resolve(addr, write)) break;
            }
        }
        throw new SyscallException(Errno.EFAULT);
    }

    public int readByte(int addr) { return ram.readByte(phys(addr, false)); }

    public int readWord(int addr) {
        if ((addr & 0xfff) <= 0xffe) return ram.readWord(phys(addr, false));
        return readByte(addr) | readByte(addr + 1) << 8;
    }

    public int readInt(int addr) {
        if ((addr & 0xfff) <= 0xffc) return ram.readInt(phys(addr, false));
        return readWord(addr) | readWord(addr + 2) << 16;
    }

    public long readLong(int addr) { return (readInt(addr) & 0xffffffffL) | (long) readInt(addr + 4) << 32; }

    /** The physical address for writing {@code len} bytes within one page, telling the MMU the bytes change. */
    private long physForWrite(int addr, int len) {
        long pa = phys(addr, true);
        mmu.physicalWrite(pa, len);
        return pa;
    }

    public void writeByte(int addr, int v) { ram.writeByte(physForWrite(addr, 1), v); }

    public void writeWord(int addr, int v) {
        if ((addr & 0xfff) <= 0xffe) ram.writeWord(physForWrite(addr, 2), v);
        else { writeByte(addr, v); writeByte(addr + 1, v >> 8); }
    }

    public void writeInt(int addr, int v) {
        if ((addr & 0xfff) <= 0xffc) ram.writeInt(physForWrite(addr, 4), v);
        else { writeWord(addr, v); writeWord(addr + 2, v >> 16); }
    }

    public void writeLong(int addr, long v) { writeInt(addr, (int) v); writeInt(addr + 4, (int) (v >>> 32)); }

    /** Copies {@code len} bytes from user memory. */
    public void read(int addr, byte[] dst, int off, int len) {
        checkRange(addr, len);
        while (len > 0) {
            int chunk = Math.min(len, 0x1000 - (addr & 0xfff));
            ram.read(phys(addr, false), dst, off, chunk);
            addr += chunk; off += chunk; len -= chunk;
        }
    }

    public byte[] read(int addr, int len) {
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        return b;
    }

    /** Copies to user memory. All pages are checked writable first so a fault writes nothing. */
    public void write(int addr, byte[] src, int off, int len) {
        checkRange(addr, len);
        for (int a = addr & ~0xfff; len > 0 && Integer.compareUnsigned(a, addr + len - 1) <= 0; a += 0x1000) {
            phys(a < addr ? addr : a, true);
            if (a + 0x1000 == 0) break;
        }
        while (len > 0) {
            int chunk = Math.min(len, 0x1000 - (addr & 0xfff));
            ram.write(physForWrite(addr, chunk), src, off, chunk);
            addr += chunk; off += chunk; len -= chunk;
        }
    }

    public void write(int addr, byte[] src) { write(addr, src, 0, src.length); }

    /** Zero-fills user memory. */
    public void clear(int addr, int len) {
        checkRange(addr, len);
        while (len > 0) {
            int chunk = Math.min(len, 0x1000 - (addr & 0xfff));
            ram.fill(physForWrite(addr, chunk), chunk, (byte) 0);
            addr += chunk; len -= chunk;
        }
    }

    /** Reads a NUL-terminated string of at most {@code max} bytes (ENAMETOOLONG beyond). */
    public String readCString(int addr, int max) {
        byte[] buf = new byte[64];
        int n = 0;
        while (true) {
            int c = readByte(addr + n);
            if (c == 0) break;
            if (n == max) throw new SyscallException(Errno.ENAMETOOLONG);
            if (n == buf.length) buf = java.util.Arrays.copyOf(buf, n * 2);
            buf[n++] = (byte) c;
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Path strings: PATH_MAX is 4096 including the NUL. */
    public String readPath(int addr) {
        if (addr == 0) throw new SyscallException(Errno.EFAULT);
        return readCString(addr, 4095);
    }

    private static void checkRange(int addr, int len) {
        if (len < 0 || (len > 0 && Integer.compareUnsigned(addr + len - 1, addr) < 0))
            throw new SyscallException(Errno.EFAULT);
        if (len > 0 && Integer.compareUnsigned(addr + len - 1, 0xC0000000) >= 0)
            throw new SyscallException(Errno.EFAULT);
    }
}
