package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** Maps host I/O failures to the errno Linux would give. */
final class HostErrors {
    private HostErrors() {}

    static SyscallException of(IOException e) {
        return new SyscallException(errno(e));
    }

    static int errno(IOException e) {
        if (e instanceof NoSuchFileException) return Errno.ENOENT;
        if (e instanceof FileAlreadyExistsException) return Errno.EEXIST;
        if (e instanceof DirectoryNotEmptyException) return Errno.ENOTEMPTY;
        if (e instanceof AccessDeniedException) return Errno.EACCES;
        if (e instanceof NotDirectoryException) return Errno.ENOTDIR;
        if (e instanceof NotLinkException) return Errno.EINVAL;
        if (e instanceof AtomicMoveNotSupportedException) return Errno.EXDEV;
        if (e instanceof FileSystemLoopException) return Errno.ELOOP;
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return reason == null ? Errno.EIO : fromStrerror(reason);
    }

    /** The JDK reports other errnos only as strerror() text. */
    private static int fromStrerror(String r) {
        if (r.startsWith("Not a directory")) return Errno.ENOTDIR;
        if (r.startsWith("Is a directory")) return Errno.EISDIR;
        if (r.startsWith("Directory not empty")) return Errno.ENOTEMPTY;
        if (r.startsWith("File exists")) return Errno.EEXIST;
        if (r.startsWith("No such file")) return Errno.ENOENT;
        if (r.startsWith("Permission denied")) return Errno.EACCES;
        if (r.startsWith("Operation not permitted")) return Errno.EPERM;
        if (r.startsWith("Too many levels of symbolic links")) return Errno.ELOOP;
        if (r.startsWith("File name too long")) return Errno.ENAMETOOLONG;
        if (r.startsWith("Read-only file system")) return Errno.EROFS;
        if (r.startsWith("No space left")) return Errno.ENOSPC;
        if (r.startsWith("Disk quota exceeded")) return 122; // EDQUOT
        if (r.startsWith("Too many links")) return Errno.EMLINK;
        if (r.startsWith("Invalid cross-device link")) return Errno.EXDEV;
        if (r.startsWith("Device or resource busy")) return Errno.EBUSY;
        if (r.startsWith("Invalid argument")) return Errno.EINVAL;
        if (r.startsWith("Text file busy")) return Errno.ETXTBSY;
        if (r.startsWith("File too large")) return Errno.EFBIG;
        if (r.startsWith("Too many open files")) return Errno.ENFILE;
        if (r.startsWith("Bad file descriptor")) return Errno.EBADF;
        if (r.startsWith("Broken pipe")) return Errno.EPIPE;
        if (r.startsWith("No such device or address")) return Errno.ENXIO;
        if (r.startsWith("Operation not supported")) return Errno.EOPNOTSUPP;
        return Errno.EIO;
    }
}
