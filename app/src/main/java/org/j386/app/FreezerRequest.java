package org.j386.app;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code j386 freeze} and {@code j386 thaw}: one freezer request over a guest's control
 * socket ("freeze PID" or "thaw PID", PID 0 for every task). The two commands differ only in
 * the verb, so they share the options and the request here.
 */
abstract class FreezerRequest implements Callable<Integer> {
    @Option(names = "--control", required = true, paramLabel = "PATH", description = "The guest's control socket.")
    Path control;

    @Option(names = "--pid", paramLabel = "N", description = "The root process of the subtree (default: the whole guest).")
    int pid;

    private final Streams streams;
    private final String verb;

    FreezerRequest(Streams streams, String verb) {
        this.streams = streams;
        this.verb = verb;
    }

    @Override
    public Integer call() {
        return CheckpointCommand.request(control, verb + " " + pid + "\n", streams);
    }
}
