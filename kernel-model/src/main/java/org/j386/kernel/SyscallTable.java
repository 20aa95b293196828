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

    private final String[] partial = new String[MAX];

    /** Marks an implemented call as partial: what of Linux's behaviour it leaves out (docs/syscalls.md). */
    public void partial(int nr, String whatIsMissing) {
        if (entries[nr] == null) throw new IllegalStateException("syscall " + nr + " marked partial but not registered");
        partial[nr] = whatIsMissing;
    }

    /** What the implementation of {@code nr} leaves out, or null when complete (or missing). */
    public String partialNote(int nr) {
        return nr >= 0 && nr < MAX ? partial[nr] : null;
    }

    private static String[] linuxNames;

    /** The Linux name of i386 system call {@code nr} (whether or not j386 implements it), or null. */
    public static synchronized String linuxName(int nr) {
        if (linuxNames == null) {
            String[] names = new String[MAX];
            try (var in = SyscallTable.class.getResourceAsStream("syscalls-i386.txt")) {
                if (in != null) {
                    for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                        if (line.isEmpty() || line.startsWith("#")) continue;
                        int sp = line.indexOf(' ');
                        int n = Integer.parseInt(line.substring(0, sp));
                        if (n >= 0 && n < MAX) names[n] = line.substring(sp + 1).trim();
                    }
                }
            } catch (java.io.IOException e) {
                // names are for messages only
            }
            linuxNames = names;
        }
        return nr >= 0 && nr < MAX ? linuxNames[nr] : null;
    }
}
