package org.j386.checkpoint;

import org.j386.kernel.Freezer;
import org.j386.kernel.Kernel;
import org.j386.kernel.Task;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A checkpoint asked for by the host (the control socket): taken on the emulator thread
 * between two quanta with the saved tasks frozen, written to IMAGE.tmp and renamed over IMAGE
 * only when complete, so a failure never replaces the last good image.
 */
public final class HostCheckpoint {
    private HostCheckpoint() {}

    /** Returns null on success, or the reason it failed. */
    public static String take(Kernel k, int pid, Path image, boolean kill) throws InterruptedException {
        CompletableFuture<String> done = new CompletableFuture<>();
        boolean posted = k.postHostRequest(() -> done.complete(onEmulatorThread(k, pid, image, kill)));
        if (!posted) return "another host request is in progress";
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return "checkpoint failed: " + e.getCause();
        } catch (TimeoutException e) {
            return "the guest did not reach a checkpoint point within 60 s";
        }
    }

    /** Takes a checkpoint now; the caller is on the emulator thread (periodic checkpoints). Returns null or the reason. */
    public static String takeNow(Kernel k, int pid, Path image) {
        return onEmulatorThread(k, pid, image, false);
    }

    /**
     * Freezes the tasks to save (the subtree of process {@code pid}, or with pid 0 the whole
     * guest), writes their image, then thaws them, or ends the guest with {@code kill}.
     */
    private static String onEmulatorThread(Kernel k, int pid, Path image, boolean kill) {
        Task root = pid == 0 ? k.init() : k.tasks.get(pid);
        if (root == null || root.exited) return "no such process: " + pid;
        if (root.pid != root.tgid) return "pid " + pid + " is a thread; checkpoint its process " + root.tgid;
        Checkpointer c = new Checkpointer(k);
        List<Task> set = pid == 0 ? new ArrayList<>(k.tasks.values()) : c.subtree(root);
        List<Task> frozenHere = new ArrayList<>();
        for (Task t : set) if (t.freezeState == Freezer.State.THAWED) frozenHere.add(t);
        k.freezer.freeze(frozenHere); // between quanta: every task parks at once
        try {
            String why = c.refusal(set, false);
            if (why != null) return "cannot checkpoint pid " + root.pid + ": " + why;
            Path tmp = image.resolveSibling(image.getFileName() + ".tmp");
            try {
                try (OutputStream out = new FileOutputStream(tmp.toFile())) { // a file: pages go to its channel straight from off-heap
                    c.writeTree(set, out);
                }
                try {
                    Files.move(tmp, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, image, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | RuntimeException e) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* nothing more to do */ }
                return "cannot write " + image + ": " + e.getMessage();
            }
            if (kill) k.killAll();
            return null;
        } finally {
            k.freezer.thaw(frozenHere); // tasks frozen before the checkpoint stay frozen
        }
    }
}
