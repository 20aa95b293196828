package org.j386.kernel.sys;

import org.j386.kernel.Errno;
import org.j386.kernel.Kernel;
import org.j386.kernel.SigInfo;
import org.j386.kernel.Signals;
import org.j386.kernel.SyscallException;
import org.j386.kernel.SyscallTable;
import org.j386.kernel.Task;
import org.j386.kernel.fs.Flags;
import org.j386.kernel.fs.OpenFile;
import org.j386.kernel.fs.UnixSocket;

/**
 * Sockets: connected AF_UNIX pairs (socketpair) of the stream, datagram and seqpacket kinds,
 * with send/recv in all their forms, shutdown and the basic socket options; through the i386
 * socketcall(2) multiplexer and the direct calls. There is no network, and named AF_UNIX
 * sockets (bind/connect/listen/accept) are not modelled yet: socket(2) fails with
 * EAFNOSUPPORT, so programs take their no-socket paths.
 */
public final class SocketSyscalls {
    static final int AF_UNIX = 1, SOCK_NONBLOCK = Flags.O_NONBLOCK, SOCK_CLOEXEC = Flags.O_CLOEXEC;
    static final int MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000,
            MSG_CMSG_CLOEXEC = 0x40000000;
    static final int SOL_SOCKET = 1, SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_ACCEPTCONN = 30,
            SO_PROTOCOL = 38, SO_DOMAIN = 39;
    private final Kernel k;
    private int nextIno = 20000;

    public SocketSyscalls(Kernel k) {
        this.k = k;
    }

    public void register(SyscallTable t) {
        t.register(102, "socketcall", "dp", this::socketcall);
        t.register(359, "socket", "ddd", (task, a, b, c, d, e, f) -> socket(a, b, c));
        t.register(360, "socketpair", "dddp", (task, a, b, c, d, e, f) -> socketpair(task, a, b, c, d));
        t.register(361, "bind", "dpd", (task, a, b, c, d, e, f) -> notNamed(task, a));
        t.register(362, "connect", "dpd", (task, a, b, c, d, e, f) -> { sock(task, a); throw new SyscallException(Errno.EISCONN); });
        t.register(363, "listen", "dd", (task, a, b, c, d, e, f) -> notNamed(task, a));
        t.register(364, "accept4", "dppx", (task, a, b, c, d, e, f) -> notNamed(task, a));
        t.register(365, "getsockopt", "dddpp", (task, a, b, c, d, e, f) -> getsockopt(task, a, b, c, d, e));
        t.register(366, "setsockopt", "dddpd", (task, a, b, c, d, e, f) -> setsockopt(task, a, b, c, e));
        t.register(367, "getsockname", "dpp", (task, a, b, c, d, e, f) -> name(task, a, b, c));
        t.register(368, "getpeername", "dpp", (task, a, b, c, d, e, f) -> name(task, a, b, c));
        t.register(369, "sendto", "dpdxpd", (task, a, b, c, d, e, f) -> sendto(task, a, b, c, d, e));
        t.register(370, "sendmsg", "dpx", (task, a, b, c, d, e, f) -> sendmsg(task, a, b, c));
        t.register(371, "recvfrom", "dpdxpp", (task, a, b, c, d, e, f) -> recvfrom(task, a, b, c, d, e, f));
        t.register(372, "recvmsg", "dpx", (task, a, b, c, d, e, f) -> recvmsg(task, a, b, c));
        t.register(373, "shutdown", "dd", (task, a, b, c, d, e, f) -> { sock(task, a).shutdown(b); return 0; });
    }

