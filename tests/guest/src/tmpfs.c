/* File operations in /tmp (tmpfs under j386, the host's /tmp natively): directories, files,
 * hard links, symlinks, FIFOs, rename, unlink while open, chmod, utimensat, truncate, "..".
 * Works in a fresh subdirectory of /tmp and removes it. Prints facts, never host-specific values. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *what, int ok) {
    printf("%-60s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char **) a, *(char **) b); }

/* The names in a directory, sorted, joined by spaces (without . and ..). */
static void listing(const char *dir, char *out, size_t n) {
    char *names[64];
    int k = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && k < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[k++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, k, sizeof *names, cmp);
    out[0] = 0;
    for (int i = 0; i < k; i++) {
        if (i) strncat(out, " ", n - strlen(out) - 1);
        strncat(out, names[i], n - strlen(out) - 1);
        free(names[i]);
    }
}

/* Copies the running program to a file in /tmp and runs it there. */
static int exec_copy(const char *self) {
    int in = open(self, O_RDONLY), out = open("prog", O_CREAT | O_WRONLY | O_TRUNC, 0755);
    char b[4096];
    int n;
    while (in >= 0 && out >= 0 && (n = read(in, b, sizeof b)) > 0) write(out, b, n);
    close(in);
    close(out);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("./prog", "./prog", "exec-test", (char *) NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec-test") == 0) {
        char exe[256];
        int n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        exe[n > 0 ? n : 0] = 0;
        size_t len = strlen(exe);
        printf("running from /tmp: exe %s\n", len > 5 && strncmp(exe, "/tmp/", 5) == 0 && strcmp(exe + len - 5, "/prog") == 0 ? "ok" : "BAD");
        return 3;
    }
    char dir[] = "/tmp/j386-tmpfs-XXXXXX";
    check("mkdtemp in /tmp", mkdtemp(dir) != NULL);
    char self[256];
    check("chdir into it", getcwd(self, sizeof self) && strlen(self) + strlen(argv[0]) < 250 && chdir(dir) == 0);
    if (argv[0][0] != '/') { strcat(self, "/"); strcat(self, argv[0]); } else strcpy(self, argv[0]);
    check("a program copied to /tmp runs (exit status 3)", exec_copy(self) == 3);
    check("chmod -x: EACCES", chmod("prog", 0644) == 0 && execl("./prog", "./prog", "exec-test", (char *) NULL) < 0 && errno == EACCES);
    unlink("prog");
    struct stat st, st2;

    int fd = open("a", O_CREAT | O_RDWR | O_EXCL, 0644);
    check("create a file", fd >= 0);
    check("write 11 bytes", write(fd, "hello world", 11) == 11);
    check("fstat: regular, size 11, one link", fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 11 && st.st_nlink == 1);
    check("O_EXCL on an existing name gives EEXIST", open("a", O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST);
    char buf[64] = {0};
    check("pread 5 at 6", pread(fd, buf, 5, 6) == 5 && memcmp(buf, "world", 5) == 0);
    check("lseek SEEK_END", lseek(fd, 0, SEEK_END) == 11);
    check("write past the end leaves a hole", pwrite(fd, "!", 1, 20) == 1 && fstat(fd, &st) == 0 && st.st_size == 21);
    memset(buf, 'x', sizeof buf);
    check("the hole reads as zeros", pread(fd, buf, 10, 11) == 10 && buf[0] == 0 && buf[8] == 0 && buf[9] == '!');
    check("ftruncate shrinks", ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
    check("ftruncate grows with zeros", ftruncate(fd, 8) == 0 && pread(fd, buf, 8, 0) == 8 && memcmp(buf, "hello\0\0\0", 8) == 0);
    check("truncate by name", truncate("a", 5) == 0 && stat("a", &st) == 0 && st.st_size == 5);
    ino_t ino = st.st_ino;

    int ap = open("a", O_WRONLY | O_APPEND);
    check("O_APPEND writes at the end", write(ap, "++", 2) == 2 && stat("a", &st) == 0 && st.st_size == 7);
    close(ap);

    check("link: two names, two links", link("a", "b") == 0 && stat("b", &st) == 0 && st.st_ino == ino && st.st_nlink == 2);
    check("symlink and readlink", symlink("a", "s") == 0 && readlink("s", buf, sizeof buf) == 1 && buf[0] == 'a');
    check("lstat sees the link, stat the file", lstat("s", &st) == 0 && S_ISLNK(st.st_mode) && stat("s", &st2) == 0 && st2.st_ino == ino);
    check("dangling symlink: ENOENT", symlink("nowhere", "d") == 0 && open("d", O_RDONLY) < 0 && errno == ENOENT);
    check("symlink loop: ELOOP", symlink("l2", "l1") == 0 && symlink("l1", "l2") == 0 && open("l1", O_RDONLY) < 0 && errno == ELOOP);

    check("mkdir", mkdir("sub", 0755) == 0 && stat("sub", &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 2);
    check("a subdirectory adds a link to its parent", mkdir("sub/inner", 0700) == 0 && stat("sub", &st) == 0 && st.st_nlink == 3);
    check("mkdir on an existing name: EEXIST", mkdir("sub", 0755) < 0 && errno == EEXIST);
    check("rmdir of a non-empty directory: ENOTEMPTY", rmdir("sub") < 0 && (errno == ENOTEMPTY || errno == EEXIST));
    check("rename a directory into itself: EINVAL", rename("sub", "sub/inner/x") < 0 && errno == EINVAL);
    check("stat sub/inner/.. is sub", stat("sub/inner/..", &st) == 0 && stat("sub", &st2) == 0 && st.st_ino == st2.st_ino);
    check("mkfifo", mkfifo("fifo", 0600) == 0 && stat("fifo", &st) == 0 && S_ISFIFO(st.st_mode));

    char names[256];
    listing(".", names, sizeof names);
    printf("listing: %s\n", names);

    check("rename a file over another", rename("b", "c") == 0 && stat("c", &st) == 0 && st.st_ino == ino && access("b", F_OK) < 0);
    check("rename keeps the inode number", stat("a", &st) == 0 && st.st_ino == ino && st.st_nlink == 2);
    check("rename a directory", rename("sub", "sub2") == 0 && stat("sub2/inner", &st) == 0 && S_ISDIR(st.st_mode));
    check("rename over a non-empty directory: ENOTEMPTY", mkdir("e", 0755) == 0 && rename("e", "sub2") < 0 && (errno == ENOTEMPTY || errno == EEXIST));
    check("rename a file over a directory: EISDIR", rename("c", "e") < 0 && errno == EISDIR);
    check("rename a directory over an empty one", rename("sub2/inner", "e") == 0 && stat("e", &st) == 0);

    check("chmod 0600", chmod("a", 0600) == 0 && stat("a", &st) == 0 && (st.st_mode & 07777) == 0600);
    check("fchmod 0640", fchmod(fd, 0640) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0640);
    struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 987654321}};
    check("utimensat sets both times", utimensat(AT_FDCWD, "a", ts, 0) == 0 && stat("a", &st) == 0
          && st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789
          && st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 987654321);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {5, 0}};
    check("utimensat with UTIME_OMIT keeps atime", utimensat(AT_FDCWD, "a", omit, 0) == 0 && stat("a", &st) == 0
          && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 5);

    check("unlink both names of the open file", unlink("a") == 0 && unlink("c") == 0 && access("a", F_OK) < 0);
    check("the open file has no links but still works", fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_ino == ino);
    check("write and read after unlink", pwrite(fd, "Z", 1, 0) == 1 && pread(fd, buf, 5, 0) == 5 && memcmp(buf, "Zello", 5) == 0);
    close(fd);

    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    check("openat/fstatat relative to a directory fd", dfd >= 0 && mkdirat(dfd, "z", 0700) == 0 && fstatat(dfd, "z", &st, 0) == 0 && S_ISDIR(st.st_mode));
    check("unlinkat AT_REMOVEDIR", unlinkat(dfd, "z", AT_REMOVEDIR) == 0 && fstatat(dfd, "z", &st, 0) < 0 && errno == ENOENT);
    close(dfd);

    struct stat root, up, tmp;
    check("/tmp/.. is /", stat("/", &root) == 0 && stat("/tmp/..", &up) == 0 && root.st_ino == up.st_ino && root.st_dev == up.st_dev);
    check("getcwd", getcwd(buf, sizeof buf) != NULL && strcmp(buf, dir) == 0);
    check(".. of the work directory is /tmp", stat("..", &up) == 0 && stat("/tmp", &tmp) == 0 && up.st_ino == tmp.st_ino && up.st_dev == tmp.st_dev);
    check("/tmp is sticky and world-writable", (tmp.st_mode & 01777) == 01777);

    check("cleanup", unlink("s") == 0 && unlink("d") == 0 && unlink("l1") == 0 && unlink("l2") == 0 && unlink("fifo") == 0
          && rmdir("e") == 0 && rmdir("sub2") == 0);
    listing(".", names, sizeof names);
    check("directory is empty", names[0] == 0);
    check("rmdir of the cwd", chdir("/") == 0 && rmdir(dir) == 0 && access(dir, F_OK) < 0);
    printf("%d failures\n", failures);
    return failures != 0;
}
