package org.j386.bench;

import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.exec.ElfImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Interpreter speed on a CPU-bound guest (tests/guest/src/cpubench.c, glibc and musl
 * builds). One operation is one retired guest instruction and the unit is operations per
 * microsecond, so the score reads directly as MIPS.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED"})
public class InterpreterBenchmark {
    static final int SLICE = 1_000_000;

    @Param({"glibc", "musl"})
    String flavour;

    Kernel kernel;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        KernelConfig cfg = new KernelConfig();
        cfg.root = Files.createTempDirectory("j386-bench");
        cfg.stdout = OutputStream.nullOutputStream();
        cfg.stderr = OutputStream.nullOutputStream();
        cfg.env = List.of("HOME=/");
        cfg.bootEpochNanos = 1;
        kernel = new Kernel(cfg);
        ElfImage elf = ElfImage.parse(Files.readAllBytes(GuestFiles.binary(flavour, "cpubench")));
        // enough iterations that the guest never finishes during the measurement
        kernel.start(elf, "cpubench", List.of("cpubench", "2000000000"), cfg.env);
    }

    @Benchmark
    @OperationsPerInvocation(SLICE)
    public long instructions() {
        if (kernel.halted()) throw new IllegalStateException("guest exited during the benchmark");
        return kernel.cpu.run(SLICE);
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        kernel.close();
    }
}
