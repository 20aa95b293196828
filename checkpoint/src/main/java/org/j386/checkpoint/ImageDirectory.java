package org.j386.checkpoint;

import org.j386.kernel.Kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Periodic checkpoints of a batch job into a directory: ckpt-000001.img, ckpt-000002.img...
 * each written atomically (a crash while writing never replaces the last good image), the
 * oldest removed beyond {@code keep}. A restart from the directory takes the newest image
 * that reads back valid.
 */
public final class ImageDirectory {
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{6,})\\.img");

    private final Path dir;
    private final int keep;
    private final PrintStream log;
    private long seq;

    public ImageDirectory(Path dir, int keep, PrintStream log) throws IOException {
        this.dir = dir;
        this.keep = keep;
        this.log = log;
        Files.createDirectories(dir);
        for (Path p : images(dir)) seq = Math.max(seq, number(p));
    }

    /** Writes the next image of the running task; failures are reported and the job goes on. */
    public void checkpoint(Kernel k) {
        Path next = dir.resolve(String.format("ckpt-%06d.img", seq + 1));
        String err = HostCheckpoint.takeNow(k, 0, next);
        if (err != null) {
            log.println("j386: periodic checkpoint skipped: " + err);
            return;
        }
        seq++;
        try {
            List<Path> all = images(dir);
            for (int i = 0; i < all.size() - keep; i++) Files.deleteIfExists(all.get(i));
        } catch (IOException e) {
            log.println("j386: cannot prune " + dir + ": " + e.getMessage());
        }
    }

    /** The images in a directory, oldest first. */
    public static List<Path> images(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        }
        out.sort(Comparator.comparingLong(ImageDirectory::number));
        return out;
    }

    private static long number(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The newest image of {@code dir} that is valid (the caller closes it), with the reasons the newer ones were passed over. */
    public static ImageData newestValid(Path dir, PrintStream log) throws IOException, ImageException {
        List<Path> all = images(dir);
        ImageException last = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return ImageReader.read(all.get(i));
            } catch (ImageException e) {
                log.println("j386: skipping " + all.get(i).getFileName() + ": " + e.getMessage());
                last = e;
            }
        }
        if (last != null) throw last;
        throw new ImageException(dir.toString(), 0, "no checkpoint images (ckpt-NNNNNN.img) in the directory");
    }
}
