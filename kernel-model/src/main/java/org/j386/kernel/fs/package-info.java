/**
 * The virtual file system: a host directory is the guest's "/", in-kernel file systems are
 * mounted on it, and the file system calls of the i386 syscall table act on both.
 *
 * <ul>
 *   <li>{@link org.j386.kernel.fs.Vfs} walks guest paths component by component from the top of
 *   the root, following symlinks itself, in guest terms, so no host path outside the root is
 *   ever produced; {@link org.j386.kernel.fs.Mounts} is the mount table: tmpfs at /tmp
 *   ({@code TmpFs}, {@code MemDir}, {@code MemFile}, {@code MemSymlink}, {@code FifoInode}),
 *   procfs at /proc ({@code ProcFs}, {@code ProcText}, {@code ProcNodes}) and devfs at /dev
 *   ({@code DevFs}), all trees of {@code Inode}.</li>
 *   <li>{@link org.j386.kernel.fs.OpenFile} is an open file description; its kinds are host
 *   files and directories, tmpfs files, in-kernel directories, proc snapshots, pipe and FIFO
 *   ends, the console (fds 0-2 on the host's stdio), devices and O_PATH descriptors.</li>
 *   <li>{@link org.j386.kernel.fs.FdTable} and {@link org.j386.kernel.fs.FsContext} are the
 *   per-task descriptor table and root/cwd/umask; {@code FileLocks} holds record and flock
 *   locks.</li>
 *   <li>{@link org.j386.kernel.fs.FileSyscalls} registers the calls; the *Calls classes hold
 *   them by theme (I/O, descriptors, open, names, attributes, stat, misc).</li>
 * </ul>
 */
package org.j386.kernel.fs;
