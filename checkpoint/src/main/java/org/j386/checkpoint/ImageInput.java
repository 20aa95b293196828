package org.j386.checkpoint;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Where image bytes come from: a channel (an image file), read ahead through one reusable
 * 64 KiB buffer for the small records while page contents go from the channel straight into
 * their off-heap {@link PageArray}; or any other InputStream (a guest's open file, bytes in
 * memory), where page contents pass through one reusable 64 KiB transfer array.
 */
final class ImageInput {
    private static final int BUFFER = 1 << 16;

    private final InputStream stream;
    private final ReadableByteChannel channel;
    /** Channel read-ahead: bytes between position and limit are not consumed yet. */
    private final ByteBuffer ahead;
    private final byte[] transfer;

    ImageInput(InputStream in) {
        this(in, in instanceof FileInputStream f ? f.getChannel() : null);
    }

    ImageInput(ReadableByteChannel channel) {
        this(null, channel);
    }

    private ImageInput(InputStream stream, ReadableByteChannel channel) {
        this.stream = stream;
        this.channel = channel;
        this.ahead = channel != null ? ByteBuffer.allocate(BUFFER).flip() : null;
        this.transfer = channel == null ? new byte[BUFFER] : null;
    }

    /** Reads {@code len} bytes, fewer only at the end of the image; returns how many. */
    int readFully(byte[] b, int off, int len) throws IOException {
        if (channel == null) return stream.readNBytes(b, off, len);
        int done = 0;
        while (done < len) {
            if (!ahead.hasRemaining() && !fill()) break;
            int n = Math.min(len - done, ahead.remaining());
            ahead.get(b, off + done, n);
            done += n;
        }
        return done;
    }

    /** Fills the remaining space of a direct buffer (fewer bytes only at the end of the image); returns how many. */
    int readFully(ByteBuffer direct) throws IOException {
        int want = direct.remaining();
        if (channel == null) {
            while (direct.hasRemaining()) {
                int n = stream.readNBytes(transfer, 0, Math.min(direct.remaining(), transfer.length));
                if (n <= 0) break;
                direct.put(transfer, 0, n);
            }
            return want - direct.remaining();
        }
        if (ahead.hasRemaining()) {
            int n = Math.min(ahead.remaining(), direct.remaining());
            int lim = ahead.limit();
            ahead.limit(ahead.position() + n);
            direct.put(ahead);
            ahead.limit(lim);
        }
        while (direct.hasRemaining()) {
            if (channel.read(direct) < 0) break;
        }
        return want - direct.remaining();
    }

    /** Whether the image has no more bytes. */
    boolean atEnd() throws IOException {
        if (channel == null) return stream.read() == -1;
        return !ahead.hasRemaining() && !fill();
    }

    private boolean fill() throws IOException {
        ahead.clear();
        int n;
        do {
            n = channel.read(ahead);
        } while (n == 0);
        ahead.flip();
        return n > 0;
    }
}
