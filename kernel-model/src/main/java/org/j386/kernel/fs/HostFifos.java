package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * FIFOs on the host root. The name is a real host FIFO (made with the host's mkfifo, since the
 * JDK cannot make one), so stat, rename and unlink act on the host as for any file; but the
 * host FIFO is never opened (that could block the emulator): every open goes to a kernel-side
 * {@link FifoInode}, one per host file identity, so guest processes talk through it.
 */
final class HostFifos {
    private final TmpFs ids;
    private final HashMap<Object, FifoInode> byKey = new HashMap<>();

    HostFifos(TmpFs ids) { this.ids = ids; }

    /** The kernel-side FIFO of the host FIFO at {@code host}. */
    FifoInode at(Path host) {
        return byKey.computeIfAbsent(HostFile.key(host), k -> {
            FifoInode f = new FifoInode(ids, 0600);
            f.host = host;
            return f;
        });
    }

    /** mkfifo on the host: {@code host} is a path inside the root whose last component does not exist. */
    static void create(Path host, int perm) {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", "-m", Integer.toOctalString(perm & 07777), "--", host.toString())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new SyscallException(Errno.EPERM);        // no mkfifo on this host: FIFOs only in /tmp
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SyscallException(Errno.EIO);
            }
            String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() == 0) return;
            if (msg.contains("File exists")) throw new SyscallException(Errno.EEXIST);
            if (msg.contains("Permission denied")) throw new SyscallException(Errno.EACCES);
            if (msg.contains("No such file")) throw new SyscallException(Errno.ENOENT);
            if (msg.contains("Read-only")) throw new SyscallException(Errno.EROFS);
            throw new SyscallException(Errno.EPERM);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyscallException(Errno.EINTR);
        } catch (IOException e) {
            throw new SyscallException(Errno.EIO);
        }
    }
}
