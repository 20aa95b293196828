package org.j386.cpu;

/**
 * Decoded blocks by physical code address: per RAM frame, an array indexed by the offset of
 * the block's first byte. A frame's blocks are dropped when the MMU reports a write to it.
 */
final class BlockCache {
    /** Marks "nothing decodable starts here": the interpreter runs the instruction. */
    static final Block NONE = new Block(0, -1);

    private final Block[][] byFrame;
    /** Bumped whenever blocks are dropped, which invalidates every block-to-block link. */
    int epoch;

    BlockCache(long ramBytes) {
        byFrame = new Block[(int) (ramBytes >>> 12)][];
    }

    Block get(long frame, int offset) {
        int f = (int) (frame >>> 12);
        if (f >= byFrame.length) return null;
        Block[] page = byFrame[f];
        return page == null ? null : page[offset];
    }

    /** False when the frame is outside RAM (no caching). */
    boolean put(long frame, int offset, Block b) {
        int f = (int) (frame >>> 12);
        if (f >= byFrame.length) return false;
        Block[] page = byFrame[f];
        if (page == null) byFrame[f] = page = new Block[4096];
        page[offset] = b;
        return true;
    }

    void dropFrame(long frame) {
        int f = (int) (frame >>> 12);
        if (f < byFrame.length) byFrame[f] = null;
        epoch++;
    }
}
