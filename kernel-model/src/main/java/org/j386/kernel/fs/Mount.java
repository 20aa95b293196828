package org.j386.kernel.fs;

/**
 * One mounted file system: where (canonical guest path), what type, and its root. The root
 * file system (the sandboxed host directory) has a null {@link #root}: the host holds it.
 */
public final class Mount {
    final int id;
    final String path;
    final String type;
    final String source;
    final String options;
    final long dev;
    final Inode root;

    Mount(int id, String path, String type, String source, String options, long dev, Inode root) {
        this.id = id;
        this.path = path;
        this.type = type;
        this.source = source;
        this.options = options;
        this.dev = dev;
        this.root = root;
    }

    public int id() { return id; }

    public String path() { return path; }

    public String type() { return type; }

    String parentPath() {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    String name() { return path.substring(path.lastIndexOf('/') + 1); }

    /** The /proc/mounts line. */
    String line() { return source + " " + path + " " + type + " " + options + " 0 0\n"; }
}
