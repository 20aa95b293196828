package org.j386.devices;

import org.j386.cpu.CpuState;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stop conditions of the boot machine that the ROM tests cannot reach easily. */
class BootMachineTest {
    @Test
    @org.junit.jupiter.api.Timeout(60) // before REP yielded, this ran 2^32 iterations as one step
    void aHugeRepCountStillStopsAtTheInstructionLimit() {
        try (BootMachine m = new BootMachine(new byte[64 << 10], 4 << 20, OutputStream.nullOutputStream(), null)) {
            var c = m.cpu;
            // flat 32-bit protected mode, REP LODSB with ECX = 2^32 - 1 at 0x1000
            c.setCr0(c.cr0 | 1);
            for (int s = 0; s < 6; s++) c.loadFlatUserSegment(s, s == CpuState.CS ? 8 : 16, 0, -1, s == CpuState.CS ? 0x00c09b00 : 0x00c09300);
            m.ram.writeByte(0x1000, 0xf3);
            m.ram.writeByte(0x1001, 0xac);
            c.eip = 0x1000;
            c.r[CpuState.ECX] = -1;
            c.r[CpuState.ESI] = 0;
            assertEquals(BootMachine.Stop.LIMIT, m.run(10));
            assertEquals(10, c.icount);
            assertEquals(0x1000, c.eip, "still on the REP instruction");
            long done = 0xffffffffL - (c.r[CpuState.ECX] & 0xffffffffL);
            assertTrue(done > 0 && done <= 10L << 16, "iterations so far: " + done);
            assertEquals(done, c.r[CpuState.ESI] & 0xffffffffL, "ESI advanced with ECX");
        }
    }
}
