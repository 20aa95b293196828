package org.j386.kernel.ipc;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SyscallException;
import org.j386.kernel.Task;

import java.util.IdentityHashMap;

/** semget, semop/semtimedop, semctl and SEM_UNDO on the caller's IPC namespace. */
public final class SemOps {
    public static final int GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17,
            SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;
    public static final int SEM_UNDO = 0x1000;
    /** Largest SEM_UNDO adjustment (SEMAEM = SEMVMX). */
    static final int SEMAEM = SemSet.SEMVMX;

    private final Kernel k;

    public SemOps(Kernel k) {
        this.k = k;
    }

    public int semget(Task t, int key, int nsems, int flg) {
        IpcNamespace ns = t.ipcNs;
        if (nsems < 0 || nsems > ns.semMsl) throw new SyscallException(Errno.EINVAL);
        SemSet s = ns.sem.byKey(key);
        if (s != null) {
            if ((flg & ShmOps.IPC_CREAT) != 0 && (flg & ShmOps.IPC_EXCL) != 0) throw new SyscallException(Errno.EEXIST);
            if (nsems > s.nsems()) throw new SyscallException(Errno.EINVAL);
            if (!s.permits(t, flg & 0777)) throw new SyscallException(Errno.EACCES);
            return s.id;
        }
        if (key != IpcObject.IPC_PRIVATE && (flg & ShmOps.IPC_CREAT) == 0) throw new SyscallException(Errno.ENOENT);
        if (nsems == 0) throw new SyscallException(Errno.EINVAL);
        long total = nsems;
        for (SemSet o : ns.sem.byIndex.values()) total += o.nsems();
        if (total > ns.semMns) throw new SyscallException(Errno.ENOSPC);
        if (ns.sem.size() >= ns.semMni) throw new SyscallException(Errno.ENOSPC);
        ns.budget.charge(SemSet.kernelBytes(nsems));
        s = new SemSet(ns, nsems);
        s.init(t, key, flg, ns.now());
        ns.sem.add(s, ns.semMni);
        return s.id;
    }

    /**
     * semop and semtimedop: every operation at once or none; a task that must wait sleeps on
     * the set and tries again whenever a value changes.
     * @param timeoutNs relative timeout, or -1 for none
     */
    public int semtimedop(Task t, int id, int sops, int nsops, long timeoutNs) {
        Sleep.resume(t);
        try {
            return semop(t, id, sops, nsops, timeoutNs);
        } catch (SyscallException e) {
            Sleep.done(t);
            throw e;
        }
    }

