package org.j386.kernel;

import org.j386.mmu.PhysicalMemory;

/**
 * The kernel's global descriptor table, laid out as Linux i386 lays it out: TLS slots 6-8,
 * kernel code/data at 12/13 (0x60/0x68), user code/data at 14/15 (0x73/0x7b).
 */
public final class Gdt {
    public static final int ENTRIES = 32;
    public static final int TLS_MIN = 6, TLS_MAX = 8;
    public static final int KERNEL_CS = 12 << 3, KERNEL_DS = 13 << 3;
    public static final int USER_CS = (14 << 3) | 3, USER_DS = (15 << 3) | 3;
    /** Attribute bits (descriptor high dword, bits 8..23) of the flat user segments. */
    public static final int USER_CODE_ATTR = 0xcffb00 & 0x00f0ff00, USER_DATA_ATTR = 0xcff300 & 0x00f0ff00;

    private final PhysicalMemory ram;
    /** Physical address of entry 0. */
    public final long pa;

    public Gdt(PhysicalMemory ram, long pa) {
        this.ram = ram;
        this.pa = pa;
        set(12, flat(0x9a, 0));
        set(13, flat(0x92, 0));
        set(14, flat(0xfa, 3));
        set(15, flat(0xf2, 3));
    }

    /** A flat 4 GiB, 32-bit, page-granular descriptor with the given access byte. */
    private static long flat(int access, int dpl) {
        int lo = 0x0000ffff;
        int hi = 0x00cf0000 | (access << 8);
        return (lo & 0xffffffffL) | ((long) hi << 32);
    }

    public void set(int index, long descriptor) {
        ram.writeLong(pa + index * 8L, descriptor);
    }

    public long get(int index) {
        return ram.readLong(pa + index * 8L);
    }

    /** Encodes a struct user_desc the way Linux's fill_ldt does; returns 0 for an "empty" request. */
    public static long fromUserDesc(int base, int limit, int flags) {
        int seg32 = flags & 1, contents = (flags >>> 1) & 3, readExecOnly = (flags >>> 3) & 1,
                limitInPages = (flags >>> 4) & 1, notPresent = (flags >>> 5) & 1, useable = (flags >>> 6) & 1;
        if (isEmpty(base, limit, flags)) return 0;
        int lo = ((base & 0xffff) << 16) | (limit & 0xffff);
        int type = ((readExecOnly ^ 1) << 1) | (contents << 2) | 1;
        int hi = (base & 0xff000000) | ((base >>> 16) & 0xff) | (limit & 0xf0000)
                | (type << 8) | (1 << 12) | (3 << 13) | ((notPresent ^ 1) << 15)
                | (useable << 20) | (seg32 << 22) | (limitInPages << 23);
        return (lo & 0xffffffffL) | ((long) hi << 32);
    }

    /** Linux's LDT_empty / LDT_zero test. */
    static boolean isEmpty(int base, int limit, int flags) {
        int seg32 = flags & 1, contents = (flags >>> 1) & 3, readExecOnly = (flags >>> 3) & 1,
                limitInPages = (flags >>> 4) & 1, notPresent = (flags >>> 5) & 1, useable = (flags >>> 6) & 1;
        boolean zero = base == 0 && limit == 0 && contents == 0 && readExecOnly == 0 && seg32 == 0
                && limitInPages == 0 && notPresent == 0 && useable == 0;
        boolean empty = base == 0 && limit == 0 && contents == 0 && readExecOnly == 1 && seg32 == 0
                && limitInPages == 0 && notPresent == 1 && useable == 0;
        return zero || empty;
    }

    /** Decodes a descriptor back into user_desc fields: {base, limit, flags}. */
    public static int[] toUserDesc(long d) {
        int lo = (int) d, hi = (int) (d >>> 32);
        if (d == 0) return new int[] {0, 0, (1 << 3) | (1 << 5)}; // read_exec_only + seg_not_present
        int base = (lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
        int limit = (lo & 0xffff) | (hi & 0xf0000);
        int type = (hi >>> 8) & 0xf;
        int flags = ((hi >>> 22) & 1) | (((type >>> 2) & 3) << 1) | ((((type >>> 1) & 1) ^ 1) << 3)
                | (((hi >>> 23) & 1) << 4) | ((((hi >>> 15) & 1) ^ 1) << 5) | (((hi >>> 20) & 1) << 6);
        return new int[] {base, limit, flags};
    }
}
