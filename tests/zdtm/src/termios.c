/* The terminal's state across a restart. Under j386 the terminal is the console (run --tty,
 * the harness types "typed ahead\n" while the guest is idle); natively it is a new
 * pseudo-terminal whose master does the typing. Before READY: echo and output processing
 * off (so the console's "\n" stays "\n"), ^A as the interrupt character, VMIN 3 (unused in
 * canonical mode, kept), a 33x111 window, and the typed line left unread. After SIGUSR1 all
 * of that is the same, the foreground group and session are the same as before, and the
 * typed line is read whole. */
#include "zdtm.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>

int main(void) {
    zdtm_init();
    int term = 0, master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master >= 0) {
        grantpt(master);
        unlockpt(master);
        term = open(ptsname(master), O_RDWR | O_NOCTTY);
    }
    if (!isatty(term)) {
        zdtm_say("FAIL: no terminal (run under --tty)\n");
        return 1;
    }
    signal(SIGTTOU, SIG_IGN);
    struct termios t;
    CHECK(tcgetattr(term, &t) == 0, "tcgetattr");
    t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
    t.c_oflag &= ~OPOST;
    t.c_cc[VINTR] = 1;
    t.c_cc[VMIN] = 3;
    CHECK(tcsetattr(term, TCSANOW, &t) == 0, "tcsetattr: %d", errno);
    struct winsize ws = {.ws_row = 33, .ws_col = 111};
    CHECK(ioctl(term, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ");
    pid_t pgrp = tcgetpgrp(term), sid = tcgetsid(term);
    if (master >= 0) CHECK(write(master, "typed ahead\n", 12) == 12, "typing");
    struct pollfd p = {.fd = term, .events = POLLIN};
    CHECK(poll(&p, 1, 10000) == 1, "nothing typed");
    int n = -1;
    CHECK(ioctl(term, FIONREAD, &n) == 0 && n == 12, "FIONREAD %d before", n);
    zdtm_ready_and_wait();

    struct termios u;
    CHECK(tcgetattr(term, &u) == 0, "tcgetattr after");
    CHECK(u.c_lflag == t.c_lflag && u.c_oflag == t.c_oflag && u.c_iflag == t.c_iflag && u.c_cflag == t.c_cflag,
          "flags %x %x %x %x, want %x %x %x %x", u.c_iflag, u.c_oflag, u.c_cflag, u.c_lflag, t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
    CHECK(u.c_cc[VINTR] == 1 && u.c_cc[VMIN] == 3 && u.c_cc[VEOF] == t.c_cc[VEOF], "control characters changed");
    struct winsize w2;
    CHECK(ioctl(term, TIOCGWINSZ, &w2) == 0 && w2.ws_row == 33 && w2.ws_col == 111, "window %dx%d", w2.ws_row, w2.ws_col);
    CHECK(tcgetpgrp(term) == pgrp && tcgetsid(term) == sid, "foreground %d session %d, want %d %d", tcgetpgrp(term), tcgetsid(term), pgrp, sid);
    char b[64];
    CHECK(ioctl(term, FIONREAD, &n) == 0 && n == 12, "FIONREAD %d after", n);
    CHECK(read(term, b, sizeof b) == 12 && memcmp(b, "typed ahead\n", 12) == 0, "the typed line is lost");
    return zdtm_end();
}
