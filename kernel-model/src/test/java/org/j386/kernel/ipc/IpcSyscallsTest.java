package org.j386.kernel.ipc;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.KernelConfig;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.UserMemory;
import org.j386.kernel.sys.IpcSyscalls;
import org.j386.kernel.sys.NamespaceSyscalls;
import org.j386.kernel.sys.ProcessSyscalls;
import org.j386.mmu.Mmu;
import org.j386.mmu.PhysicalMemory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SysV IPC and namespace system calls on kernel objects, for what the guest tests (run as
 * root, without set*id) cannot reach: permissions of other users, EPERM for the unprivileged,
 * id reuse, struct layouts and SEM_UNDO clamping. User memory is 1 MiB with paging off.
 */
class IpcSyscallsTest {
    static final int SEMGET = 393, SEMCTL = 394, SHMGET = 395, SHMCTL = 396, MSGGET = 399, MSGSND = 400, MSGRCV = 401,
            MSGCTL = 402, IPC = 117, UNSHARE = 310, SETHOSTNAME = 74, UNAME = 122;
    static final int IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000, IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2;

    final Kernel kernel;
    final Task root, user;
    final SyscallTable table = new SyscallTable();

    IpcSyscallsTest() {
        KernelConfig config = new KernelConfig();
        config.ramBytes = 16L << 20;
        config.uid = config.gid = 0;
        config.hostname = "testhost";
        kernel = new Kernel(config);
        new IpcSyscalls(kernel).register(table);
        new NamespaceSyscalls(kernel).register(table);
        new ProcessSyscalls(kernel).register(table);
        UserMemory mem = new UserMemory(new Mmu(new PhysicalMemory(1 << 20)), null);
        root = task(1, 0, mem);
        user = task(2, 1000, mem);
    }

    private Task task(int pid, int id, UserMemory mem) {
        Task t = new Task(kernel);
        t.pid = t.tgid = pid;
        t.uid = t.euid = t.gid = t.egid = id;
        t.mem = mem;
        kernel.tasks.put(pid, t);
        return t;
    }

    int call(Task t, int nr, int... a) {
        int[] r = new int[6];
        System.arraycopy(a, 0, r, 0, a.length);
        try {
            return table.get(nr).handler().call(t, r[0], r[1], r[2], r[3], r[4], r[5]);
        } catch (SyscallException e) {
            return -e.errno;
        }
    }

    @Test
    void permissionsFollowOwnerGroupAndOtherBits() {
        int id = call(root, SEMGET, 0x1234, 1, IPC_CREAT | 0640);
        assertTrue(id >= 0);
        assertEquals(-Errno.EACCES, call(user, SEMGET, 0x1234, 1, 0400), "others have no bits");
        assertEquals(-Errno.EACCES, call(user, SEMCTL, id, 0, SemOps.GETVAL), "read needs an r bit");
        user.groups = new int[] {0};
        assertEquals(id, call(user, SEMGET, 0x1234, 1, 0400), "a supplementary group gets the group bits");
        assertEquals(0, call(user, SEMCTL, id, 0, SemOps.GETVAL));
        assertEquals(-Errno.EACCES, call(user, SEMCTL, id, 0, SemOps.SETVAL, 1), "the group has no w bit");
        assertEquals(-Errno.EPERM, call(user, SEMCTL, id, 0, IPC_RMID), "only owner, creator or root removes");
        assertEquals(0, call(root, SEMCTL, id, 0, IPC_RMID));
    }

    @Test
    void ipcSetHandsOverOwnershipButNotCreatorship() {
        int id = call(root, MSGGET, 0, IPC_CREAT | 0600);
        int buf = 0x1000;
        assertEquals(0, call(root, MSGCTL, id, IPC_STAT, buf));
        root.mem.writeInt(buf + 4, 1000); // uid
        root.mem.writeWord(buf + 20, 0600);
        assertEquals(0, call(root, MSGCTL, id, IPC_SET, buf));
        assertEquals(0, call(user, MSGCTL, id, IPC_STAT, buf), "the new owner reads through the owner bits");
        assertEquals(1000, root.mem.readInt(buf + 4));
        assertEquals(0, root.mem.readInt(buf + 12), "cuid stays");
        root.mem.writeInt(buf + 68, 1 << 20); // msg_qbytes above msgmnb
        assertEquals(-Errno.EPERM, call(user, MSGCTL, id, IPC_SET, buf), "raising msg_qbytes past MSGMNB needs CAP_SYS_RESOURCE");
        assertEquals(0, call(root, MSGCTL, id, IPC_SET, buf));
        assertEquals(0, call(user, MSGCTL, id, IPC_RMID));
    }

