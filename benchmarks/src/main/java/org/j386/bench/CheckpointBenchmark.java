package org.j386.bench;

import org.j386.checkpoint.Checkpointer;
import org.j386.checkpoint.HostCheckpoint;
import org.j386.checkpoint.ImageData;
import org.j386.checkpoint.ImageReader;
import org.j386.checkpoint.Restorer;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.Task;
import org.j386.kernel.exec.ElfImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoint and restart of a process tree (tests/zdtm/src/forest.c: by default one process
 * holding 64 or 512 MiB, each page touched; {@code -p processes=16 -p mib=256} gives a tree):
 * the time to freeze and thaw every task; to write the whole-guest image to a stream that
 * only counts bytes ({@code checkpoint}) and to a file as host checkpoints do
 * ({@code checkpointToFile}: freeze, write IMAGE.tmp, rename, thaw, so this is also the time
 * the guest stands still); and to read and validate an image and rebuild the tree in a fresh
 * kernel, from bytes in memory ({@code restart}) and from the file ({@code restartFromFile}).
 * The files are in /dev/shm (tmpfs) when there is one, so that the disk does not decide. The guest runs on its own thread until it is ready;
 * then the emulator thread is parked inside a host request (between quanta) while the
 * benchmark owns the kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED"})
public class CheckpointBenchmark {
    @Param({"1"})
    int processes;

    @Param({"64", "512"})
    int mib;

    Kernel kernel;
    Thread emulator;
    final CountDownLatch parked = new CountDownLatch(1), release = new CountDownLatch(1);
    byte[] image;
    Path imageFile;
    List<Task> all;
    Path root;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        Path shm = Path.of("/dev/shm"); // files in memory: the figures are the image path's, not the disk's
        root = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "j386-ckpt-bench") : Files.createTempDirectory("j386-ckpt-bench");
        KernelConfig cfg = config(root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cfg.stdout = out;
        kernel = new Kernel(cfg);
        kernel.hostAttached = true;
        ElfImage elf = ElfImage.parse(Files.readAllBytes(forest()));
        kernel.start(elf, "forest", List.of("forest", Integer.toString(processes), Integer.toString(mib)), cfg.env);
        emulator = new Thread(kernel::run, "emulator");
        emulator.start();
        for (int i = 0; i < 60000 && !ready(out); i++) Thread.sleep(20);
        if (!ready(out)) throw new IllegalStateException("forest did not get ready: " + out);
        kernel.postHostRequest(() -> {
            parked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        parked.await();
        all = new ArrayList<>(kernel.tasks.values());
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        checkpointTo(img);
        image = img.toByteArray();
        imageFile = root.resolve("bench.img");
        Files.write(imageFile, image);
        System.err.printf("forest %d processes, %d MiB: %d tasks, image %d bytes%n", processes, mib, all.size(), image.length);
    }

    private static boolean ready(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8).contains("READY");
        }
    }

    private static KernelConfig config(Path root) {
        KernelConfig cfg = new KernelConfig();
        cfg.root = root;
        cfg.stdout = OutputStream.nullOutputStream();
        cfg.stderr = OutputStream.nullOutputStream();
        cfg.env = List.of("HOME=/");
        cfg.bootEpochNanos = 1;
        cfg.ramBytes = 768L << 20;
        return cfg;
    }

    private static Path forest() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path b = p.resolve("tests/zdtm/bin/forest");
            if (Files.exists(b)) return b;
        }
        throw new IllegalStateException("tests/zdtm/bin/forest not found; run from the repository");
    }

    private long checkpointTo(OutputStream out) throws Exception {
        kernel.freezer.freeze(all);
        try {
            new Checkpointer(kernel).writeTree(all, out);
        } finally {
            kernel.freezer.thaw(all);
        }
        return all.size();
    }

    @Benchmark
    public long freezeThaw() {
        kernel.freezer.freeze(all);
        kernel.freezer.thaw(all);
        return all.size();
    }

    @Benchmark
    public long checkpoint() throws Exception {
        Counting c = new Counting();
        checkpointTo(c);
        return c.n;
    }

    @Benchmark
    public long checkpointToFile() throws Exception {
        String err = HostCheckpoint.takeNow(kernel, 0, root.resolve("out.img"));
        if (err != null) throw new IllegalStateException(err);
        return all.size();
    }

    @Benchmark
    public int restartFromFile() throws Exception {
        try (ImageData img = ImageReader.read(imageFile); Kernel k = Restorer.restore(img, config(root))) {
            return k.tasks.size();
        }
    }

    @Benchmark
    public int restart() throws Exception {
        try (ImageData img = ImageReader.read(new ByteArrayInputStream(image)); Kernel k = Restorer.restore(img, config(root))) {
            return k.tasks.size();
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        kernel.hostAttached = false;
        kernel.killAll();
        release.countDown();
        emulator.join(60_000);
        kernel.close();
        Files.deleteIfExists(imageFile);
        Files.deleteIfExists(root.resolve("out.img"));
        Files.deleteIfExists(root);
    }

    /** An output stream that only counts. */
    static final class Counting extends OutputStream {
        long n;

        @Override
        public void write(int b) { n++; }

        @Override
        public void write(byte[] b, int off, int len) { n += len; }
    }
}
