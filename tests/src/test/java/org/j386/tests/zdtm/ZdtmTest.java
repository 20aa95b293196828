package org.j386.tests.zdtm;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The checkpoint/restart suite: every program of tests/zdtm runs uninterrupted (the control
 * run), through one checkpoint/restart of the whole guest in a fresh JVM, and through two in a
 * row. Each program checks its own state after the restart and prints PASS only when
 * everything it built is intact, so the whole output must be READY then PASS, and the last
 * JVM must end with the program's status 0.
 */
class ZdtmTest {
    static final List<String> PROGRAMS = List.of("tree", "zombie", "pipe", "ring", "threads", "signals", "timers", "stopped", "sharedfile", "forest", "cow",
            "sessions", "fdflags", "process", "memory", "fpu", "blocked", "sysvshm", "sysvsem", "semundo", "sysvmsg", "shmanon", "mmapfile",
            "utsns", "ipcns",
            "fifo", "socketpair", "eventfd", "epoll", "timerfd", "signalfd", "termios", "clonefs", "unlinked",
            "chain", "fanout", "orphans", "waiters", "threadsig", "sharedsig", "tls", "execd", "bigfile", "mmapmany", "itimerreal", "nested", "robust");

    /** Programs that make namespaces: the guest must be root before and after the restart, which restores the saved ids only when run by root. */
    static final List<String> AS_ROOT = List.of("utsns", "ipcns");

    @TempDir
    Path root;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String p : PROGRAMS) for (int cycles = 0; cycles <= 2; cycles++) out.add(Arguments.of(p, cycles));
        return out;
    }

    @ParameterizedTest(name = "{0}, {1} checkpoint/restart cycles")
    @MethodSource("cases")
    void survives(String name, int cycles) throws Exception {
        assumeTrue(!AS_ROOT.contains(name) || new org.j386.kernel.KernelConfig().uid == 0, name + " needs the host's root (guest uid 0 across restarts)");
        Zdtm.Outcome o = Zdtm.run(name, cycles, root);
        assertEquals("READY\nPASS\n", o.out(), name + " after " + cycles + " cycles; stderr: " + o.err());
        assertEquals(0, o.status(), "exit status; stderr: " + o.err());
    }
}
