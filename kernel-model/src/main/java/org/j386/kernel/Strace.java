package org.j386.kernel;

import java.io.PrintStream;

/** Formats --strace lines: {@code PID name(args) = result}, like qemu-i386 -strace. */
final class Strace {
    private final PrintStream out;

    Strace(PrintStream out) {
        this.out = out;
    }

    String formatCall(Task t, SyscallTable.Entry e, int nr, int[] args) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.pid).append(' ');
        String fmt;
        if (e == null) {
            String linux = SyscallTable.linuxName(nr);
            if (linux != null) sb.append(linux); // not implemented: the ENOSYS result says so
            else sb.append("unknown_syscall_").append(nr);
            fmt = "xxxxxx";
        } else {
            sb.append(e.name());
            fmt = e.format();
            int eq = fmt.indexOf('=');
            if (eq >= 0) fmt = fmt.substring(0, eq);
        }
        sb.append('(');
        for (int i = 0; i < fmt.length() && i < 6; i++) {
            if (i > 0) sb.append(',');
            int v = args[i];
            switch (fmt.charAt(i)) {
                case 'd': sb.append(v); break;
                case 'o': sb.append('0').append(Integer.toOctalString(v)); break;
                case 's': appendString(sb, t, v); break;
                case 'p': sb.append(String.format("0x%08x", v)); break;
                default: sb.append("0x").append(Integer.toHexString(v));
            }
        }
        return sb.append(')').toString();
    }

    private static void appendString(StringBuilder sb, Task t, int addr) {
        if (addr == 0) { sb.append("NULL"); return; }
        try {
            String s = t.mem.readCString(addr, 4095);
            sb.append('"');
            for (int i = 0; i < s.length() && i < 64; i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') sb.append('\\').append(c);
                else if (c >= 32 && c < 127) sb.append(c);
                else sb.append(String.format("\\x%02x", (int) c));
            }
            if (s.length() > 64) sb.append("\"...");
            else sb.append('"');
        } catch (SyscallException e) {
            sb.append(String.format("0x%08x", addr));
        }
    }

    /** @param hex print a successful result as an address (format suffix "=p"). */
    void result(String call, int ret, boolean hex) {
        if (ret < 0 && ret > -4096) out.println(call + " = -1 errno=" + (-ret) + " (" + Errno.name(-ret) + ")");
        else if (hex) out.println(call + String.format(" = 0x%08x", ret));
        else out.println(call + " = " + ret);
        out.flush();
    }

    void line(String s) {
        out.println(s);
        out.flush();
    }
}
