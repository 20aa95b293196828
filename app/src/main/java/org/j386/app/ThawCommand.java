package org.j386.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code j386 thaw}: the freezer, through a guest's control socket. */
@Command(name = "thaw", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Thaw a guest's frozen process subtree (default: every task).")
public final class ThawCommand implements Callable<Integer> {
    @Option(names = "--control", required = true, paramLabel = "PATH", description = "The guest's control socket.")
    Path control;

    @Option(names = "--pid", paramLabel = "N", description = "The root process of the subtree (default: the whole guest).")
    int pid;

    private final Streams streams;

    ThawCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        return CheckpointCommand.request(control, "thaw " + pid + "\n", streams);
    }
}