    /** socketcall(call, args): the old i386 entry point, with the arguments in user memory. */
    private int socketcall(Task t, int call, int args, int c, int d, int e, int f) {
        int[] a = new int[6];
        int count = switch (call) {
            case 1 -> 3; case 2 -> 3; case 3 -> 3; case 4 -> 2; case 5 -> 3; case 6 -> 3; case 7 -> 3; case 8 -> 4;
            case 9 -> 4; case 10 -> 4; case 11 -> 6; case 12 -> 6; case 13 -> 2; case 14 -> 5; case 15 -> 5;
            case 16 -> 3; case 17 -> 3; case 18 -> 4; case 19 -> 5; case 20 -> 4;
            default -> throw new SyscallException(Errno.EINVAL);
        };
        for (int i = 0; i < count; i++) a[i] = t.mem.readInt(args + 4 * i);
        return switch (call) {
            case 1 -> socket(a[0], a[1], a[2]);
            case 2, 4 -> notNamed(t, a[0]);
            case 3 -> { sock(t, a[0]); throw new SyscallException(Errno.EISCONN); }
            case 5, 18 -> notNamed(t, a[0]);
            case 6, 7 -> name(t, a[0], a[1], a[2]);
            case 8 -> socketpair(t, a[0], a[1], a[2], a[3]);
            case 9 -> sendto(t, a[0], a[1], a[2], a[3], 0);
            case 10 -> recvfrom(t, a[0], a[1], a[2], a[3], 0, 0);
            case 11 -> sendto(t, a[0], a[1], a[2], a[3], a[4]);
            case 12 -> recvfrom(t, a[0], a[1], a[2], a[3], a[4], a[5]);
            case 13 -> { sock(t, a[0]).shutdown(a[1]); yield 0; }
            case 14 -> setsockopt(t, a[0], a[1], a[2], a[4]);
            case 15 -> getsockopt(t, a[0], a[1], a[2], a[3], a[4]);
            case 16 -> sendmsg(t, a[0], a[1], a[2]);
            case 17 -> recvmsg(t, a[0], a[1], a[2]);
            default -> throw new SyscallException(Errno.ENOSYS); // recvmmsg, sendmmsg
        };
    }

    private static UnixSocket sock(Task t, int fd) {
        OpenFile f = t.files.get(fd);
        if (!(f instanceof UnixSocket s)) throw new SyscallException(Errno.ENOTSOCK);
        return s;
    }

    private static int notNamed(Task t, int fd) {
        sock(t, fd);
        throw new SyscallException(Errno.EINVAL); // a connected pair cannot be bound, listen or accept
    }

    private int socket(int domain, int type, int protocol) {
        throw new SyscallException(Errno.EAFNOSUPPORT);
    }

