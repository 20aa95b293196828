package org.j386.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code j386 kill}: sends a signal to a guest process through the control socket, as kill(2) from outside would. */
@Command(name = "kill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Send a signal to a process of a guest started with --control.")
public final class SignalCommand implements Callable<Integer> {
    @Option(names = "--control", required = true, paramLabel = "PATH", description = "The guest's control socket.")
    Path control;

    @Option(names = "--pid", required = true, paramLabel = "N", description = "The guest process.")
    int pid;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIG", description = "The signal number (default: ${DEFAULT-VALUE}, SIGTERM).", defaultValue = "15")
    int signal;

    private final Streams streams;

    SignalCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        return CheckpointCommand.request(control, "signal " + pid + " " + signal + "\n", streams);
    }
}
