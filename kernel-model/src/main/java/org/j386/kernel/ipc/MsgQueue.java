package org.j386.kernel.ipc;

import org.j386.kernel.WaitQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * A SysV message queue: its messages in arrival order and struct msqid_ds's fields. Senders
 * that find it full and receivers that find no matching message sleep on their wait queue
 * and re-run the call when the queue changes.
 */
public final class MsgQueue extends IpcObject {
    /** One message: its type (mtype, at least 1) and text. */
    public record Message(int type, byte[] text) {}

    public final IpcNamespace ns;
    public final List<Message> messages = new ArrayList<>();
    /** Bytes of text queued, and the limit (msg_qbytes). */
    public long cbytes, qbytes;
    public long stime, rtime;
    public int lspid, lrpid;
    public final WaitQueue senders = new WaitQueue(), receivers = new WaitQueue();

    public MsgQueue(IpcNamespace ns) {
        this.ns = ns;
    }

    /** What a message of {@code len} bytes costs in kernel memory. */
    static long kernelBytes(int len) { return len + IpcNamespace.MESSAGE_BYTES; }

    /** IPC_RMID (and a dying namespace): gone with its messages; sleepers wake to EIDRM. */
    void remove() {
        removed = true;
        ns.msg.remove(this);
        for (Message m : messages) ns.budget.release(kernelBytes(m.text().length));
        messages.clear();
        cbytes = 0;
        ns.budget.release(IpcNamespace.OBJECT_BYTES);
        senders.wakeAll();
        receivers.wakeAll();
    }
}
