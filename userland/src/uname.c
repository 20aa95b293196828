/* uname [-asnrvm]: print system information (default -s; -a is -snrvm). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
    int want = 0;   /* bits: 1 s, 2 n, 4 r, 8 v, 16 m */
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-' || !argv[i][1]) { fprintf(stderr, "uname: extra operand %s\nusage: uname [-asnrvm]\n", argv[i]); return 1; }
        for (const char *o = argv[i] + 1; *o; o++) {
            const char *k = strchr("snrvm", *o);
            if (*o == 'a') want |= 31;
            else if (k) want |= 1 << (k - "snrvm");
            else { fprintf(stderr, "uname: unknown option -%c\nusage: uname [-asnrvm]\n", *o); return 1; }
        }
    }
    if (!want) want = 1;
    struct utsname u;
    if (uname(&u) < 0) { fprintf(stderr, "uname: %s\n", strerror(errno)); return 1; }
    const char *f[5] = { u.sysname, u.nodename, u.release, u.version, u.machine };
    int first = 1;
    for (int b = 0; b < 5; b++) {
        if (!(want & 1 << b)) continue;
        printf(first ? "%s" : " %s", f[b]);
        first = 0;
    }
    putchar('\n');
    return 0;
}
