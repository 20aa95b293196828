/* fileio: file-system system calls, all inside the current directory (which
 * the harness makes a fresh empty directory). Prints sizes, type and mode
 * bits and link counts of regular files only: never times, inode or device
 * numbers, owners or absolute paths. Removes everything it creates. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int failures;

static const char *ename(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ESPIPE: return "ESPIPE";
    case ERANGE: return "ERANGE";
    case EOVERFLOW: return "EOVERFLOW";
    }
    return "E?";
}

/* r: result, want: expected result; prints errno name on failure */
static void ck(const char *what, long r, long want)
{
    int e = errno;
    printf("%-40s = %ld%s%s%s\n", what, r, r < 0 ? " (" : "", r < 0 ? ename(e) : "",
           r < 0 ? ")" : "");
    if (r != want) {
        printf("  ^ BAD, expected %ld\n", want);
        failures++;
    }
}

static void ck_errno(const char *what, long r, int want_errno)
{
    int e = errno;
    printf("%-40s = %ld errno=%s\n", what, r, r < 0 ? ename(e) : "-");
    if (r != -1 || e != want_errno) {
        printf("  ^ BAD, expected -1 errno=%s\n", ename(want_errno));
        failures++;
    }
}

static const char *ftype(mode_t m)
{
    if (S_ISREG(m)) return "reg";
    if (S_ISDIR(m)) return "dir";
    if (S_ISLNK(m)) return "lnk";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISCHR(m)) return "chr";
    return "other";
}

