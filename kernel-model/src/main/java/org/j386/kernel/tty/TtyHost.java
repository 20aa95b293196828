package org.j386.kernel.tty;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Where the console's keystrokes come from.
 * <p>
 * <b>Interactive</b> (the host's stdin is a terminal): a reader thread queues whatever the
 * user types, and the kernel hands it to the line discipline at the next quantum boundary,
 * so ^C reaches a program that is busy computing. When nothing can run and no timer is
 * pending, the kernel waits for the next keystroke. Ctrl-] then q ends the machine (the
 * host terminal is raw, so every other key, ^C included, is the guest's).
 * <p>
 * <b>Scripted</b> (--tty with a file or pipe as stdin): input is "typed" only when no task can
 * run, one chunk at a time: up to and including a newline or one of the keys that act at once
 * (^C ^\ ^Z ^D). Where it lands in the guest's execution therefore depends only on the guest,
 * never on host timing, and a run is as repeatable as one without a terminal.
 */
public final class TtyHost {
    private static final byte[] EOF = new byte[0];
    private final InputStream in;
    private final LinkedBlockingQueue<byte[]> typed;

    /** What Ctrl-] q does interactively (the host terminal is raw, so ^C is the guest's). */
    private final Runnable quit;

    private TtyHost(InputStream in, boolean interactive, Runnable quit) {
        this.quit = quit;
        this.in = interactive ? in : new BufferedInputStream(in);
        this.typed = interactive ? new LinkedBlockingQueue<>() : null;
        if (interactive) {
            Thread reader = new Thread(this::readLoop, "j386-keyboard");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** @param quit run (on the reader thread) when the user types Ctrl-] q */
    public static TtyHost interactive(InputStream in, Runnable quit) { return new TtyHost(in, true, quit); }

    public static TtyHost scripted(InputStream in) { return new TtyHost(in, false, null); }

    static final int ESCAPE = 0x1d; // Ctrl-]

    public boolean interactive() { return typed != null; }

    private void readLoop() {
        byte[] buf = new byte[256];
        boolean escape = false;
        try {
            for (;;) {
                int n = in.read(buf);
                if (n < 0) break;
                ByteArrayOutputStream keys = new ByteArrayOutputStream(n);
                for (int i = 0; i < n; i++) {
                    int c = buf[i] & 0xff;
                    if (escape) {
                        escape = false;
                        if (c == 'q') {
                            if (quit != null) quit.run();
                            typed.add(EOF);
                            return;
                        }
                        keys.write(ESCAPE); // not the escape sequence: both keys are the guest's
                    }
                    if (c == ESCAPE) escape = true;
                    else keys.write(c);
                }
                if (keys.size() > 0) typed.add(keys.toByteArray());
            }
        } catch (IOException e) {
            // the terminal went away: same as its end
        }
        typed.add(EOF);
    }

    /** At a quantum boundary: what the user typed since the last one (interactive only). */
    public void pump(Tty tty) {
        if (typed == null || typed.isEmpty()) return;
        byte[] b;
        while ((b = typed.poll()) != null) deliver(tty, b);
    }

    /**
     * No task can run. Delivers input (or its end) and returns true, or returns false when
     * there is nothing to wait for here (input ended, or timers will move things first).
     */
    public boolean idle(Tty tty, boolean timerPending) {
        if (tty.isHostEnded()) return false;
        if (typed != null) {
            if (timerPending) return false;
            try {
                deliver(tty, typed.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
        byte[] chunk = nextChunk();
        deliver(tty, chunk);
        return true;
    }

    private static void deliver(Tty tty, byte[] b) {
        if (b.length == 0) tty.hostEnded();
        else tty.receive(b, 0, b.length);
    }

    private byte[] nextChunk() {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                chunk.write(c);
                if (c == '\n' || c == '\r' || c == 3 || c == 034 || c == 032 || c == 4) break;
            }
        } catch (IOException e) {
            // treated as the end of input
        }
        return chunk.toByteArray();
    }
}
