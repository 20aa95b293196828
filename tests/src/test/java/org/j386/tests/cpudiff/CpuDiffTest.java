package org.j386.tests.cpudiff;

import org.j386.app.Main;
import org.j386.app.Streams;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The CPU differential suite (tests/cpu-diff): runs each generated binary in j386, with and
 * without pre-decoded blocks, and compares every case's record with the one recorded natively
 * on the host CPU. Undefined flags are masked per form (see tests/cpu-diff/README.md).
 */
class CpuDiffTest {
    static final int REC = 140;
    static final int CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
    static final int ARITH = CF | PF | AF | ZF | SF | OF;
    static final String[] REGS = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};

    /**
     * Forms allowed to fail, with the reason. Keep this list short and honest: every entry is
     * a known divergence from the host CPU that is still to be fixed.
     */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    record Form(String group, String name, int cases, String rule) {}

    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path g = p.resolve("tests/cpu-diff");
            if (Files.isRegularFile(g.resolve("forms.txt"))) return g;
        }
        throw new IllegalStateException("tests/cpu-diff not found above " + Path.of("").toAbsolutePath());
    }

    static List<Form> forms(Path dir) throws IOException {
        List<Form> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("forms.txt"))) {
            if (l.startsWith("#") || l.isBlank()) continue;
            String[] f = l.split("\t");
            out.add(new Form(f[0], f[1], Integer.parseInt(f[2]), f[3]));
        }
        return out;
    }

    @ParameterizedTest(name = "blocks={0}")
    @ValueSource(booleans = {true, false})
    void matchesHostCpu(boolean blocks) throws Exception {
        Path dir = dir();
        List<Form> forms = forms(dir);
        Map<String, List<Form>> byGroup = new LinkedHashMap<>();
        for (Form f : forms) byGroup.computeIfAbsent(f.group(), k -> new ArrayList<>()).add(f);

        StringBuilder report = new StringBuilder();
        int totalCases = 0, failedCases = 0, failedForms = 0, unexpected = 0;
        List<String> fixedKnown = new ArrayList<>();
        String old = System.getProperty("j386.noBlocks");
        System.setProperty("j386.noBlocks", Boolean.toString(!blocks));
        try {
            for (var e : byGroup.entrySet()) {
                String group = e.getKey();
                byte[] expected;
                try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("expected/" + group + ".out.gz")))) {
                    expected = in.readAllBytes();
                }
                byte[] actual = runInJ386(dir.resolve("bin/" + group + ".elf"), report);
                int off = 0;
                for (Form f : e.getValue()) {
                    int fails = 0;
                    StringBuilder first = new StringBuilder();
                    for (int c = 0; c < f.cases(); c++, off += REC) {
                        totalCases++;
                        String d;
                        if (off + REC > expected.length) {
                            d = "no native record (regenerate?)";
                        } else if (off + REC > actual.length) {
                            d = "j386 produced no record (output ended at byte " + actual.length + ")";
                        } else {
                            d = compare(f, c, ByteBuffer.wrap(expected, off, REC).slice().order(ByteOrder.LITTLE_ENDIAN),
                                    ByteBuffer.wrap(actual, off, REC).slice().order(ByteOrder.LITTLE_ENDIAN));
                        }
                        if (d != null) {
                            fails++;
                            if (fails <= 3) first.append("    case ").append(c).append(": ").append(d).append('\n');
                        }
                    }
                    failedCases += fails;
                    boolean known = KNOWN_FAILURES.containsKey(f.group() + "/" + f.name());
                    if (fails > 0) {
                        failedForms++;
                        if (!known) unexpected++;
                        report.append(String.format("FAIL %s/%s: %d of %d cases%s%n", f.group(), f.name(), fails, f.cases(),
                                known ? " (known: " + KNOWN_FAILURES.get(f.group() + "/" + f.name()) + ")" : ""));
                        report.append(first);
                    } else if (known) {
                        fixedKnown.add(f.group() + "/" + f.name());
                    }
                }
            }
        } finally {
            if (old == null) System.clearProperty("j386.noBlocks"); else System.setProperty("j386.noBlocks", old);
        }
        String summary = String.format("cpu-diff blocks=%s: %d forms, %d cases; %d forms / %d cases fail (%d forms not in KNOWN_FAILURES)%n",
                blocks, forms.size(), totalCases, failedForms, failedCases, unexpected);
        System.out.print(summary);
        if (!fixedKnown.isEmpty()) System.out.println("known failures that now pass (remove them from the list): " + fixedKnown);
        if (report.length() > 0) System.out.print(report.length() > 200_000 ? report.substring(0, 200_000) + "...\n" : report);
        Assertions.assertEquals(0, unexpected, summary + report);
    }

    static byte[] runInJ386(Path bin, StringBuilder report) throws IOException {
        Path root = Files.createTempDirectory("j386-cpudiff-");
        try {
            String name = bin.getFileName().toString();
            Path copy = root.resolve(name);
            Files.copy(bin, copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Streams s = new Streams(new ByteArrayInputStream(new byte[0]), out, err,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    false, false, false);
            int status = Main.execute(new String[] {"run", "--root", root.toString(), "--argv0", "./" + name, copy.toString()}, s);
            if (status != 0) {
                report.append(String.format("%s exited with status %d: %s%n", name, status, err.toString(StandardCharsets.UTF_8).trim()));
            }
            return out.toByteArray();
        } finally {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Flags the manual leaves undefined for this case, or -1 to skip the case entirely. */
    static int undefinedFlags(Form f, ByteBuffer in) {
        String r = f.rule();
        switch (r) {
            case "none", "str", "sel": return 0;
            case "logic": return AF;
            case "mul": return SF | ZF | AF | PF;
            case "div": return ARITH;
            case "aaa": return OF | SF | ZF | PF;
            case "aam": return OF | AF | CF;
            case "daa": return OF;
            case "bsf": return CF | OF | SF | AF | PF;
            case "bt": return OF | SF | AF | PF;
            default: break;
        }
        if (r.startsWith("mask:")) return Integer.parseInt(r.substring(5), 16); // computed by the generator
        if (r.startsWith("sh:")) {
            String[] p = r.split(":");
            String op = p[1];
            int size = Integer.parseInt(p[2]);
            int count = switch (p[3]) {
                case "1" -> 1;
                case "cl" -> in.getInt(4) & 0xff;
                default -> in.getInt(36) & 0xff;
            };
            int masked = count & 0x1f;
            if (masked == 0) return 0;
            int u = masked == 1 ? 0 : OF;
            switch (op) {
                case "rol", "ror", "rcl", "rcr": return u;
                case "shld", "shrd":
                    if (masked > size) return -1;
                    return u | AF;
                default:
                    u |= AF;
                    if (masked >= size) u |= CF; // SHL/SHR/SAR of 8/16-bit operands by >= the width
                    return u;
            }
        }
        throw new IllegalArgumentException("unknown flag rule " + r);
    }

    /** Null when equal, else a readable description of the difference. */
    static String compare(Form f, int c, ByteBuffer exp, ByteBuffer act) {
        if (f.rule().equals("sel")) {
            exp = canonicalSelectors(exp);
            act = canonicalSelectors(act);
        }
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            if (exp.get(i) != act.get(i)) {
                return "inputs differ (harness ran differently in j386): " + hex(exp, 0, 40) + " vs " + hex(act, 0, 40);
            }
        }
        int undef = undefinedFlags(f, exp);
        if (undef < 0) return null;
        for (int r = 0; r < 8; r++) {
            int e = exp.getInt(40 + 4 * r), a = act.getInt(40 + 4 * r);
            if (e != a) d.append(String.format(" %s=%08x want %08x;", REGS[r], a, e));
        }
        int ef = exp.getInt(72) & ~undef, af = act.getInt(72) & ~undef;
        if (ef != af) d.append(String.format(" eflags=%08x want %08x (diff %08x, undefined %03x);", af, ef, ef ^ af, undef));
        for (int i = 0; i < 64; i += 4) {
            int e = exp.getInt(76 + i), a = act.getInt(76 + i);
            if (e != a) d.append(String.format(" mem[%d]=%08x want %08x;", i, a, e));
        }
        if (d.length() == 0) return null;
        StringBuilder in = new StringBuilder("in:");
        for (int r = 0; r < 8; r++) in.append(String.format(" %s=%08x", REGS[r], exp.getInt(4 * r)));
        in.append(String.format(" fl=%08x imm=%08x |", exp.getInt(32), exp.getInt(36)));
        return in + d.toString();
    }

    /**
     * The user selectors are the kernel's choice, not the CPU's: Linux i386 uses 0x73/0x7b (as
     * the kernel model does), a 32-bit process under an x86-64 kernel, like the recording
     * host's, gets 0x23/0x2b. For forms that store selectors, every aligned 16-bit 0x0073 or
     * 0x007b is read as 0x0023 or 0x002b on both sides; the widths and the neighbouring bytes
     * are still compared.
     */
    static ByteBuffer canonicalSelectors(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(REC).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < REC; i += 2) {
            short v = b.getShort(i);
            c.putShort(i, v == 0x73 ? 0x23 : v == 0x7b ? 0x2b : v);
        }
        return c;
    }

    static String hex(ByteBuffer b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) s.append(String.format("%02x", b.get(i)));
        return s.toString();
    }
}
