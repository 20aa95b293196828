package org.j386.kernel.ipc;

import org.j386.kernel.Task;

/**
 * What every SysV IPC object has (struct kern_ipc_perm): its id, key, owner and creator,
 * permission bits and the sequence number folded into the id. Plain fields, so a checkpoint
 * can write them and a restart can set them back.
 */
public abstract class IpcObject {
    public static final int IPC_PRIVATE = 0;
    public static final int S_IRUGO = 0444, S_IWUGO = 0222;

    /** The id user space sees: {@code seq * IpcIds.SEQ_MULTIPLIER + index}. */
    public int id;
    public int key;
    public int uid, gid, cuid, cgid;
    /** Permission bits (low 9) plus the object's state bits (SHM_DEST, SHM_LOCKED). */
    public int mode;
    public int seq;
    /** Last IPC_SET or creation, seconds since the epoch. */
    public long ctime;
    /** Set by IPC_RMID: sleepers on the object return EIDRM. */
    public boolean removed;

    /** Creator and owner are the caller; the permission bits come from the *get flags. */
    void init(Task t, int key, int flags, long now) {
        this.key = key;
        this.uid = this.cuid = t.euid;
        this.gid = this.cgid = t.egid;
        this.mode = flags & 0777;
        this.ctime = now;
    }

    /**
     * Linux's ipcperms: the owner's, the group's or the others' bits of {@link #mode}, picked by
     * the caller's effective ids, must hold every requested bit; root (CAP_IPC_OWNER) passes.
     * @param flag requested bits, in any of the three positions (0444 read, 0222 write, or a *get mode)
     */
    public boolean permits(Task t, int flag) {
        int requested = ((flag >> 6) | (flag >> 3) | flag) & 7;
        int granted = mode;
        if (t.euid == cuid || t.euid == uid) granted >>= 6;
        else if (inGroup(t, cgid) || inGroup(t, gid)) granted >>= 3;
        return (requested & ~granted & 7) == 0 || t.euid == 0;
    }

    /** IPC_SET and IPC_RMID: only the owner, the creator or a privileged caller. */
    public boolean ownedBy(Task t) {
        return t.euid == 0 || t.euid == uid || t.euid == cuid;
    }

    /** IPC_SET's common part: only the owner, creator or root may give the object a new owner and mode. */
    void setPerm(Task t, IpcLayout.SetPerm p, long now) {
        if (!ownedBy(t)) throw new org.j386.kernel.SyscallException(org.j386.kernel.Errno.EPERM);
        uid = p.uid();
        gid = p.gid();
        mode = (mode & ~0777) | (p.mode() & 0777);
        ctime = now;
    }

    private static boolean inGroup(Task t, int g) {
        if (t.egid == g) return true;
        for (int x : t.groups) if (x == g) return true;
        return false;
    }
}
