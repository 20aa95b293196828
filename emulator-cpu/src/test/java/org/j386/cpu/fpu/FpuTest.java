package org.j386.cpu.fpu;

import org.j386.mmu.Fault;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tests for the parts of the FPU that the host reference data does not reach: the
 * FSTENV/FSAVE/FXSAVE layouts and their round trips, tag word encoding, control word loading,
 * pending exceptions (#MF), undefined encodings (#UD), restartability after a page fault, and
 * the absence of allocation on the hot paths.
 */
class FpuTest {
    static final int BUF = 0x3000;
    private PhysicalMemory ram;
    private Mmu mmu;
    private Fpu fpu;

    @BeforeEach
    void setUp() {
        ram = new PhysicalMemory(1 << 20);
        mmu = new Mmu(ram);
        fpu = new Fpu(mmu);
    }

    @AfterEach
    void tearDown() {
        ram.close();
    }

    // ---- small helpers ----------------------------------------------------------------

    private int exec(int op, int modrm) { return fpu.execute(op, modrm, 0, false, 0, 0x1234); }

    private int exec(int op, int modrm, int lin) { return fpu.execute(op, modrm, lin, false, 0, 0x1234); }

    private void fld(double d) {
        mmu.writeLong(0x100, Double.doubleToRawLongBits(d));
        exec(0xDD, 0x00, 0x100);                 // FLD m64
    }

    private double stDouble() {
        exec(0xDD, 0x10, 0x108);                 // FST m64
        return Double.longBitsToDouble(mmu.readLong(0x108));
    }

    private void loadExtended(long sig, int se) {
        mmu.writeLong(0x120, sig);
        mmu.writeWord(0x128, se);
        exec(0xDB, 0x28, 0x120);                 // FLD m80
    }

    // ---- basic behaviour ---------------------------------------------------------------

    @Test
    void resetIsFninitState() {
        assertEquals(0x037F, fpu.controlWord());
        assertEquals(0, fpu.statusWord());
        assertEquals(0xFFFF, fpu.tagWord());
        fld(1.5);
        exec(0xDB, 0xE3);                        // FNINIT
        assertEquals(0x037F, fpu.controlWord());
        assertEquals(0, fpu.statusWord());
        assertEquals(0xFFFF, fpu.tagWord());
        assertEquals(0, fpu.lastInstructionPointer());
    }

    @Test
    void simpleArithmetic() {
        fld(1.5);
        fld(2.25);
        exec(0xDE, 0xC1);                        // FADDP
        assertEquals(3.75, stDouble());
        fld(3.0);
        exec(0xDE, 0xF9);                        // FDIVP: ST1 = ST1 / ST0
        assertEquals(1.25, stDouble());
        exec(0xD9, 0xFA);                        // FSQRT
        assertEquals(Math.sqrt(1.25), stDouble());
        assertEquals(7 << 11 | 0x20, fpu.statusWord() & ~0x200, "TOP 7, PE");
    }

    @Test
    void instructionAndDataPointersAreRecorded() {
        mmu.writeInt(0x200, Float.floatToRawIntBits(2f));
        fpu.execute(0xD9, 0x05, 0x200, false, 0, 0xABCD);   // FLD m32 (modrm 05: disp32 form)
        assertEquals(0xABCD, fpu.lastInstructionPointer());
        assertEquals(0x105, fpu.lastOpcode());
        assertEquals(0x200, fpu.lastDataPointer());
        fpu.execute(0xD9, 0xE8, 0, false, 0, 0xABD0);        // FLD1: no memory operand
        assertEquals(0xABD0, fpu.lastInstructionPointer());
        assertEquals(0x1E8, fpu.lastOpcode());
        assertEquals(0x200, fpu.lastDataPointer());
        fpu.execute(0xD9, 0x3D, 0x300, false, 0, 0xABE0);    // FNSTCW: control, not recorded
        assertEquals(0xABD0, fpu.lastInstructionPointer());
        assertEquals(0x037F, mmu.readWord(0x300));
    }

    @Test
    void fcomiReturnsFlags() {
        fld(1.0);
        fld(2.0);
        assertEquals(0x00, exec(0xDB, 0xF1));    // FCOMI ST0=2 > ST1=1
        exec(0xD9, 0xC9);                        // FXCH
        assertEquals(0x01, exec(0xDB, 0xF1));    // less: CF
        assertEquals(0x40, exec(0xDB, 0xF0));    // FCOMI ST0, ST0: equal: ZF
        loadExtended(0xC000000000000000L, 0x7FFF);
        assertEquals(0x45, exec(0xDB, 0xE9));    // FUCOMI with a QNaN: unordered, no IE
        assertEquals(0, fpu.statusWord() & 1);
        assertEquals(0x45, exec(0xDB, 0xF1));    // FCOMI with a QNaN: unordered, IE
        assertEquals(1, fpu.statusWord() & 1);
        assertEquals(-1, exec(0xD8, 0xC1));
    }

    @Test
    void fcmovUsesEflags() {
        fld(1.0);
        fld(2.0);
        fpu.execute(0xDA, 0xC1, 0, false, 0x01, 0);   // FCMOVB ST0, ST1 with CF=1: moves
        assertEquals(1.0, stDouble());
        fld(5.0);
        fpu.execute(0xDA, 0xC9, 0, false, 0x00, 0);   // FCMOVE with ZF=0: no move
        assertEquals(5.0, stDouble());
        fpu.execute(0xDB, 0xC9, 0, false, 0x00, 0);   // FCMOVNE with ZF=0: moves
        assertEquals(1.0, stDouble());
    }

    // ---- control word, tag word ----------------------------------------------------------

    @Test
    void fldcwKeepsOnlyDefinedBits() {
        int[][] cases = { { 0x0000, 0x0040 }, { 0xFFFF, 0x1F7F }, { 0x1F3F, 0x1F7F }, { 0xE0C0, 0x0040 }, { 0x0140, 0x0140 } };
        for (int[] c : cases) {
            mmu.writeWord(0x100, c[0]);
            exec(0xD9, 0x28, 0x100);             // FLDCW
            exec(0xD9, 0x38, 0x102);             // FNSTCW
            assertEquals(c[1], mmu.readWord(0x102), "FLDCW " + Integer.toHexString(c[0]));
        }
    }

    @Test
    void tagWordEncodesRegisterClasses() {
        exec(0xD9, 0xEE);                                 // +0       -> 01
        loadExtended(0x8000000000000000L, 0x3FFF);        // 1.0      -> 00
        loadExtended(0x0000000000001234L, 0x0000);        // denormal -> 10
        loadExtended(0x8000000000000000L, 0x7FFF);        // infinity -> 10
        loadExtended(0xC000000000000000L, 0xFFFF);        // NaN      -> 10
        loadExtended(0x4000000000000000L, 0x3FFF);        // unnormal -> 10
        // physical registers 7..2 in push order; 1 and 0 are empty
        int expected = 0b01_00_10_10_10_10_11_11;
        assertEquals(expected, fpu.tagWord());
        assertEquals(0xFC, fpu.abridgedTagWord());
        // loading a tag word only distinguishes empty from non-empty
        fpu.setTagWord(0x0000);
        assertEquals(0b01_00_10_10_10_10_01_01, fpu.tagWord(), "registers 1 and 0 hold zeros");
        fpu.setTagWord(0xFFFF);
        assertEquals(0xFFFF, fpu.tagWord());
    }

    // ---- environment and state save/restore -----------------------------------------------

    /** Puts the FPU in a state with every kind of register and non-trivial pointers. */
    private void busyState() {
        mmu.writeWord(0x100, 0x0B62);            // RC up, PC 53, IE/DE... some masks clear
        exec(0xD9, 0x28, 0x100);                 // FLDCW
        mmu.writeWord(0x100, 0x037F);
        exec(0xD9, 0x28, 0x100);
        fld(3.0);
        exec(0xD9, 0xEE);                        // FLDZ
        loadExtended(0x0000000000001234L, 0x0000);
        fld(-0.1);
        fpu.execute(0xD8, 0x05, 0x100, false, 0, 0x7777_0000);  // FADD m32 at 0x100 (contents 0x037F: a denormal float)
        exec(0xD9, 0xF7);                        // FINCSTP: TOP moves, tags stay
        exec(0xD9, 0xF6);                        // FDECSTP
        fpu.setLastInstructionSelector(0x23);
        fpu.setLastDataSelector(0x2B);
    }

    private long[] snapshot() {
        long[] s = new long[8 * 2 + 10];
        for (int i = 0; i < 8; i++) {
            s[2 * i] = fpu.registerSignificand(i);
            s[2 * i + 1] = fpu.registerSignExponent(i);
        }
        s[16] = fpu.controlWord();
        s[17] = fpu.statusWord();
        s[18] = fpu.tagWord();
        s[19] = fpu.lastInstructionPointer();
        s[20] = fpu.lastInstructionSelector();
        s[21] = fpu.lastOpcode();
        s[22] = fpu.lastDataPointer();
        s[23] = fpu.lastDataSelector();
        return s;
    }

    private static void assertSnapshot(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], "snapshot field " + i);
    }

    @Test
    void fnstenv32Layout() {
        busyState();
        int sw = fpu.statusWord(), tw = fpu.tagWord();
        exec(0xD9, 0x30, BUF);                   // FNSTENV (32-bit)
        assertEquals(0xFFFF0000 | 0x037F, mmu.readInt(BUF));
        assertEquals(0xFFFF0000 | sw, mmu.readInt(BUF + 4));
        assertEquals(0xFFFF0000 | tw, mmu.readInt(BUF + 8));
        assertEquals(0x1234, mmu.readInt(BUF + 12));
        assertEquals(fpu.lastOpcode() << 16 | 0x23, mmu.readInt(BUF + 16));
        assertEquals(0x100, mmu.readInt(BUF + 20));
        assertEquals(0xFFFF002B, mmu.readInt(BUF + 24));
        assertEquals(0x037F | 0x3F, fpu.controlWord(), "FNSTENV masks all exceptions");
    }

    @Test
    void fnstenv16Layout() {
        busyState();
        int sw = fpu.statusWord(), tw = fpu.tagWord();
        for (int i = 0; i < 16; i++) mmu.writeByte(BUF + i, 0x5A);
        fpu.execute(0xD9, 0x30, BUF, true, 0, 0);
        assertEquals(0x037F, mmu.readWord(BUF));
        assertEquals(sw, mmu.readWord(BUF + 2));
        assertEquals(tw, mmu.readWord(BUF + 4));
        assertEquals(0x1234, mmu.readWord(BUF + 6));
        assertEquals(0x23, mmu.readWord(BUF + 8));
        assertEquals(0x100, mmu.readWord(BUF + 10));
        assertEquals(0x2B, mmu.readWord(BUF + 12));
        assertEquals(0x5A5A, mmu.readWord(BUF + 14), "14 bytes only");
    }

    @Test
    void fsaveFrstorRoundTrip32() {
        busyState();
        long[] before = snapshot();
        int top = (fpu.statusWord() >> 11) & 7;
        exec(0xDD, 0x30, BUF);                   // FNSAVE
        // registers in stack order after the 28-byte environment
        for (int i = 0; i < 8; i++) {
            int p = (top + i) & 7;
            assertEquals(fpu.registerSignificand(p), mmu.readLong(BUF + 28 + 10 * i));
        }
        assertEquals(0xFFFF037F, mmu.readInt(BUF), "FNSAVE stores the control word");
        // FNSAVE reinitializes
        assertEquals(0x037F, fpu.controlWord());
        assertEquals(0xFFFF, fpu.tagWord());
        assertEquals(0, fpu.statusWord());
        exec(0xDD, 0x20, BUF);                   // FRSTOR
        assertSnapshot(before, snapshot());
    }

    @Test
    void fsaveFrstorRoundTrip16() {
        busyState();
        // 16-bit layouts keep only 16-bit offsets and no opcode
        fpu.setLastInstructionPointer(0x1234);
        fpu.setLastDataPointer(0x100);
        long[] before = snapshot();
        fpu.execute(0xDD, 0x30, BUF, true, 0, 0);
        assertEquals(0xFFFF, fpu.tagWord());
        fpu.setLastOpcode((int) before[21]);    // the 16-bit image has no opcode field: FRSTOR keeps the current one
        fpu.execute(0xDD, 0x20, BUF, true, 0, 0);
        assertSnapshot(before, snapshot());
    }

    @Test
    void frstorRecomputesTagsAndSummary() {
        // an image with all tags "valid", status flags set and an unmasked exception flag
        for (int i = 0; i < 108; i++) mmu.writeByte(BUF + i, 0);
        mmu.writeInt(BUF, 0xFFFF037B);           // ZE unmasked
        mmu.writeInt(BUF + 4, 0xFFFF0004);       // ZE flag set, ES clear in the image
        mmu.writeInt(BUF + 8, 0xFFFF0000);       // all "valid"
        exec(0xDD, 0x20, BUF);
        assertEquals(0x5555, fpu.tagWord(), "zeros are tagged zero whatever the image said");
        assertEquals(0x8084, fpu.statusWord(), "ES and B follow the unmasked flag");
        assertTrue(fpu.exceptionPending());
    }

    @Test
    void fxsaveLayoutAndRoundTrip() {
        busyState();
        long[] before = snapshot();
        int top = (fpu.statusWord() >> 11) & 7;
        for (int i = 0; i < 512; i++) mmu.writeByte(BUF + i, 0x5A);
        fpu.fxsave(BUF);
        assertEquals(0x037F, mmu.readWord(BUF));
        assertEquals(fpu.statusWord(), mmu.readWord(BUF + 2));
        assertEquals(fpu.abridgedTagWord(), mmu.readByte(BUF + 4));
        assertEquals(fpu.lastOpcode(), mmu.readWord(BUF + 6));
        assertEquals(0x1234, mmu.readInt(BUF + 8));
        assertEquals(0x23, mmu.readWord(BUF + 12));
        assertEquals(0x100, mmu.readInt(BUF + 16));
        assertEquals(0x2B, mmu.readWord(BUF + 20));
        assertEquals(0x1F80, mmu.readInt(BUF + 24));
        for (int i = 0; i < 8; i++) {
            int p = (top + i) & 7;
            assertEquals(fpu.registerSignificand(p), mmu.readLong(BUF + 32 + 16 * i));
            assertEquals(fpu.registerSignExponent(p), mmu.readWord(BUF + 40 + 16 * i));
            assertEquals(0, mmu.readWord(BUF + 42 + 16 * i));
            assertEquals(0, mmu.readInt(BUF + 44 + 16 * i));
        }
        for (int a = 160; a < 288; a += 4) assertEquals(0, mmu.readInt(BUF + a), "XMM area");
        assertEquals(0x5A5A5A5A, mmu.readInt(BUF + 508), "software area untouched");
        exec(0xDB, 0xE3);
        fpu.fxrstor(BUF);
        assertSnapshot(before, snapshot());
    }

    // ---- exceptions ----------------------------------------------------------------------

    @Test
    void unmaskedExceptionRaisesMfOnNextWaitingInstruction() {
        mmu.writeWord(0x100, 0x037B);            // unmask ZE
        exec(0xD9, 0x28, 0x100);
        fld(1.0);
        exec(0xD9, 0xEE);                        // FLDZ
        exec(0xDE, 0xF9);                        // FDIVP ST1, ST0: 1/0, unmasked: no result, no pop
        assertEquals(0x8084 | 6 << 11, fpu.statusWord());
        assertEquals(0x1FFF, fpu.tagWord(), "both operands still on the stack");
        Fault f = assertThrows(Fault.class, () -> exec(0xD8, 0xC1));
        assertEquals(Fault.MF, f.vector);
        // non-waiting instructions still run
        exec(0xDD, 0x38, 0x110);                 // FNSTSW m16
        assertEquals(0x8084 | 6 << 11, mmu.readWord(0x110));
        exec(0xDB, 0xE2);                        // FNCLEX
        assertFalse(fpu.exceptionPending());
        exec(0xD8, 0xC1);                        // FADD now runs
        assertEquals(0, fpu.statusWord() & 0x80);
    }

    @Test
    void fldcwUnmaskingAPendingFlagSetsEs() {
        fld(1.0);
        exec(0xD9, 0xEE);
        exec(0xDE, 0xF9);                        // masked 1/0: ZE set, ES clear
        assertEquals(0x04, fpu.statusWord() & 0x80FF);
        mmu.writeWord(0x100, 0x037B);
        exec(0xD9, 0x28, 0x100);                 // FLDCW unmasks ZE
        assertTrue(fpu.exceptionPending());
        assertThrows(Fault.class, () -> exec(0xD9, 0xE8));
        assertThrows(Fault.class, () -> exec(0xD9, 0x28, 0x100), "FLDCW waits too");
    }

    @Test
    void undefinedEncodingsRaiseUd() {
        int[][] bad = { { 0xD9, 0x08 }, { 0xD9, 0xD1 }, { 0xD9, 0xE2 }, { 0xD9, 0xE7 }, { 0xD9, 0xEF }, { 0xDA, 0xE0 },
                { 0xDA, 0xF8 }, { 0xDB, 0x20 }, { 0xDB, 0x30 }, { 0xDB, 0xE5 }, { 0xDB, 0xF8 }, { 0xDD, 0x28 },
                { 0xDD, 0xF0 }, { 0xDE, 0xD8 }, { 0xDE, 0xDA }, { 0xDF, 0xE1 }, { 0xDF, 0xF8 } };
        for (int[] b : bad) {
            Fault f = assertThrows(Fault.class, () -> exec(b[0], b[1], 0x100), Integer.toHexString(b[0]) + " " + Integer.toHexString(b[1]));
            assertEquals(Fault.UD, f.vector);
        }
        // the no-op forms are fine
        exec(0xDB, 0xE0);
        exec(0xDB, 0xE1);
        exec(0xDB, 0xE4);
        exec(0xD9, 0xD0);
    }

    @Test
    void pageFaultLeavesStateUnchanged() {
        // identity-map the first 4 MiB except page 0x50
        int pd = 0x10000, pt = 0x11000;
        mmu.writeInt(pd, pt | 7);
        for (int i = 0; i < 1024; i++) mmu.writeInt(pt + 4 * i, i == 0x50 ? 0 : (i << 12) | 7);
        mmu.setPaging(true, true, false, pd);
        fld(1.25);
        fld(2.5);
        long[] before = snapshot();
        int bad = 0x50000 - 2;                    // every operand straddles into the missing page
        int[][] stores = { { 0xDD, 0x18 }, { 0xD9, 0x18 }, { 0xDB, 0x38 }, { 0xDF, 0x30 }, { 0xDF, 0x38 }, { 0xDD, 0x30 },
                { 0xD9, 0x30 }, { 0xDD, 0x20 }, { 0xDB, 0x28 }, { 0xDC, 0x00 } };
        for (int[] s : stores) {
            Fault f = assertThrows(Fault.class, () -> exec(s[0], s[1], bad), Integer.toHexString(s[0]) + " " + Integer.toHexString(s[1]));
            assertEquals(Fault.PF, f.vector);
            assertSnapshot(before, snapshot());
        }
        assertThrows(Fault.class, () -> fpu.fxsave(0x50000 - 256));
        assertSnapshot(before, snapshot());
        assertThrows(Fault.class, () -> fpu.fxrstor(0x50000 - 256));
        assertSnapshot(before, snapshot());
        // map the page and retry: the instruction now completes
        mmu.writeInt(pt + 4 * 0x50, 0x50000 | 7);
        mmu.flush();
        exec(0xDD, 0x18, bad);                   // FSTP m64
        assertEquals(2.5, Double.longBitsToDouble(mmu.readLong(bad)));
        assertEquals(1.25, stDouble());
    }

    // ---- allocation ----------------------------------------------------------------------

    @Test
    void hotPathsDoNotAllocate() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        mmu.writeLong(0x100, Double.doubleToRawLongBits(1.0000001));
        mmu.writeInt(0x108, Float.floatToRawIntBits(0.75f));
        mmu.writeInt(0x10C, 12345);
        Runnable loop = () -> {
            for (int i = 0; i < 20000; i++) {
                fpu.execute(0xDD, 0x00, 0x100, false, 0, i);    // FLD m64
                fpu.execute(0xD8, 0x05, 0x108, false, 0, i);    // FADD m32
                fpu.execute(0xD9, 0xC0, 0, false, 0, i);        // FLD ST0
                fpu.execute(0xDC, 0xC9, 0, false, 0, i);        // FMUL ST1, ST0
                fpu.execute(0xDE, 0xF9, 0, false, 0, i);        // FDIVP
                fpu.execute(0xD9, 0xFA, 0, false, 0, i);        // FSQRT
                fpu.execute(0xDA, 0x05, 0x10C, false, 0, i);    // FIADD m32
                fpu.execute(0xD9, 0xFC, 0, false, 0, i);        // FRNDINT
                fpu.execute(0xDB, 0xF0, 0, false, 0, i);        // FCOMI ST0, ST0
                fpu.execute(0xD8, 0x15, 0x108, false, 0, i);    // FCOM m32
                fpu.execute(0xDB, 0x15, 0x110, false, 0, i);    // FIST m32
                fpu.execute(0xD9, 0x1D, 0x118, false, 0, i);    // FSTP m32
            }
        };
        loop.run();                              // warm up
        long a = bean.getThreadAllocatedBytes(tid);
        loop.run();
        long b = bean.getThreadAllocatedBytes(tid);
        assertTrue(b - a < 1024, "allocated " + (b - a) + " bytes");
    }
}
