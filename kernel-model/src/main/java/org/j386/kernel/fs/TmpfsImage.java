package org.j386.kernel.fs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tmpfs at /tmp as flat records, for the checkpointer, and its rebuild on restart. Nodes
 * come parents first (the mount root is node 1, parent 0, named by its mount point); a second
 * name of a file is a {@link Link}; an open file that has no name any more is a node with
 * parent 0 and an empty name. FIFOs keep their name and mode, not the data in their pipe.
 * Inode numbers are new after a restart.
 */
public final class TmpfsImage {
    /** One inode: its first name, attributes, and the file's bytes or the symlink's target. */
    public record Node(int id, int parent, String name, int mode, int uid, int gid, long atime, long mtime, long ctime,
                       byte[] data, String target) {}

    /** A further name (hard link) of node {@code id} in directory {@code parent}. */
    public record Link(int parent, String name, int id) {}

    public final List<Node> nodes = new ArrayList<>();
    public final List<Link> links = new ArrayList<>();
    private final IdentityHashMap<Inode, Integer> ids = new IdentityHashMap<>();
    private final HashMap<Integer, Inode> byId = new HashMap<>();

    public TmpfsImage() {}

    private static TmpFs tmp(FileSyscalls fs) {
        Mount m = fs.vfs.mounts().at("/tmp");
        return m != null && m.root instanceof MemDir d ? d.fs : null;
    }

    /** Whether {@code f} is an open tmpfs regular file (checkpointed with the tmpfs, not by path). */
    public static boolean isTmpfsFile(OpenFile f) { return f instanceof MemFileHandle; }

    /** The node id of an open tmpfs file captured here, or 0. */
    public int idOf(OpenFile f) {
        Integer id = f instanceof MemFileHandle m ? ids.get(m.file) : null;
        return id == null ? 0 : id;
    }

    /** The records of the kernel's /tmp (empty when /tmp is not a tmpfs), plus the given open files' inodes. */
    public static TmpfsImage capture(FileSyscalls fs, Iterable<OpenFile> open) {
        TmpfsImage img = new TmpfsImage();
        TmpFs t = tmp(fs);
        if (t == null) return img;
        img.add(t.root, 0, "/tmp");
        img.walk(t.root);
        for (OpenFile f : open)
            if (f instanceof MemFileHandle m && m.file.fs == t && !img.ids.containsKey(m.file)) img.add(m.file, 0, "");
        return img;
    }

    private int add(Inode i, int parent, String name) {
        int id = ids.size() + 1;
        ids.put(i, id);
        byte[] data = i instanceof MemFile f ? f.bytes() : null;
        String target = i instanceof MemSymlink s ? s.readlink(null) : "";
        nodes.add(new Node(id, parent, name, i.mode, i.uid, i.gid, i.atime, i.mtime, i.ctime, data, target));
        return id;
    }

    private void walk(MemDir d) {
        int dirId = ids.get(d);
        List<DirFile.Entry> entries = new ArrayList<>();
        d.list(null, entries);
        for (DirFile.Entry e : entries) {
            Inode child = d.lookup(null, e.name());
            Integer seen = ids.get(child);
            if (seen != null) {
                links.add(new Link(dirId, e.name(), seen));
                continue;
            }
            add(child, dirId, e.name());
            if (child instanceof MemDir sub) walk(sub);
        }
    }

    /**
     * Replaces the contents of the kernel's /tmp with these records (files other tasks hold
     * open keep their old inodes). Throws IllegalArgumentException for records that do not
     * form a tree, naming the first problem.
     */
    public void restore(FileSyscalls fs) {
        TmpFs t = tmp(fs);
        if (nodes.isEmpty()) return;
        if (t == null) throw new IllegalArgumentException("the image has a tmpfs at /tmp, this machine has none");
        MemDir root = t.root;
        for (String name : root.names()) root.remove(name);
        byId.clear();
        for (Node n : nodes) {
            Inode i;
            int type = n.mode & Flags.S_IFMT;
            if (n.id == 1) {
                if (n.parent != 0 || type != Flags.S_IFDIR) throw new IllegalArgumentException("node 1 is not the tmpfs root");
                i = root;
            } else {
                i = switch (type) {
                    case Flags.S_IFDIR -> new MemDir(t, n.mode, null);
                    case Flags.S_IFREG -> {
                        MemFile f = new MemFile(t, n.mode);
                        if (n.data != null) f.load(n.data);
                        yield f;
                    }
                    case Flags.S_IFLNK -> new MemSymlink(t.dev, t.newIno(), n.target);
                    case Flags.S_IFIFO -> new FifoInode(t, n.mode);
                    default -> throw new IllegalArgumentException("node " + n.id + ": file type 0" + Integer.toOctalString(type));
                };
                if (!i.isDir()) i.nlink = 0;
                if (n.parent != 0) dir(n.parent, n.id).add(n.name, i);
                else if (!n.name.isEmpty() || type != Flags.S_IFREG) throw new IllegalArgumentException("node " + n.id + " has no directory");
            }
            i.mode = n.mode;
            i.uid = n.uid;
            i.gid = n.gid;
            if (byId.put(n.id, i) != null) throw new IllegalArgumentException("node " + n.id + " defined twice");
        }
        for (Link l : links) {
            Inode i = byId.get(l.id);
            if (i == null || i.isDir()) throw new IllegalArgumentException("link " + l.name + " to node " + l.id);
            dir(l.parent, l.id).add(l.name, i);
        }
        for (Node n : nodes) {            // times last: adding entries touched the directories
            Inode i = byId.get(n.id);
            i.atime = n.atime;
            i.mtime = n.mtime;
            i.ctime = n.ctime;
        }
    }

    private MemDir dir(int parent, int child) {
        if (!(byId.get(parent) instanceof MemDir d)) throw new IllegalArgumentException("node " + child + ": parent " + parent + " is not a directory before it");
        return d;
    }

    /** Opens restored node {@code id} (a regular file) as the image's descriptor had it. */
    public OpenFile open(int id, String path, int flags, FileSyscalls fs) {
        if (!(byId.get(id) instanceof MemFile f)) throw new IllegalArgumentException("tmpfs node " + id + " is not a regular file");
        OpenFile h = new MemFileHandle(f, path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path,
                flags & ~(Flags.O_CREAT | Flags.O_EXCL | Flags.O_TRUNC));
        h.locks = fs.locks;
        return h;
    }
}
