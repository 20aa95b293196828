package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * Path resolution inside the host directory that is the guest's "/". Every walk starts at the
 * top and checks each component with lstat, following symlinks itself, in guest terms, so the
 * host never follows a link: the host paths it hands out stay under the root. ".." stops at
 * the task's root. Directories (cwd, directory fds) are remembered as canonical guest paths
 * and walked again on each use, which also means a rename of a directory a task is in is not
 * tracked the way Linux tracks dentries. File systems mounted on guest paths ({@link Mounts}:
 * tmpfs, procfs, devfs) are in-kernel inode trees; the walk enters them at their mount point and
 * leaves them by "..", so crossing needs no special case in either direction.
 */
public final class Vfs {
    public static final int MAXSYMLINKS = 40;
    /**
     * How the last component is treated: NOFOLLOW is lstat (a trailing slash still follows),
     * FOLLOW is stat, PARENT is for calls that act on the name itself (unlink, rename, mkdir...):
     * never followed, and a trailing slash is left for the caller to judge.
     */
    static final int NOFOLLOW = 0, FOLLOW = 1, PARENT = 2;

    private final Path top;
    private final DeviceRandom random;
    private final Mounts mounts = new Mounts();

    public Vfs(Path hostRoot, long randomSeed) {
        this.top = hostRoot.toAbsolutePath().normalize();
        this.random = new DeviceRandom(randomSeed);
        mounts.add("/", "rootfs", "j386root", "rw,relatime", -1, null);
    }

    public Path hostRoot() { return top; }

    public DeviceRandom random() { return random; }

    public Mounts mounts() { return mounts; }

    /** Resolves {@code path} without a task (procfs "self" then names nothing). */
    Node resolve(FsContext fs, String startDir, String path, int mode) {
        return resolve(null, fs, startDir, path, mode);
    }

    /**
     * Resolves {@code path} for task {@code task} with file system context {@code fs}.
     *
     * @param startDir canonical guest path of the directory relative paths start from
     * @param mode     {@link #NOFOLLOW}, {@link #FOLLOW} or {@link #PARENT}
     */
    Node resolve(Task task, FsContext fs, String startDir, String path, int mode) {
        if (path.isEmpty()) throw new SyscallException(Errno.ENOENT);
        Walk w = new Walk(fs.root());
        ArrayDeque<String> pending = new ArrayDeque<>();
        split(path, pending);
        if (path.charAt(0) == '/') split(fs.root(), pending);
        else split(startDir, pending);
        boolean trailingSlash = path.length() > 1 && path.charAt(path.length() - 1) == '/';
        int links = 0;
        int lastType = Node.LAST_ROOT;
        while (!pending.isEmpty()) {
            String c = pending.pollFirst();
            boolean last = pending.isEmpty();
            if (c.equals(".")) {
                if (last) lastType = Node.LAST_DOT;
                continue;
            }
            if (c.equals("..")) {
                w.up();
                if (last) lastType = Node.LAST_DOTDOT;
                continue;
            }
            if (c.length() > Flags.NAME_MAX) throw new SyscallException(Errno.ENAMETOOLONG);
            String guest = w.guestPath(c);
            Mount m = mounts.at(guest);
            if (m != null && m.root != null) {             // a mount point: the mounted root hides what is below
                if (!last) {
                    w.push(c, null, m.root);
                    continue;
                }
                return new Node(guest, null, c, null, m.root, null, Node.LAST_NORM, trailingSlash, false);
            }
            Inode dir = w.inode();
            if (dir != null) {                              // in an in-kernel directory
                Inode child = dir.lookup(task, c);
                if (child == null) {
                    if (!last) throw new SyscallException(Errno.ENOENT);
                    return new Node(guest, null, c, null, null, dir, Node.LAST_NORM, trailingSlash, false);
                }
                if (child.isSymlink() && (!last || mode == FOLLOW || (trailingSlash && mode != PARENT))) {
                    if (++links > MAXSYMLINKS) throw new SyscallException(Errno.ELOOP);
                    Inode obj = child.jump(task);
                    if (obj != null) {                      // a /proc magic link to an object without a path
                        if (!last) throw new SyscallException(Errno.ENOTDIR);
                        return new Node(guest, null, c, null, obj, null, Node.LAST_NORM, trailingSlash, false);
                    }
                    trailingSlash = followLink(child.readlink(task), last, trailingSlash, pending, w, fs);
                    if (pending.isEmpty()) lastType = Node.LAST_ROOT;   // link to "/"
                    continue;
                }
                if (!last) {
                    if (!child.isDir()) throw new SyscallException(Errno.ENOTDIR);
                    w.push(c, null, child);
                    continue;
                }
                if (trailingSlash && mode != PARENT && !child.isDir()) throw new SyscallException(Errno.ENOTDIR);
                return new Node(guest, null, c, null, child, dir, Node.LAST_NORM, trailingSlash, false);
            }
            String hostName = Names.toHost(c);
            Path hp = null;
            if (hostName != null) {
                try {
                    hp = w.host().resolve(hostName);
                } catch (InvalidPathException e) {
                    hp = null;
                }
            }
            if (hp == null) {
                if (!last) throw new SyscallException(Errno.ENOENT);
                return new Node(guest, null, c, null, null, null, Node.LAST_NORM, trailingSlash, true);
            }
            BasicFileAttributes a = lstat(hp);
            if (a == null) {
                if (!last) throw new SyscallException(Errno.ENOENT);
                return new Node(guest, hp, c, null, null, null, Node.LAST_NORM, trailingSlash, false);
            }
            if (a.isSymbolicLink() && (!last || mode == FOLLOW || (trailingSlash && mode != PARENT))) {
                if (++links > MAXSYMLINKS) throw new SyscallException(Errno.ELOOP);
                trailingSlash = followLink(readLink(hp), last, trailingSlash, pending, w, fs);
                    if (pending.isEmpty()) lastType = Node.LAST_ROOT;   // link to "/"
                continue;
            }
            if (!last) {
                if (!a.isDirectory()) throw new SyscallException(Errno.ENOTDIR);
                w.push(c, hp, null);
                continue;
            }
            if (trailingSlash && mode != PARENT && !a.isDirectory()) throw new SyscallException(Errno.ENOTDIR);
            return new Node(guest, hp, c, a, null, null, Node.LAST_NORM, trailingSlash, false);
        }
        // Ended on ".", "..", a link to "/", or the start directory itself.
        if (w.inode() != null)
            return new Node(w.guestPath(null), null, "", null, w.inode(), null, lastType, trailingSlash, false);
        BasicFileAttributes a = lstat(w.host());
        if (a == null) throw new SyscallException(Errno.ENOENT);
        return new Node(w.guestPath(null), w.host(), "", a, null, null, lastType, trailingSlash, false);
    }

