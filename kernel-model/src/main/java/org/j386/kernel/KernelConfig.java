package org.j386.kernel;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How a kernel-model machine is set up: the guest root, stdio, environment and tracing. */
public final class KernelConfig {
    /** Host directory that is the guest's "/"; the guest can never leave it. */
    public Path root = Path.of(".").toAbsolutePath().normalize();
    /** Guest working directory, as a guest path. */
    public String cwd = "/";
    public InputStream stdin = System.in;
    public OutputStream stdout = System.out;
    public OutputStream stderr = System.err;
    /** Whether each host stdio stream is a terminal (decides TCGETS: termios or ENOTTY). */
    public boolean stdinTty, stdoutTty, stderrTty;
    /**
     * The console is a terminal with a line discipline and job control: stdin is the keyboard,
     * stdout the screen. {@link #ttyInteractive} when the host's stdin is a real terminal (keys
     * arrive at any time), otherwise stdin is a script typed in whenever the guest is idle.
     */
    public boolean ttyConsole, ttyInteractive;
    /** Where --strace lines go (null: no tracing). */
    public PrintStream strace;
    public List<String> env = new ArrayList<>();
    /** Physical RAM of the machine, bytes. */
    public long ramBytes = 512L << 20;
    /** Guest wall clock at boot, ns since the epoch; the virtual clock advances from here. */
    public long bootEpochNanos = 0;
    /** Credentials of the first task: the host user's by default, as a native run would see. */
    public int uid = HostIds.uid(), gid = HostIds.gid();
    /** Keep the host directory's /tmp instead of mounting a tmpfs there. */
    public boolean hostTmp = false;
    /** Hostname reported by uname. */
    public String hostname = "j386";
    /** Most tasks (threads and zombies included) that may exist at once: fork/clone fail with EAGAIN beyond. */
    public int maxProcesses = 4096;
    /** Where the kernel tells the host user about limits it enforces (null: nowhere). */
    public PrintStream messages;
    /** Stop after this many guest instructions (0: no limit). */
    public long maxInstructions = 0;
    /** Seed for getrandom and AT_RANDOM: deterministic by default. */
    public long randomSeed = 0x6a333836L;
}
