/** The virtual file system: sandboxed host root, open files, fd tables and the file system calls. */
package org.j386.kernel.fs;