    private int socketpair(Task t, int domain, int type, int protocol, int sv) {
        if (domain == 2 || domain == 10) throw new SyscallException(Errno.EOPNOTSUPP); // AF_INET, AF_INET6 have no pairs
        if (domain != AF_UNIX) throw new SyscallException(Errno.EAFNOSUPPORT);
        int kind = type & 0xf;
        if ((type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) throw new SyscallException(Errno.EINVAL);
        if (kind != UnixSocket.SOCK_STREAM && kind != UnixSocket.SOCK_DGRAM && kind != UnixSocket.SOCK_SEQPACKET)
            throw new SyscallException(Errno.ESOCKTNOSUPPORT);
        if (protocol != 0) throw new SyscallException(Errno.EPROTONOSUPPORT);
        UnixSocket[] p = UnixSocket.pair(kind, type & SOCK_NONBLOCK, nextIno);
        nextIno += 2;
        boolean cloexec = (type & SOCK_CLOEXEC) != 0;
        int a = t.files.allocate(p[0], cloexec);
        int b;
        try {
            b = t.files.allocate(p[1], cloexec);
        } catch (SyscallException e) {
            t.files.close(a);
            throw e;
        }
        t.mem.writeInt(sv, a);
        t.mem.writeInt(sv + 4, b);
        return 0;
    }

    private int send(Task t, UnixSocket s, byte[] data, int flags) {
        try {
            return s.send(data, 0, data.length, s.nonBlocking() || (flags & MSG_DONTWAIT) != 0);
        } catch (SyscallException e) {
            if (e.errno == Errno.EPIPE && (flags & MSG_NOSIGNAL) == 0) k.sendSignal(t, SigInfo.user(Signals.SIGPIPE, SigInfo.SI_USER, t.tgid, t.uid));
            throw e;
        }
    }

    private int sendto(Task t, int fd, int buf, int len, int flags, int dest) {
        UnixSocket s = sock(t, fd);
        if (dest != 0) throw new SyscallException(Errno.EISCONN);
        if (len < 0) throw new SyscallException(Errno.EINVAL);
        return send(t, s, t.mem.read(buf, len), flags);
    }

    private int recvfrom(Task t, int fd, int buf, int len, int flags, int src, int srcLen) {
        UnixSocket s = sock(t, fd);
        if (len < 0) throw new SyscallException(Errno.EINVAL);
        byte[] b = new byte[Math.min(len, 1 << 20)];
        int n = s.receive(b, 0, b.length, s.nonBlocking() || (flags & MSG_DONTWAIT) != 0, (flags & MSG_PEEK) != 0);
        t.mem.write(buf, b, 0, n);
        if (src != 0 && srcLen != 0) unnamed(t, src, srcLen);
        return (flags & MSG_TRUNC) != 0 && s.truncated ? s.messageLength : n; // MSG_TRUNC: the real length
    }

    /** struct msghdr (i386): name, namelen, iov, iovlen, control, controllen, flags. */
    private int sendmsg(Task t, int fd, int msg, int flags) {
        UnixSocket s = sock(t, fd);
        if (t.mem.readInt(msg) != 0) throw new SyscallException(Errno.EISCONN);
        if (t.mem.readInt(msg + 20) != 0) throw new SyscallException(Errno.EOPNOTSUPP); // ancillary data (SCM_RIGHTS...)
        return send(t, s, gather(t, t.mem.readInt(msg + 8), t.mem.readInt(msg + 12)), flags);
    }

    private int recvmsg(Task t, int fd, int msg, int flags) {
        UnixSocket s = sock(t, fd);
        int iov = t.mem.readInt(msg + 8), iovlen = t.mem.readInt(msg + 12);
        long total = 0;
        if (iovlen < 0 || iovlen > 1024) throw new SyscallException(Errno.EMSGSIZE);
        for (int i = 0; i < iovlen; i++) total += t.mem.readInt(iov + 8 * i + 4) & 0xffffffffL;
        byte[] b = new byte[(int) Math.min(total, 1 << 20)];
        int n = s.receive(b, 0, b.length, s.nonBlocking() || (flags & MSG_DONTWAIT) != 0, (flags & MSG_PEEK) != 0);
        int done = 0;
        for (int i = 0; i < iovlen && done < n; i++) {
            int base = t.mem.readInt(iov + 8 * i), len = t.mem.readInt(iov + 8 * i + 4);
            int m = Math.min(len, n - done);
            t.mem.write(base, b, done, m);
            done += m;
        }
        if (t.mem.readInt(msg) != 0) unnamed(t, t.mem.readInt(msg), msg + 4);
        t.mem.writeInt(msg + 20, 0); // no ancillary data
        t.mem.writeInt(msg + 24, s.truncated ? MSG_TRUNC : 0);
        return n;
    }

    private static byte[] gather(Task t, int iov, int iovlen) {
        if (iovlen < 0 || iovlen > 1024) throw new SyscallException(Errno.EMSGSIZE);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < iovlen; i++) {
            int base = t.mem.readInt(iov + 8 * i), len = t.mem.readInt(iov + 8 * i + 4);
            if (len < 0) throw new SyscallException(Errno.EINVAL);
            out.writeBytes(t.mem.read(base, len));
        }
        return out.toByteArray();
    }

    /** The address of an unnamed AF_UNIX socket: just the family (addrlen 2). */
    private static void unnamed(Task t, int addr, int lenAddr) {
        int room = t.mem.readInt(lenAddr);
        if (room < 0) throw new SyscallException(Errno.EINVAL);
        if (room >= 2) t.mem.writeWord(addr, AF_UNIX);
        t.mem.writeInt(lenAddr, 2);
    }

    private int name(Task t, int fd, int addr, int lenAddr) {
        sock(t, fd);
        unnamed(t, addr, lenAddr);
        return 0;
    }

    private int getsockopt(Task t, int fd, int level, int opt, int val, int lenAddr) {
        UnixSocket s = sock(t, fd);
        if (level != SOL_SOCKET) throw new SyscallException(Errno.ENOPROTOOPT);
        int v = switch (opt) {
            case SO_TYPE -> s.type;
            case SO_ERROR, SO_ACCEPTCONN, SO_PROTOCOL -> 0;
            case SO_SNDBUF, SO_RCVBUF -> 212992;
            case SO_DOMAIN -> AF_UNIX;
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        };
        int len = t.mem.readInt(lenAddr);
        if (len < 0) throw new SyscallException(Errno.EINVAL);
        if (len >= 4) t.mem.writeInt(val, v);
        t.mem.writeInt(lenAddr, Math.min(len, 4));
        return 0;
    }

    private int setsockopt(Task t, int fd, int level, int opt, int len) {
        sock(t, fd);
        if (level != SOL_SOCKET) throw new SyscallException(Errno.ENOPROTOOPT);
        if (len < 0) throw new SyscallException(Errno.EINVAL);
        return 0; // buffer sizes, timeouts, SO_PASSCRED...: accepted, not modelled
    }
}