    private int semop(Task t, int id, int sops, int nsops, long timeoutNs) {
        IpcNamespace ns = t.ipcNs;
        if (nsops < 1 || id < 0) throw new SyscallException(Errno.EINVAL);
        if (nsops > ns.semOpm) throw new SyscallException(Errno.E2BIG);
        int[] num = new int[nsops], op = new int[nsops], flg = new int[nsops];
        int max = 0;
        boolean undo = false, alter = false;
        for (int i = 0; i < nsops; i++) {
            num[i] = t.mem.readWord(sops + 6 * i);
            op[i] = (short) t.mem.readWord(sops + 6 * i + 2);
            flg[i] = (short) t.mem.readWord(sops + 6 * i + 4);
            max = Math.max(max, num[i]);
            if ((flg[i] & SEM_UNDO) != 0) undo = true;
            if (op[i] != 0) alter = true;
        }
        SemSet s = ns.sem.get(id);
        if (s == null) throw new SyscallException(Errno.EINVAL);
        if (max >= s.nsems()) throw new SyscallException(Errno.EFBIG);
        if (!s.permits(t, alter ? IpcObject.S_IWUGO : IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
        int[] adj = null;
        if (undo) {
            if (t.semUndo == null || t.semUndo.ns != ns) t.semUndo = new SemUndo(ns);
            adj = t.semUndo.adjust.get(id);
            adj = adj == null ? new int[s.nsems()] : adj.clone();
        }
        int[] v = s.val.clone();
        for (int i = 0; i < nsops; i++) {
            int n = num[i], o = op[i];
            if (o > 0 ? v[n] + o > SemSet.SEMVMX : o < 0 && v[n] + o < 0 || o == 0 && v[n] != 0) {
                if (o > 0) throw new SyscallException(Errno.ERANGE);
                // this operation must wait
                if ((flg[i] & ShmOps.IPC_NOWAIT) != 0) throw new SyscallException(Errno.EAGAIN);
                if (t.sleepDeadline != 0 && k.clock.monotonicNanos() >= t.sleepDeadline) throw new SyscallException(Errno.EAGAIN);
                if (timeoutNs == 0) throw new SyscallException(Errno.EAGAIN);
                if (timeoutNs > 0 && t.sleepDeadline == 0) t.sleepDeadline = k.clock.monotonicNanos() + timeoutNs;
                t.ipcWaitSem = n;
                t.ipcWaitZero = o == 0;
                throw Sleep.block(t, s, s.waiters);
            }
            v[n] += o;
            if ((flg[i] & SEM_UNDO) != 0) {
                int a = adj[n] - o;
                if (a < -SEMAEM - 1 || a > SEMAEM) throw new SyscallException(Errno.ERANGE);
                adj[n] = a;
            }
        }
        System.arraycopy(v, 0, s.val, 0, v.length);
        for (int i = 0; i < nsops; i++) s.pid[num[i]] = t.tgid;
        if (undo) t.semUndo.adjust.put(id, adj);
        s.otime = ns.now();
        Sleep.done(t);
        if (alter) s.waiters.wakeAll();
        return 0;
    }

    /** @param arg the union semun argument: a value (SETVAL) or a pointer */
    public int semctl(Task t, int id, int semnum, int cmd, int arg, boolean v64) {
        IpcNamespace ns = t.ipcNs;
        switch (cmd) {
            case ShmOps.IPC_INFO: case SEM_INFO: {
                int used = 0;
                for (SemSet o : ns.sem.byIndex.values()) used += o.nsems();
                int[] info = {cmd == SEM_INFO ? ns.sem.size() : 32000, ns.semMni, cmd == SEM_INFO ? used : ns.semMns,
                        32000, ns.semMsl, ns.semOpm, 500, 16 + 8 * 500, SemSet.SEMVMX, SEMAEM};
                for (int i = 0; i < info.length; i++) t.mem.writeInt(arg + 4 * i, info[i]);
                return ShmOps.highestIndex(ns.sem);
            }
            case SEM_STAT: case SEM_STAT_ANY: {
                SemSet s = ns.sem.byIndex.get(id);
                if (s == null) throw new SyscallException(Errno.EINVAL);
                if (cmd == SEM_STAT && !s.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
                t.mem.write(arg, IpcLayout.semid(s, v64));
                return s.id;
            }
            case SETVAL:
                if (arg < 0 || arg > SemSet.SEMVMX) throw new SyscallException(Errno.ERANGE);
                break;
            default:
                break;
        }
        SemSet s = ns.sem.get(id);
        if (s == null) throw new SyscallException(Errno.EINVAL);
        switch (cmd) {
            case ShmOps.IPC_STAT:
                if (!s.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
                t.mem.write(arg, IpcLayout.semid(s, v64));
                return 0;
            case ShmOps.IPC_SET: {
                s.setPerm(t, IpcLayout.readSetPerm(t.mem, arg, v64), ns.now());
                return 0;
            }
            case ShmOps.IPC_RMID:
                if (!s.ownedBy(t)) throw new SyscallException(Errno.EPERM);
                remove(s);
                forEachUndo(ns, s.id, null);
                return 0;
            case GETALL: {
                if (!s.permits(t, IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
                for (int i = 0; i < s.nsems(); i++) t.mem.writeWord(arg + 2 * i, s.val[i]);
                return 0;
            }
            case SETALL: {
                if (!s.permits(t, IpcObject.S_IWUGO)) throw new SyscallException(Errno.EACCES);
                int[] v = new int[s.nsems()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = t.mem.readWord(arg + 2 * i);
                    if (v[i] > SemSet.SEMVMX) throw new SyscallException(Errno.ERANGE);
                }
                System.arraycopy(v, 0, s.val, 0, v.length);
                java.util.Arrays.fill(s.pid, t.tgid);
                forEachUndo(ns, s.id, adj -> java.util.Arrays.fill(adj, 0));
                s.ctime = ns.now();
                s.waiters.wakeAll();
                return 0;
            }
            case GETVAL: case GETPID: case GETNCNT: case GETZCNT: case SETVAL:
                break;
            default:
                throw new SyscallException(Errno.EINVAL);
        }
        if (!s.permits(t, cmd == SETVAL ? IpcObject.S_IWUGO : IpcObject.S_IRUGO)) throw new SyscallException(Errno.EACCES);
        if (semnum < 0 || semnum >= s.nsems()) throw new SyscallException(Errno.EINVAL);
        switch (cmd) {
            case GETVAL: return s.val[semnum];
            case GETPID: return s.pid[semnum];
            case GETNCNT: return waiters(s, semnum, false);
            case GETZCNT: return waiters(s, semnum, true);
            default: { // SETVAL
                s.val[semnum] = arg;
                s.pid[semnum] = t.tgid;
                forEachUndo(ns, s.id, adj -> adj[semnum] = 0);
                s.ctime = ns.now();
                s.waiters.wakeAll();
                return 0;
            }
        }
    }

    /** IPC_RMID (and a dying namespace): gone from the table; sleepers wake to EIDRM. */
    static void remove(SemSet s) {
        s.removed = true;
        s.ns.sem.remove(s);
        s.ns.budget.release(SemSet.kernelBytes(s.nsems()));
        s.waiters.wakeAll();
    }

    /** Tasks sleeping in semop on semaphore {@code n} of {@code s}, for zero or for an increase. */
    private int waiters(SemSet s, int n, boolean zero) {
        int c = 0;
        for (Task o : k.tasks.values()) {
            if (!o.exited && o.inRestart && o.ipcWait == s && o.ipcWaitSem == n && o.ipcWaitZero == zero) c++;
        }
        return c;
    }

    /** Runs {@code f} on every process's adjustments for set {@code id} (null: drops them, IPC_RMID). */
    private void forEachUndo(IpcNamespace ns, int id, java.util.function.Consumer<int[]> f) {
        IdentityHashMap<SemUndo, Boolean> seen = new IdentityHashMap<>();
        for (Task o : k.tasks.values()) {
            SemUndo u = o.semUndo;
            if (u == null || u.ns != ns || seen.put(u, Boolean.TRUE) != null) continue;
            if (f == null) u.adjust.remove(id);
            else {
                int[] adj = u.adjust.get(id);
                if (adj != null) f.accept(adj);
            }
        }
    }

    /**
     * The process ends (or leaves its IPC namespace): its SEM_UNDO adjustments are applied,
     * clamped to 0..SEMVMX, unless another process still shares the list (CLONE_SYSVSEM).
     */
    public static void exitSem(Kernel k, Task t) {
        SemUndo u = t.semUndo;
        if (u == null) return;
        t.semUndo = null;
        for (Task o : k.tasks.values()) if (o != t && !o.exited && o.semUndo == u) return;
        for (var e : u.adjust.entrySet()) {
            SemSet s = u.ns.sem.get(e.getKey());
            if (s == null) continue;
            int[] adj = e.getValue();
            boolean changed = false;
            for (int i = 0; i < adj.length && i < s.nsems(); i++) {
                if (adj[i] == 0) continue;
                s.val[i] = Math.max(0, Math.min(SemSet.SEMVMX, s.val[i] + adj[i]));
                s.pid[i] = t.tgid;
                changed = true;
            }
            if (changed) {
                s.otime = u.ns.now();
                s.waiters.wakeAll();
            }
        }
    }
}
