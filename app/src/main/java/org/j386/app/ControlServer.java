package org.j386.app;

import org.j386.checkpoint.HostCheckpoint;
import org.j386.checkpoint.HostControl;
import org.j386.kernel.Kernel;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The control socket of a running guest (`j386 run --control PATH`): a Unix domain socket
 * that only its owner can use (mode 0600). One request per connection, one line each way:
 * {@code checkpoint PID KILL IMAGE}, {@code signal PID SIG}, {@code freeze PID} or
 * {@code thaw PID}, answered by {@code ok} or {@code error REASON}. While it is open, a guest
 * whose tasks all wait with no deadline waits for the host instead of ending as deadlocked.
 */
final class ControlServer implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final Kernel kernel;

    ControlServer(Path path, Kernel kernel) throws IOException {
        this.path = path;
        this.kernel = kernel;
        Files.deleteIfExists(path);
        // bind inside a private directory, restrict the socket, then move it into place:
        // it never exists at PATH with wider permissions, not even for a moment
        Path dir = Files.createTempDirectory(path.toAbsolutePath().getParent(), ".j386-control",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = dir.resolve("sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(tmp));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
        kernel.hostAttached = true;
        thread = new Thread(this::serve, "j386-control");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                String request = readLine(c);
                String reply = handle(request);
                c.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (!server.isOpen()) return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String handle(String request) throws InterruptedException {
        String[] parts = request.split(" ", 4);
        if (parts.length == 3 && parts[0].equals("signal")) {
            int pid, sig;
            try {
                pid = Integer.parseInt(parts[1]);
                sig = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                return "error bad pid or signal";
            }
            String err = HostControl.signal(kernel, pid, sig);
            return err == null ? "ok" : "error " + err;
        }
        if (parts.length == 2 && (parts[0].equals("freeze") || parts[0].equals("thaw"))) {
            int pid;
            try {
                pid = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return "error bad pid '" + parts[1] + "'";
            }
            String err = HostControl.freeze(kernel, pid, parts[0].equals("freeze"));
            return err == null ? "ok" : "error " + err;
        }
        if (parts.length == 4 && parts[0].equals("checkpoint")) {
            int pid;
            try {
                pid = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return "error bad pid '" + parts[1] + "'";
            }
            String err = HostCheckpoint.take(kernel, pid, Path.of(parts[3]), parts[2].equals("kill"));
            return err == null ? "ok" : "error " + err;
        }
        return "error unknown request";
    }

    static String readLine(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (b.hasRemaining()) {
            int n = c.read(b);
            if (n < 0) break;
            if (n > 0 && b.get(b.position() - 1) == '\n') break;
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    }

    /**
     * Stops listening, then lets a request in flight write its reply (a `checkpoint --kill`
     * ends the guest, and so this JVM, before the control thread has answered "ok").
     */
    @Override
    public void close() throws IOException {
        kernel.hostAttached = false;
        server.close();
        Files.deleteIfExists(path);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
