package org.j386.app;

import org.j386.checkpoint.Image;
import org.j386.checkpoint.ImageData;
import org.j386.checkpoint.ImageException;
import org.j386.checkpoint.ImageReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code j386 inspect IMAGE}: decodes and validates every record of an image. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Decode a checkpoint image and print what it holds (validating it completely).")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    private final Streams streams;

    InspectCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        ImageData d;
        try {
            d = ImageReader.read(image);
        } catch (NoSuchFileException e) {
            streams.err().println("j386: " + image + ": no such file");
            return 1;
        } catch (IOException e) {
            streams.err().println("j386: " + image + ": cannot read: " + e.getMessage());
            return 1;
        } catch (ImageException e) {
            streams.err().println("j386: " + image + ": " + e.getMessage());
            return 1;
        }
        try (d) {
            PrintStream o = streams.out();
            if (json) printJson(o, d);
            else printText(o, d);
            o.flush();
        }
        return 0;
    }

    private static void printText(PrintStream o, ImageData d) {
        o.printf("image format %d, %d records, crc32 %08x%n", Image.VERSION, d.recordCount, d.checksum);
        o.printf("header: %s, %s, %s %s %s, icount %d, slept %d ns%n", d.header.arch, d.header.kernelModel,
                d.header.sysname, d.header.release, d.header.machine, d.header.icount, d.header.skippedNanos);
        ImageData.TaskRec t = d.task;
        o.printf("task: pid %d tgid %d ppid %d pgid %d sid %d comm '%s' uid %d gid %d cwd %s umask %03o%n",
                t.pid, t.tgid, t.ppid, t.pgid, t.sid, t.comm, t.uid, t.gid, t.cwd, t.umask);
        o.printf("cpu: eip %08x eflags %08x eax %08x ecx %08x edx %08x ebx %08x esp %08x ebp %08x esi %08x edi %08x%n",
                d.cpu.eip, d.cpu.eflags, d.cpu.r[0], d.cpu.r[1], d.cpu.r[2], d.cpu.r[3], d.cpu.r[4], d.cpu.r[5], d.cpu.r[6], d.cpu.r[7]);
        o.printf("     cs %04x ss %04x ds %04x es %04x fs %04x gs %04x fpu cw %04x sw %04x%n",
                d.cpu.seg[1], d.cpu.seg[2], d.cpu.seg[3], d.cpu.seg[0], d.cpu.seg[4], d.cpu.seg[5], d.cpu.fcw, d.cpu.fsw);
        o.printf("mm: brk %08x-%08x, %d VMAs, %d pages%n", d.mm.startBrk, d.mm.brk, d.vmas.size(), d.rootMm.pageCount());
        for (ImageData.VmaRec v : d.vmas) {
            long n = d.rootMm.pagesIn(v.start, v.end);
            o.printf("  vma %08x-%08x %c%c%c %s (%d pages)%n", v.start, v.end, (v.prot & 1) != 0 ? 'r' : '-',
                    (v.prot & 2) != 0 ? 'w' : '-', (v.prot & 4) != 0 ? 'x' : '-', v.name, n);
        }
        for (ImageData.FdRec f : d.fds) {
            ImageData.FileRec fr = d.files.get(f.fileId);
            String what = fr.kind == Image.FILE_CONSOLE ? "console " + fr.consoleIndex : fr.path;
            o.printf("fd %d -> file %d: %s, flags %o, pos %d%s%n", f.fd, f.fileId, what, fr.flags, fr.pos, f.cloexec ? ", cloexec" : "");
        }
        o.printf("signals: blocked %016x pending %016x%n", d.signals.blocked, d.signals.pending);
        o.printf("tree: %d tasks, %d address spaces, %d descriptor tables, %d pipes%n", d.tasks.size(), d.mms.size(), d.fdTables.size(), d.pipes.size());
        for (ImageData.TaskImage ti : d.tasks) {
            ImageData.TaskRec r = ti.task;
            String state = r.zombie ? String.format("zombie (wait status %04x)", r.waitStatus)
                    : String.format("mm %d files %d sighand %d, blocked %016x pending %016x%s", r.mmId, r.filesId, r.sighandId,
                    ti.signals.blocked, ti.signals.pending, (r.flags & ImageData.T_STOPPED) != 0 ? ", stopped" : "")
                    + queued(ti);
            o.printf("  %s %d tgid %d ppid %d pgid %d sid %d '%s' %s%s%n", r.pid == r.tgid ? "process" : "thread", r.pid, r.tgid,
                    r.ppid, r.pgid, r.sid, r.comm, state, ti.timers.isEmpty() ? "" : ", " + ti.timers.size() + " POSIX timers");
        }
        for (var e : d.pipes.entrySet()) o.printf("  pipe %d: %d bytes in flight%n", e.getKey(), e.getValue().length);
    }

    /** The task's queued signal instances: its own, then its process's, in delivery order. */
    private static String queued(ImageData.TaskImage ti) {
        StringBuilder own = new StringBuilder(), process = new StringBuilder();
        for (ImageData.SigInfoRec r : ti.sigInfo) (r.set == 0 ? own : process).append(' ').append(r.signo);
        return (own.length() == 0 ? "" : ", queued" + own) + (process.length() == 0 ? "" : ", process queued" + process);
    }

    private static void printJson(PrintStream o, ImageData d) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"format\":").append(Image.VERSION).append(",\"records\":").append(d.recordCount)
                .append(",\"crc32\":").append(Integer.toUnsignedLong(d.checksum))
                .append(",\"header\":{\"arch\":").append(q(d.header.arch)).append(",\"kernelModel\":").append(q(d.header.kernelModel))
                .append(",\"release\":").append(q(d.header.release)).append(",\"icount\":").append(d.header.icount).append('}')
                .append(",\"task\":{\"pid\":").append(d.task.pid).append(",\"tgid\":").append(d.task.tgid)
                .append(",\"comm\":").append(q(d.task.comm)).append(",\"cwd\":").append(q(d.task.cwd)).append('}')
                .append(",\"cpu\":{\"eip\":").append(Integer.toUnsignedLong(d.cpu.eip)).append(",\"regs\":[");
        for (int i = 0; i < 8; i++) sb.append(i > 0 ? "," : "").append(Integer.toUnsignedLong(d.cpu.r[i]));
        sb.append("]},\"vmas\":[");
        for (int i = 0; i < d.vmas.size(); i++) {
            ImageData.VmaRec v = d.vmas.get(i);
            sb.append(i > 0 ? "," : "").append("{\"start\":").append(Integer.toUnsignedLong(v.start)).append(",\"end\":")
                    .append(Integer.toUnsignedLong(v.end)).append(",\"prot\":").append(v.prot).append(",\"name\":").append(q(v.name)).append('}');
        }
        sb.append("],\"pages\":").append(d.rootMm.pageCount()).append(",\"fds\":[");
        for (int i = 0; i < d.fds.size(); i++) {
            ImageData.FdRec f = d.fds.get(i);
            ImageData.FileRec fr = d.files.get(f.fileId);
            sb.append(i > 0 ? "," : "").append("{\"fd\":").append(f.fd).append(",\"file\":").append(f.fileId)
                    .append(",\"kind\":").append(fr.kind).append(",\"path\":").append(q(fr.path)).append(",\"pos\":").append(fr.pos).append('}');
        }
        sb.append("],\"tasks\":[");
        for (int i = 0; i < d.tasks.size(); i++) {
            ImageData.TaskRec r = d.tasks.get(i).task;
            sb.append(i > 0 ? "," : "").append("{\"pid\":").append(r.pid).append(",\"tgid\":").append(r.tgid).append(",\"ppid\":").append(r.ppid)
                    .append(",\"pgid\":").append(r.pgid).append(",\"sid\":").append(r.sid).append(",\"comm\":").append(q(r.comm))
                    .append(",\"zombie\":").append(r.zombie).append(",\"waitStatus\":").append(r.waitStatus)
                    .append(",\"mm\":").append(r.mmId).append(",\"files\":").append(r.filesId).append(",\"sighand\":").append(r.sighandId)
                    .append(",\"stopped\":").append((r.flags & ImageData.T_STOPPED) != 0).append('}');
        }
        sb.append("],\"pipes\":[");
        int n = 0;
        for (var e : d.pipes.entrySet()) {
            sb.append(n++ > 0 ? "," : "").append("{\"id\":").append(e.getKey()).append(",\"bytes\":").append(e.getValue().length).append('}');
        }
        sb.append("]}");
        o.println(sb);
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 32) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