static void show_stat(const char *label, const struct stat *st)
{
    printf("%-40s : type=%s mode=%04o", label, ftype(st->st_mode),
           (unsigned)(st->st_mode & 07777));
    /* directory sizes and link counts depend on the file system */
    if (!S_ISDIR(st->st_mode))
        printf(" size=%lld nlink=%lu", (long long)st->st_size,
               (unsigned long)st->st_nlink);
    printf("\n");
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
    char *names[64];
    int n = 0;
    DIR *d = opendir(path);
    struct dirent *de;
    if (!d) {
        printf("opendir(%s) failed: %s\n", path, ename(errno));
        failures++;
        return;
    }
    errno = 0;
    while ((de = readdir(d)) && n < 64)
        names[n++] = strdup(de->d_name);
    if (!de && errno) {
        /* e.g. EOVERFLOW from glibc's 32-bit readdir when the kernel hands
         * out directory offsets that do not fit in 32 bits */
        printf("readdir(%s) failed: %s\n", path, ename(errno));
        failures++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmpstr);
    printf("readdir(%s): %d entries:", path, n);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    char buf[256], start[4096], here[4096];
    struct stat st;
    int fd, fd2, fd3;

    umask(022);
    if (!getcwd(start, sizeof start)) {
        puts("getcwd failed");
        return 1;
    }

    puts("== create, write, lseek, read");
    fd = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck("open(data.txt, O_CREAT)", fd, 3);
    ck("write 26 bytes", write(fd, "abcdefghijklmnopqrstuvwxyz", 26), 26);
    ck("lseek(0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR), 26);
    ck("lseek(5, SEEK_SET)", lseek(fd, 5, SEEK_SET), 5);
    memset(buf, 0, sizeof buf);
    ck("read 4", read(fd, buf, 4), 4);
    printf("  got \"%s\"\n", buf);
    ck("lseek(-3, SEEK_END)", lseek(fd, -3, SEEK_END), 23);
    memset(buf, 0, sizeof buf);
    ck("read 10 at EOF-3 (partial)", read(fd, buf, 10), 3);
    printf("  got \"%s\"\n", buf);
    ck("read at EOF", read(fd, buf, 10), 0);
    ck("lseek(2, SEEK_CUR)", lseek(fd, 2, SEEK_CUR), 28);
    ck("write past EOF (hole)", write(fd, "!", 1), 1);
    ck("lseek(0, SEEK_END)", lseek(fd, 0, SEEK_END), 29);
    ck("lseek(-100, SEEK_SET)", lseek(fd, -100, SEEK_SET), -1);
    ck("pread 5 at 10", pread(fd, buf, 5, 10), 5);
    buf[5] = 0;
    printf("  got \"%s\"\n", buf);
    ck("pread 5 at 26 (hole)", pread(fd, buf, 5, 26), 3);
    printf("  got %02x %02x %02x\n", buf[0], buf[1], (unsigned char)buf[2]);
    ck("pwrite 3 at 0", pwrite(fd, "ABC", 3, 0), 3);
    ck("offset unchanged by pread/pwrite", lseek(fd, 0, SEEK_CUR), 29);
    ck("fstat", fstat(fd, &st), 0);
    show_stat("fstat(data.txt)", &st);
    ck("ftruncate(10)", ftruncate(fd, 10), 0);
    fstat(fd, &st);
    show_stat("after ftruncate(10)", &st);
    ck("ftruncate(5000)", ftruncate(fd, 5000), 0);
    fstat(fd, &st);
    show_stat("after ftruncate(5000)", &st);
    ck("pread 4 at 8", pread(fd, buf, 4, 8), 4);
    printf("  got %02x %02x %02x %02x\n", buf[0], buf[1], buf[2], buf[3]);
    ck("ftruncate(10)", ftruncate(fd, 10), 0);
    ck("close", close(fd), 0);

    puts("== O_EXCL, O_APPEND, fcntl");
    ck_errno("open(data.txt, O_CREAT|O_EXCL)",
             open("data.txt", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
    fd = open("data.txt", O_WRONLY | O_APPEND);
    ck("open(O_WRONLY|O_APPEND)", fd >= 0, 1);
    int fl = fcntl(fd, F_GETFL);
    printf("F_GETFL: accmode=%d append=%d nonblock=%d\n", fl & O_ACCMODE,
           (fl & O_APPEND) != 0, (fl & O_NONBLOCK) != 0);
    ck("lseek(0, SEEK_SET)", lseek(fd, 0, SEEK_SET), 0);
    ck("append write", write(fd, "+++", 3), 3);
    ck("offset after append", lseek(fd, 0, SEEK_CUR), 13);
    ck("F_SETFL O_NONBLOCK", fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
    fl = fcntl(fd, F_GETFL);
    printf("F_GETFL: accmode=%d append=%d nonblock=%d\n", fl & O_ACCMODE,
           (fl & O_APPEND) != 0, (fl & O_NONBLOCK) != 0);
    ck("F_GETFD", fcntl(fd, F_GETFD), 0);
    ck("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
    ck("F_GETFD", fcntl(fd, F_GETFD), FD_CLOEXEC);
    ck("close", close(fd), 0);
    fd = open("data.txt", O_RDONLY | O_CLOEXEC);
    ck("open(O_CLOEXEC) F_GETFD", fcntl(fd, F_GETFD), FD_CLOEXEC);
    memset(buf, 0, sizeof buf);
    ck("read all", read(fd, buf, sizeof buf), 13);
    printf("  got \"%s\"\n", buf);
    ck_errno("write on O_RDONLY fd", write(fd, "x", 1), EBADF);

    puts("== dup, dup2 share the offset");
    ck("lseek(2, SEEK_SET)", lseek(fd, 2, SEEK_SET), 2);
    fd2 = dup(fd);
    ck("dup gives lowest free fd", fd2, fd + 1);
    ck("dup'ed fd has no FD_CLOEXEC", fcntl(fd2, F_GETFD), 0);
    ck("read 3 via dup", read(fd2, buf, 3), 3);
    ck("original offset moved", lseek(fd, 0, SEEK_CUR), 5);
    fd3 = dup2(fd, 10);
    ck("dup2(fd, 10)", fd3, 10);
    ck("lseek via 10", lseek(10, 1, SEEK_CUR), 6);
    ck("offset seen via dup", lseek(fd2, 0, SEEK_CUR), 6);
    ck("dup2(10, 10)", dup2(10, 10), 10);
    ck_errno("dup2(99, 10)", dup2(99, 10), EBADF);
    ck("fcntl F_DUPFD >= 20", fcntl(fd, F_DUPFD, 20), 20);
    ck("close 20", close(20), 0);
    ck("close 10", close(10), 0);
    ck("close dup", close(fd2), 0);
    ck("close", close(fd), 0);
    ck_errno("close again", close(fd), EBADF);

    puts("== stat, lstat, symlink, readlink, access");
    ck("stat(data.txt)", stat("data.txt", &st), 0);
    show_stat("stat(data.txt)", &st);
    ck("link(data.txt, hard.txt)", link("data.txt", "hard.txt"), 0);
    stat("data.txt", &st);
    show_stat("stat(data.txt) after link", &st);
    ck("symlink(data.txt, sym)", symlink("data.txt", "sym"), 0);
    ck("lstat(sym)", lstat("sym", &st), 0);
    show_stat("lstat(sym)", &st);
    ck("stat(sym)", stat("sym", &st), 0);
    show_stat("stat(sym)", &st);
    memset(buf, 0, sizeof buf);
    ck("readlink(sym)", readlink("sym", buf, sizeof buf), 8);
    printf("  target \"%s\"\n", buf);
    ck("readlink(sym) short buffer", readlink("sym", buf, 4), 4);
    ck_errno("readlink(data.txt)", readlink("data.txt", buf, sizeof buf), EINVAL);
    ck("access(data.txt, F_OK)", access("data.txt", F_OK), 0);
    ck("access(data.txt, R_OK)", access("data.txt", R_OK), 0);
    ck_errno("access(data.txt, X_OK)", access("data.txt", X_OK), EACCES);
    ck_errno("access(nothere, F_OK)", access("nothere", F_OK), ENOENT);
    ck("chmod 0600", chmod("data.txt", 0600), 0);
    stat("data.txt", &st);
    show_stat("stat after chmod", &st);

    puts("== directories");
    ck("mkdir(sub)", mkdir("sub", 0755), 0);
    ck("stat(sub)", stat("sub", &st), 0);
    show_stat("stat(sub)", &st);
    ck("mkdir(sub/inner)", mkdir("sub/inner", 0700), 0);
    fd = open("sub/f1", O_WRONLY | O_CREAT, 0640);
    ck("create sub/f1", fd >= 0, 1);
    ck("write", write(fd, "hello\n", 6), 6);
    close(fd);
    ck("rename(sub/f1, sub/f2)", rename("sub/f1", "sub/f2"), 0);
    ck_errno("stat(sub/f1) after rename", stat("sub/f1", &st), ENOENT);
    ck("stat(sub/f2)", stat("sub/f2", &st), 0);
    show_stat("stat(sub/f2)", &st);
    ck("rename over existing", rename("hard.txt", "sub/f2"), 0);
    stat("sub/f2", &st);
    show_stat("stat(sub/f2) after replace", &st);
    list_dir(".");
    list_dir("sub");

    /* the start may be "/" when the program runs at the root of a sandbox: keep the separator */
    size_t start_len = strcmp(start, "/") == 0 ? 0 : strlen(start);
    puts("== getcwd, chdir");
    ck("chdir(sub)", chdir("sub"), 0);
    if (getcwd(here, sizeof here) && strncmp(here, start, start_len) == 0)
        printf("getcwd relative to start: \"%s\"\n", here + start_len);
    else {
        puts("getcwd: BAD");
        failures++;
    }
    ck("chdir(inner)", chdir("inner"), 0);
    if (getcwd(here, sizeof here) && strncmp(here, start, start_len) == 0)
        printf("getcwd relative to start: \"%s\"\n", here + start_len);
    ck_errno("getcwd with tiny buffer", getcwd(here, 2) ? 0 : -1, ERANGE);
    ck("chdir(../..)", chdir("../.."), 0);
    if (getcwd(here, sizeof here))
        printf("back at start: %s\n", strcmp(here, start) == 0 ? "yes" : "NO");
    ck("stat(sub/inner/../f2)", stat("sub/inner/../f2", &st), 0);
    ck_errno("chdir(data.txt)", chdir("data.txt"), ENOTDIR);

    puts("== cleanup");
    ck("unlink(sub/f2)", unlink("sub/f2"), 0);
    ck("rmdir(sub/inner)", rmdir("sub/inner"), 0);
    ck("rmdir(sub)", rmdir("sub"), 0);
    ck("unlink(sym)", unlink("sym"), 0);
    ck("unlink(data.txt)", unlink("data.txt"), 0);
    ck_errno("unlink(data.txt) again", unlink("data.txt"), ENOENT);
    list_dir(".");

    printf("fileio: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