    @Test
    void aStaleIdDoesNotFindTheObjectThatReusedItsSlot() {
        int a = call(root, SHMGET, 0, 4096, IPC_CREAT | 0600);
        assertEquals(0, call(root, SHMCTL, a, IPC_RMID, 0));
        int b = call(root, SHMGET, 0, 4096, IPC_CREAT | 0600);
        assertEquals(a % IpcIds.SEQ_MULTIPLIER, b % IpcIds.SEQ_MULTIPLIER, "lowest free index again");
        assertNotEquals(a, b, "but a new sequence number");
        assertEquals(-Errno.EINVAL, call(root, SHMCTL, a, IPC_STAT, 0x1000));
        assertEquals(0, call(root, SHMCTL, b, IPC_STAT, 0x1000));
        assertEquals(0, call(root, SHMCTL, b, IPC_RMID, 0));
        assertEquals(0, kernel.initialIpc.shmTotPages);
    }

    @Test
    void shmid64LayoutAndTheOldOne() {
        root.tgid = 77;
        int id = call(root, SHMGET, 0x55, 10000, IPC_CREAT | 0640);
        int buf = 0x2000;
        assertEquals(0, call(root, SHMCTL, id, IPC_STAT, buf));
        assertEquals(0x55, root.mem.readInt(buf));
        assertEquals(0640, root.mem.readWord(buf + 20));
        assertEquals(10000, root.mem.readInt(buf + 36), "shm_segsz");
        assertEquals(77, root.mem.readInt(buf + 64), "shm_cpid");
        assertEquals(0, root.mem.readInt(buf + 72), "shm_nattch");
        assertEquals(-Errno.EINVAL, call(root, SHMCTL, id, IPC_STAT | IpcLayout.IPC_64, buf), "the direct call refuses IPC_64");
        // ipc(SHMCTL) without IPC_64: struct shmid_ds with 16-bit ids
        assertEquals(0, call(root, IPC, 24, id, IPC_STAT, 0, buf));
        assertEquals(0640, root.mem.readWord(buf + 12));
        assertEquals(10000, root.mem.readInt(buf + 16));
        assertEquals(77, root.mem.readWord(buf + 32), "shm_cpid");
        assertEquals(0, call(root, SHMCTL, id, IPC_RMID, 0));
    }

    @Test
    void msgrcvPicksByType() {
        MsgQueue q = new MsgQueue(kernel.initialIpc);
        for (int type : new int[] {5, 3, 9, 3, 1}) q.messages.add(new MsgQueue.Message(type, new byte[0]));
        assertEquals(0, MsgOps.find(q, 0, 0));
        assertEquals(1, MsgOps.find(q, 3, 0));
        assertEquals(0, MsgOps.find(q, 3, MsgOps.MSG_EXCEPT));
        assertEquals(4, MsgOps.find(q, -4, 0), "lowest type not above 4");
        assertEquals(-1, MsgOps.find(q, 7, 0));
        assertEquals(4, MsgOps.find(q, Integer.MIN_VALUE, 0));
    }

