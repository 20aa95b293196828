package org.j386.kernel.ipc;

import java.util.TreeMap;

/**
 * The objects of one kind (shm, sem or msg) in one IPC namespace, by index. An id is
 * {@code seq * 32768 + index}: the lowest free index, and a sequence number that grows with
 * every creation, so a stale id of a removed object does not find its successor.
 */
public final class IpcIds<T extends IpcObject> {
    public static final int SEQ_MULTIPLIER = 32768;
    /** Largest sequence number before it wraps to 0 (INT_MAX / SEQ_MULTIPLIER). */
    public static final int SEQ_MAX = Integer.MAX_VALUE / SEQ_MULTIPLIER;

    /** Every live object, by index. */
    public final TreeMap<Integer, T> byIndex = new TreeMap<>();
    /** The sequence number the next object gets. */
    public int nextSeq;

    /** The object with exactly this id, or null. */
    public T get(int id) {
        if (id < 0) return null;
        T o = byIndex.get(id % SEQ_MULTIPLIER);
        return o != null && o.id == id ? o : null;
    }

    /** The object with this key (never IPC_PRIVATE), or null. */
    public T byKey(int key) {
        if (key == IpcObject.IPC_PRIVATE) return null;
        for (T o : byIndex.values()) if (o.key == key) return o;
        return null;
    }

    /** Gives {@code o} an id; false when {@code max} objects exist already. */
    boolean add(T o, int max) {
        int idx = 0;
        for (int used : byIndex.keySet()) {
            if (used != idx) break;
            idx++;
        }
        if (idx >= max) return false;
        o.seq = nextSeq;
        nextSeq = nextSeq >= SEQ_MAX ? 0 : nextSeq + 1;
        o.id = o.seq * SEQ_MULTIPLIER + idx;
        byIndex.put(idx, o);
        return true;
    }

    void remove(T o) {
        byIndex.remove(o.id % SEQ_MULTIPLIER, o);
    }

    public int size() { return byIndex.size(); }
}
