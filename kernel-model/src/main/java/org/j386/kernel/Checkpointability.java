package org.j386.kernel;

import org.j386.kernel.fs.OpenFile;

/**
 * The checkpoint module's judgement, for the kernel's reports (the Linux-CR seed's
 * "checkpointability"): /proc/PID/checkpointable, and the checkpointable line of
 * /proc/PID/fdinfo/N. Installed by the checkpoint module; absent, nothing is reported.
 */
public interface Checkpointability {
    /** The text of /proc/PID/checkpointable for {@code t}: an overall line, then one per subsystem. */
    String report(Task t);

    /** Why {@code f} cannot be saved in an image, or null when it can. */
    String fileReason(OpenFile f);
}
