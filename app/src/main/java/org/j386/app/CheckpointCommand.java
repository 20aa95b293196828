package org.j386.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code j386 checkpoint}: asks a running guest, through its control socket, for an image. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Checkpoint a guest started with `j386 run --control PATH`.")
public final class CheckpointCommand implements Callable<Integer> {
    @Option(names = "--control", required = true, paramLabel = "PATH", description = "The guest's control socket.")
    Path control;

    @Option(names = "--pid", paramLabel = "N", description = "The process whose subtree to checkpoint (default: the whole guest).")
    int pid;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "IMAGE", description = "Where to write the image (atomically).")
    Path output;

    @Option(names = "--kill", description = "End the guest once the image is written.")
    boolean kill;

    private final Streams streams;

    CheckpointCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        String request = "checkpoint " + pid + " " + (kill ? "kill" : "keep") + " " + output.toAbsolutePath().normalize() + "\n";
        return request(control, request, streams);
    }

    /** Sends one request line to the control socket; 0 on "ok", else prints the reason and returns 1. */
    static int request(Path control, String request, Streams streams) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(control));
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            String reply = ControlServer.readLine(c);
            if (reply.equals("ok")) return 0;
            streams.err().println("j386: " + (reply.startsWith("error ") ? reply.substring(6) : "no answer from " + control));
            return 1;
        } catch (IOException e) {
            streams.err().println("j386: " + control + ": cannot reach the guest (" + e.getMessage() + ")");
            return 1;
        }
    }
}
