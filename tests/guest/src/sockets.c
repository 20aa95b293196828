/* AF_UNIX socket pairs: stream, datagram and seqpacket; send/recv forms, peek, truncation, shutdown, EPIPE/SIGPIPE. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int e) { return e == EAGAIN ? "EAGAIN" : e == EPIPE ? "EPIPE" : e == EOPNOTSUPP ? "EOPNOTSUPP" : e == ENOTSOCK ? "ENOTSOCK" : e == EISCONN ? "EISCONN" : e == EINVAL ? "EINVAL" : "other"; }
static volatile int pipes;
static void on_pipe(int s) { (void) s; pipes++; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_pipe);
    int sv[2];
    printf("stream pair: %d\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    pid_t c = fork();
    if (c == 0) {
        close(sv[0]);
        char buf[64];
        int n = read(sv[1], buf, sizeof buf);
        for (int i = 0; i < n; i++) buf[i] = buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i];
        write(sv[1], buf, n);
        _exit(0);
    }
    close(sv[1]);
    write(sv[0], "hello, socket", 13);
    char buf[256];
    int n = read(sv[0], buf, sizeof buf);
    printf("echoed by the child: %.*s\n", n, buf);
    waitpid(c, NULL, 0);
    n = read(sv[0], buf, sizeof buf);
    printf("after the child closed: read %d\n", n);
    errno = 0;
    int r = send(sv[0], "x", 1, 0);
    printf("send to a closed peer: %d %s, SIGPIPE %d\n", r, en(errno), pipes);
    r = send(sv[0], "x", 1, MSG_NOSIGNAL);
    printf("with MSG_NOSIGNAL: %d %s, SIGPIPE %d\n", r, en(errno), pipes);
    close(sv[0]);

    /* stream: byte stream, peek, nonblocking, shutdown */
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    send(sv[0], "abc", 3, 0);
    send(sv[0], "def", 3, 0);
    n = recv(sv[1], buf, 2, MSG_PEEK);
    printf("peek: %.*s\n", n, buf);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("stream joins writes: %.*s\n", n, buf);
    r = recv(sv[1], buf, sizeof buf, 0);
    printf("empty nonblocking: %d %s\n", r, en(errno));
    shutdown(sv[0], SHUT_WR);
    printf("after the peer's SHUT_WR: %d\n", (int) recv(sv[1], buf, sizeof buf, 0));
    int type = 0; socklen_t tl = sizeof type;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &tl);
    printf("SO_TYPE stream: %d len %d\n", type == SOCK_STREAM, (int) tl);
    close(sv[0]); close(sv[1]);

    /* datagrams keep their boundaries; a short buffer truncates */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[0], "one", 3, 0);
    send(sv[0], "second message", 14, 0);
    send(sv[0], "", 0, 0);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("dgram 1: %d %.*s\n", n, n, buf);
    n = recv(sv[1], buf, 6, MSG_TRUNC);
    printf("dgram 2 truncated: returns %d, got %.6s\n", n, buf);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("dgram 3 empty: %d\n", n);
    struct iovec iov[2] = {{"gath", 4}, {"ered", 4}};
    struct msghdr mh = {0};
    mh.msg_iov = iov; mh.msg_iovlen = 2;
    printf("sendmsg: %d\n", (int) sendmsg(sv[0], &mh, 0));
    char p1[3], p2[16];
    struct iovec riov[2] = {{p1, 3}, {p2, 16}};
    struct msghdr rh = {0};
    rh.msg_iov = riov; rh.msg_iovlen = 2;
    n = recvmsg(sv[1], &rh, 0);
    printf("recvmsg scatters: %d %.3s|%.5s flags %d\n", n, p1, p2, rh.msg_flags);
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &tl);
    printf("SO_TYPE dgram: %d\n", type == SOCK_DGRAM);
    close(sv[0]); close(sv[1]);

    /* seqpacket: records, and EOF when the peer closes */
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    send(sv[0], "rec1", 4, 0);
    send(sv[0], "record-2", 8, 0);
    close(sv[0]);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("seq 1: %.*s\n", n, buf);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("seq 2: %.*s\n", n, buf);
    printf("seq eof: %d\n", (int) recv(sv[1], buf, sizeof buf, 0));
    close(sv[1]);

    /* errors */
    r = socketpair(AF_INET, SOCK_STREAM, 0, sv);
    printf("AF_INET pair: %d %s\n", r, en(errno));
    r = send(1, "x", 1, 0);
    printf("send on a non-socket: %d %s\n", r, en(errno));
    return 0;
}
