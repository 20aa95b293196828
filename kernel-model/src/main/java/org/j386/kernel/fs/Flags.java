package org.j386.kernel.fs;

/** i386 Linux constants of the file system calls (asm-generic/fcntl.h, linux/stat.h). */
public final class Flags {
    private Flags() {}

    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    public static final int O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000,
            O_APPEND = 02000, O_NONBLOCK = 04000, O_DSYNC = 010000, O_ASYNC = 020000, O_DIRECT = 040000,
            O_LARGEFILE = 0100000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_NOATIME = 01000000,
            O_CLOEXEC = 02000000, O_SYNC = 04010000, O_PATH = 010000000, O_TMPFILE = 020200000;
    /** Status flags F_SETFL may change. */
    public static final int SETFL_MASK = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

    public static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EACCESS = 0x200,
            AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_NO_AUTOMOUNT = 0x800,
            AT_EMPTY_PATH = 0x1000, AT_STATX_SYNC_TYPE = 0x6000;

    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 060000, S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
            DT_LNK = 10, DT_SOCK = 12;

    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

    public static final int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;

    public static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4,
            F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11,
            F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14, F_SETOWN_EX = 15, F_GETOWN_EX = 16,
            F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38,
            F_SETLEASE = 1024, F_GETLEASE = 1025, F_NOTIFY = 1026, F_DUPFD_CLOEXEC = 1030,
            F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
    public static final int FD_CLOEXEC = 1;
    public static final int F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

    public static final int UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;

    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

    public static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

    /** Linux MAX_RW_COUNT: one read or write moves at most this many bytes. */
    public static final int MAX_RW_COUNT = 0x7ffff000;
    public static final int NAME_MAX = 255;

    public static int dtype(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFDIR -> DT_DIR;
            case S_IFREG -> DT_REG;
            case S_IFLNK -> DT_LNK;
            case S_IFCHR -> DT_CHR;
            case S_IFBLK -> DT_BLK;
            case S_IFIFO -> DT_FIFO;
            case S_IFSOCK -> DT_SOCK;
            default -> DT_UNKNOWN;
        };
    }
}
