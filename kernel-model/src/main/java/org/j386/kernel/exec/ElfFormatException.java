package org.j386.kernel.exec;

/** A program file the loader refuses, with the reason a user can act on. */
public final class ElfFormatException extends Exception {
    public ElfFormatException(String message) {
        super(message, null, false, false);
    }
}
