package org.j386.kernel;

/**
 * Thrown by kernel code to fail the current system call with an errno; the dispatcher turns
 * it into the negative return value the guest sees. No stack trace: this is a normal
 * outcome, not a bug.
 */
public final class SyscallException extends RuntimeException {
    public final int errno;

    public SyscallException(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    @Override
    public String getMessage() { return Errno.name(errno); }
}
