package org.j386.kernel;

/** The kernel model: owns the machine's memory, CPU, tasks and system call table. */
public final class Kernel {
    private final KernelConfig config;

    public Kernel(KernelConfig config) {
        this.config = config;
    }

    public KernelConfig config() { return config; }
}
