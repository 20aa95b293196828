package org.j386.kernel.ipc;

import org.j386.kernel.mm.FrameAllocator;

/**
 * How a restart puts SysV IPC objects back: each object gets exactly the id (index and
 * sequence number) it had, and is charged to the namespace's limits and the machine's IPC
 * memory budget as if it had been created. Callers validate ids beforehand; a clash or an
 * exhausted budget is an IllegalArgumentException or ENOMEM, and the half-built machine is
 * discarded.
 */
public final class IpcRestore {
    private IpcRestore() {}

    private static <T extends IpcObject> void place(IpcIds<T> ids, T o, int id) {
        int idx = id % IpcIds.SEQ_MULTIPLIER;
        if (id < 0 || ids.byIndex.containsKey(idx)) throw new IllegalArgumentException("IPC id " + id + " is taken");
        o.id = id;
        o.seq = id / IpcIds.SEQ_MULTIPLIER;
        ids.byIndex.put(idx, o);
    }

    /** A segment with id {@code id}; its pages are set by {@link #setShmFrame}. */
    public static ShmSegment shm(IpcNamespace ns, FrameAllocator frames, int id, long size) {
        ShmSegment s = new ShmSegment(ns, frames, size);
        ns.budget.charge(ShmSegment.kernelBytes(s.pages()));
        place(ns.shm, s, id);
        ns.shmTotPages += s.pages();
        return s;
    }

    /** Page {@code index} of the segment is frame {@code pa} (the segment takes one reference). */
    public static void setShmFrame(ShmSegment s, FrameAllocator frames, int index, long pa) {
        frames.addRef(pa);
        s.frames[index] = pa;
    }

    /** After every attachment is back: a segment removed with IPC_RMID that nobody maps any more goes. */
    public static void dropIfUnused(ShmSegment s) {
        if (s.nattch == 0 && (s.mode & ShmSegment.SHM_DEST) != 0) s.destroy();
    }

    public static SemSet sem(IpcNamespace ns, int id, int nsems) {
        SemSet s = new SemSet(ns, nsems);
        ns.budget.charge(SemSet.kernelBytes(nsems));
        place(ns.sem, s, id);
        return s;
    }

    public static MsgQueue msq(IpcNamespace ns, int id) {
        MsgQueue q = new MsgQueue(ns);
        ns.budget.charge(IpcNamespace.OBJECT_BYTES);
        place(ns.msg, q, id);
        return q;
    }

    /** Appends a message, charged as msgsnd charges it. */
    public static void message(MsgQueue q, int type, byte[] text) {
        q.ns.budget.charge(MsgQueue.kernelBytes(text.length));
        q.messages.add(new MsgQueue.Message(type, text));
        q.cbytes += text.length;
    }
}
