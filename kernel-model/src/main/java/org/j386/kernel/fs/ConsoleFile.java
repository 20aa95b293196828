package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * fd 0, 1 or 2 of the first task: the host's stdin, stdout or stderr. When the host stream is
 * a terminal the file looks like a tty (character device, termios, window size); otherwise
 * like a pipe. Every write is flushed so that stdout and stderr interleave exactly.
 */
public final class ConsoleFile extends OpenFile {
    private final InputStream in;
    private final OutputStream out;
    private final Termios tty;
    private final int index;
    /** The console terminal with its line discipline, when the console is one (then in/out/tty are unused). */
    private final org.j386.kernel.tty.Tty terminal;

    /** @param tty shared terminal settings, or null when the stream is not a terminal */
    /** Which host stream this is: 0 stdin, 1 stdout, 2 stderr. */
    public int index() { return index; }

    public ConsoleFile(InputStream in, OutputStream out, Termios tty, int index) {
        super(in != null && out != null ? Flags.O_RDWR : in != null ? Flags.O_RDONLY : Flags.O_WRONLY);
        this.in = in;
        this.out = out;
        this.tty = tty;
        this.index = index;
        this.terminal = null;
    }

    /** fd {@code index} of the first task on the console terminal (opened read-write, as login does). */
    public ConsoleFile(org.j386.kernel.tty.Tty terminal, int index) {
        super(Flags.O_RDWR);
        this.in = null;
        this.out = null;
        this.tty = terminal.termios;
        this.index = index;
        this.terminal = terminal;
    }

    public boolean isTty() { return tty != null; }

    /** The line-discipline terminal behind this file, or null. */
    public org.j386.kernel.tty.Tty terminal() { return terminal; }

    @Override
    public int read(byte[] b, int off, int len) {
        if (terminal != null) return terminal.read(b, off, len, nonBlocking());
        if (in == null) throw new SyscallException(Errno.EBADF);
        if (len == 0) return 0;
        try {
            if (nonBlocking() && in.available() <= 0) throw new SyscallException(Errno.EAGAIN);
            int n = in.read(b, off, len);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw new SyscallException(Errno.EIO);
        }
    }

    @Override
    public int write(byte[] b, int off, int len) {
        if (terminal != null) return terminal.write(b, off, len);
        if (out == null) throw new SyscallException(Errno.EBADF);
        try {
            out.write(b, off, len);
            out.flush();
            return len;
        } catch (IOException e) {
            // A closed pipe; SIGPIPE is the signal code's business.
            throw new SyscallException(tty != null ? Errno.EIO : Errno.EPIPE);
        }
    }

    @Override
    public Stat stat() {
        if (tty != null)
            return Stat.synthetic(Stat.makedev(0, 24), 3, Flags.S_IFCHR | 0620, Stat.makedev(136, 0), 1024);
        return Stat.synthetic(Stat.makedev(0, 12), 1000 + index, Flags.S_IFIFO | 0600, 0, 4096);
    }

    @Override
    public int available() {
        if (terminal != null) return terminal.available();
        if (in == null) return 0;
        try {
            return Math.max(0, in.available());
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public int pollEvents() {
        if (terminal == null) return super.pollEvents();
        return (terminal.readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
    }

    @Override
    public void pollWait(Task t) {
        if (terminal != null) terminal.readers.add(t);
    }

    @Override
    public int ioctl(Task t, int cmd, int arg) {
        if (terminal != null) return terminalIoctl(t, cmd, arg);
        if (tty == null) {
            if (cmd == Ioctls.FIONREAD) {
                t.mem.writeInt(arg, available());
                return 0;
            }
            throw new SyscallException(Errno.ENOTTY);
        }
        switch (cmd) {
            case Ioctls.TCGETS -> t.mem.write(arg, tty.encode());
            case Ioctls.TCSETS, Ioctls.TCSETSW, Ioctls.TCSETSF -> tty.decode(t.mem.read(arg, Termios.SIZE));
            case Ioctls.TIOCGWINSZ -> {
                t.mem.writeLong(arg, (tty.rows & 0xffffL) | (tty.cols & 0xffffL) << 16);
            }
            case Ioctls.TIOCSWINSZ -> {
                int v = t.mem.readInt(arg);
                tty.rows = v & 0xffff;
                tty.cols = v >>> 16;
            }
            case Ioctls.TIOCGPGRP -> t.mem.writeInt(arg, t.pgid);
            case Ioctls.TIOCGSID -> t.mem.writeInt(arg, t.sid);
            case Ioctls.TIOCSPGRP -> t.mem.readInt(arg);
            case Ioctls.FIONREAD -> t.mem.writeInt(arg, available());
            case Ioctls.TIOCOUTQ -> t.mem.writeInt(arg, 0);
            case Ioctls.TCSBRK, Ioctls.TCXONC, Ioctls.TCFLSH, Ioctls.TIOCSCTTY, Ioctls.TIOCNOTTY -> { }
            default -> throw new SyscallException(Errno.ENOTTY);
        }
        return 0;
    }

    /** The ioctls of the line-discipline terminal. */
    private int terminalIoctl(Task t, int cmd, int arg) {
        switch (cmd) {
            case Ioctls.TCGETS -> t.mem.write(arg, tty.encode());
            case Ioctls.TCSETS, Ioctls.TCSETSW -> terminal.setTermios(t.mem.read(arg, Termios.SIZE), false);
            case Ioctls.TCSETSF -> terminal.setTermios(t.mem.read(arg, Termios.SIZE), true);
            case Ioctls.TIOCGWINSZ -> t.mem.writeLong(arg, (tty.rows & 0xffffL) | (tty.cols & 0xffffL) << 16);
            case Ioctls.TIOCSWINSZ -> {
                int v = t.mem.readInt(arg);
                terminal.setWindowSize(v & 0xffff, v >>> 16);
            }
            case Ioctls.TIOCGPGRP -> t.mem.writeInt(arg, terminal.foreground(t));
            case Ioctls.TIOCSPGRP -> terminal.setForeground(t, t.mem.readInt(arg));
            case Ioctls.TIOCGSID -> t.mem.writeInt(arg, terminal.session(t));
            case Ioctls.TIOCSCTTY -> terminal.makeControlling(t, arg);
            case Ioctls.TIOCNOTTY -> terminal.detach(t);
            case Ioctls.FIONREAD -> t.mem.writeInt(arg, terminal.available());
            case Ioctls.TIOCOUTQ -> t.mem.writeInt(arg, 0);
            case Ioctls.TCFLSH -> {
                if (arg < 0 || arg > 2) throw new SyscallException(Errno.EINVAL);
                terminal.flush(arg);
            }
            case Ioctls.TCSBRK, Ioctls.TCXONC, Ioctls.TIOCEXCL, Ioctls.TIOCNXCL -> { }
            case Ioctls.TIOCGETD -> t.mem.writeInt(arg, 0); // N_TTY
            default -> throw new SyscallException(Errno.ENOTTY);
        }
        return 0;
    }
}
