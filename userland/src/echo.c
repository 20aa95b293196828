/*
 * echo [-n] [-e] [ARG...]: print the arguments separated by spaces.
 * -n: no trailing newline; -e: interpret \n \t \\ \a \b \r \v \0NNN and \c (stop output).
 */
#include <stdio.h>
#include <string.h>

static int put_escaped(const char *s)
{
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) { putchar(*s); continue; }
        switch (*++s) {
        case 'n': putchar('\n'); break;
        case 't': putchar('\t'); break;
        case 'r': putchar('\r'); break;
        case 'a': putchar('\a'); break;
        case 'b': putchar('\b'); break;
        case 'v': putchar('\v'); break;
        case 'f': putchar('\f'); break;
        case '\\': putchar('\\'); break;
        case 'c': return 1;
        case '0': {
            int v = 0, k = 0;
            while (k < 3 && s[1] >= '0' && s[1] <= '7') { v = v * 8 + (*++s - '0'); k++; }
            putchar(v);
            break;
        }
        default: putchar('\\'); putchar(*s);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    int newline = 1, esc = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *o = argv[i] + 1;
        if (strspn(o, "ne") != strlen(o)) break;
        if (strchr(o, 'n')) newline = 0;
        if (strchr(o, 'e')) esc = 1;
    }
    for (int first = 1; i < argc; i++, first = 0) {
        if (!first) putchar(' ');
        if (esc) { if (put_escaped(argv[i])) return fflush(stdout) ? 1 : 0; }
        else fputs(argv[i], stdout);
    }
    if (newline) putchar('\n');
    return fflush(stdout) ? 1 : 0;
}
