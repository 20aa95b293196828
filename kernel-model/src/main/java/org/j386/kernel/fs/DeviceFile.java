package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.util.Arrays;

/** An open in-kernel memory device: /dev/null, zero, full, random, urandom. */
final class DeviceFile extends OpenFile {
    private final Device dev;
    private final DeviceRandom random;

    DeviceFile(Device dev, DeviceRandom random, int flags) {
        super(flags);
        this.dev = dev;
        this.random = random;
    }

    @Override public boolean seekable() { return true; }

    @Override public String path() { return "/dev/" + dev.name; }

    @Override
    public int read(byte[] b, int off, int len) {
        switch (dev) {
            case NULL: return 0;
            case ZERO: case FULL: Arrays.fill(b, off, off + len, (byte) 0); return len;
            default: random.nextBytes(b, off, len); return len;
        }
    }

    @Override public int pread(byte[] b, int off, int len, long at) { return read(b, off, len); }

    @Override
    public int write(byte[] b, int off, int len) {
        if (dev == Device.FULL) throw new SyscallException(Errno.ENOSPC);
        return len;
    }

    @Override public int pwrite(byte[] b, int off, int len, long at) { return write(b, off, len); }

    /** The memory devices ignore seeks and stay at 0. */
    @Override
    public long seek(long offset, int whence) {
        if (whence < Flags.SEEK_SET || whence > Flags.SEEK_END) throw new SyscallException(Errno.EINVAL);
        pos = 0;
        return 0;
    }

    @Override public Stat stat() { return dev.stat(); }
}
