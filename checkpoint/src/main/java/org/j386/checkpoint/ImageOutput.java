package org.j386.checkpoint;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Where image bytes go: a channel when the stream is a file (then off-heap page contents are
 * written straight from their direct buffers, and small records are gathered in one reusable
 * 64 KiB buffer), or any other OutputStream (a guest's open file, a socket, a test's byte
 * array), which only takes byte arrays: page contents then pass through one reusable 64 KiB
 * transfer array, never an array per page or per chunk.
 */
final class ImageOutput {
    private static final int STAGE = 1 << 16;

    private final OutputStream stream;
    private final WritableByteChannel channel;
    private final ByteBuffer stage;
    private final byte[] transfer;

    ImageOutput(OutputStream out) {
        this.stream = out;
        this.channel = out instanceof FileOutputStream f ? f.getChannel() : null;
        this.stage = channel != null ? ByteBuffer.allocate(STAGE) : null;
        this.transfer = channel == null ? new byte[STAGE] : null;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (channel == null) {
            stream.write(b, off, len);
            return;
        }
        while (len > 0) {
            if (!stage.hasRemaining()) drain();
            int n = Math.min(len, stage.remaining());
            stage.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes the remaining bytes of a direct buffer (its position moves to its limit). */
    void write(ByteBuffer direct) throws IOException {
        if (channel == null) {
            while (direct.hasRemaining()) {
                int n = Math.min(direct.remaining(), transfer.length);
                direct.get(transfer, 0, n);
                stream.write(transfer, 0, n);
            }
            return;
        }
        drain();
        while (direct.hasRemaining()) channel.write(direct);
    }

    private void drain() throws IOException {
        stage.flip();
        while (stage.hasRemaining()) channel.write(stage);
        stage.clear();
    }

    void flush() throws IOException {
        if (channel != null) drain();
        else stream.flush();
    }
}