    @Test
    void msgsndAndMsgrcvThroughUserMemory() {
        int q = call(root, MSGGET, 0, IPC_CREAT | 0600);
        int msg = 0x3000;
        root.mem.writeInt(msg, 4);
        root.mem.write(msg + 4, "hello".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(0, call(root, MSGSND, q, msg, 5, 0));
        int out = 0x3100;
        assertEquals(-Errno.E2BIG, call(root, MSGRCV, q, out, 3, 0, 0));
        assertEquals(-Errno.ENOMSG, call(root, MSGRCV, q, out, 16, 5, IPC_NOWAIT));
        assertEquals(5, call(root, MSGRCV, q, out, 16, 4, 0));
        assertEquals(4, root.mem.readInt(out));
        assertEquals("hello", new String(root.mem.read(out + 4, 5), StandardCharsets.ISO_8859_1));
        assertEquals(0, call(root, MSGCTL, q, IPC_RMID, 0));
    }

    @Test
    void semUndoAtExitIsClampedAndDroppedWithTheSet() {
        int id = call(root, SEMGET, 0, 2, IPC_CREAT | 0600);
        int sops = 0x4000;
        root.mem.writeWord(sops, 0);
        root.mem.writeWord(sops + 2, 5);
        root.mem.writeWord(sops + 4, SemOps.SEM_UNDO);
        assertEquals(0, call(root, IPC, 1, id, 1, 0, sops)); // ipc(SEMOP)
        assertArrayEquals(new int[] {-5, 0}, root.semUndo.adjust.get(id));
        SemSet s = kernel.initialIpc.sem.get(id);
        s.val[0] = 2; // someone took 3 meanwhile (as SETVAL would, but keeping the undo)
        SemOps.exitSem(kernel, root);
        assertEquals(0, s.val[0], "5 cannot be undone from 2: the value stops at 0");
        assertNull(root.semUndo);
        assertEquals(0, call(root, SEMCTL, id, 0, IPC_RMID));
    }

    @Test
    void aSleeperOnARemovedObjectGetsEidrm() {
        int q = call(root, MSGGET, 0, IPC_CREAT | 0666);
        MsgQueue obj = kernel.initialIpc.msg.get(q);
        try {
            table.get(MSGRCV).handler().call(user, q, 0x5000, 16, 0, 0, 0);
            throw new AssertionError("an empty queue must block");
        } catch (org.j386.kernel.BlockedException b) {
            assertSame(obj.receivers, b.queue);
        } catch (SyscallException e) {
            throw new AssertionError("errno " + e.errno);
        }
        assertSame(obj, user.ipcWait);
        assertTrue(user.interruptOnly, "never restarted after a handler");
        assertEquals(0, call(root, MSGCTL, q, IPC_RMID, 0));
        user.inRestart = true; // the re-run after the wake-up
        assertEquals(-Errno.EIDRM, call(user, MSGRCV, q, 0x5000, 16, 0, 0));
        assertNull(user.ipcWait);
    }

    @Test
    void namespacesNeedRootAndSeparateNames() {
        int buf = 0x6000;
        assertEquals(-Errno.EPERM, call(user, UNSHARE, Kernel.CLONE_NEWUTS));
        assertEquals(-Errno.EPERM, call(user, UNSHARE, Kernel.CLONE_NEWIPC));
        root.mem.write(buf, "newname".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(-Errno.EPERM, call(user, SETHOSTNAME, buf, 7));
        assertEquals(-Errno.EINVAL, call(root, UNSHARE, 0x20000), "no mount namespaces here");
        assertEquals(0, call(root, UNSHARE, Kernel.CLONE_NEWUTS | Kernel.CLONE_NEWIPC));
        assertEquals(0, call(root, SETHOSTNAME, buf, 7));
        assertEquals("newname", kernel.hostname(root));
        assertEquals("testhost", kernel.hostname(user), "the other task keeps the first namespace");
        assertEquals(0, call(root, UNAME, 0x7000));
        assertEquals("newname", root.mem.readCString(0x7000 + 65, 65));
        assertEquals("(none)", root.mem.readCString(0x7000 + 5 * 65, 65));
        int q = call(user, MSGGET, 0x77, IPC_CREAT | 0600);
        assertEquals(-Errno.ENOENT, call(root, MSGGET, 0x77, 0), "keys are per IPC namespace");
        assertEquals(-Errno.EINVAL, call(root, MSGCTL, q, IPC_STAT, buf), "and so are ids");
        assertNotEquals(kernel.initialIpc, root.ipcNs);
    }

    @Test
    void anIpcNamespaceNobodyIsLeftInLosesItsObjects() {
        assertEquals(0, call(root, UNSHARE, Kernel.CLONE_NEWIPC));
        IpcNamespace ns = root.ipcNs;
        int shm = call(root, SHMGET, 0, 8192, IPC_CREAT | 0600);
        call(root, MSGGET, 0, IPC_CREAT | 0600);
        call(root, SEMGET, 0x9, 1, IPC_CREAT | 0600);
        ShmSegment seg = ns.shm.get(shm);
        seg.frame(0); // touched: one frame held
        int used = kernel.frames.usedFrames();
        assertEquals(2, ns.shmTotPages);
        root.exited = true;
        IpcExit.exit(kernel, root);
        assertEquals(0, ns.shm.size() + ns.sem.size() + ns.msg.size());
        assertEquals(0, ns.shmTotPages);
        assertEquals(used - 1, kernel.frames.usedFrames(), "the segment's frame is freed");
        assertEquals(-Errno.ENOENT, call(user, SEMGET, 0x9, 1, 0), "the key lived in the other namespace only");
    }

    @Test
    void kernelMemoryForIpcObjectsIsBoundedByAShareOfRam() {
        IpcNamespace.Budget b = kernel.initialIpc.budget;
        assertEquals((16L << 20) / 8, b.limit);
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        int r;
        while ((r = call(root, SEMGET, 0, 32000, IPC_CREAT | 0600)) >= 0) ids.add(r);
        assertEquals(-Errno.ENOMEM, r, "a guest cannot make the emulator run out of heap");
        assertEquals(8, ids.size());
        while ((r = call(root, SEMGET, 0, 1000, IPC_CREAT | 0600)) >= 0) ids.add(r); // fill up to < 8 KiB left
        assertTrue(b.limit - b.used < 8064);
        int q = call(root, MSGGET, 0, IPC_CREAT | 0600);
        assertTrue(q >= 0);
        int msg = 0x3000;
        root.mem.writeInt(msg, 1);
        assertEquals(-Errno.ENOMEM, call(root, MSGSND, q, msg, 8192, 0));
        for (int id : ids) assertEquals(0, call(root, SEMCTL, id, 0, IPC_RMID));
        assertEquals(0, call(root, MSGSND, q, msg, 8192, 0));
        assertEquals(0, call(root, MSGCTL, q, IPC_RMID, 0));
        assertEquals(0, b.used, "everything is given back");
    }
}
