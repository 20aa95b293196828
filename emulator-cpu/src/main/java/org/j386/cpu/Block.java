package org.j386.cpu;

/**
 * A run of pre-decoded instructions from one code page, ending at a control transfer, at
 * an instruction the block decoder leaves to the interpreter, or at the page end. Each
 * instruction is a kind (the handler) and its operands, in parallel arrays.
 */
final class Block {
    static final int MAX = 48;

    /** EIP of the first instruction. */
    final int start;
    /** Physical frame the bytes came from. */
    final long frame;
    int n;
    final byte[] kind = new byte[MAX];
    final byte[] len = new byte[MAX];
    /** Register operands and small fields, per kind. */
    final byte[] a = new byte[MAX];
    final byte[] b = new byte[MAX];
    /** Memory operand: base | index << 4 | scale << 8 | segment << 12 (register 8 reads as zero). */
    final int[] ea = new int[MAX];
    final int[] disp = new int[MAX];
    /** Immediate, or the branch target. */
    final int[] imm = new int[MAX];
    /** EIP of each instruction (a fault rewinds here); at[n] is the EIP after the last one. */
    final int[] at = new int[MAX + 1];
    /** The block that followed last time, as a cheap guess for the next lookup. */
    Block link;
    /** {@link BlockCache#epoch} when {@link #link} was set: links die with any invalidation. */
    int linkEpoch;

    Block(int start, long frame) {
        this.start = start;
        this.frame = frame;
    }
}
