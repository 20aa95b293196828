package org.j386.checkpoint;

/** A checkpoint image that cannot be used, with the record and offset where that was found. */
public final class ImageException extends Exception {
    public final long offset;

    public ImageException(String where, long offset, String reason) {
        super(where + " at offset " + offset + ": " + reason, null, false, false);
        this.offset = offset;
    }
}
