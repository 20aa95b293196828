/* errno: system calls that must fail, each with the right errno. The errno
 * is printed as a symbolic name from a table in this file, so that glibc
 * and musl (whose strerror texts differ) print the same. Works inside the
 * current directory and removes what it creates. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { int e; const char *name; } names[] = {
    { EPERM, "EPERM" },     { ENOENT, "ENOENT" },       { EBADF, "EBADF" },
    { EFAULT, "EFAULT" },   { EEXIST, "EEXIST" },       { ENOTDIR, "ENOTDIR" },
    { EISDIR, "EISDIR" },   { EINVAL, "EINVAL" },       { ENOTEMPTY, "ENOTEMPTY" },
    { ESPIPE, "ESPIPE" },   { ENAMETOOLONG, "ENAMETOOLONG" }, { EACCES, "EACCES" },
    { ENOSYS, "ENOSYS" },   { EMFILE, "EMFILE" },       { ELOOP, "ELOOP" },
};

static const char *ename(int e)
{
    static char other[32];
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].e == e)
            return names[i].name;
    snprintf(other, sizeof other, "errno %d", e);
    return other;
}

static int bad;

static void expect(const char *what, long r, int want)
{
    int e = errno;
    if (r == -1 && e == want)
        printf("%-44s -> -1 %s ok\n", what, ename(e));
    else {
        printf("%-44s -> %ld %s BAD (want %s)\n", what, r,
               r == -1 ? ename(e) : "(no error)", ename(want));
        bad++;
    }
    errno = 0;
}

int main(void)
{
    char buf[64];
    struct stat st;
    int fd;

    expect("open(\"no-such-file\", O_RDONLY)", open("no-such-file", O_RDONLY), ENOENT);
    expect("open(\"no/such/dir/file\", O_CREAT)",
           open("no/such/dir/file", O_WRONLY | O_CREAT, 0644), ENOENT);
    expect("close(999)", close(999), EBADF);
    expect("close(-1)", close(-1), EBADF);
    expect("read(999, buf, 1)", read(999, buf, 1), EBADF);
    expect("write(999, buf, 1)", write(999, "x", 1), EBADF);
    expect("fstat(999)", fstat(999, &st), EBADF);
    expect("lseek(999, 0, SEEK_SET)", lseek(999, 0, SEEK_SET), EBADF);
    /* bad pointers go through volatile variables so that the compiler
     * neither warns nor reasons about them */
    void *volatile bad1 = (void *)1, *volatile bad16 = (void *)16;
    expect("write(1, (void *)1, 10)", write(1, bad1, 10), EFAULT);

    fd = open("errno-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("cannot create errno-file: %s\n", ename(errno));
        return 2;
    }
    if (write(fd, "0123456789", 10) != 10)
        bad++;
    lseek(fd, 0, SEEK_SET);
    expect("read(fd, (void *)16, 10)", read(fd, bad16, 10), EFAULT);
    expect("stat((char *)1, &st)", stat((const char *)bad1, &st), EFAULT);
    expect("open((char *)1, O_RDONLY)", open((const char *)bad1, O_RDONLY), EFAULT);
    expect("lseek(fd, 0, 12345)", lseek(fd, 0, 12345), EINVAL);
    expect("lseek(fd, -1, SEEK_SET)", lseek(fd, -1, SEEK_SET), EINVAL);
    expect("open(\"errno-file\", O_DIRECTORY)",
           open("errno-file", O_RDONLY | O_DIRECTORY), ENOTDIR);
    expect("open(\"errno-file/x\", O_RDONLY)", open("errno-file/x", O_RDONLY), ENOTDIR);
    expect("open(\"errno-file\", O_CREAT|O_EXCL)",
           open("errno-file", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);

    int p[2];
    if (pipe(p) == 0) {
        expect("lseek(pipe, 0, SEEK_SET)", lseek(p[0], 0, SEEK_SET), ESPIPE);
        expect("write(pipe read end)", write(p[0], "x", 1), EBADF);
        close(p[0]);
        close(p[1]);
    } else {
        printf("pipe failed: %s BAD\n", ename(errno));
        bad++;
    }

    if (mkdir("errno-dir", 0755) != 0) {
        printf("mkdir errno-dir: %s BAD\n", ename(errno));
        bad++;
    }
    expect("mkdir(\"errno-dir\") again", mkdir("errno-dir", 0755), EEXIST);
    expect("mkdir(\"errno-file\")", mkdir("errno-file", 0755), EEXIST);
    close(open("errno-dir/inside", O_WRONLY | O_CREAT, 0644));
    expect("rmdir(non-empty dir)", rmdir("errno-dir"), ENOTEMPTY);
    expect("rmdir(regular file)", rmdir("errno-file"), ENOTDIR);
    expect("unlink(directory)", unlink("errno-dir"), EISDIR);
    expect("open(directory, O_WRONLY)", open("errno-dir", O_WRONLY), EISDIR);
    expect("rmdir(\"no-such-dir\")", rmdir("no-such-dir"), ENOENT);
    expect("chdir(\"errno-file\")", chdir("errno-file"), ENOTDIR);
    expect("rename(dir, dir/sub)", rename("errno-dir", "errno-dir/sub"), EINVAL);
    expect("rename(missing, x)", rename("no-such-file", "x"), ENOENT);
    expect("readlink(regular file)", readlink("errno-file", buf, sizeof buf), EINVAL);
    expect("symlink(existing name)", symlink("x", "errno-file"), EEXIST);
    if (symlink("errno-loop", "errno-loop") == 0) {
        expect("open(self-referencing symlink)", open("errno-loop", O_RDONLY), ELOOP);
        unlink("errno-loop");
    }
    char longname[300];
    memset(longname, 'n', 299);
    longname[299] = 0;
    expect("open(300-char name)", open(longname, O_RDONLY), ENAMETOOLONG);
    expect("dup2(1, -1)", dup2(1, -1), EBADF);
    expect("fcntl(999, F_GETFD)", fcntl(999, F_GETFD), EBADF);
    expect("fcntl(fd, 9999)", fcntl(fd, 9999), EINVAL);

    close(fd);
    unlink("errno-dir/inside");
    rmdir("errno-dir");
    unlink("errno-file");
    if (access("errno-file", F_OK) == 0 || access("errno-dir", F_OK) == 0) {
        puts("cleanup failed BAD");
        bad++;
    }
    /* RLIMIT_NOFILE bounds the descriptor table */
    {
        struct rlimit old, lim;
        getrlimit(RLIMIT_NOFILE, &old);
        lim = old;
        lim.rlim_cur = 5;
        setrlimit(RLIMIT_NOFILE, &lim);
        int a = open(".", O_RDONLY), b = open(".", O_RDONLY);
        expect("open past RLIMIT_NOFILE=5", open(".", O_RDONLY), EMFILE);
        expect("dup past RLIMIT_NOFILE=5", dup(0), EMFILE);
        close(a);
        close(b);
        setrlimit(RLIMIT_NOFILE, &old);
    }

    printf("errno: %s\n", bad ? "FAILED" : "all checks passed");
    return bad ? 1 : 0;
}
