package org.j386.kernel;

/**
 * docs/syscalls.md, generated from the syscall table: every i386 Linux system call with its
 * state in j386 (implemented, partial with what is missing, or missing: ENOSYS), plus the
 * j386-only calls. A test keeps the committed file equal to what this produces.
 */
public final class SyscallDoc {
    private SyscallDoc() {}

    public static String markdown(SyscallTable t) {
        int implemented = 0, partial = 0, missing = 0, extra = 0;
        StringBuilder rows = new StringBuilder();
        for (int nr = 0; nr < SyscallTable.MAX; nr++) {
            String linux = SyscallTable.linuxName(nr);
            SyscallTable.Entry e = t.get(nr);
            if (linux == null && e == null) continue;
            String state;
            if (e == null) {
                state = "missing";
                missing++;
            } else if (t.partialNote(nr) != null) {
                state = "partial: " + t.partialNote(nr);
                partial++;
            } else {
                state = "implemented";
                implemented++;
            }
            String name = linux != null ? linux : e.name() + " (j386)";
            if (linux == null) extra++;
            rows.append("| ").append(nr).append(" | `").append(name).append("` | ").append(state).append(" |\n");
        }
        int linuxTotal = implemented + partial + missing - extra;
        return "# System calls\n\n"
                + "Generated from the kernel model's syscall table (`SyscallDoc`; the test `SyscallDocTest` fails when\n"
                + "this file is stale: regenerate with `mvn -pl tests -am verify -Dtest=SyscallDocTest -Dj386.writeDocs=true`).\n"
                + "Numbers and names are i386 Linux's (`tools/gen-syscall-names.sh`). A missing call returns -ENOSYS\n"
                + "and shows by name in `--strace`.\n\n"
                + "Of " + linuxTotal + " i386 Linux system calls: " + (implemented - extra) + " implemented, " + partial
                + " partial, " + missing + " missing; plus " + extra + " j386 calls.\n\n"
                + "| nr | name | state |\n|---:|---|---|\n" + rows;
    }
}
