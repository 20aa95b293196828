/*
 * sh: the j386 userland's small POSIX-ish shell.
 *
 *   sh                 read commands from stdin (a prompt only when stdin is a tty)
 *   sh FILE [ARGS]     run a script ($0 = FILE, $1... = ARGS)
 *   sh -c STRING [NAME [ARGS]]
 *
 * Grammar: lists joined by ; & newline, and-or lists with && ||, pipelines a | b | c with an
 * optional leading !, simple commands with NAME=VALUE prefixes and redirections
 * (N< N> N>> N>&M N<&M, M may be -). Words: single and double quotes, backslash, $VAR ${VAR}
 * $? $$ $! $# $0..$9 $@ $*, comments. Unquoted expansions are split on blanks; there is no
 * globbing, no command substitution and no compound commands (if/while/for/case, ( )).
 * Builtins: cd exit export unset wait exec ':', and jobs fg bg when interactive.
 *
 * Job control, only when stdin is a terminal: the shell ignores SIGINT SIGQUIT SIGTERM SIGTSTP
 * SIGTTIN SIGTTOU, leads its own process group and owns the terminal; every pipeline (or
 * background and-or list) is a job in its own process group; a foreground job gets the
 * terminal and the shell waits for it to end or stop (^Z), then takes the terminal back with
 * its own settings. Stopped and finished background jobs are reported before the next prompt.
 *
 * Standard input is read one byte at a time, so that commands the shell starts can read the
 * rest of it (echo 'cat; echo x' | sh  hands the remaining lines to cat, as sh does).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

/* ---- memory: everything parsed for one command line comes from an arena ---- */

struct chunk { struct chunk *next; };
static struct chunk *arena;

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) { write(2, "sh: out of memory\n", 18); _exit(2); }
    return p;
}

static void *aalloc(size_t n)
{
    struct chunk *c = xmalloc(sizeof *c + n);
    c->next = arena;
    arena = c;
    return c + 1;
}

static void arena_reset(void);

static void arena_free(void)
{
    while (arena) { struct chunk *n = arena->next; free(arena); arena = n; }
}

/* growable string */
struct str { char *s; size_t len, cap; };

static void sput(struct str *b, char c)
{
    if (b->len + 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *n = xmalloc(cap);
        if (b->s) { memcpy(n, b->s, b->len); free(b->s); }
        b->s = n;
        b->cap = cap;
    }
    b->s[b->len++] = c;
    b->s[b->len] = 0;
}

static void sputs(struct str *b, const char *s) { while (*s) sput(b, *s++); }

