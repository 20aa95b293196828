package org.j386.checkpoint;

import org.j386.kernel.Task;

/**
 * The credentials of whoever asks for a restart, and the series' rule for the restored
 * tasks: a restart never gives more than the caller has. Root (effective uid 0) gets the
 * image's ids back; anyone else gets each saved id (real, effective, saved, filesystem) only
 * when it is one the caller could set itself with setresuid/setresgid (its own real,
 * effective or saved id), else the caller's own id in that place.
 */
record Creds(int uid, int euid, int suid, int gid, int egid, int sgid) {
    /** A host restart as {@code uid}/{@code gid} (--uid/--gid): all three ids the same. */
    static Creds of(int uid, int gid) {
        return new Creds(uid, uid, uid, gid, gid, gid);
    }

    /** The credentials of a calling task. */
    static Creds of(Task t) {
        return new Creds(t.uid, t.euid, t.suid, t.gid, t.egid, t.sgid);
    }

    private boolean root() { return euid == 0; }

    private int uidOr(int saved, int own) {
        return root() || saved == uid || saved == euid || saved == suid ? saved : own;
    }

    private int gidOr(int saved, int own) {
        return root() || saved == gid || saved == egid || saved == sgid ? saved : own;
    }

    /** Gives task {@code t} the ids of its image record {@code tr}, as far as this caller may. */
    void restore(Task t, ImageData.TaskRec tr) {
        t.uid = uidOr(tr.uid, uid);
        t.euid = uidOr(tr.euid, euid);
        t.suid = uidOr(tr.suid, suid);
        t.fsuid = uidOr(tr.fsuid, euid);
        t.gid = gidOr(tr.gid, gid);
        t.egid = gidOr(tr.egid, egid);
        t.sgid = gidOr(tr.sgid, sgid);
        t.fsgid = gidOr(tr.fsgid, egid);
    }
}
