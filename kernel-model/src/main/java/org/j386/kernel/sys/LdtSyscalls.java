package org.j386.kernel.sys;

import org.j386.cpu.CpuState;
import org.j386.kernel.Errno;
import org.j386.kernel.Gdt;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;

/**
 * modify_ldt: a per-process local descriptor table, held in kernel memory (physical frames
 * seen through the kernel's mapping) and loaded into LDTR for the CPU, so programs can
 * build their own segments, 16-bit code segments included.
 */
public final class LdtSyscalls {
    public static final int LDT_ENTRIES = 8192, LDT_PAGES = LDT_ENTRIES * 8 / 4096;

    private final Kernel k;

    public LdtSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(123, "modify_ldt", "dpd", this::modifyLdt);
    }

    private int modifyLdt(Task t, int func, int ptr, int bytecount, int d, int e, int f) {
        switch (func) {
            case 0: return readLdt(t, ptr, bytecount);
            case 1: return writeLdt(t, ptr, bytecount, true);
            case 0x11: return writeLdt(t, ptr, bytecount, false);
            case 2: { // the default LDT: five empty descriptors
                int n = Math.min(Math.max(bytecount, 0), 5 * 8);
                t.mem.clear(ptr, n);
                return n;
            }
            default: throw new SyscallException(Errno.ENOSYS);
        }
    }

    /** Like Linux's read_ldt: the table, zero-filled up to bytecount, which is returned (0 without an LDT). */
    private int readLdt(Task t, int ptr, int bytecount) {
        if (t.ldtPa == 0) return 0;
        int n = Math.min(Math.max(bytecount, 0), LDT_ENTRIES * 8);
        byte[] b = new byte[n];
        k.ram.read(t.ldtPa, b, 0, Math.min(n, t.ldtEntries * 8));
        t.mem.write(ptr, b);
        return n;
    }

    private int writeLdt(Task t, int ptr, int bytecount, boolean oldMode) {
        if (bytecount != 16) throw new SyscallException(Errno.EINVAL);
        int entry = t.mem.readInt(ptr), base = t.mem.readInt(ptr + 4), limit = t.mem.readInt(ptr + 8), flags = t.mem.readInt(ptr + 12);
        if (Integer.compareUnsigned(entry, LDT_ENTRIES) >= 0) throw new SyscallException(Errno.EINVAL);
        int contents = (flags >>> 1) & 3;
        if (contents == 3) {
            // conforming code is refused unless the segment is marked not present (as Linux does)
            if (oldMode || ((flags >>> 5) & 1) == 0) throw new SyscallException(Errno.EINVAL);
        }
        long desc;
        if (oldMode && base == 0 && limit == 0) desc = 0; // old mode: base and limit zero clears the entry
        else desc = Gdt.fromUserDesc(base, limit, oldMode ? flags & ~(1 << 6) : flags);
        ensureLdt(t, entry + 1);
        k.ram.writeLong(t.ldtPa + entry * 8L, desc);
        // segment registers holding LDT selectors see the new descriptor
        for (int s = 0; s < 6; s++) {
            int sel = k.cpu.seg[s];
            if ((sel & 4) != 0 && (sel >>> 3) == entry && s != CpuState.CS && s != CpuState.SS) k.reloadSegment(s);
        }
        return 0;
    }

    /**
     * Makes the task's LDT hold at least {@code entries} descriptors and loads LDTR. The LDT
     * belongs to the address space, as Linux's mm->context.ldt: every thread sharing it sees
     * the table made or grown by any one of them.
     */
    private void ensureLdt(Task t, int entries) {
        if (t.ldtPa == 0) {
            long pa = k.frames.allocContiguous(LDT_PAGES);
            if (pa < 0) throw new SyscallException(Errno.ENOMEM);
            t.ldtPa = pa;
        }
        if (entries > t.ldtEntries) t.ldtEntries = entries;
        for (Task o : k.tasks.values()) {
            if (o.mm == t.mm && o != t && !o.exited) { o.ldtPa = t.ldtPa; o.ldtEntries = t.ldtEntries; }
        }
        k.loadLdt(t);
    }
}