static char *sdup_arena(const char *s, size_t n)
{
    char *p = aalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* ---- variables ---- */

struct var { struct var *next; char *name, *value; int exported; };
static struct var *vars;
static int last_status;
static pid_t last_bg = -1;
static pid_t shell_pid;          /* $$: the shell's, also in the subshells it forks */
static int interactive;
static char *arg0 = "sh";
static char **posargs;
static int nposargs;

static struct var *vfind(const char *name, size_t n)
{
    for (struct var *v = vars; v; v = v->next)
        if (strlen(v->name) == n && memcmp(v->name, name, n) == 0) return v;
    return NULL;
}

static void vset(const char *name, size_t n, const char *value, int export)
{
    struct var *v = vfind(name, n);
    if (!v) {
        v = xmalloc(sizeof *v);
        v->name = xmalloc(n + 1);
        memcpy(v->name, name, n);
        v->name[n] = 0;
        v->value = NULL;
        v->exported = 0;
        /* append, so that the environment keeps its order */
        struct var **p = &vars;
        while (*p) p = &(*p)->next;
        v->next = NULL;
        *p = v;
    }
    if (value) {
        char *nv = strdup(value);
        if (!nv) { write(2, "sh: out of memory\n", 18); _exit(2); }
        free(v->value);
        v->value = nv;
    }
    if (export) v->exported = 1;
}

static void vunset(const char *name)
{
    for (struct var **p = &vars; *p; p = &(*p)->next)
        if (strcmp((*p)->name, name) == 0) {
            struct var *v = *p;
            *p = v->next;
            free(v->name);
            free(v->value);
            free(v);
            return;
        }
}

static const char *vget(const char *name)
{
    struct var *v = vfind(name, strlen(name));
    return v ? v->value : NULL;
}

static int valid_name(const char *s, size_t n)
{
    if (n == 0 || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return 0;
    for (size_t i = 1; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

/* the environment of a new program: exported variables plus the command's own assignments */
static char **build_env(char **assigns, int nassigns)
{
    int n = nassigns;
    for (struct var *v = vars; v; v = v->next) n++;
    char **env = aalloc((n + 1) * sizeof *env);
    int k = 0;
    for (struct var *v = vars; v; v = v->next) {
        if (!v->exported || !v->value) continue;
        int overridden = 0;
        for (int i = 0; i < nassigns; i++) {
            size_t nl = strchr(assigns[i], '=') - assigns[i];
            if (nl == strlen(v->name) && memcmp(assigns[i], v->name, nl) == 0) overridden = 1;
        }
        if (overridden) continue;
        size_t ln = strlen(v->name), lv = strlen(v->value);
        char *e = aalloc(ln + lv + 2);
        memcpy(e, v->name, ln);
        e[ln] = '=';
        memcpy(e + ln + 1, v->value, lv + 1);
        env[k++] = e;
    }
    for (int i = 0; i < nassigns; i++) env[k++] = assigns[i];
    env[k] = NULL;
    return env;
}

/* ---- input ---- */

static int in_fd = 0;          /* -1: reading from in_str */
static const char *in_str;
static char in_buf[4096];
static int in_len, in_pos, in_buffered;

/* next input byte, or -1 at end of input */
static int in_getc(void)
{
    if (in_fd < 0) return *in_str ? (unsigned char)*in_str++ : -1;
    if (!in_buffered) {
        unsigned char c;
        for (;;) {
            ssize_t r = read(in_fd, &c, 1);
            if (r == 1) return c;
            if (r < 0 && errno == EINTR) continue;
            return -1;
        }
    }
    if (in_pos == in_len) {
        ssize_t r;
        do r = read(in_fd, in_buf, sizeof in_buf); while (r < 0 && errno == EINTR);
        if (r <= 0) return -1;
        in_len = (int)r;
        in_pos = 0;
    }
    return (unsigned char)in_buf[in_pos++];
}

/* reads one line (without its newline) into b; returns 0 at end of input with nothing read */
static int read_line(struct str *b)
{
    int c, any = 0;
    while ((c = in_getc()) >= 0) {
        any = 1;
        if (c == '\n') return 1;
        sput(b, (char)c);
    }
    return any;
}

/* ---- tokens ---- */

enum { T_WORD, T_SEMI, T_AMP, T_PIPE, T_AND, T_OR, T_NL, T_REDIR, T_BANG, T_END };

struct token {
    int type;
    char *text;       /* T_WORD: raw text with its quotes; T_REDIR: the operator */
    int fd;           /* T_REDIR: the io number, or -1 */
};

struct tokens { struct token *t; int n, cap; };

static void tpush(struct tokens *ts, int type, char *text, int fd)
{
    if (ts->n == ts->cap) {
        int cap = ts->cap ? ts->cap * 2 : 32;
        struct token *n = aalloc(cap * sizeof *n);
        if (ts->n) memcpy(n, ts->t, ts->n * sizeof *n);
        ts->t = n;
        ts->cap = cap;
    }
    ts->t[ts->n].type = type;
    ts->t[ts->n].text = text;
    ts->t[ts->n].fd = fd;
    ts->n++;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_meta(char c) { return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '\n' || is_blank(c); }

/*
 * Splits src into tokens. Returns 0 when done, 1 when the input is incomplete (an open quote,
 * a trailing backslash, or a line ending in | && ||) and another line is needed, -1 with a
 * message on a syntax error.
 */
static int tokenize(const char *s, struct tokens *ts)
{
    ts->n = 0;
    size_t i = 0, n = strlen(s);
    while (i < n) {
        char c = s[i];
        if (is_blank(c)) { i++; continue; }
        if (c == '\\' && s[i + 1] == '\n') { i += 2; continue; }
        if (c == '#') { while (i < n && s[i] != '\n') i++; continue; }
        if (c == '\n') { tpush(ts, T_NL, NULL, -1); i++; continue; }
        if (c == ';') { tpush(ts, T_SEMI, NULL, -1); i++; continue; }
        if (c == '&') {
            if (s[i + 1] == '&') { tpush(ts, T_AND, NULL, -1); i += 2; }
            else { tpush(ts, T_AMP, NULL, -1); i++; }
            continue;
        }
        if (c == '|') {
            if (s[i + 1] == '|') { tpush(ts, T_OR, NULL, -1); i += 2; }
            else { tpush(ts, T_PIPE, NULL, -1); i++; }
            continue;
        }
        if (c == '<' || c == '>') {
            const char *op;
            if (c == '>' && s[i + 1] == '>') op = ">>";
            else if (s[i + 1] == '&') op = c == '>' ? ">&" : "<&";
            else op = c == '>' ? ">" : "<";
            tpush(ts, T_REDIR, (char *)op, -1);
            i += strlen(op);
            continue;
        }
        /* a word */
        size_t start = i;
        while (i < n && !is_meta(s[i])) {
            if (s[i] == '\\') {
                if (i + 1 >= n) return 1;
                i += 2;
            } else if (s[i] == '\'') {
                const char *e = strchr(s + i + 1, '\'');
                if (!e) return 1;
                i = e - s + 1;
            } else if (s[i] == '"') {
                i++;
                while (i < n && s[i] != '"') i += s[i] == '\\' && i + 1 < n ? 2 : 1;
                if (i >= n) return 1;
                i++;
            } else if (s[i] == '$' && s[i + 1] == '{') {
                const char *e = strchr(s + i, '}');
                if (!e) { fprintf(stderr, "sh: missing }\n"); return -1; }
                i = e - s + 1;
            } else {
                i++;
            }
        }
        size_t len = i - start;
        int all_digits = len > 0;
        for (size_t k = start; k < i; k++) if (s[k] < '0' || s[k] > '9') all_digits = 0;
        if (all_digits && len < 3 && (s[i] == '<' || s[i] == '>')) {
            const char *op;
            char d = s[i];
            if (d == '>' && s[i + 1] == '>') op = ">>";
            else if (s[i + 1] == '&') op = d == '>' ? ">&" : "<&";
            else op = d == '>' ? ">" : "<";
            tpush(ts, T_REDIR, (char *)op, atoi(sdup_arena(s + start, len)));
            i += strlen(op);
            continue;
        }
        int at_start = ts->n == 0 || (ts->t[ts->n - 1].type != T_WORD && ts->t[ts->n - 1].type != T_REDIR);
        if (len == 1 && s[start] == '!' && at_start) { tpush(ts, T_BANG, NULL, -1); continue; }
        tpush(ts, T_WORD, sdup_arena(s + start, len), -1);
    }
    /* a line that ends inside a pipeline or an and-or list continues on the next one */
    int k = ts->n - 1;
    while (k >= 0 && ts->t[k].type == T_NL) k--;
    if (k >= 0 && (ts->t[k].type == T_PIPE || ts->t[k].type == T_AND || ts->t[k].type == T_OR)) return 1;
    tpush(ts, T_END, NULL, -1);
    return 0;
}

/* ---- syntax tree ---- */

struct redir { struct redir *next; int fd; const char *op; char *word; };
struct cmd { struct cmd *next; char **words; int nwords; struct redir *redirs; };
struct pipeline { struct pipeline *next; int op; int bang; struct cmd *cmds; };  /* op: how it joins the previous: 0, T_AND, T_OR */
struct andor { struct andor *next; struct pipeline *pipes; int background; };

static struct tokens toks;
static int tpos;

/* frees everything parsed for the last command line */
static void arena_reset(void)
{
    arena_free();
    toks.t = NULL;
    toks.n = toks.cap = 0;
}

static int syntax_error(void)
{
    struct token *t = &toks.t[tpos];
    const char *what = "newline";
    switch (t->type) {
    case T_SEMI: what = ";"; break;
    case T_AMP: what = "&"; break;
    case T_PIPE: what = "|"; break;
    case T_AND: what = "&&"; break;
    case T_OR: what = "||"; break;
    case T_REDIR: what = t->text; break;
    case T_BANG: what = "!"; break;
    case T_END: what = "end of input"; break;
    }
    fprintf(stderr, "sh: syntax error near %s\n", what);
    return -1;
}

static struct cmd *parse_cmd(void)
{
    struct cmd *c = aalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    int cap = 8;
    c->words = aalloc(cap * sizeof *c->words);
    struct redir **rtail = &c->redirs;
    for (;;) {
        struct token *t = &toks.t[tpos];
        if (t->type == T_WORD) {
            if (c->nwords + 1 == cap) {
                char **n = aalloc(cap * 2 * sizeof *n);
                memcpy(n, c->words, cap * sizeof *n);
                c->words = n;
                cap *= 2;
            }
            c->words[c->nwords++] = t->text;
            tpos++;
        } else if (t->type == T_REDIR) {
            if (toks.t[tpos + 1].type != T_WORD) { tpos++; syntax_error(); return NULL; }
            struct redir *r = aalloc(sizeof *r);
            r->next = NULL;
            r->op = t->text;
            r->fd = t->fd >= 0 ? t->fd : (t->text[0] == '<' ? 0 : 1);
            r->word = toks.t[tpos + 1].text;
            *rtail = r;
            rtail = &r->next;
            tpos += 2;
        } else {
            break;
        }
    }
    c->words[c->nwords] = NULL;
    if (c->nwords == 0 && !c->redirs) { syntax_error(); return NULL; }
    return c;
}

static struct pipeline *parse_pipeline(int op)
{
    struct pipeline *p = aalloc(sizeof *p);
    p->next = NULL;
    p->op = op;
    p->bang = 0;
    if (toks.t[tpos].type == T_BANG) { p->bang = 1; tpos++; }
    struct cmd **tail = &p->cmds;
    for (;;) {
        struct cmd *c = parse_cmd();
        if (!c) return NULL;
        *tail = c;
        tail = &c->next;
        if (toks.t[tpos].type != T_PIPE) break;
        tpos++;
        while (toks.t[tpos].type == T_NL) tpos++;
    }
    return p;
}

/* parses the whole token list; NULL with a message on a syntax error; *empty when nothing */
static struct andor *parse_list(int *err)
{
    struct andor *head = NULL, **tail = &head;
    *err = 0;
    for (;;) {
        while (toks.t[tpos].type == T_NL) tpos++;
        if (toks.t[tpos].type == T_SEMI) { syntax_error(); *err = 1; return NULL; }
        if (toks.t[tpos].type == T_END) break;
        struct andor *a = aalloc(sizeof *a);
        a->next = NULL;
        a->background = 0;
        struct pipeline **ptail = &a->pipes;
        int op = 0;
        for (;;) {
            struct pipeline *p = parse_pipeline(op);
            if (!p) { *err = 1; return NULL; }
            *ptail = p;
            ptail = &p->next;
            int t = toks.t[tpos].type;
            if (t != T_AND && t != T_OR) break;
            op = t;
            tpos++;
            while (toks.t[tpos].type == T_NL) tpos++;
        }
        int t = toks.t[tpos].type;
        if (t == T_AMP) { a->background = 1; tpos++; }
        else if (t == T_SEMI || t == T_NL) tpos++;
        else if (t != T_END) { syntax_error(); *err = 1; return NULL; }
        *tail = a;
        tail = &a->next;
    }
    return head;
}

/* ---- expansion ---- */

struct fields { char **v; int n, cap; };

static void fpush(struct fields *f, const char *s)
{
    if (f->n + 1 >= f->cap) {
        int cap = f->cap ? f->cap * 2 : 16;
        char **n = aalloc(cap * sizeof *n);
        if (f->n) memcpy(n, f->v, f->n * sizeof *n);
        f->v = n;
        f->cap = cap;
    }
    f->v[f->n++] = sdup_arena(s, strlen(s));
    f->v[f->n] = NULL;
}

/* the value of a parameter named by s[0..n) ("?" "$" "1" "HOME" ...), or NULL */
static const char *param(const char *s, size_t n, char *tmp)
{
    if (n == 1) {
        switch (s[0]) {
        case '?': sprintf(tmp, "%d", last_status); return tmp;
        case '$': sprintf(tmp, "%d", (int)shell_pid); return tmp;
        case '!': if (last_bg < 0) return ""; sprintf(tmp, "%d", (int)last_bg); return tmp;
        case '#': sprintf(tmp, "%d", nposargs); return tmp;
        case '0': return arg0;
        }
        if (s[0] >= '1' && s[0] <= '9') return s[0] - '0' <= nposargs ? posargs[s[0] - '1'] : NULL;
        if (s[0] == '@' || s[0] == '*') {
            static struct str all;
            all.len = 0;
            if (all.s) all.s[0] = 0;
            for (int i = 0; i < nposargs; i++) { if (i) sput(&all, ' '); sputs(&all, posargs[i]); }
            return all.s ? all.s : "";
        }
    }
    struct var *v = vfind(s, n);
    return v ? v->value : NULL;
}

/* length of the parameter reference after a '$' at s, 0 if s does not start one */
static size_t param_len(const char *s, const char **name, size_t *nlen)
{
    if (s[0] == '{') {
        const char *e = strchr(s, '}');
        *name = s + 1;
        *nlen = e - s - 1;
        return e - s + 1;
    }
    if (strchr("?$!#@*0123456789", s[0]) && s[0]) { *name = s; *nlen = 1; return 1; }
    size_t k = 0;
    while (s[k] == '_' || (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') || (k && s[k] >= '0' && s[k] <= '9')) k++;
    *name = s;
    *nlen = k;
    return k;
}

/*
 * Expands one raw word into fields: quotes removed, parameters substituted, unquoted
 * substitutions split on blanks and newlines. With split == 0 the result is one field
 * (assignments and redirection targets).
 */
static void expand(const char *w, struct fields *out, int split)
{
    struct str cur = {0};
    int have = 0, dq = 0;
    char tmp[16];
    for (size_t i = 0; w[i];) {
        char c = w[i];
        if (c == '\'' && !dq) {
            const char *e = strchr(w + i + 1, '\'');
            for (const char *p = w + i + 1; p < e; p++) sput(&cur, *p);
            have = 1;
            i = e - w + 1;
        } else if (c == '"') {
            dq = !dq;
            have = 1;
            i++;
        } else if (c == '\\') {
            char d = w[i + 1];
            if (dq && !(d == '$' || d == '`' || d == '"' || d == '\\' || d == '\n')) {
                sput(&cur, '\\');
                i++;
            } else if (d == '\n') {
                i += 2;
            } else {
                sput(&cur, d);
                have = 1;
                i += 2;
            }
        } else if (c == '$') {
            const char *name;
            size_t nlen;
            size_t len = param_len(w + i + 1, &name, &nlen);
            if (len == 0) { sput(&cur, '$'); have = 1; i++; continue; }
            i += 1 + len;
            const char *v = param(name, nlen, tmp);
            if (!v) v = "";
            if (dq || !split) {
                sputs(&cur, v);
                have = 1;
            } else {
                for (; *v; v++) {
                    if (*v == ' ' || *v == '\t' || *v == '\n') {
                        if (have) { fpush(out, cur.s ? cur.s : ""); cur.len = 0; if (cur.s) cur.s[0] = 0; have = 0; }
                    } else {
                        sput(&cur, *v);
                        have = 1;
                    }
                }
            }
        } else {
            sput(&cur, c);
            have = 1;
            i++;
        }
    }
    if (have || !split) fpush(out, cur.s ? cur.s : "");
    free(cur.s);
}

static char *expand1(const char *w)
{
    struct fields f = {0};
    expand(w, &f, 0);
    return f.v[0];
}

/* ---- redirections ---- */

/* applies a command's redirections; with save != NULL, first remembers what fds 0-9 were */
struct saved { int fd, copy; };

static int apply_redirs(struct redir *r, struct saved *save, int *nsave)
{
    for (; r; r = r->next) {
        char *target = expand1(r->word);
        if (save && r->fd < 10) {
            int have = 0;
            for (int k = 0; k < *nsave; k++) if (save[k].fd == r->fd) have = 1;
            if (!have) {
                save[*nsave].fd = r->fd;
                save[*nsave].copy = fcntl(r->fd, F_DUPFD_CLOEXEC, 10);
                (*nsave)++;
            }
        }
        int fd;
        if (r->op[1] == '&') {
            if (strcmp(target, "-") == 0) { close(r->fd); continue; }
            char *end;
            long src = strtol(target, &end, 10);
            if (*target == 0 || *end || src < 0) { fprintf(stderr, "sh: %s: bad file descriptor\n", target); return -1; }
            if (src == r->fd) continue;
            if (dup2((int)src, r->fd) < 0) { fprintf(stderr, "sh: %ld: %s\n", src, strerror(errno)); return -1; }
            continue;
        }
        int flags = r->op[0] == '<' ? O_RDONLY : O_WRONLY | O_CREAT | (r->op[1] == '>' ? O_APPEND : O_TRUNC);
        fd = open(target, flags, 0666);
        if (fd < 0) { fprintf(stderr, "sh: %s: %s\n", target, strerror(errno)); return -1; }
        if (fd != r->fd) {
            if (dup2(fd, r->fd) < 0) { fprintf(stderr, "sh: %d: %s\n", r->fd, strerror(errno)); close(fd); return -1; }
            close(fd);
        }
    }
    return 0;
}

static void restore_redirs(struct saved *save, int nsave)
{
    for (int k = nsave - 1; k >= 0; k--) {
        if (save[k].copy >= 0) { dup2(save[k].copy, save[k].fd); close(save[k].copy); }
        else close(save[k].fd);
    }
}

/* ---- running ---- */

static int status_of(int st)
{
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return 1;
}

/* pids of background jobs not waited for yet */
static pid_t *jobs;
static int njobs, capjobs;

static void add_job(pid_t pid)
{
    if (njobs == capjobs) {
        capjobs = capjobs ? capjobs * 2 : 8;
        pid_t *n = xmalloc(capjobs * sizeof *n);
        if (njobs) memcpy(n, jobs, njobs * sizeof *n);
        free(jobs);
        jobs = n;
    }
    jobs[njobs++] = pid;
}

static void drop_job(pid_t pid)
{
    for (int i = 0; i < njobs; i++)
        if (jobs[i] == pid) { jobs[i] = jobs[--njobs]; return; }
}

/* waits for one child, retrying on EINTR; returns the shell status */
static int wait_for(pid_t pid)
{
    int st;
    for (;;) {
        pid_t r = waitpid(pid, &st, 0);
        if (r == pid) return status_of(st);
        if (r < 0 && errno != EINTR) return 127;
    }
}

static void exit_shell(int status)
{
    fflush(stdout);
    exit(status);
}

/* in a child: what the shell ignored goes back to the default */
static int in_job;
static void child_signals(int background)
{
    if (in_job) {
        /* a job of an interactive shell: every signal the shell ignored goes back to default */
        signal(SIGTTIN, SIG_DFL);
        signal(SIGTTOU, SIG_DFL);
        background = 0;
    }
    signal(SIGINT, background && !interactive ? SIG_IGN : SIG_DFL);
    signal(SIGQUIT, background && !interactive ? SIG_IGN : SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGTSTP, SIG_DFL);
}

static void exec_program(char **argv, char **env)
{
    const char *name = argv[0];
    if (strchr(name, '/')) {
        execve(name, argv, env);
        int e = errno;
        fprintf(stderr, "sh: %s: %s\n", name, strerror(e));
        _exit(e == ENOENT ? 127 : 126);
    }
    const char *path = NULL;
    for (char **e = env; *e; e++) if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
    if (!path) path = "/bin:/usr/bin";
    int saw_eacces = 0;
    size_t nl = strlen(name);
    for (const char *p = path;; ) {
        const char *colon = strchr(p, ':');
        size_t dl = colon ? (size_t)(colon - p) : strlen(p);
        char *full = aalloc(dl + nl + 2);
        if (dl == 0) { strcpy(full, name); }
        else { memcpy(full, p, dl); full[dl] = '/'; memcpy(full + dl + 1, name, nl + 1); }
        execve(full, argv, env);
        if (errno == EACCES) saw_eacces = 1;
        if (!colon) break;
        p = colon + 1;
    }
    if (saw_eacces) { fprintf(stderr, "sh: %s: Permission denied\n", name); _exit(126); }
    fprintf(stderr, "sh: %s: not found\n", name);
    _exit(127);
}

/* ---- job control (an interactive shell on its controlling terminal) ---- */

static int job_control;             /* this shell manages process groups and the terminal */
static pid_t shell_pgid;
static struct termios shell_tmodes;

enum { J_RUNNING, J_STOPPED, J_DONE };

struct job {
    int id;
    pid_t pgid;
    int nprocs;
    pid_t *pids;
    int *wstatus;                   /* the last wait status of each process */
    unsigned char *state;           /* J_* of each process */
    char *text;                     /* the command as typed (re-built from the parse) */
    int reported;                   /* the current state was shown to the user */
    unsigned long seq;              /* when it last stopped or went to the background */
    int has_tmodes;
    struct termios tmodes;          /* the terminal settings it stopped with */
};

static struct job **jobtab;
static int njobtab;
static unsigned long job_seq;

static void text_words(struct str *b, struct cmd *c)
{
    for (int i = 0; i < c->nwords; i++) {
        if (b->len && b->s[b->len - 1] != ' ') sput(b, ' ');
        sputs(b, c->words[i]);
    }
    for (struct redir *r = c->redirs; r; r = r->next) {
        if (b->len && b->s[b->len - 1] != ' ') sput(b, ' ');
        if (r->fd != (r->op[0] == '<' ? 0 : 1)) { char d[16]; snprintf(d, sizeof d, "%d", r->fd); sputs(b, d); }
        sputs(b, r->op);
        if (r->op[1] != '&') sput(b, ' ');
        sputs(b, r->word);
    }
}

static void text_pipeline(struct str *b, struct pipeline *p)
{
    if (p->bang) sputs(b, "! ");
    for (struct cmd *c = p->cmds; c; c = c->next) {
        text_words(b, c);
        if (c->next) sputs(b, " | ");
    }
}

static void text_andor(struct str *b, struct andor *a)
{
    for (struct pipeline *p = a->pipes; p; p = p->next) {
        if (p->op == T_AND) sputs(b, " && ");
        else if (p->op == T_OR) sputs(b, " || ");
        text_pipeline(b, p);
    }
}

static struct job *job_new(char *text, int nprocs)
{
    struct job *j = xmalloc(sizeof *j);
    memset(j, 0, sizeof *j);
    int id = 1;
    for (int i = 0; i < njobtab; i++) if (jobtab[i]->id >= id) id = jobtab[i]->id + 1;
    j->id = id;
    j->pids = xmalloc(nprocs * sizeof *j->pids);
    j->wstatus = xmalloc(nprocs * sizeof *j->wstatus);
    j->state = xmalloc(nprocs);
    j->text = text;
    j->seq = ++job_seq;
    jobtab = realloc(jobtab, (njobtab + 1) * sizeof *jobtab);
    if (!jobtab) { write(2, "sh: out of memory\n", 18); _exit(2); }
    jobtab[njobtab++] = j;
    return j;
}

static void job_add_proc(struct job *j, pid_t pid)
{
    if (!j->pgid) j->pgid = pid;
    j->pids[j->nprocs] = pid;
    j->wstatus[j->nprocs] = 0;
    j->state[j->nprocs] = J_RUNNING;
    j->nprocs++;
}

static void job_free(struct job *j)
{
    for (int i = 0; i < njobtab; i++)
        if (jobtab[i] == j) { memmove(jobtab + i, jobtab + i + 1, (njobtab - i - 1) * sizeof *jobtab); njobtab--; break; }
    free(j->pids);
    free(j->wstatus);
    free(j->state);
    free(j->text);
    free(j);
}

static int job_state(struct job *j)
{
    int stopped = 0;
    for (int i = 0; i < j->nprocs; i++) {
        if (j->state[i] == J_RUNNING) return J_RUNNING;
        if (j->state[i] == J_STOPPED) stopped = 1;
    }
    return stopped ? J_STOPPED : J_DONE;
}

/* records a wait status of pid; returns 0 when pid is in no job */
static int job_update(pid_t pid, int st)
{
    for (int i = 0; i < njobtab; i++) {
        struct job *j = jobtab[i];
        for (int k = 0; k < j->nprocs; k++) {
            if (j->pids[k] != pid) continue;
            int before = job_state(j);
            if (WIFSTOPPED(st)) { j->state[k] = J_STOPPED; j->wstatus[k] = st; }
            else if (WIFCONTINUED(st)) j->state[k] = J_RUNNING;
            else { j->state[k] = J_DONE; j->wstatus[k] = st; }
            if (job_state(j) != before) {
                j->reported = 0;
                if (job_state(j) == J_STOPPED) j->seq = ++job_seq;
            }
            return 1;
        }
    }
    return 0;
}

/* collects the state changes of every job without blocking */
static void job_poll(void)
{
    int st;
    pid_t p;
    while (njobtab && (p = waitpid(-1, &st, WNOHANG | WUNTRACED | WCONTINUED)) > 0) job_update(p, st);
}

/* the current job (+): the most recently stopped one, else the most recently backgrounded;
   the previous job (-) is the next one in the same order */
static int job_above(struct job *a, struct job *b)
{
    int sa = job_state(a) == J_STOPPED, sb = job_state(b) == J_STOPPED;
    return sa != sb ? sa > sb : a->seq > b->seq;
}

static struct job *job_rank(int which)
{
    struct job *first = NULL, *second = NULL;
    for (int i = 0; i < njobtab; i++) {
        struct job *j = jobtab[i];
        if (!first || job_above(j, first)) { second = first; first = j; }
        else if (!second || job_above(j, second)) second = j;
    }
    return which ? second : first;
}

static char job_mark(struct job *j)
{
    return j == job_rank(0) ? '+' : j == job_rank(1) ? '-' : ' ';
}

static void job_print(FILE *f, struct job *j)
{
    char what[32];
    int s = job_state(j);
    if (s == J_RUNNING) strcpy(what, "Running");
    else if (s == J_STOPPED) strcpy(what, "Stopped");
    else {
        int st = j->wstatus[j->nprocs - 1];
        if (WIFSIGNALED(st)) snprintf(what, sizeof what, "Killed by signal %d", WTERMSIG(st));
        else if (WEXITSTATUS(st)) snprintf(what, sizeof what, "Exit %d", WEXITSTATUS(st));
        else strcpy(what, "Done");
    }
    fprintf(f, "[%d]%c  %-24s%s%s\n", j->id, job_mark(j), what, j->text, s == J_RUNNING ? " &" : "");
    j->reported = 1;
}

/* before a prompt: tells which background jobs stopped or ended, and forgets the ended ones */
static void job_notify(void)
{
    job_poll();
    for (int i = 0; i < njobtab; ) {
        struct job *j = jobtab[i];
        int s = job_state(j);
        if (!j->reported && s != J_RUNNING) job_print(stderr, j);
        if (s == J_DONE) { job_free(j); continue; }
        i++;
    }
    fflush(stderr);
}

/* in a child just forked for job j (pgid 0: it leads a new group) */
static void job_child(pid_t pgid, int foreground)
{
    pid_t me = getpid();
    if (!pgid) pgid = me;
    setpgid(me, pgid);
    if (foreground) tcsetpgrp(0, pgid);
    job_control = 0;
    in_job = 1;
}

/* in the shell after forking a process of job j: the same setpgid, so that neither races */
static void job_parent(struct job *j, pid_t pid)
{
    job_add_proc(j, pid);
    setpgid(pid, j->pgid);
}

/* waits while foreground job j runs, takes the terminal back; returns the shell status */
static int job_wait_fg(struct job *j)
{
    while (job_state(j) == J_RUNNING) {
        int st;
        pid_t p = waitpid(-j->pgid, &st, WUNTRACED);
        if (p > 0) { job_update(p, st); continue; }
        if (errno == EINTR) continue;
        for (int k = 0; k < j->nprocs; k++) if (j->state[k] == J_RUNNING) j->state[k] = J_DONE;
    }
    tcsetpgrp(0, shell_pgid);
    int status;
    if (job_state(j) == J_STOPPED) {
        j->has_tmodes = tcgetattr(0, &j->tmodes) == 0;
        tcsetattr(0, TCSADRAIN, &shell_tmodes);
        fflush(stdout);
        fputc('\n', stderr);
        job_print(stderr, j);
        fflush(stderr);
        int sig = SIGTSTP;
        for (int k = 0; k < j->nprocs; k++) if (j->state[k] == J_STOPPED) sig = WSTOPSIG(j->wstatus[k]);
        return 128 + sig;
    }
    tcsetattr(0, TCSADRAIN, &shell_tmodes);
    int st = j->wstatus[j->nprocs - 1];
    status = status_of(st);
    for (int k = 0; k < j->nprocs; k++)
        if (WIFSIGNALED(j->wstatus[k]) && WTERMSIG(j->wstatus[k]) == SIGINT) { fputc('\n', stderr); fflush(stderr); break; }
    job_free(j);
    return status;
}

/* %N, %%, %+, %- or nothing (the current job); NULL with a message */
static struct job *job_arg(const char *who, const char *arg)
{
    struct job *j = NULL;
    if (!arg || strcmp(arg, "%%") == 0 || strcmp(arg, "%+") == 0 || strcmp(arg, "%") == 0) j = job_rank(0);
    else if (strcmp(arg, "%-") == 0) j = job_rank(1);
    else {
        const char *n = arg[0] == '%' ? arg + 1 : arg;
        char *end;
        long id = strtol(n, &end, 10);
        if (*n && !*end) for (int i = 0; i < njobtab; i++) if (jobtab[i]->id == id) j = jobtab[i];
        if (!j) { fprintf(stderr, "sh: %s: %s: no such job\n", who, arg); return NULL; }
    }
    if (!j) fprintf(stderr, "sh: %s: no current job\n", who);
    return j;
}

static void job_continue(struct job *j)
{
    for (int k = 0; k < j->nprocs; k++) if (j->state[k] == J_STOPPED) j->state[k] = J_RUNNING;
    j->reported = 1;
    kill(-j->pgid, SIGCONT);
}

static int builtin_jobs(int argc, char **argv, const char *n)
{
    if (!job_control) { fprintf(stderr, "sh: %s: no job control\n", n); return 1; }
    job_poll();
    if (strcmp(n, "jobs") == 0) {
        for (int i = 0; i < njobtab; ) {
            struct job *j = jobtab[i];
            job_print(stdout, j);
            if (job_state(j) == J_DONE) { job_free(j); continue; }
            i++;
        }
        return 0;
    }
    struct job *j = job_arg(n, argc > 1 ? argv[1] : NULL);
    if (!j) return 1;
    if (n[0] == 'b') {
        j->seq = ++job_seq;
        for (int k = 0; k < j->nprocs; k++) if (j->state[k] == J_STOPPED) j->state[k] = J_RUNNING;
        printf("[%d]%c %s &\n", j->id, job_mark(j), j->text);
        fflush(stdout);
        job_continue(j);
        return 0;
    }
    printf("%s\n", j->text);
    fflush(stdout);
    tcsetpgrp(0, j->pgid);
    if (j->has_tmodes) tcsetattr(0, TCSADRAIN, &j->tmodes);
    job_continue(j);
    return job_wait_fg(j);
}

/* at the start of an interactive shell: its own group, the terminal, the signals it ignores */
static void job_control_init(void)
{
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    if (getsid(0) != getpid()) setpgid(0, 0);
    shell_pgid = getpgrp();
    if (tcsetpgrp(0, shell_pgid) == 0 && tcgetattr(0, &shell_tmodes) == 0) job_control = 1;
}

static int run_list(struct andor *a);

/* builtins: return the status, or -1 when argv[0] is not one */
static int builtin(char **argv, int argc, int in_child)
{
    const char *n = argv[0];
    if (strcmp(n, ":") == 0) return 0;
    if (strcmp(n, "exit") == 0) {
        int st = argc > 1 ? atoi(argv[1]) & 255 : last_status;
        if (in_child) _exit(st);
        exit_shell(st);
    }
    if (strcmp(n, "cd") == 0) {
        const char *dir = argc > 1 ? argv[1] : vget("HOME");
        int print = 0;
        if (argc > 1 && strcmp(dir, "-") == 0) {
            dir = vget("OLDPWD");
            if (!dir) { fprintf(stderr, "sh: cd: OLDPWD not set\n"); return 1; }
            print = 1;
        }
        if (!dir) { fprintf(stderr, "sh: cd: HOME not set\n"); return 1; }
        char old[4096];
        if (!getcwd(old, sizeof old)) old[0] = 0;
        if (chdir(dir) < 0) { fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno)); return 1; }
        char now[4096];
        if (getcwd(now, sizeof now)) {
            if (old[0]) vset("OLDPWD", 6, old, 0);
            vset("PWD", 3, now, 0);
            if (print) printf("%s\n", now);
        }
        return 0;
    }
    if (strcmp(n, "export") == 0 || strcmp(n, "unset") == 0) {
        int exp = n[0] == 'e';
        if (argc == 1 && exp) {
            for (struct var *v = vars; v; v = v->next)
                if (v->exported && v->value) printf("export %s='%s'\n", v->name, v->value);
            return 0;
        }
        int st = 0;
        for (int i = 1; i < argc; i++) {
            char *eq = strchr(argv[i], '=');
            size_t nl = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
            if (!valid_name(argv[i], nl) || (!exp && eq)) { fprintf(stderr, "sh: %s: bad variable name: %s\n", n, argv[i]); st = 1; continue; }
            if (exp) vset(argv[i], nl, eq ? eq + 1 : NULL, 1);
            else vunset(argv[i]);
        }
        return st;
    }
    if (strcmp(n, "jobs") == 0 || strcmp(n, "fg") == 0 || strcmp(n, "bg") == 0) return builtin_jobs(argc, argv, n);
    if (strcmp(n, "wait") == 0 && job_control) {
        /* waits for the running jobs (all, or those of the given pids); stopped ones stay */
        int st = 0;
        for (int i = argc > 1 ? 1 : 0; i < argc; i++) {
            pid_t want = argc > 1 ? atoi(argv[i]) : 0;
            if (want) st = 127;   /* not a job of this shell */
            for (int k = 0; k < njobtab; k++) {
                struct job *j = jobtab[k];
                int mine = !want;
                for (int q = 0; q < j->nprocs; q++) if (j->pids[q] == want) mine = 1;
                if (!mine) continue;
                while (job_state(j) == J_RUNNING) {
                    int ws;
                    pid_t p = waitpid(-j->pgid, &ws, WUNTRACED);
                    if (p > 0) job_update(p, ws);
                    else if (errno != EINTR) break;
                }
                if (want) st = job_state(j) == J_DONE ? status_of(j->wstatus[j->nprocs - 1]) : 128 + SIGTSTP;
            }
            if (argc == 1) break;
        }
        return st;
    }
    if (strcmp(n, "wait") == 0) {
        int st = 0;
        if (argc == 1) {
            while (njobs > 0) { pid_t p = jobs[njobs - 1]; wait_for(p); drop_job(p); }
            return 0;
        }
        for (int i = 1; i < argc; i++) {
            pid_t p = atoi(argv[i]);
            int known = 0;
            for (int k = 0; k < njobs; k++) if (jobs[k] == p) known = 1;
            if (!known) { st = 127; continue; }
            st = wait_for(p);
            drop_job(p);
        }
        return st;
    }
    return -1;
}

static int is_builtin(const char *n)
{
    return strcmp(n, ":") == 0 || strcmp(n, "exit") == 0 || strcmp(n, "cd") == 0 || strcmp(n, "export") == 0
        || strcmp(n, "unset") == 0 || strcmp(n, "wait") == 0 || strcmp(n, "exec") == 0
        || strcmp(n, "jobs") == 0 || strcmp(n, "fg") == 0 || strcmp(n, "bg") == 0;
}

struct expanded { char **argv; int argc; char **assigns; int nassigns; };

static void expand_cmd(struct cmd *c, struct expanded *x)
{
    struct fields f = {0};
    int i = 0;
    x->assigns = aalloc((c->nwords + 1) * sizeof *x->assigns);
    x->nassigns = 0;
    for (; i < c->nwords; i++) {
        char *w = c->words[i];
        char *eq = strchr(w, '=');
        if (!eq || !valid_name(w, eq - w)) break;
        char *v = expand1(eq + 1);
        size_t nl = eq - w;
        char *a = aalloc(nl + strlen(v) + 2);
        memcpy(a, w, nl + 1);
        strcpy(a + nl + 1, v);
        x->assigns[x->nassigns++] = a;
    }
    for (; i < c->nwords; i++) expand(c->words[i], &f, 1);
    if (!f.v) { f.v = aalloc(sizeof *f.v); f.v[0] = NULL; }
    x->argv = f.v;
    x->argc = f.n;
}

/* runs one command in a forked child (never returns) */
static void child_command(struct cmd *c, int background)
{
    struct expanded x;
    child_signals(background);
    expand_cmd(c, &x);
    if (apply_redirs(c->redirs, NULL, NULL) < 0) _exit(1);
    if (x.argc == 0) _exit(0);
    if (strcmp(x.argv[0], "exec") == 0) { x.argv++; x.argc--; if (x.argc == 0) _exit(0); }
    for (int i = 0; i < x.nassigns; i++) {
        char *eq = strchr(x.assigns[i], '=');
        vset(x.assigns[i], eq - x.assigns[i], eq + 1, 0);
    }
    int st = builtin(x.argv, x.argc, 1);
    if (st >= 0) { fflush(stdout); _exit(st); }
    exec_program(x.argv, build_env(x.assigns, x.nassigns));
}

/* a single command in the shell itself: assignments and builtins, or fork+exec+wait */
static int run_simple(struct cmd *c, int background)
{
    struct expanded x;
    expand_cmd(c, &x);
    if (x.argc == 0 || is_builtin(x.argv[0])) {
        struct saved save[10];
        int nsave = 0;
        int is_exec = x.argc > 0 && strcmp(x.argv[0], "exec") == 0;
        if (apply_redirs(c->redirs, is_exec ? NULL : save, &nsave) < 0) { restore_redirs(save, nsave); return 1; }
        int st = 0;
        if (x.argc == 0) {
            for (int i = 0; i < x.nassigns; i++) {
                char *eq = strchr(x.assigns[i], '=');
                vset(x.assigns[i], eq - x.assigns[i], eq + 1, 0);
            }
        } else if (is_exec) {
            if (x.argc > 1) {
                fflush(stdout);
                child_signals(background);
                exec_program(x.argv + 1, build_env(x.assigns, x.nassigns));
            }
        } else {
            fflush(stdout);
            st = builtin(x.argv, x.argc, 0);
            fflush(stdout);
        }
        restore_redirs(save, nsave);
        return st;
    }
    fflush(stdout);
    struct job *j = NULL;
    if (job_control) {
        struct str t = {0};
        text_words(&t, c);
        j = job_new(t.s, 1);
    }
    pid_t pid = fork();
    if (pid < 0) { fprintf(stderr, "sh: fork: %s\n", strerror(errno)); if (j) job_free(j); return 2; }
    if (pid == 0) {
        if (j) job_child(0, 1);
        child_command(c, background);
    }
    if (j) { job_parent(j, pid); return job_wait_fg(j); }
    return wait_for(pid);
}

static int run_pipeline(struct pipeline *p, int background)
{
    int st;
    if (!p->cmds->next) {
        st = run_simple(p->cmds, background);
    } else {
        int n = 0;
        for (struct cmd *c = p->cmds; c; c = c->next) n++;
        pid_t *pids = aalloc(n * sizeof *pids);
        int in = -1, k = 0;
        fflush(stdout);
        struct job *j = NULL;
        if (job_control) {
            struct str t = {0};
            text_pipeline(&t, p);
            j = job_new(t.s, n);
        }
        for (struct cmd *c = p->cmds; c; c = c->next, k++) {
            int fds[2] = {-1, -1};
            if (c->next && pipe(fds) < 0) { fprintf(stderr, "sh: pipe: %s\n", strerror(errno)); break; }
            pid_t pid = fork();
            if (pid < 0) { fprintf(stderr, "sh: fork: %s\n", strerror(errno)); break; }
            if (pid == 0) {
                if (j) job_child(j->pgid, 1);
                if (in >= 0) { dup2(in, 0); close(in); }
                if (c->next) { close(fds[0]); dup2(fds[1], 1); close(fds[1]); }
                child_command(c, background);
            }
            pids[k] = pid;
            if (j) job_parent(j, pid);
            if (in >= 0) close(in);
            if (c->next) { close(fds[1]); in = fds[0]; }
        }
        if (in >= 0) close(in);
        st = 1;
        if (j) {
            if (k == 0) { job_free(j); return 2; }
            st = job_wait_fg(j);
            return p->bang ? !st : st;
        }
        for (int i = 0; i < k; i++) {
            int s = wait_for(pids[i]);
            if (i == n - 1) st = s;
        }
    }
    return p->bang ? !st : st;
}

static int run_andor(struct andor *a, int background)
{
    int st = 0;
    for (struct pipeline *p = a->pipes; p; p = p->next) {
        if (p->op == T_AND && last_status != 0) continue;
        if (p->op == T_OR && last_status == 0) continue;
        st = run_pipeline(p, background);
        last_status = st;
    }
    return st;
}

static int run_list(struct andor *a)
{
    for (; a; a = a->next) {
        if (a->background) {
            fflush(stdout);
            struct job *j = NULL;
            if (job_control) {
                struct str t = {0};
                text_andor(&t, a);
                j = job_new(t.s, 1);
            }
            pid_t pid = fork();
            if (pid < 0) { fprintf(stderr, "sh: fork: %s\n", strerror(errno)); if (j) job_free(j); last_status = 2; continue; }
            if (pid == 0) {
                if (j) job_child(0, 0);
                if (!interactive) {
                    /* without job control, a background job's stdin is /dev/null */
                    int fd = open("/dev/null", O_RDONLY);
                    if (fd >= 0 && fd != 0) { dup2(fd, 0); close(fd); }
                }
                interactive = 0;
                in_fd = -1;
                in_str = "";
                /* a lone simple command runs in this child itself, so that $! is its pid */
                if (!a->pipes->next && !a->pipes->bang && !a->pipes->cmds->next) child_command(a->pipes->cmds, 1);
                _exit(run_andor(a, 1));
            }
            last_bg = pid;
            if (j) {
                job_parent(j, pid);
                fprintf(stderr, "[%d] %d\n", j->id, (int)pid);
            } else {
                add_job(pid);
                if (interactive) fprintf(stderr, "[%d]\n", (int)pid);
            }
            last_status = 0;
        } else {
            run_andor(a, 0);
        }
    }
    return last_status;
}

/* ---- the read-eval loop ---- */

static void prompt(int more)
{
    if (!interactive) return;
    const char *ps = vget(more ? "PS2" : "PS1");
    if (!ps) ps = more ? "> " : (geteuid() == 0 ? "# " : "$ ");
    fputs(ps, stderr);
    fflush(stderr);
}

static int run_input(void)
{
    struct str line = {0};
    for (;;) {
        /* reap finished background jobs now and then so they do not pile up as zombies */
        if (job_control) job_notify();
        else if (interactive) {
            int st;
            pid_t p;
            while (njobs && (p = waitpid(-1, &st, WNOHANG)) > 0) {
                int known = 0;
                for (int k = 0; k < njobs; k++) if (jobs[k] == p) known = 1;
                if (known) { fprintf(stderr, "[%d] done %d\n", (int)p, status_of(st)); drop_job(p); }
            }
        }
        line.len = 0;
        if (line.s) line.s[0] = 0;
        prompt(0);
        if (!read_line(&line)) break;
        int r;
        for (;;) {
            r = tokenize(line.s ? line.s : "", &toks);
            if (r != 1) break;
            sput(&line, '\n');
            prompt(1);
            if (!read_line(&line)) {
                fprintf(stderr, "sh: syntax error: unexpected end of input\n");
                r = -1;
                break;
            }
        }
        if (r < 0) {
            last_status = 2;
            arena_reset();
            if (!interactive) break;
            continue;
        }
        tpos = 0;
        int err;
        struct andor *list = parse_list(&err);
        if (err) {
            last_status = 2;
            arena_reset();
            if (!interactive) break;
            continue;
        }
        run_list(list);
        fflush(stdout);
        arena_reset();
    }
    free(line.s);
    return last_status;
}

int main(int argc, char **argv)
{
    shell_pid = getpid();
    for (char **e = environ; *e; e++) {
        char *eq = strchr(*e, '=');
        if (eq && valid_name(*e, eq - *e)) vset(*e, eq - *e, eq + 1, 1);
    }
    int i = 1;
    const char *cmd = NULL;
    if (argc > 1 && strcmp(argv[1], "-c") == 0) {
        if (argc < 3) { fprintf(stderr, "sh: -c requires an argument\n"); return 2; }
        cmd = argv[2];
        i = 3;
        if (i < argc) arg0 = argv[i++];
    } else if (argc > 1 && strcmp(argv[1], "-s") == 0) {
        i = 2;
    } else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
        fprintf(stderr, "sh: %s: unknown option\nusage: sh [-c STRING [NAME [ARG...]] | -s [ARG...] | FILE [ARG...]]\n", argv[1]);
        return 2;
    } else if (argc > 1) {
        int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0) { fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno)); return 127; }
        int hi = fcntl(fd, F_DUPFD_CLOEXEC, 10);
        if (hi >= 0) { close(fd); fd = hi; }
        in_fd = fd;
        in_buffered = 1;
        arg0 = argv[1];
        i = 2;
    }
    posargs = argv + i;
    nposargs = argc - i;
    if (cmd) { in_fd = -1; in_str = cmd; }
    else if (in_fd == 0) interactive = isatty(0);
    if (interactive) {
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGTSTP, SIG_IGN);
        job_control_init();
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) vset("PWD", 3, cwd, 1);
    int st = run_input();
    if (interactive) fputs("exit\n", stderr);
    exit_shell(st);
}
