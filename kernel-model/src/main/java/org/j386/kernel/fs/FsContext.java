package org.j386.kernel.fs;

/** Placeholder: root, cwd and umask of a task (being written in the VFS work). */
public final class FsContext {
}
