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
 * pending, the kernel waits for the next keystroke.
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

    private TtyHost(InputStream in, boolean interactive) {
        this.in = interactive ? in : new BufferedInputStream(in);
        this.typed = interactive ? new LinkedBlockingQueue<>() : null;
        if (interactive) {
            Thread reader = new Thread(this::readLoop, "j386-keyboard");
            reader.setDaemon(true);
            reader.start();
        }
    }

    public static TtyHost interactive(InputStream in) { return new TtyHost(in, true); }

    public static TtyHost scripted(InputStream in) { return new TtyHost(in, false); }

    public boolean interactive() { return typed != null; }

    private void readLoop() {
        byte[] buf = new byte[256];
        try {
            for (;;) {
                int n = in.read(buf);
                if (n < 0) break;
                if (n > 0) typed.add(java.util.Arrays.copyOf(buf, n));
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
