package org.j386.app;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The host terminal while a guest owns the console: put in raw mode (no host echo, no host
 * line editing, ^C and ^Z passed through as bytes), since the guest's own line discipline does
 * all of that, and restored at exit. Uses stty(1) on the controlling terminal.
 */
final class HostTerminal implements AutoCloseable {
    private final String saved;

    private HostTerminal(String saved) {
        this.saved = saved;
    }

    /** Raw mode on /dev/tty; a no-op when there is no usable terminal or stty. */
    static HostTerminal raw() {
        String saved = stty("-g");
        if (saved == null) return new HostTerminal(null);
        HostTerminal t = new HostTerminal(saved.trim());
        Runtime.getRuntime().addShutdownHook(new Thread(t::restore, "j386-tty-restore"));
        stty("raw", "-echo");
        return t;
    }

    private void restore() {
        if (saved != null) stty(saved);
    }

    @Override
    public void close() {
        restore();
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return new String(out, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
