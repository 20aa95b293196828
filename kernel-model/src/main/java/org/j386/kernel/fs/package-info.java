/**
 * The virtual file system: a host directory is the guest's "/", and the file system calls of
 * the i386 syscall table act on it.
 *
 * <ul>
 *   <li>{@link org.j386.kernel.fs.Vfs} walks guest paths component by component from the top of
 *   the root, following symlinks itself in guest terms, so no host path outside the root is
 *   ever produced; "/dev/null", "zero", "full", "random" and "urandom" are in-kernel devices.</li>
 *   <li>{@link org.j386.kernel.fs.OpenFile} is an open file description; its kinds are host
 *   files, host directories, the console (fds 0-2 on the host's stdio), devices and O_PATH
 *   descriptors.</li>
 *   <li>{@link org.j386.kernel.fs.FdTable} and {@link org.j386.kernel.fs.FsContext} are the
 *   per-task descriptor table and root/cwd/umask.</li>
 *   <li>{@link org.j386.kernel.fs.FileSyscalls} registers the calls; the *Calls classes hold
 *   them by theme (I/O, descriptors, open, names, attributes, stat, misc).</li>
 * </ul>
 */
package org.j386.kernel.fs;
