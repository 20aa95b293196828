package org.j386.kernel.fs;

import org.j386.kernel.Kernel;

/**
 * A task's root, working directory and umask (Linux struct fs_struct). Root and cwd are
 * canonical guest paths from the top of the VFS.
 */
public final class FsContext {
    /** The context of the kernel itself: root and cwd at the top. */
    static final FsContext TOP = new FsContext("/", "/", 022);

    private String root;
    private String cwd;
    private int umask;

    public FsContext(String root, String cwd, int umask) {
        this.root = Vfs.normalize(root);
        this.cwd = Vfs.normalize(cwd);
        this.umask = umask & 0777;
    }

    /** The first task's context: root "/", cwd from the configuration, umask 022. */
    public static FsContext initial(Kernel k) {
        String cwd = k.config().cwd;
        return new FsContext("/", cwd == null || cwd.isEmpty() ? "/" : cwd.startsWith("/") ? cwd : "/" + cwd, 022);
    }

    /** For fork without CLONE_FS. */
    public FsContext copy() { return new FsContext(root, cwd, umask); }

    public String root() { return root; }

    public String cwd() { return cwd; }

    public int umask() { return umask; }

    public void setRoot(String root) { this.root = Vfs.normalize(root); }

    public void setCwd(String cwd) { this.cwd = Vfs.normalize(cwd); }

    public void setUmask(int umask) { this.umask = umask & 0777; }

    /** The working directory as getcwd() reports it: relative to the task's root. */
    public String cwdForGetcwd() {
        if (root.equals("/")) return cwd;
        if (cwd.equals(root)) return "/";
        if (cwd.startsWith(root + "/")) return cwd.substring(root.length());
        return "(unreachable)" + cwd;
    }
}