    /** Queues a symlink's target in front of the rest of the walk; an absolute one restarts at the task's root. */
    private static boolean followLink(String target, boolean last, boolean trailingSlash, ArrayDeque<String> pending,
                                      Walk w, FsContext fs) {
        if (target.isEmpty()) throw new SyscallException(Errno.ENOENT);
        if (last && target.length() > 1 && target.charAt(target.length() - 1) == '/') trailingSlash = true;
        split(target, pending);
        if (target.charAt(0) == '/') {
            w.reset();
            split(fs.root(), pending);
        }
        return trailingSlash;
    }

    /** Resolves a canonical guest path (a cwd or a directory fd) from the top, following links. */
    Node resolveCanonical(String guestPath) {
        return resolve(FsContext.TOP, "/", guestPath, FOLLOW);
    }

    static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            int errno = HostErrors.errno(e);
            if (errno == Errno.ENOTDIR || errno == Errno.ENOENT) return null;
            throw new SyscallException(errno);
        }
    }

    static String readLink(Path p) {
        try {
            return Names.toGuest(Files.readSymbolicLink(p).toString());
        } catch (IOException e) {
            throw HostErrors.of(e);
        }
    }

    /** Pushes the components of {@code path} in front of {@code into}, in order. */
    private static void split(String path, ArrayDeque<String> into) {
        int end = path.length();
        while (end > 0) {
            int slash = path.lastIndexOf('/', end - 1);
            if (slash + 1 < end) into.addFirst(path.substring(slash + 1, end));
            end = slash < 0 ? 0 : slash;
        }
    }

    /** Lexically normalizes an absolute guest path (no symlink resolution). */
    static String normalize(String path) {
        ArrayList<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!out.isEmpty()) out.remove(out.size() - 1);
            } else out.add(c);
        }
        return out.isEmpty() ? "/" : "/" + String.join("/", out);
    }

    /** The directories walked so far: guest components and their host paths or in-kernel inodes. */
    private final class Walk {
        final ArrayList<String> comps = new ArrayList<>();
        private final ArrayList<Path> hosts = new ArrayList<>();
        private final ArrayList<Inode> inodes = new ArrayList<>();
        private final String root;

        Walk(String root) {
            this.root = root;
        }

        int depth() { return comps.size(); }

        Path host() { return hosts.isEmpty() ? top : hosts.get(hosts.size() - 1); }

        /** The in-kernel directory the walk is in, or null on the host. */
        Inode inode() { return inodes.isEmpty() ? null : inodes.get(inodes.size() - 1); }

        void push(String c, Path hp, Inode in) {
            comps.add(c);
            hosts.add(hp);
            inodes.add(in);
        }

        /** "..": never above the task's root; from the root of a mount, back to the mount point's parent. */
        void up() {
            if (comps.isEmpty() || guestPath(null).equals(root)) return;
            comps.remove(comps.size() - 1);
            hosts.remove(hosts.size() - 1);
            inodes.remove(inodes.size() - 1);
        }

        void reset() {
            comps.clear();
            hosts.clear();
            inodes.clear();
        }

        String guestPath(String last) {
            if (comps.isEmpty()) return last == null ? "/" : "/" + last;
            StringBuilder sb = new StringBuilder();
            for (String c : comps) sb.append('/').append(c);
            if (last != null) sb.append('/').append(last);
            return sb.toString();
        }
    }
}
