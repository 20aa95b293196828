/*
 * The console terminal: canonical input with line editing, echo on and off, raw mode with
 * VMIN/VTIME, end of file, the signal keys, the foreground process group and SIGTTIN for a
 * background reader. Runs on a terminal whose keys come from keys/ttyio.keys, typed in a line
 * (or one control key) at a time whenever the program waits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void say(const char *s) { write(1, s, strlen(s)); }

static void show(const char *what, const char *buf, long n) {
    char out[512];
    int k = snprintf(out, sizeof out, "%s: %ld [", what, n);
    for (long i = 0; i < n && k < 480; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127 && c != '\\') out[k++] = c;
        else k += snprintf(out + k, sizeof out - k, "\\x%02x", c);
    }
    k += snprintf(out + k, sizeof out - k, "]\n");
    write(1, out, k);
}

static void readline_show(const char *what) {
    char buf[256];
    long n = read(0, buf, sizeof buf);
    if (n < 0) { char e[64]; snprintf(e, sizeof e, "%s: error %s\n", what, errno == EINTR ? "EINTR" : errno == EIO ? "EIO" : "other"); say(e); return; }
    show(what, buf, n);
}

static volatile int got_int, got_tstp;
static void on_int(int s) { (void) s; got_int++; }
static void on_tstp(int s) { (void) s; got_tstp++; }

int main(void) {
    struct termios t0, t;
    char msg[128];
    snprintf(msg, sizeof msg, "isatty %d %d %d\n", isatty(0), isatty(1), isatty(2));
    say(msg);
    tcgetattr(0, &t0);
    snprintf(msg, sizeof msg, "ICANON %d ECHO %d ISIG %d ICRNL %d ONLCR %d VINTR %d VEOF %d VERASE %d\n",
             !!(t0.c_lflag & ICANON), !!(t0.c_lflag & ECHO), !!(t0.c_lflag & ISIG), !!(t0.c_iflag & ICRNL),
             !!(t0.c_oflag & ONLCR), t0.c_cc[VINTR], t0.c_cc[VEOF], t0.c_cc[VERASE]);
    say(msg);
    snprintf(msg, sizeof msg, "pgrp is foreground %d, sid is me %d\n", tcgetpgrp(0) == getpgrp(), getsid(0) == getpid());
    say(msg);

    say("name? ");
    readline_show("plain");            /* alice */
    say("edit? ");
    readline_show("erase");            /* abx DEL c */
    readline_show("kill");             /* xyz ^U def */
    readline_show("werase");           /* one two ^W three */
    readline_show("cr");               /* carriage return becomes newline */
    readline_show("eof-partial");      /* ab ^D: no newline */
    readline_show("eof-empty");        /* ^D on an empty line: 0 */
    char small[4];
    long n = read(0, small, 3);        /* a long line read in pieces */
    show("piece1", small, n);
    n = read(0, small, 3);
    show("piece2", small, n);
    readline_show("rest");

    t = t0;
    t.c_lflag &= ~ECHO;
    tcsetattr(0, TCSANOW, &t);
    say("password? ");
    readline_show("noecho");
    say("\n");

    t = t0;
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &t);
    readline_show("raw");              /* q w e newline, all at once */
    t.c_cc[VMIN] = 0;
    tcsetattr(0, TCSANOW, &t);
    readline_show("raw-poll");         /* nothing typed: 0 at once */
    t.c_lflag &= ~ISIG;
    t.c_cc[VMIN] = 1;
    tcsetattr(0, TCSANOW, &t);
    readline_show("raw-noisig");       /* ^C as a byte */
    tcsetattr(0, TCSANOW, &t0);

    /* ^C with a handler and no SA_RESTART: the read fails with EINTR */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_int;
    sigaction(SIGINT, &sa, NULL);
    say("interrupt me: ");
    readline_show("sigint");
    snprintf(msg, sizeof msg, "SIGINT handled %d\n", got_int);
    say(msg);
    sa.sa_handler = on_tstp;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTSTP, &sa, NULL);
    readline_show("after-sigtstp");    /* ^Z handled, the read restarts and gets the next line */
    snprintf(msg, sizeof msg, "SIGTSTP handled %d\n", got_tstp);
    say(msg);
    signal(SIGINT, SIG_DFL);
    signal(SIGTSTP, SIG_DFL);

    /* a child in its own group in the foreground reads a line; then the parent takes the terminal back */
    signal(SIGTTOU, SIG_IGN);
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        tcsetpgrp(0, getpid());
        say("child? ");
        readline_show("child");
        _exit(0);
    }
    setpgid(c, c);
    int st;
    waitpid(c, &st, 0);
    tcsetpgrp(0, getpgrp());
    snprintf(msg, sizeof msg, "back in the foreground %d\n", tcgetpgrp(0) == getpgrp());
    say(msg);

    /* a background reader is stopped by SIGTTIN */
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        char b[8];
        read(0, b, sizeof b);
        say("background read returned\n");
        _exit(5);
    }
    setpgid(c, c);
    waitpid(c, &st, WUNTRACED);
    snprintf(msg, sizeof msg, "background reader stopped %d by SIGTTIN %d\n", WIFSTOPPED(st), WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
    say(msg);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);

    /* ^C with the default action ends a foreground child */
    signal(SIGINT, SIG_IGN); /* the parent is in the same group: it ignores the key */
    c = fork();
    if (c == 0) {
        signal(SIGINT, SIG_DFL);
        char b[8];
        read(0, b, sizeof b);
        _exit(9);
    }
    waitpid(c, &st, 0);
    snprintf(msg, sizeof msg, "child killed by SIGINT %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
    say(msg);
    readline_show("last");
    return 0;
}
