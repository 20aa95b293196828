package org.j386.kernel.ipc;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

/** msgget, msgsnd, msgrcv and msgctl on the caller's IPC namespace. */
public final class MsgOps {
    public static final int MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;
    public static final int MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000;

    public int msgget(Task t, int key, int flg) {
        IpcNamespace ns = t.ipcNs;
        MsgQueue q = ns.msg.byKey(key);
        if (q != null) {
            if ((flg & ShmOps.IPC_CREAT) != 0 && (flg & ShmOps.IPC_EXCL) != 0) throw new SyscallException(Errno.EEXIST);
            if (!q.permits(t, flg & 0777)) throw new SyscallException(Errno.EACCES);
            return q.id;
        }
        if (key != IpcObject.IPC_PRIVATE && (flg & ShmOps.IPC_CREAT) == 0) throw new SyscallException(Errno.ENOENT);
        if (ns.msg.size() >= ns.msgMni) throw new SyscallException(Errno.ENOSPC);
        ns.budget.charge(IpcNamespace.OBJECT_BYTES);
        q = new MsgQueue(ns);
        q.init(t, key, flg, ns.now());
        q.qbytes = ns.msgMnb;
        ns.msg.add(q, ns.msgMni);
        return q.id;
    }

    /** msgsnd: {@code msgp} points at a long mtype followed by {@code msgsz} bytes of text. */
    public int msgsnd(Task t, int id, int msgp, int msgsz, int flg) {
        Sleep.resume(t);
        try {
            return send(t, id, msgp, msgsz, flg);
        } catch (SyscallException e) {
            Sleep.done(t);
            throw e;
        }
    }

    private int send(Task t, int id, int msgp, int msgsz, int flg) {
        IpcNamespace ns = t.ipcNs;
        int type = t.mem.readInt(msgp);
        if (msgsz > ns.msgMax || msgsz < 0 || id < 0) throw new SyscallException(Errno.EINVAL);
        if (type < 1) throw new SyscallException(Errno.EINVAL);
        byte[] text = t.mem.read(msgp + 4, msgsz);
        MsgQueue q = ns.msg.get(id);
        if (q == null) throw new SyscallException(Errno.EINVAL);
        if (!q.permits(t, IpcObject.S_IWUGO)) throw new SyscallException(Errno.EACCES);
        if (q.cbytes + msgsz > q.qbytes || q.messages.size() + 1 > q.qbytes) {
            if ((flg & ShmOps.IPC_NOWAIT) != 0) throw new SyscallException(Errno.EAGAIN);
            throw Sleep.block(t, q, q.senders);
        }
        ns.budget.charge(MsgQueue.kernelBytes(msgsz));
        q.messages.add(new MsgQueue.Message(type, text));
        q.cbytes += msgsz;
        q.lspid = t.tgid;
        q.stime = ns.now();
        Sleep.done(t);
        q.receivers.wakeAll();
        return 0;
    }

    /** msgrcv: the message goes to {@code msgp} as a long mtype and at most {@code msgsz} bytes of text. */
    public int msgrcv(Task t, int id, int msgp, int msgsz, int msgtyp, int flg) {
        Sleep.resume(t);
        try {
            return receive(t, id, msgp, msgsz, msgtyp, flg);
        } catch (SyscallException e) {
            Sleep.done(t);
            throw e;
        }
    }

