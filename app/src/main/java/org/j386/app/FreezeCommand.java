package org.j386.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code j386 freeze}: the freezer, through a guest's control socket. */
@Command(name = "freeze", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Freeze a guest's process subtree (default: every task): its tasks stop at a clean point until thawed.")
public final class FreezeCommand implements Callable<Integer> {
    @Option(names = "--control", required = true, paramLabel = "PATH", description = "The guest's control socket.")
    Path control;

    @Option(names = "--pid", paramLabel = "N", description = "The root process of the subtree (default: the whole guest).")
    int pid;

    private final Streams streams;

    FreezeCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        return CheckpointCommand.request(control, "freeze " + pid + "\n", streams);
    }
}
