package org.j386.app;

import picocli.CommandLine.Command;

/** {@code j386 freeze}: the freezer, through a guest's control socket. */
@Command(name = "freeze", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Freeze a guest's process subtree (default: every task): its tasks stop at a clean point until thawed.")
public final class FreezeCommand extends FreezerRequest {
    FreezeCommand(Streams streams) {
        super(streams, "freeze");
    }
}
