package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.nio.file.Path;

/** An O_PATH descriptor: names a file (possibly a symlink) for *at calls and fstat; no I/O. */
final class PathFile extends OpenFile {
    private final Node node;

    PathFile(Node node, int flags) {
        super(flags | Flags.O_PATH);
        this.node = node;
    }

    @Override public String path() { return node.guestPath; }

    Node node() { return node; }

    @Override public Path hostPath() { return node.onHost() ? node.host : null; }

    @Override public boolean isDirectory() { return node.isDir(); }

    @Override public int read(byte[] b, int off, int len) { throw new SyscallException(Errno.EBADF); }

    @Override public int write(byte[] b, int off, int len) { throw new SyscallException(Errno.EBADF); }

    @Override public long seek(long offset, int whence) { throw new SyscallException(Errno.EBADF); }

    @Override public void sync() { throw new SyscallException(Errno.EBADF); }

    @Override public Stat stat() { return node.stat(); }
}
