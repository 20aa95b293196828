package org.j386.bench;

import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The MMU fast path: 32-bit reads and writes that hit the software TLB, through real
 * two-level page tables (paging on), over a 64 KiB working set. Scores are accesses per
 * microsecond.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED"})
public class MemoryBenchmark {
    static final int BASE = 0x10000000, SPAN = 64 * 1024, N = 4096;

    PhysicalMemory ram;
    Mmu mmu;

    @Setup
    public void map() {
        ram = new PhysicalMemory(16 << 20);
        mmu = new Mmu(ram);
        long pgd = 0x1000, pt = 0x2000, frames = 0x100000;
        ram.writeInt(pgd + ((BASE >>> 22) << 2), (int) pt | 7);
        for (int i = 0; i < SPAN / 4096; i++) ram.writeInt(pt + (((BASE >>> 12) + i) & 0x3ff) * 4L, (int) (frames + i * 4096L) | 7 | 0x60);
        mmu.setPaging(true, true, false, (int) pgd);
        mmu.setUserMode(true);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int readInt() {
        int sum = 0;
        for (int i = 0; i < N; i++) sum += mmu.readInt(BASE + ((i * 52) & (SPAN - 4)));
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void writeInt() {
        for (int i = 0; i < N; i++) mmu.writeInt(BASE + ((i * 52) & (SPAN - 4)), i);
    }

    @TearDown
    public void free() {
        ram.close();
    }
}
