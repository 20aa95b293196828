package org.j386.mmu;

/**
 * A processor exception raised while executing an instruction (#PF from the paging unit,
 * #GP/#UD/#DE and friends from the CPU). It carries no stack trace and each raiser keeps
 * one preallocated instance, so raising it allocates nothing: the CPU's run loop catches
 * it, rewinds to the faulting instruction and delivers the vector.
 */
public final class Fault extends RuntimeException {
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7,
            DF = 8, TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19;

    public int vector;
    public int errorCode;
    public boolean hasErrorCode;
    /** Faulting linear address, for #PF. */
    public int cr2;

    public Fault() {
        super(null, null, false, false);
    }

    public Fault set(int vector, int errorCode, boolean hasErrorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
        return this;
    }

    @Override
    public String getMessage() {
        return "vector " + vector + (hasErrorCode ? " error 0x" + Integer.toHexString(errorCode) : "")
                + (vector == PF ? " cr2=0x" + Integer.toHexString(cr2) : "");
    }
}