    private int receive(Task t, int id, int msgp, int msgsz, int msgtyp, int flg) {
        IpcNamespace ns = t.ipcNs;
        if (id < 0 || msgsz < 0) throw new SyscallException(Errno.EINVAL);
        if ((flg & MSG_COPY) != 0) throw new SyscallException(Errno.ENOSYS); // checkpoint/restore only (CONFIG_CHECKPOINT_RESTORE)
        MsgQueue q = ns.msg.get(id);
        if (q == null) throw new SyscallException(Errno.EINVAL);
        if (!q.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
        int found = find(q, msgtyp, flg);
        if (found < 0) {
            if ((flg & ShmOps.IPC_NOWAIT) != 0) throw new SyscallException(Errno.ENOMSG);
            throw Sleep.block(t, q, q.receivers);
        }
        MsgQueue.Message m = q.messages.get(found);
        if (m.text().length > msgsz && (flg & MSG_NOERROR) == 0) throw new SyscallException(Errno.E2BIG);
        q.messages.remove(found);
        q.cbytes -= m.text().length;
        ns.budget.release(MsgQueue.kernelBytes(m.text().length));
        q.lrpid = t.tgid;
        q.rtime = ns.now();
        Sleep.done(t);
        q.senders.wakeAll();
        int n = Math.min(msgsz, m.text().length);
        t.mem.writeInt(msgp, m.type());
        t.mem.write(msgp + 4, m.text(), 0, n);
        return n;
    }

    /**
     * Index of the message msgrcv takes: the first (type 0), the first of that type (or of
     * any other type with MSG_EXCEPT), or for a negative type the first of the lowest type not
     * above its absolute value; -1 when none.
     */
    static int find(MsgQueue q, int msgtyp, int flg) {
        int best = -1;
        long limit = msgtyp == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs((long) msgtyp);
        for (int i = 0; i < q.messages.size(); i++) {
            int type = q.messages.get(i).type();
            if (msgtyp == 0) return i;
            if (msgtyp > 0) {
                if ((flg & MSG_EXCEPT) != 0 ? type != msgtyp : type == msgtyp) return i;
            } else if (type <= limit && (best < 0 || type < q.messages.get(best).type())) {
                best = i;
            }
        }
        return best;
    }

    public int msgctl(Task t, int id, int cmd, int buf, boolean v64) {
        IpcNamespace ns = t.ipcNs;
        switch (cmd) {
            case ShmOps.IPC_INFO: case MSG_INFO: {
                long bytes = 0, count = 0;
                for (MsgQueue q : ns.msg.byIndex.values()) { bytes += q.cbytes; count += q.messages.size(); }
                // struct msginfo: msgpool msgmap msgmax msgmnb msgmni msgssz msgtql (int), msgseg (ushort)
                int[] info = {cmd == MSG_INFO ? ns.msg.size() : ns.msgMni * ns.msgMnb / 1024,
                        cmd == MSG_INFO ? (int) count : ns.msgMni * ns.msgMnb / 16, ns.msgMax, ns.msgMnb, ns.msgMni, 16,
                        cmd == MSG_INFO ? (int) bytes : ns.msgMni * ns.msgMnb / 16};
                for (int i = 0; i < info.length; i++) t.mem.writeInt(buf + 4 * i, info[i]);
                t.mem.writeWord(buf + 28, 0xffff);
                return ShmOps.highestIndex(ns.msg);
            }
            case MSG_STAT: case MSG_STAT_ANY: {
                MsgQueue q = ns.msg.byIndex.get(id);
                if (q == null) throw new SyscallException(Errno.EINVAL);
                if (cmd == MSG_STAT && !q.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
                t.mem.write(buf, IpcLayout.msqid(q, v64));
                return q.id;
            }
            default:
                break;
        }
        MsgQueue q = ns.msg.get(id);
        if (q == null) throw new SyscallException(Errno.EINVAL);
        switch (cmd) {
            case ShmOps.IPC_STAT:
                if (!q.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
                t.mem.write(buf, IpcLayout.msqid(q, v64));
                return 0;
            case ShmOps.IPC_SET: {
                IpcLayout.SetPerm p = IpcLayout.readSetPerm(t.mem, buf, v64);
                long qbytes = IpcLayout.readQbytes(t.mem, buf, v64);
                if (!q.ownedBy(t)) throw new SyscallException(Errno.EPERM);
                if (qbytes > ns.msgMnb && t.euid != 0) throw new SyscallException(Errno.EPERM); // CAP_SYS_RESOURCE
                q.setPerm(t, p, ns.now());
                q.qbytes = qbytes;
                q.senders.wakeAll();
                return 0;
            }
            case ShmOps.IPC_RMID:
                if (!q.ownedBy(t)) throw new SyscallException(Errno.EPERM);
                q.remove();
                return 0;
            default:
                throw new SyscallException(Errno.EINVAL);
        }
    }
}
