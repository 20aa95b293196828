package org.j386.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SysV IPC guests run several processes that sleep and wake each other (semaphores,
 * full and empty queues, polling with usleep): two runs must retire exactly the same number
 * of instructions and print the same, as the scheduler is deterministic.
 */
class IpcDeterminismTest {
    private static final Pattern STATS = Pattern.compile("j386: (\\d+) instructions");

    @ParameterizedTest
    @ValueSource(strings = {"sysvshm", "sysvsem", "sysvmsg", "uts"})
    void twoRunsRetireTheSameInstructions(String name) throws IOException {
        GuestRunner.Result a = GuestRunner.runGuest("musl", name, "--stats");
        GuestRunner.Result b = GuestRunner.runGuest("musl", name, "--stats");
        assertEquals(0, a.status(), a.stderr());
        assertTrue(a.out().endsWith("all ok\n"), a.out());
        assertEquals(a.out(), b.out());
        assertEquals(instructions(a), instructions(b));
    }

    private static long instructions(GuestRunner.Result r) {
        Matcher m = STATS.matcher(r.stderr());
        assertTrue(m.find(), "no --stats line in: " + r.stderr());
        return Long.parseLong(m.group(1));
    }
}
