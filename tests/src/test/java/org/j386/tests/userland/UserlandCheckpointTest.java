package org.j386.tests.userland;

import org.j386.app.GuestRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints of process trees taken and restarted inside the guest with the userland's
 * ckpt and restart tools (booted through init, as root). The workload is
 * tests/guest/src/ckpttree.c, a three-process pipeline whose output follows from its logic
 * alone: whatever happens to it (checkpointed, killed and restarted; frozen; a refused
 * restart beside it), its output file must equal the native run recorded in
 * tests/guest/expected. Each script's own lines are what the script's logic says.
 */
class UserlandCheckpointTest {
    private static final Path GUEST_BIN = locate().resolve("bin/musl");
    private Path root;
    private String motd;

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path g = p.resolve("tests/guest");
            if (Files.isDirectory(g.resolve("bin"))) return g;
        }
        throw new IllegalStateException("tests/guest not found");
    }

    @BeforeEach
    void root() throws IOException {
        root = Files.createTempDirectory("j386-ckpt-");
        GuestRoot.extractTo(root);
        for (String p : new String[] {"ckpttree", "selfckpt"})
            Files.copy(GUEST_BIN.resolve(p), root.resolve("bin/" + p), StandardCopyOption.COPY_ATTRIBUTES);
        motd = Files.readString(UserlandRunner.USERLAND.resolve("root/etc/motd"));
    }

    @AfterEach
    void clean() throws IOException {
        GuestRoot.delete(root);
    }

    private UserlandRunner.Result boot(String script) {
        UserlandRunner.Result r = UserlandRunner.cli(script.getBytes(StandardCharsets.UTF_8),
                "run", "--root", root.toString(), "--uid", "0", "--gid", "0");
        assertEquals("", r.messages(), "j386 itself said nothing");
        return r;
    }

    private String file(String name) throws IOException {
        return Files.readString(root.resolve(name));
    }

    private static String uninterrupted() throws IOException {
        return Files.readString(GUEST_BIN.getParent().getParent().resolve("expected/musl/ckpttree.stdout"));
    }

    private static void assertMatches(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.DOTALL).matcher(text).matches(), "'" + regex + "' does not match:\n" + text);
    }

    @Test
    void aTreeCheckpointedKilledAndRestartedPrintsWhatAnUninterruptedRunPrints() throws IOException {
        UserlandRunner.Result r = boot("""
                ckpttree > /out &
                sleep 1
                ckpt -s -k $! > /img 2> /ckpt.log
                echo ckpt status $?
                cat /out > /out.at-ckpt
                wait $!
                echo job status $?
                sleep 0.5
                restart < /img 2> /restart.log
                echo restart status $?
                """);
        assertEquals(motd + "ckpt status 0\njob status 137\nrestart status 0\n", r.output(), "killed by SIGKILL after the checkpoint");
        String at = file("out.at-ckpt"), want = uninterrupted();
        assertTrue(!at.isEmpty() && want.startsWith(at) && at.length() < want.length(), "checkpointed half-way:\n" + at);
        assertEquals(want, file("out"), "the restarted tree carried on where it was");
        assertMatches("checkpoint \\d+: 3 task\\(s\\) of pid \\d+ written\n", file("ckpt.log"));
        assertMatches("restart: pid \\d+ restored with 2 more task\\(s\\)\n", file("restart.log"));
    }

    @Test
    void aRestartWhosePidsAreTakenIsRefusedAndLeavesNothingBehind() throws IOException {
        UserlandRunner.Result r = boot("""
                ckpttree > /out &
                sleep 1
                ckpt -s $! > /img 2> /ckpt.log
                echo ckpt status $?
                restart < /img 2> /restart.log
                echo restart status $?
                ckpt -n -s $! > /img2
                echo ckpt -n status $?
                ckpt -n 99999 > /img3
                echo ckpt status $?
                wait $!
                echo job status $?
                """);
        assertMatches(Pattern.quote(motd) + "ckpt status 0\nrestart status 1\n"
                + "checkpoint: refused: task \\d+ is not frozen \\(freeze it in /sys/fs/cgroup/freezer first\\)\n"
                + "ckpt: checkpoint of \\d+ failed: Resource busy\nckpt -n status 1\n"
                + "checkpoint: refused: no such process 99999\nckpt: checkpoint of 99999 failed: No such process\nckpt status 1\n"
                + "job status 0\n", r.output());
        assertMatches("restart: refused: pid \\d+ is in use \\(process \\d+, ckpttree\\)\nrestart: Resource busy\n", file("restart.log"));
        assertEquals(uninterrupted(), file("out"), "the checkpointed tree went on after its thaw, and no second copy ran");
    }

    @Test
    void restartFrozenWaitsInTheFreezerUntilItsCgroupThaws() throws IOException {
        UserlandRunner.Result r = boot("""
                ckpttree > /out &
                sleep 1
                ckpt -s -k $! > /img 2> /dev/null
                cat /out > /out.at-ckpt
                wait $!
                sleep 0.5
                mkdir /sys/fs/cgroup/freezer/r
                mkdir /sys/fs/cgroup/freezer/r/inner
                sh -c 'echo $$ > /sys/fs/cgroup/freezer/r/inner/cgroup.procs; exec restart -f < /img 2> /restart.log' &
                sleep 1
                cat /sys/fs/cgroup/freezer/r/freezer.state
                cat /sys/fs/cgroup/freezer/r/inner/freezer.state
                wc -l < /sys/fs/cgroup/freezer/r/inner/tasks
                wc -l < /sys/fs/cgroup/freezer/r/tasks
                cat /out > /out.frozen
                echo THAWED > /sys/fs/cgroup/freezer/r/freezer.state
                cat /sys/fs/cgroup/freezer/r/inner/freezer.state
                wait $!
                echo job status $?
                ls /sys/fs/cgroup/freezer/r
                """);
        assertEquals(motd + "FROZEN\nFROZEN\n3\n0\nTHAWED\njob status 0\n"
                + "cgroup.procs\nfreezer.parent_freezing\nfreezer.self_freezing\nfreezer.state\ninner\ntasks\n", r.output(),
                "the restarted root and its two children are frozen in the restarter's cgroup; a cgroup reads FROZEN through its child");
        assertEquals(file("out.at-ckpt"), file("out.frozen"), "nothing ran while frozen");
        assertEquals(uninterrupted(), file("out"));
        assertMatches("restart: pid \\d+ restored with 2 more task\\(s\\), frozen\n", file("restart.log"));
    }

    @Test
    void aSelfCheckpointingProgramComesBackThroughTheRestartTool() throws IOException {
        UserlandRunner.Result r = boot("""
                cd /home
                selfckpt /home/self.img 2> /dev/null
                restart < /home/self.img 2> /home/restart.log
                echo restart status $?
                cat selfckpt.txt
                """);
        // 0² + 1² + ... + 999² = 999·1000·1999/6; the scratch file holds "before\\n" (7) and "after\\n" (6)
        assertEquals(motd + "checkpointed\nrestarted: sum of squares below 1000 = 332833500, handler ran 1 time(s), scratch offset 13\n"
                + "restart status 0\nbefore\nafter\n", r.output());
        assertMatches("restart: pid \\d+ restored\n", file("home/restart.log"));
    }
}
