package org.j386.app;

import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.exec.ElfFormatException;
import org.j386.kernel.exec.ElfImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code j386 run}: runs a static i386 Linux program on the kernel model. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a static i386 Linux ELF program.",
                "Without PROGRAM, boot /bin/init of the --root DIR, or of the bundled userland (init, sh and tools),"
                        + " unpacked into a private temporary directory that is removed afterwards."})
public final class RunCommand implements Callable<Integer> {
    /** The environment a guest gets when no --env is given. */
    public static final List<String> DEFAULT_ENV = List.of("HOME=/", "PATH=/bin:/usr/bin", "TERM=dumb", "LANG=C");

    @Option(names = "--root", paramLabel = "DIR", description = "Host directory that is the guest's / (default: the current directory).")
    Path root;

    @Option(names = "--env", paramLabel = "K=V", description = "Guest environment variable (repeatable; default: a small clean environment).")
    List<String> env = new ArrayList<>();

    @Option(names = "--strace", description = "Print one line per system call to stderr.")
    boolean strace;

    @Option(names = "--stats", description = "Print instructions retired and MIPS to stderr at exit.")
    boolean stats;

    @Option(names = {"--ram", "--memory"}, paramLabel = "MB", description = "Guest physical memory in MiB (default: ${DEFAULT-VALUE}); a guest that needs more has its process killed, as by Linux's OOM killer.", defaultValue = "512")
    int ramMb;

    @Option(names = "--linux-cr-numbers", description = "Also answer the Linux-CR series' i386 numbers for checkpoint (347) and restart (348), besides j386's 500 and 501.")
    boolean linuxCrNumbers;

    @Option(names = "--uid", paramLabel = "N", description = "Real, effective and saved uid of the first task (default: the host user's).")
    Integer uid;

    @Option(names = "--gid", paramLabel = "N", description = "Real, effective and saved gid of the first task (default: the host user's).")
    Integer gid;

    @Option(names = "--max-processes", paramLabel = "N", description = "Most tasks (threads and zombies included) at once; fork and clone fail with EAGAIN beyond (default: ${DEFAULT-VALUE}).", defaultValue = "4096")
    int maxProcesses;

    @Option(names = "--max-instructions", paramLabel = "N", description = "Stop the guest after N instructions (exit status 124).")
    long maxInstructions;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the guest's random bytes (AT_RANDOM, getrandom).")
    Long seed;

    @Option(names = "--control", paramLabel = "PATH", description = "Open a control socket (mode 0600) for `j386 checkpoint`.")
    Path control;

    @Option(names = "--checkpoint-every", paramLabel = "N{i|s}", description = "Checkpoint every N retired instructions (Ni) or virtual seconds (Ns) into --image-dir.")
    String checkpointEvery;

    @Option(names = "--checkpoint-at", paramLabel = "N", split = ",", description = "Checkpoint the whole guest into --image-dir when exactly N instructions have retired (repeatable, or N,M,...; the images are numbered in instruction order).")
    List<Long> checkpointAt = new ArrayList<>();

    @Option(names = "--image-dir", paramLabel = "DIR", description = "Where periodic checkpoints go (ckpt-NNNNNN.img).")
    Path imageDir;

    @Option(names = "--keep", paramLabel = "K", defaultValue = "3", description = "Periodic images to keep (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--tty", description = "Give the guest a terminal even when stdin is not one: stdin is typed in, a line or a control key at a time, whenever the guest is idle (line discipline, ^C/^Z job control, echo to stdout).")
    boolean tty;

    @Option(names = "--argv0", paramLabel = "NAME", description = "The name the guest sees as its own path (argv[0] and AT_EXECFN; default: PROGRAM).")
    String argv0;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROGRAM", description = "Host path of the i386 ELF program (default: /bin/init of the guest root).")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    private final Streams streams;

    RunCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        if (program != null || root != null) return run(null);
        // no PROGRAM and no --root: boot the bundled userland from a private copy
        Path bundled;
        try {
            bundled = GuestRoot.extractToTemp();
        } catch (IOException e) {
            return fail("cannot unpack the bundled guest root: " + e.getMessage());
        }
        Thread cleanup = new Thread(() -> removeRoot(bundled));
        Runtime.getRuntime().addShutdownHook(cleanup);   // also when the host user interrupts the JVM
        try {
            return run(bundled);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
            removeRoot(bundled);
        }
    }

    private void removeRoot(Path dir) {
        try {
            GuestRoot.delete(dir);
        } catch (IOException e) {
            streams.err().println("j386: could not remove the temporary guest root " + dir + ": " + e.getMessage());
        }
    }

    /** Runs PROGRAM, or /bin/init of the root when there is none; {@code bundled} is the unpacked root, if any. */
    private int run(Path bundled) {
        Path rootDir = bundled != null ? bundled : root != null ? root : Path.of("");
        rootDir = rootDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(rootDir)) return fail("--root " + rootDir + ": not a directory");
        String hostProgram = program;
        String name = program;
        if (program == null) {
            Path init = rootDir.resolve(GuestRoot.INIT.substring(1));
            if (!Files.isRegularFile(init)) return fail("--root " + rootDir + " has no " + GuestRoot.INIT + " to boot (give a PROGRAM)");
            hostProgram = init.toString();
            name = GuestRoot.INIT;
        }
        byte[] image;
        try {
            image = Files.readAllBytes(Path.of(hostProgram));
        } catch (NoSuchFileException e) {
            return fail(hostProgram + ": no such file");
        } catch (IOException e) {
            return fail(hostProgram + ": cannot read: " + e.getMessage());
        }
        String file = program != null ? program : name;
        if (argv0 != null) name = argv0;
        ElfImage elf;
        try {
            elf = ElfImage.parse(image);
        } catch (ElfFormatException e) {
            return fail(file + ": " + e.getMessage());
        }
        KernelConfig cfg = new KernelConfig();
        cfg.root = rootDir;
        streams.attach(cfg);
        cfg.ttyConsole = tty || streams.inTty();
        cfg.ttyInteractive = streams.inTty();
        cfg.env = env.isEmpty() ? new ArrayList<>(DEFAULT_ENV) : env;
        cfg.strace = strace ? streams.err() : null;
        cfg.messages = streams.err();
        if (maxProcesses < 1) return fail("--max-processes must be at least 1");
        cfg.maxProcesses = maxProcesses;
        if ((uid != null && uid < 0) || (gid != null && gid < 0)) return fail("--uid and --gid must not be negative");
        if (uid != null) cfg.uid = uid;
        if (gid != null) cfg.gid = gid;
        cfg.ramBytes = (long) ramMb << 20;
        cfg.maxInstructions = maxInstructions;
        if (seed != null) cfg.randomSeed = seed;
        if (ramMb < 16 || ramMb > 3072) return fail("--ram must be between 16 and 3072 MiB");
        List<String> argv = new ArrayList<>();
        argv.add(name);
        argv.addAll(args);
        try (Kernel kernel = new Kernel(cfg)) {
            org.j386.checkpoint.CheckpointSyscalls.install(kernel, linuxCrNumbers);
            kernel.start(elf, name, argv, cfg.env);
            if (!checkpointAt.isEmpty()) {
                if (imageDir == null || keep < 1 || checkpointAt.stream().anyMatch(n -> n <= 0))
                    return fail("--checkpoint-at wants positive instruction counts, with --image-dir DIR and --keep K >= 1");
                org.j386.checkpoint.ImageDirectory dir;
                try {
                    dir = new org.j386.checkpoint.ImageDirectory(imageDir, keep, streams.err());
                } catch (java.io.IOException e) {
                    return fail("--image-dir " + imageDir + ": " + e.getMessage());
                }
                checkpointsAt(kernel, dir, checkpointAt.stream().sorted().distinct().iterator());
            }
            if (checkpointEvery != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([is])").matcher(checkpointEvery);
                if (!m.matches() || imageDir == null || keep < 1)
                    return fail("--checkpoint-every wants N followed by i (instructions) or s (seconds), with --image-dir DIR and --keep K >= 1");
                long n = Long.parseLong(m.group(1));
                boolean seconds = m.group(2).equals("s");
                org.j386.checkpoint.ImageDirectory dir;
                try {
                    dir = new org.j386.checkpoint.ImageDirectory(imageDir, keep, streams.err());
                } catch (java.io.IOException e) {
                    return fail("--image-dir " + imageDir + ": " + e.getMessage());
                }
                kernel.setPeriodic(seconds ? n * 1_000_000_000L : n, seconds, () -> dir.checkpoint(kernel));
            }
            ControlServer server = null;
            if (control != null) {
                try {
                    server = new ControlServer(control, kernel);
                } catch (java.io.IOException e) {
                    return fail("--control " + control + ": " + e.getMessage());
                }
            }
            long t0 = System.nanoTime();
            int status;
            try (HostTerminal host = cfg.ttyInteractive ? HostTerminal.raw() : null) {
                status = kernel.run();
            } finally {
                if (server != null) {
                    try { server.close(); } catch (java.io.IOException ignored) { /* the socket file may already be gone */ }
                }
            }
            long t1 = System.nanoTime();
            if (stats) printStats(streams.err(), kernel.cpu.icount, 0, t1 - t0);
            return status;
        } catch (ElfFormatException e) {
            return fail(file + ": " + e.getMessage());
        } catch (org.j386.kernel.SyscallException e) {
            return fail(file + ": cannot load: " + e.getMessage());
        }
    }

    /**
     * --stats: the instructions the guest has retired in all (a restarted guest counts those
     * before its checkpoint too), and the speed of the {@code since} to {@code total} part
     * that ran here, in {@code nanos}.
     */
    static void printStats(java.io.PrintStream err, long total, long since, long nanos) {
        double secs = nanos / 1e9;
        long here = total - since;
        err.printf("j386: %d instructions in %.3f s, %.1f MIPS%s%n", total, secs, secs > 0 ? here / secs / 1e6 : 0.0,
                since > 0 ? " (" + here + " since the restart)" : "");
    }

    /** Arms the next of the sorted instruction counts: its checkpoint arms the one after. */
    private static void checkpointsAt(Kernel kernel, org.j386.checkpoint.ImageDirectory dir, java.util.Iterator<Long> counts) {
        if (!counts.hasNext()) return;
        kernel.runAt(counts.next(), () -> {
            dir.checkpoint(kernel);
            checkpointsAt(kernel, dir, counts);
        });
    }

    private int fail(String message) {
        streams.err().println("j386: " + message);
        return 1;
    }
}
