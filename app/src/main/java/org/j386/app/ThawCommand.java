package org.j386.app;

import picocli.CommandLine.Command;

/** {@code j386 thaw}: the freezer, through a guest's control socket. */
@Command(name = "thaw", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Thaw a guest's frozen process subtree (default: every task).")
public final class ThawCommand extends FreezerRequest {
    ThawCommand(Streams streams) {
        super(streams, "thaw");
    }
}
