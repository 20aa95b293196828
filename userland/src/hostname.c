/* hostname [NAME]: print the host name (uname's nodename), or set it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 2) { fprintf(stderr, "usage: hostname [NAME]\n"); return 1; }
    if (argc == 2) {
        if (sethostname(argv[1], strlen(argv[1])) < 0) { fprintf(stderr, "hostname: %s\n", strerror(errno)); return 1; }
        return 0;
    }
    struct utsname u;
    if (uname(&u) < 0) { fprintf(stderr, "hostname: %s\n", strerror(errno)); return 1; }
    puts(u.nodename);
    return 0;
}
