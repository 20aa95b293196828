package org.j386.app;

import org.j386.checkpoint.CheckpointSyscalls;
import org.j386.checkpoint.ImageData;
import org.j386.checkpoint.ImageException;
import org.j386.checkpoint.ImageReader;
import org.j386.checkpoint.Restorer;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code j386 restart IMAGE}: resumes a checkpointed guest with its stdio on this terminal. */
@Command(name = "restart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Resume a guest from a checkpoint image, in this JVM, with stdio attached here.")
public final class RestartCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The checkpoint image file, or a --image-dir directory (its newest valid image).")
    Path image;

    @Option(names = "--linux-cr-numbers", description = "Also answer the Linux-CR series' i386 numbers for checkpoint (347) and restart (348), besides j386's 500 and 501.")
    boolean linuxCrNumbers;

    @Option(names = "--root", paramLabel = "DIR", description = "Host directory that is the guest's / (default: the current directory).")
    Path root;

    @Option(names = "--strace", description = "Print one line per system call to stderr.")
    boolean strace;

    @Option(names = "--ram", paramLabel = "MB", description = "Guest physical memory in MiB (default: ${DEFAULT-VALUE}).", defaultValue = "512")
    int ramMb;

    @Option(names = "--control", paramLabel = "PATH", description = "Open a control socket (mode 0600) for `j386 checkpoint`, `kill`, `freeze` and `thaw`.")
    Path control;

    @Option(names = "--stats", description = "Print the instructions retired (since the original start: the image carries the count) and MIPS to stderr at exit.")
    boolean stats;

    @Option(names = "--frozen", description = "Leave the restored tree frozen (RESTART_FROZEN) until `j386 thaw` (needs --control).")
    boolean frozen;

    private final Streams streams;

    RestartCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        Path rootDir = (root != null ? root : Path.of("")).toAbsolutePath().normalize();
        if (!Files.isDirectory(rootDir)) return fail("--root " + rootDir + ": not a directory");
        if (frozen && control == null) return fail("--frozen needs --control PATH (to thaw the guest)");
        ImageData img;
        try {
            if (Files.isDirectory(image)) {
                img = org.j386.checkpoint.ImageDirectory.newestValid(image, streams.err());
            } else {
                img = ImageReader.read(image);
            }
        } catch (NoSuchFileException e) {
            return fail(image + ": no such file");
        } catch (IOException e) {
            return fail(image + ": cannot read: " + e.getMessage());
        } catch (ImageException e) {
            return fail(image + ": " + e.getMessage());
        }
        KernelConfig cfg = new KernelConfig();
        cfg.root = rootDir;
        streams.attach(cfg);
        cfg.ttyInteractive = streams.inTty(); // used when the image's console was a terminal (TTY record)
        cfg.strace = strace ? streams.err() : null;
        cfg.ramBytes = (long) ramMb << 20;
        Kernel restored;
        try (img) { // the pages are in guest memory now: their off-heap copies go before the guest runs
            restored = Restorer.restore(img, cfg);
        } catch (Restorer.RestoreException e) {
            return fail(image + ": " + e.getMessage());
        }
        try (Kernel kernel = restored) {
            CheckpointSyscalls.install(kernel, linuxCrNumbers);
            if (frozen) kernel.freezer.freeze(new java.util.ArrayList<>(kernel.tasks.values()));
            ControlServer server = null;
            if (control != null) {
                try {
                    server = new ControlServer(control, kernel);
                } catch (IOException e) {
                    return fail("--control " + control + ": " + e.getMessage());
                }
            }
            long since = kernel.cpu.icount, t0 = System.nanoTime();
            try (HostTerminal host = kernel.console != null && cfg.ttyInteractive ? HostTerminal.raw() : null) {
                return kernel.run();
            } finally {
                if (stats) RunCommand.printStats(streams.err(), kernel.cpu.icount, since, System.nanoTime() - t0);
                if (server != null) {
                    try { server.close(); } catch (IOException ignored) { /* the socket file may already be gone */ }
                }
            }
        }
    }

    private int fail(String message) {
        streams.err().println("j386: " + message);
        return 1;
    }
}
