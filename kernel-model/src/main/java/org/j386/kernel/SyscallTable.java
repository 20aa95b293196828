package org.j386.kernel;

/**
 * The i386 system call table: number to handler, with a name and an argument format for
 * --strace. Handlers return the value for EAX (negative errno on failure) or throw
 * {@link SyscallException}.
 */
public final class SyscallTable {
    public static final int MAX = 512;

    @FunctionalInterface
    public interface Handler {
        int call(Task t, int ebx, int ecx, int edx, int esi, int edi, int ebp);
    }

    /**
     * @param format one letter per argument for tracing: d decimal, x hex, s C string,
     *               p pointer, o octal.
     */
    public record Entry(int nr, String name, String format, Handler handler) {}

    private final Entry[] entries = new Entry[MAX];

    public void register(int nr, String name, String format, Handler h) {
        if (entries[nr] != null) throw new IllegalStateException("syscall " + nr + " registered twice: " + name);
        entries[nr] = new Entry(nr, name, format, h);
    }

    /** Null when the number is unknown (the dispatcher answers ENOSYS). */
    public Entry get(int nr) {
        return nr >= 0 && nr < MAX ? entries[nr] : null;
    }
}
