package org.j386.checkpoint;

/** Constants of the j386 checkpoint image format (docs/image-format.md). */
public final class Image {
    private Image() {}

    public static final byte[] MAGIC = {'J', '3', '8', '6', 'I', 'M', 'G', '\n'};
    public static final int VERSION = 3;

    public static final int HEADER = 1, TASK = 2, CPU = 3, TLS = 4, SIGNALS = 5, MM = 6, VMA = 7, PAGES = 8,
            FILE = 9, FD = 10, LDT = 11,
            SIGHAND = 12, SIGINFO = 13, TIMER = 14, FDTABLE = 15, PIPE = 16,
            TMPFS_NODE = 17, TMPFS_DATA = 18, TMPFS_LINK = 19, ERROR = 254, TAIL = 255;
    /** Shared memory, namespaces and SysV IPC (IpcWriter, IpcRecordReader, IpcRestorer). */
    public static final int FRAMES = 20, PAGE_REFS = 21, VMA_SHARED = 22, UTSNS = 23, IPCNS = 24, SHM = 25, SEM = 26, MSQ = 27,
            MSG = 28, TASK_NS = 29;
    /** Event descriptors, socket pairs, unlinked host files, the console's terminal, shared fs contexts (ObjectData). */
    public static final int EVENTFD = 30, TIMERFD = 31, SIGNALFD = 32, EPOLL = 33, SOCKBUF = 34, SOCKET = 35,
            UNLINKED = 36, UNLINKED_DATA = 37, TTY = 38, FS = 39;

    public static final int FILE_CONSOLE = 1, FILE_REGULAR = 2, FILE_DIRECTORY = 3, FILE_DEVICE = 4, FILE_PIPE = 5, FILE_TMPFS = 6,
            FILE_FIFO = 10, FILE_EVENTFD = 11, FILE_TIMERFD = 12, FILE_SIGNALFD = 13, FILE_EPOLL = 14, FILE_SOCKET = 15,
            FILE_UNLINKED = 16;
    /** Bytes of tmpfs file contents per TMPFS_DATA record. */
    public static final int TMPFS_CHUNK = 1 << 20;

    /** Largest record payload a reader accepts (a PAGES chunk of 256 pages plus its addresses). */
    public static final int MAX_RECORD = 256 * 4096 + 256 * 4 + 4;
    public static final int PAGES_PER_CHUNK = 256;
    /** Most tasks, and most bytes buffered in one pipe, an image may hold. */
    /** Pending signal instances per task: RLIMIT_SIGPENDING's default bound, twice (own and process). */
    public static final int MAX_SIGINFO = 2 * 63459;
    public static final int MAX_TASKS = 4096, MAX_PIPE_BYTES = 1 << 20; // Pipe.MAX_CAPACITY: F_SETPIPE_SZ can grow a pipe that far

    public static String typeName(int type) {
        switch (type) {
            case HEADER: return "HEADER";
            case TASK: return "TASK";
            case CPU: return "CPU";
            case TLS: return "TLS";
            case SIGNALS: return "SIGNALS";
            case MM: return "MM";
            case VMA: return "VMA";
            case PAGES: return "PAGES";
            case FILE: return "FILE";
            case FD: return "FD";
            case LDT: return "LDT";
            case SIGHAND: return "SIGHAND";
            case SIGINFO: return "SIGINFO";
            case TIMER: return "TIMER";
            case FDTABLE: return "FDTABLE";
            case PIPE: return "PIPE";
            case TMPFS_NODE: return "TMPFS_NODE";
            case TMPFS_DATA: return "TMPFS_DATA";
            case TMPFS_LINK: return "TMPFS_LINK";
            case FRAMES: return "FRAMES";
            case PAGE_REFS: return "PAGE_REFS";
            case VMA_SHARED: return "VMA_SHARED";
            case UTSNS: return "UTSNS";
            case IPCNS: return "IPCNS";
            case SHM: return "SHM";
            case SEM: return "SEM";
            case MSQ: return "MSQ";
            case MSG: return "MSG";
            case TASK_NS: return "TASK_NS";
            case EVENTFD: return "EVENTFD";
            case TIMERFD: return "TIMERFD";
            case SIGNALFD: return "SIGNALFD";
            case EPOLL: return "EPOLL";
            case SOCKBUF: return "SOCKBUF";
            case SOCKET: return "SOCKET";
            case UNLINKED: return "UNLINKED";
            case UNLINKED_DATA: return "UNLINKED_DATA";
            case TTY: return "TTY";
            case FS: return "FS";
            case ERROR: return "ERROR";
            case TAIL: return "TAIL";
            default: return "type " + type;
        }
    }
}
