package org.j386.cpu;

import org.j386.mmu.Fault;

/**
 * Where the CPU sends interrupts and exceptions when an outer layer (the kernel model) acts
 * as ring 0 instead of a guest operating system with an IDT. When no handler is installed,
 * the CPU delivers through the IDT (or the real-mode IVT) itself.
 */
public interface TrapHandler {
    /** INT n, INT3, INTO or INT1; EIP already points past the instruction. */
    void interrupt(Cpu cpu, int vector);

    /** A fault raised by an instruction; EIP points at the faulting instruction. */
    void exception(Cpu cpu, Fault fault);
}
