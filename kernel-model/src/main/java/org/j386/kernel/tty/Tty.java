package org.j386.kernel.tty;

import org.j386.kernel.BlockedException;
import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SigInfo;
import org.j386.kernel.Signals;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;
import org.j386.kernel.WaitQueue;
import org.j386.kernel.fs.Termios;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The console terminal: Linux's n_tty line discipline over the host's keyboard and screen,
 * and the terminal's part in job control.
 * <p>
 * Input bytes from the host go through {@link #receive}: input translation (ICRNL...), the
 * signal characters (^C ^\ ^Z to the foreground process group), canonical line editing
 * (erase, kill, word erase, end of file) or raw bytes with VMIN/VTIME, and echo. Output goes
 * through OPOST/ONLCR. A process group that is not in the foreground gets SIGTTIN when it
 * reads, and SIGTTOU when it writes with TOSTOP or changes the settings.
 */
public final class Tty {
    // termios bits (asm-generic/termbits.h)
    static final int IGNCR = 0x80, ICRNL = 0x100, INLCR = 0x40, ISTRIP = 0x20, IUCLC = 0x200, IXON = 0x400;
    static final int OPOST = 1, ONLCR = 4, OCRNL = 8;
    static final int ISIG = 1, ICANON = 2, ECHO = 8, ECHOE = 0x10, ECHOK = 0x20, ECHONL = 0x40, NOFLSH = 0x80,
            TOSTOP = 0x100, ECHOCTL = 0x200, ECHOKE = 0x800, IEXTEN = 0x8000;
    static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSTART = 8,
            VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
    /** N_TTY_BUF_SIZE: the longest canonical line (the last byte is kept for the newline). */
    static final int LINE_MAX = 4096;

    private final Kernel k;
    private final OutputStream screen;
    public final Termios termios = new Termios();
    /** Completed canonical lines, oldest first; an empty array is an end-of-file mark (^D on an empty line). */
    private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
    /** The canonical line being edited. */
    private final byte[] edit = new byte[LINE_MAX];
    private int editLen;
    /** Non-canonical input. */
    private final ByteRing raw = new ByteRing(LINE_MAX * 16);
    private boolean literalNext;
    /** No more host input will come: reads that would wait return 0. */
    private boolean hostEof;
    /** Session this is the controlling terminal of (0: none), and its foreground process group. */
    public int sid, fgPgrp;
    /** Readers and pollers waiting for input. */
    public final WaitQueue readers = new WaitQueue();

    public Tty(Kernel k, OutputStream screen) {
        this.k = k;
        this.screen = screen;
    }

    private boolean lflag(int bit) { return (termios.lflag & bit) != 0; }

    private boolean canonical() { return lflag(ICANON); }

    // ---- input from the host ----

    /** Host input: each byte as if typed. */
    public void receive(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) receive(b[off + i] & 0xff);
        flushScreen();
        if (hasInput()) readers.wakeAll();
    }

    /** The host has no more input: readers see end of file. */
    public void hostEnded() {
        hostEof = true;
        readers.wakeAll();
    }

    public boolean isHostEnded() { return hostEof; }

    private void receive(int c) {
        if ((termios.iflag & ISTRIP) != 0) c &= 0x7f;
        if (literalNext) {
            literalNext = false;
            put(c);
            return;
        }
        if (c == '\r') {
            if ((termios.iflag & IGNCR) != 0) return;
            if ((termios.iflag & ICRNL) != 0) c = '\n';
        } else if (c == '\n' && (termios.iflag & INLCR) != 0) {
            c = '\r';
        }
        byte[] cc = termios.cc;
        if (lflag(ISIG)) {
            int sig = c == (cc[VINTR] & 0xff) ? Signals.SIGINT : c == (cc[VQUIT] & 0xff) ? Signals.SIGQUIT
                    : c == (cc[VSUSP] & 0xff) ? Signals.SIGTSTP : 0;
            if (sig != 0 && c != 0) {
                if (!lflag(NOFLSH)) flushInput();
                if (lflag(ECHO)) echoChar(c);
                if (fgPgrp > 0) signalGroup(fgPgrp, sig);
                return;
            }
        }
        if ((termios.iflag & IXON) != 0 && (c == (cc[VSTOP] & 0xff) || c == (cc[VSTART] & 0xff)) && c != 0) return;
        if (canonical()) {
            if (lflag(IEXTEN) && c == (cc[VLNEXT] & 0xff) && c != 0) {
                literalNext = true;
                if (lflag(ECHO) && lflag(ECHOCTL)) output("^\b");
                return;
            }
            if (c == (cc[VERASE] & 0xff) && c != 0) {
                eraseOne();
                return;
            }
            if (c == (cc[VKILL] & 0xff) && c != 0) {
                if (lflag(ECHO) && lflag(ECHOK) && !lflag(ECHOKE)) {
                    echoChar(c);
                    output("\n");
                    editLen = 0;
                } else {
                    while (editLen > 0) eraseOne();
                }
                return;
            }
            if (lflag(IEXTEN) && c == (cc[VWERASE] & 0xff) && c != 0) {
                while (editLen > 0 && isBlank(edit[editLen - 1])) eraseOne();
                while (editLen > 0 && !isBlank(edit[editLen - 1])) eraseOne();
                return;
            }
            if (lflag(IEXTEN) && c == (cc[VREPRINT] & 0xff) && c != 0) {
                if (lflag(ECHO)) {
                    echoChar(c);
                    output("\n");
                    for (int i = 0; i < editLen; i++) echoChar(edit[i] & 0xff);
                }
                return;
            }
            if (c == (cc[VEOF] & 0xff) && c != 0) {
                completeLine();        // not echoed; an empty line reads as end of file
                return;
            }
            boolean eol = c == '\n' || (c == (cc[VEOL] & 0xff) && c != 0) || (lflag(IEXTEN) && c == (cc[VEOL2] & 0xff) && c != 0);
            if (eol) {
                if (lflag(ECHO) || (c == '\n' && lflag(ECHONL))) echoChar(c);
                edit[editLen++] = (byte) c;   // room is always kept for it
                completeLine();
                return;
            }
            if (editLen >= LINE_MAX - 1) return; // full: only a line end is taken
            if (lflag(ECHO)) echoChar(c);
            edit[editLen++] = (byte) c;
            return;
        }
        put(c);
    }

    /** A literal byte: into the line in canonical mode, into the queue otherwise. */
    private void put(int c) {
        if (lflag(ECHO)) echoChar(c);
        if (canonical()) {
            if (editLen < LINE_MAX - 1) edit[editLen++] = (byte) c;
        } else {
            raw.put((byte) c);
        }
    }

    private static boolean isBlank(byte b) { return b == ' ' || b == '\t'; }

    private void eraseOne() {
        if (editLen == 0) return;
        int c = edit[--editLen] & 0xff;
        if (!lflag(ECHO)) return;
        if (lflag(ECHOE)) {
            int cols = isControl(c) && lflag(ECHOCTL) ? 2 : 1;
            for (int i = 0; i < cols; i++) output("\b \b");
        } else {
            echoChar(termios.cc[VERASE] & 0xff);
        }
    }

    private void completeLine() {
        lines.addLast(java.util.Arrays.copyOf(edit, editLen));
        editLen = 0;
    }

    private static boolean isControl(int c) { return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f; }

    private void echoChar(int c) {
        if (isControl(c) && lflag(ECHOCTL)) {
            output(new byte[] {'^', (byte) (c ^ 0x40)}, 0, 2);
        } else {
            output(new byte[] {(byte) c}, 0, 1);
        }
    }

    private void flushInput() {
        lines.clear();
        editLen = 0;
        raw.clear();
    }

    private boolean hasInput() {
        return canonical() ? !lines.isEmpty() : raw.count() > 0;
    }

    // ---- reads and writes by tasks ----

    /** read(2) by the current task. */
    public int read(byte[] b, int off, int len, boolean nonBlocking) {
        Task t = k.current;
        backgroundCheck(t, Signals.SIGTTIN, true);
        if (len == 0) return 0;
        if (canonical()) {
            byte[] line = lines.peekFirst();
            if (line != null) {
                if (line.length == 0) {
                    lines.pollFirst();
                    return 0;
                }
                int n = Math.min(len, line.length);
                System.arraycopy(line, 0, b, off, n);
                lines.pollFirst();
                if (n < line.length) lines.addFirst(java.util.Arrays.copyOfRange(line, n, line.length));
                return n;
            }
            if (hostEof) return 0;
            if (nonBlocking) throw new SyscallException(Errno.EAGAIN);
            throw new BlockedException(readers);
        }
        int vmin = termios.cc[VMIN] & 0xff, vtime = termios.cc[VTIME] & 0xff;
        int have = raw.count();
        boolean timedOut = t.sleepDeadline != 0 && k.clock.monotonicNanos() >= t.sleepDeadline;
        // VMIN > 0 and VTIME > 0: the inter-byte timer is not modelled; any byte completes the read
        if (have > 0 && (vmin == 0 || vtime > 0 || have >= Math.min(vmin, len) || hostEof || timedOut || nonBlocking)) {
            t.sleepDeadline = 0;
            return raw.take(b, off, Math.min(len, have));
        }
        if (hostEof || timedOut || (vmin == 0 && vtime == 0)) {
            t.sleepDeadline = 0;
            return 0;
        }
        if (nonBlocking) throw new SyscallException(Errno.EAGAIN);
        if (vmin == 0 && t.sleepDeadline == 0) t.sleepDeadline = k.clock.monotonicNanos() + vtime * 100_000_000L;
        throw new BlockedException(readers);
    }

    /** write(2) by the current task. */
    public int write(byte[] b, int off, int len) {
        Task t = k.current;
        if (lflag(TOSTOP)) backgroundCheck(t, Signals.SIGTTOU, false);
        output(b, off, len);
        flushScreen();
        return len;
    }

    /** Bytes a read could return now (FIONREAD). */
    public int available() {
        if (!canonical()) return raw.count();
        int n = 0;
        for (byte[] l : lines) n += l.length;
        return n;
    }

    /** Whether a read would return at once (poll's POLLIN): data, or end of file. */
    public boolean readable() {
        return hasInput() || hostEof;
    }

    /**
     * Job control on access from a process group that is not in the foreground: the group
     * gets {@code sig} and the call waits to be restarted, unless the signal is ignored or
     * blocked (reads then fail with EIO, writes and settings proceed) or the group is
     * orphaned (EIO).
     */
    private void backgroundCheck(Task t, int sig, boolean read) {
        if (t == null || t.ctty != this || fgPgrp == 0 || t.pgid == fgPgrp) return;
        boolean blocked = ((t.signals.blocked >>> (sig - 1)) & 1) != 0;
        boolean ignored = t.signals.handler[sig] == Signals.SIG_IGN;
        if (blocked || ignored) {
            if (read) throw new SyscallException(Errno.EIO);
            return;
        }
        if (k.jobs.orphanedGroup(t.pgid)) throw new SyscallException(Errno.EIO);
        signalGroup(t.pgid, sig);
        throw new BlockedException(null); // the signal wakes (or stops) the task; the call then runs again
    }

    private void signalGroup(int pgrp, int sig) {
        for (Task x : new ArrayList<>(k.tasks.values())) {
            if (x.pgid == pgrp && x.pid == x.tgid && !x.exited) k.sendProcessSignal(x, SigInfo.user(sig, SigInfo.SI_KERNEL, 0, 0));
        }
    }

    // ---- output ----

    private void output(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        output(b, 0, b.length);
    }

    private final byte[] outBuf = new byte[8192];
    private int outLen;

    /** Output processing (OPOST: ONLCR, OCRNL) into the screen buffer. */
    private void output(byte[] b, int off, int len) {
        boolean post = (termios.oflag & OPOST) != 0;
        for (int i = 0; i < len; i++) {
            byte c = b[off + i];
            if (post && c == '\n' && (termios.oflag & ONLCR) != 0) emit((byte) '\r');
            else if (post && c == '\r' && (termios.oflag & OCRNL) != 0) c = '\n';
            emit(c);
        }
    }

    private void emit(byte c) {
        if (outLen == outBuf.length) flushScreen();
        outBuf[outLen++] = c;
    }

    private void flushScreen() {
        if (outLen == 0) return;
        try {
            screen.write(outBuf, 0, outLen);
            screen.flush();
        } catch (IOException e) {
            // the host's screen went away: output is lost, as on a hung-up line
        }
        outLen = 0;
    }

    // ---- settings and ioctls ----

    /** TCSETS*: a switch between canonical and raw mode carries the pending input over. */
    public void setTermios(byte[] encoded, boolean flush) {
        Task t = k.current;
        backgroundCheck(t, Signals.SIGTTOU, false);
        boolean wasCanonical = canonical();
        termios.decode(encoded);
        if (flush) flushInput();
        if (wasCanonical && !canonical()) {
            for (byte[] l : lines) for (byte c : l) raw.put(c);
            for (int i = 0; i < editLen; i++) raw.put(edit[i]);
            lines.clear();
            editLen = 0;
        } else if (!wasCanonical && canonical()) {
            while (raw.count() > 0 && editLen < LINE_MAX - 1) edit[editLen++] = raw.takeOne();
            raw.clear();
        }
        if (hasInput()) readers.wakeAll();
    }

    public void flush(int queue) {
        if (queue == 0 || queue == 2) flushInput(); // TCIFLUSH, TCIOFLUSH
    }

    /** TIOCSWINSZ: a change tells the foreground process group (SIGWINCH). */
    public void setWindowSize(int rows, int cols) {
        boolean changed = rows != termios.rows || cols != termios.cols;
        termios.rows = rows;
        termios.cols = cols;
        if (changed && fgPgrp > 0) signalGroup(fgPgrp, Signals.SIGWINCH);
    }

    /** TIOCGPGRP, TIOCGSID: only for the terminal's own session. */
    public int foreground(Task t) {
        if (t.ctty != this) throw new SyscallException(Errno.ENOTTY);
        return fgPgrp;
    }

    public int session(Task t) {
        if (t.ctty != this || sid == 0) throw new SyscallException(Errno.ENOTTY);
        return sid;
    }

    /** TIOCSPGRP. */
    public void setForeground(Task t, int pgrp) {
        if (t.ctty != this || sid != t.sid) throw new SyscallException(Errno.ENOTTY);
        backgroundCheck(t, Signals.SIGTTOU, false);
        if (pgrp < 0) throw new SyscallException(Errno.EINVAL);
        boolean exists = false, sameSession = false;
        for (Task x : k.tasks.values()) {
            if (x.pgid != pgrp || x.exited) continue;
            exists = true;
            if (x.sid == sid) sameSession = true;
        }
        if (!exists) throw new SyscallException(Errno.ESRCH);
        if (!sameSession) throw new SyscallException(Errno.EPERM);
        fgPgrp = pgrp;
    }

    /** TIOCSCTTY: a session leader without a terminal takes this one. */
    public void makeControlling(Task t, int steal) {
        if (t.ctty == this && t.sid == t.pid) return;
        if (t.sid != t.pid || t.ctty != null) throw new SyscallException(Errno.EPERM);
        if (sid != 0 && sid != t.sid) {
            if (steal != 1 || t.euid != 0) throw new SyscallException(Errno.EPERM);
            for (Task x : k.tasks.values()) if (x.ctty == this) x.ctty = null;
        }
        attach(t);
    }

    /** Makes this the controlling terminal of {@code t}'s session, {@code t}'s group in the foreground. */
    public void attach(Task t) {
        sid = t.sid;
        fgPgrp = t.pgid;
        for (Task x : k.tasks.values()) if (x.sid == t.sid) x.ctty = this;
    }

    /** TIOCNOTTY: gives the terminal up; a session leader hangs it up for its session. */
    public void detach(Task t) {
        if (t.ctty != this) throw new SyscallException(Errno.ENOTTY);
        if (t.sid == t.pid) {
            disassociate(t.sid);
        } else {
            for (Task x : k.tasks.values()) if (x.tgid == t.tgid) x.ctty = null;
        }
    }

    /** The session leader gave up the terminal or exited: the foreground gets SIGHUP and SIGCONT. */
    public void disassociate(int session) {
        if (sid != session) return;
        if (fgPgrp > 0) {
            signalGroup(fgPgrp, Signals.SIGHUP);
            signalGroup(fgPgrp, Signals.SIGCONT);
        }
        for (Task x : k.tasks.values()) if (x.sid == session && x.ctty == this) x.ctty = null;
        sid = 0;
        fgPgrp = 0;
    }

    // ---- for checkpoint/restart (org.j386.checkpoint) ----

    /** Unread typed input: completed canonical lines (an empty one is an end-of-file mark), the line being edited, raw-mode bytes. */
    public record Input(java.util.List<byte[]> lines, byte[] edit, byte[] raw) {}

    public Input input() {
        java.util.List<byte[]> l = new ArrayList<>();
        for (byte[] b : lines) l.add(b.clone());
        return new Input(l, java.util.Arrays.copyOf(edit, editLen), raw.copy());
    }

    /** Puts saved input back (the host's new input comes after it); false when it does not fit. */
    public boolean restoreInput(Input in) {
        if (in.edit().length > LINE_MAX - 1 || in.raw().length > LINE_MAX * 16) return false;
        lines.clear();
        for (byte[] b : in.lines()) lines.addLast(b.clone());
        System.arraycopy(in.edit(), 0, edit, 0, in.edit().length);
        editLen = in.edit().length;
        raw.clear();
        for (byte b : in.raw()) raw.put(b);
        return true;
    }
}
