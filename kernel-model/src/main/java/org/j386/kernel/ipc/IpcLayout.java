package org.j386.kernel.ipc;

import org.j386.kernel.UserMemory;

/**
 * The i386 layouts of the *ctl structures: with IPC_64 (what glibc and musl use) struct
 * ipc64_perm, shmid64_ds, semid64_ds and msqid64_ds of asm-generic/x86; without it the old
 * struct ipc_perm with 16-bit ids and the old *id_ds.
 */
public final class IpcLayout {
    private IpcLayout() {}

    public static final int IPC_64 = 0x100;
    public static final int SHMID64_SIZE = 84, SEMID64_SIZE = 64, MSQID64_SIZE = 88;
    public static final int SHMID_OLD_SIZE = 48, SEMID_OLD_SIZE = 44, MSQID_OLD_SIZE = 56;

    /** struct ipc64_perm (36 bytes) or struct ipc_perm (16 bytes) at the start of {@code b}. */
    static int perm(byte[] b, IpcObject o, boolean v64) {
        if (v64) {
            putInt(b, 0, o.key);
            putInt(b, 4, o.uid);
            putInt(b, 8, o.gid);
            putInt(b, 12, o.cuid);
            putInt(b, 16, o.cgid);
            putShort(b, 20, o.mode);
            putShort(b, 24, o.seq);
            return 36;
        }
        putInt(b, 0, o.key);
        putShort(b, 4, low16(o.uid));
        putShort(b, 6, low16(o.gid));
        putShort(b, 8, low16(o.cuid));
        putShort(b, 10, low16(o.cgid));
        putShort(b, 12, o.mode);
        putShort(b, 14, o.seq);
        return 16;
    }

    public static byte[] shmid(ShmSegment s, boolean v64) {
        byte[] b = new byte[v64 ? SHMID64_SIZE : SHMID_OLD_SIZE];
        int p = perm(b, s, v64);
        if (v64) {
            putInt(b, p, (int) s.size);
            putInt(b, p + 4, (int) s.atime);
            putInt(b, p + 8, (int) (s.atime >> 32));
            putInt(b, p + 12, (int) s.dtime);
            putInt(b, p + 16, (int) (s.dtime >> 32));
            putInt(b, p + 20, (int) s.ctime);
            putInt(b, p + 24, (int) (s.ctime >> 32));
            putInt(b, p + 28, s.cpid);
            putInt(b, p + 32, s.lpid);
            putInt(b, p + 36, s.nattch);
        } else {
            putInt(b, 16, (int) s.size);
            putInt(b, 20, (int) s.atime);
            putInt(b, 24, (int) s.dtime);
            putInt(b, 28, (int) s.ctime);
            putShort(b, 32, s.cpid);
            putShort(b, 34, s.lpid);
            putShort(b, 36, s.nattch);
        }
        return b;
    }

    public static byte[] semid(SemSet s, boolean v64) {
        byte[] b = new byte[v64 ? SEMID64_SIZE : SEMID_OLD_SIZE];
        perm(b, s, v64);
        if (v64) {
            putInt(b, 36, (int) s.otime);
            putInt(b, 40, (int) (s.otime >> 32));
            putInt(b, 44, (int) s.ctime);
            putInt(b, 48, (int) (s.ctime >> 32));
            putInt(b, 52, s.nsems());
        } else {
            putInt(b, 16, (int) s.otime);
            putInt(b, 20, (int) s.ctime);
            putShort(b, 40, s.nsems());
        }
        return b;
    }

    public static byte[] msqid(MsgQueue q, boolean v64) {
        byte[] b = new byte[v64 ? MSQID64_SIZE : MSQID_OLD_SIZE];
        perm(b, q, v64);
        if (v64) {
            putInt(b, 36, (int) q.stime);
            putInt(b, 40, (int) (q.stime >> 32));
            putInt(b, 44, (int) q.rtime);
            putInt(b, 48, (int) (q.rtime >> 32));
            putInt(b, 52, (int) q.ctime);
            putInt(b, 56, (int) (q.ctime >> 32));
            putInt(b, 60, (int) q.cbytes);
            putInt(b, 64, q.messages.size());
            putInt(b, 68, (int) q.qbytes);
            putInt(b, 72, q.lspid);
            putInt(b, 76, q.lrpid);
        } else {
            putInt(b, 24, (int) q.stime);
            putInt(b, 28, (int) q.rtime);
            putInt(b, 32, (int) q.ctime);
            putInt(b, 36, (int) q.cbytes);
            putInt(b, 40, (int) q.qbytes);
            putShort(b, 44, (int) Math.min(q.cbytes, 0xffff));
            putShort(b, 46, q.messages.size());
            putShort(b, 48, (int) Math.min(q.qbytes, 0xffff));
            putShort(b, 50, q.lspid);
            putShort(b, 52, q.lrpid);
        }
        return b;
    }

    /** The uid, gid and mode an IPC_SET passes (in either layout). */
    public record SetPerm(int uid, int gid, int mode) {}

    public static SetPerm readSetPerm(UserMemory mem, int addr, boolean v64) {
        if (v64) return new SetPerm(mem.readInt(addr + 4), mem.readInt(addr + 8), mem.readWord(addr + 20));
        return new SetPerm(mem.readWord(addr + 4), mem.readWord(addr + 6), mem.readWord(addr + 12));
    }

    /** msg_qbytes of a msqid_ds given to IPC_SET (the old layout falls back to msg_lqbytes when 0). */
    public static long readQbytes(UserMemory mem, int addr, boolean v64) {
        if (v64) return mem.readInt(addr + 68) & 0xffffffffL;
        long q = mem.readWord(addr + 48);
        return q != 0 ? q : mem.readInt(addr + 40) & 0xffffffffL;
    }

    private static int low16(int id) { return id > 0xffff ? 65534 : id; }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }

    static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }
}
