package org.j386.checkpoint;

import org.j386.kernel.Kernel;
import org.j386.kernel.SigInfo;
import org.j386.kernel.Task;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Host requests other than checkpoints (the control socket): a signal to a guest process, freeze and thaw. */
public final class HostControl {
    private HostControl() {}

    /** Sends signal {@code sig} to process {@code pid} as kill(2) from outside the guest would (SI_USER, sender pid 0). */
    public static String signal(Kernel k, int pid, int sig) throws InterruptedException {
        if (sig < 1 || sig > 64) return "bad signal " + sig;
        return onKernel(k, () -> {
            Task t = k.tasks.get(pid);
            if (t == null || t.exited) return "no such process: " + pid;
            k.sendProcessSignal(t, SigInfo.user(sig, SigInfo.SI_USER, 0, 0));
            return null;
        });
    }

    /** Freezes or thaws the subtree of process {@code pid} (0: every task of the guest). */
    public static String freeze(Kernel k, int pid, boolean freeze) throws InterruptedException {
        return onKernel(k, () -> {
            Task root = pid == 0 ? k.init() : k.tasks.get(pid);
            if (root == null || root.exited) return "no such process: " + pid;
            List<Task> set = pid == 0 ? List.copyOf(k.tasks.values()) : new Checkpointer(k).subtree(root);
            if (freeze) k.freezer.freeze(set);
            else k.freezer.thawFromHost(set); // their cgroups stop freezing too: the guest view agrees
            return null;
        });
    }

    /** Runs {@code op} on the emulator thread between quanta and returns its answer (null: ok). */
    static String onKernel(Kernel k, Supplier<String> op) throws InterruptedException {
        CompletableFuture<String> done = new CompletableFuture<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!k.postHostRequest(() -> done.complete(op.get()))) {
            if (System.nanoTime() > until) return "the guest is busy with another host request";
            Thread.sleep(5);
        }
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        } catch (TimeoutException e) {
            return "the guest did not answer within 60 s";
        }
    }
}
