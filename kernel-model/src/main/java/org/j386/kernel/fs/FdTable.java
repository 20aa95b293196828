package org.j386.kernel.fs;

/** Placeholder: the file-descriptor table (being written in the VFS work). */
public final class FdTable {
}
