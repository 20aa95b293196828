package org.j386.app;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The host streams a command uses: the process's own for the real CLI, buffers in tests.
 * The guest's stdout is the raw file descriptor, not System.out, so bytes pass unchanged.
 */
public record Streams(InputStream in, OutputStream guestOut, OutputStream guestErr, PrintStream out, PrintStream err,
                      boolean inTty, boolean outTty, boolean errTty) {
    /** Attaches a machine's console to these streams. */
    public void attach(org.j386.kernel.KernelConfig cfg) {
        cfg.stdin = in;
        cfg.stdout = guestOut;
        cfg.stderr = guestErr;
        cfg.stdinTty = inTty;
        cfg.stdoutTty = outTty;
        cfg.stderrTty = errTty;
    }

    public static Streams system() {
        boolean tty = System.console() != null;
        return new Streams(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), System.out, System.err, tty, tty, tty);
    }
}
