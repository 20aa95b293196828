package org.j386.kernel;

import org.j386.kernel.fs.FdTable;
import org.j386.kernel.fs.FsContext;

/**
 * A task (thread of execution) of the kernel model. For now one task per machine; the
 * process model (fork, threads, scheduling) grows from here.
 */
public final class Task {
    public final Kernel kernel;
    public int pid = 1;
    public int tgid = 1;
    public int ppid = 0;
    public int pgid = 1;
    public int sid = 1;
    public String comm = "";
    /** Kernel access to this task's user memory. */
    public UserMemory mem;
    /** Open file descriptors. */
    public FdTable files;
    /** Root, working directory and umask. */
    public FsContext fs;

    public Task(Kernel kernel) {
        this.kernel = kernel;
    }
}
