/* AF_UNIX socket pairs across a restart, shared between a parent and a child: a stream pair
 * with 30000 patterned bytes in flight, a datagram pair with three messages of 3, 5 and 8
 * bytes (boundaries kept), a seqpacket pair with one message and then the sender's
 * shutdown(SHUT_WR), and a stream pair whose other end was closed. The child is blocked
 * reading a control pair. After SIGUSR1 the parent writes "go" on it; the child checks
 * every byte, message and EOF, SO_TYPE of each socket, and answers "ok" on the stream pair,
 * which the parent must read; writing to the pair with the closed peer fails with EPIPE. */
#include "zdtm.h"
#include <errno.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define N 30000

static int pattern(int i) { return (i * 13 + 5) & 0xff; }

static int type_of(int fd) {
    int t = -1;
    socklen_t l = sizeof t;
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &l) == 0 ? t : -1;
}

static int child(int st, int dg, int sp, int ctl) {
    char b[N + 16];
    if (read(ctl, b, 2) != 2 || memcmp(b, "go", 2) != 0) return 1;
    if (type_of(st) != SOCK_STREAM || type_of(dg) != SOCK_DGRAM || type_of(sp) != SOCK_SEQPACKET) return 2;
    int got = 0, n;
    while (got < N && (n = read(st, b + got, sizeof b - got)) > 0) got += n;
    if (got != N) return 3;
    for (int i = 0; i < N; i++) if ((b[i] & 0xff) != pattern(i)) return 4;
    static const int lens[3] = {3, 5, 8};
    static const char *msgs[3] = {"one", "two22", "three333"};
    for (int i = 0; i < 3; i++) {
        if (recv(dg, b, sizeof b, MSG_DONTWAIT) != lens[i] || memcmp(b, msgs[i], lens[i]) != 0) return 5;
    }
    if (recv(dg, b, sizeof b, MSG_DONTWAIT) != -1 || errno != EAGAIN) return 6;
    if (recv(sp, b, sizeof b, 0) != 4 || memcmp(b, "seq!", 4) != 0) return 7;
    if (recv(sp, b, sizeof b, 0) != 0) return 8; /* the sender shut down writing */
    if (write(st, "ok", 2) != 2) return 9;
    return 0;
}

int main(void) {
    zdtm_init();
    signal(SIGPIPE, SIG_IGN);
    int st[2], dg[2], sp[2], ctl[2], dead[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, st) == 0 && socketpair(AF_UNIX, SOCK_DGRAM, 0, dg) == 0
          && socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, ctl) == 0
          && socketpair(AF_UNIX, SOCK_STREAM, 0, dead) == 0, "socketpair: %d", errno);
    static char out[N];
    for (int i = 0; i < N; i++) out[i] = pattern(i);
    pid_t c = fork();
    if (c == 0) {
        close(st[0]); close(dg[0]); close(sp[0]); close(ctl[0]); close(dead[0]); close(dead[1]);
        _exit(child(st[1], dg[1], sp[1], ctl[1]));
    }
    close(st[1]); close(dg[1]); close(sp[1]); close(ctl[1]); close(dead[1]);
    int w = 0, n;
    while (w < N && (n = write(st[0], out + w, N - w)) > 0) w += n;
    CHECK(w == N, "stream write: %d", w);
    CHECK(send(dg[0], "one", 3, 0) == 3 && send(dg[0], "two22", 5, 0) == 5 && send(dg[0], "three333", 8, 0) == 8, "datagrams");
    CHECK(send(sp[0], "seq!", 4, 0) == 4, "seqpacket");
    CHECK(shutdown(sp[0], SHUT_WR) == 0, "shutdown");
    zdtm_ready_and_wait();

    CHECK(send(sp[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "the seqpacket end is no longer shut for writing");
    CHECK(write(dead[0], "x", 1) == -1 && errno == EPIPE, "writing to a closed peer: %d", errno);
    char b[4];
    CHECK(read(dead[0], b, 4) == 0, "reading from a closed peer is not EOF");
    CHECK(write(ctl[0], "go", 2) == 2, "control write");
    CHECK(read(st[0], b, 2) == 2 && memcmp(b, "ok", 2) == 0, "no answer from the child");
    int s;
    CHECK(waitpid(c, &s, 0) == c && WIFEXITED(s) && WEXITSTATUS(s) == 0, "child: status %x", s);
    return zdtm_end();
}
