package org.j386.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets one clear line and a defined status, never a stack trace or a hang. */
class ErrorPathsTest {
    @TempDir
    Path dir;

    private GuestRunner.Result run(byte[] image, String... options) throws IOException {
        Path f = dir.resolve("prog");
        Files.write(f, image);
        String[] args = new String[options.length + 4];
        args[0] = "run";
        args[1] = "--root";
        args[2] = dir.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        args[args.length - 1] = f.toString();
        return GuestRunner.cli(args);
    }

    private static void assertOneCleanLine(GuestRunner.Result r, String... fragments) {
        assertEquals(1, r.status(), r.stderr());
        String err = r.stderr().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' missing in: " + err);
    }

    @Test
    void notAnElf() throws IOException {
        assertOneCleanLine(run("#!/bin/sh\necho hi\n".getBytes()), "prog", "not an ELF");
    }

    @Test
    void elf64IsRefused() throws IOException {
        byte[] img = TinyElf.of(new byte[] {(byte) 0xf4});
        img[4] = 2;
        assertOneCleanLine(run(img), "prog", "64-bit");
    }

    @Test
    void nonX86IsRefused() throws IOException {
        byte[] img = TinyElf.of(new byte[] {(byte) 0xf4});
        img[18] = 40; // EM_ARM
        assertOneCleanLine(run(img), "prog", "not an x86");
    }

    @Test
    void truncatedElfIsRefused() throws IOException {
        byte[] hello = Files.readAllBytes(GuestRunner.GUEST.resolve("bin/glibc/hello"));
        assertOneCleanLine(run(Arrays.copyOf(hello, 4000)), "prog", "truncated");
        assertOneCleanLine(run(Arrays.copyOf(hello, 30)), "prog", "truncated");
    }

    @Test
    void missingProgram() {
        GuestRunner.Result r = GuestRunner.cli("run", dir.resolve("nope").toString());
        assertOneCleanLine(r, "nope", "no such file");
    }

    @Test
    void linuxCrNumbersAnswerOnlyWithTheirOption() throws IOException {
        // checkpoint(0, fd 0, 0, 0) at the series' number 347: stdin cannot take an image (EBADF) once the number is known
        assertEquals(38, run(TinyElf.syscallThenExitWithErrno(347)).status(), "347 is process_vm_readv, not implemented: ENOSYS");
        assertEquals(9, run(TinyElf.syscallThenExitWithErrno(347), "--linux-cr-numbers").status(), "checkpoint at 347: EBADF");
        assertEquals(9, run(TinyElf.syscallThenExitWithErrno(500)).status(), "checkpoint at 500: EBADF");
    }

    @Test
    void unknownSyscallReturnsEnosysAndShowsInStrace() throws IOException {
        GuestRunner.Result r = run(TinyElf.syscallThenExitWithErrno(499), "--strace");
        assertEquals(38, r.status(), "the guest exits with the errno it got: ENOSYS");
        assertTrue(r.stderr().contains("unknown_syscall_499"), r.stderr());
        assertTrue(r.stderr().contains("ENOSYS"), r.stderr());
    }

    @Test
    void undefinedOpcodeIsSigill() throws IOException {
        GuestRunner.Result r = run(TinyElf.of(new byte[] {0x0f, 0x0b}), "--strace");
        assertEquals(128 + 4, r.status());
        assertTrue(r.stderr().contains("SIGILL") && r.stderr().contains("bytes: 0f 0b"), r.stderr());
    }

    @Test
    void guestFaultsShowEipAndBytesUnderStrace() throws IOException {
        GuestRunner.Result r = GuestRunner.runGuest("musl", "segv", "--strace");
        assertEquals(139, r.status());
        assertTrue(r.stderr().matches("(?s).*SIGSEGV.*eip=0x[0-9a-f]{8} bytes: [0-9a-f]{2}.*"), r.stderr());
        GuestRunner.Result d = GuestRunner.runGuest("glibc", "fpe", "--strace");
        assertEquals(136, d.status());
        assertTrue(d.stderr().contains("SIGFPE"), d.stderr());
    }

    @Test
    void badPointerToWriteIsEfault() throws IOException {
        // mov eax,4; mov ebx,1; mov ecx,1; mov edx,10; int 0x80; exit(-eax)
        byte[] code = {(byte) 0xb8, 4, 0, 0, 0, (byte) 0xbb, 1, 0, 0, 0, (byte) 0xb9, 1, 0, 0, 0, (byte) 0xba, 10, 0, 0, 0,
                (byte) 0xcd, (byte) 0x80, (byte) 0x89, (byte) 0xc3, (byte) 0xf7, (byte) 0xdb, (byte) 0xb8, 1, 0, 0, 0, (byte) 0xcd, (byte) 0x80};
        assertEquals(14, run(TinyElf.of(code)).status());
    }

    @Test
    void runawayGuestStopsAtTheInstructionLimit() throws IOException {
        GuestRunner.Result r = run(TinyElf.of(new byte[] {(byte) 0xeb, (byte) 0xfe}), "--max-instructions", "100000");
        assertEquals(124, r.status());
    }

    @Test
    void misuseIsUsageAndStatus2() {
        GuestRunner.Result r = GuestRunner.cli("run", "--no-such-option");
        assertEquals(2, r.status());
        assertTrue(r.stderr().contains("Usage"), r.stderr());
        assertEquals(2, GuestRunner.cli("frobnicate").status());
    }

    @Test
    void helpAndVersion() {
        GuestRunner.Result h = GuestRunner.cli("--help");
        assertEquals(0, h.status());
        assertTrue(h.out().contains("run"), h.out());
        GuestRunner.Result v = GuestRunner.cli("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("j386 "), v.out());
    }
}
