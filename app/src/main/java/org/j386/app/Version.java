package org.j386.app;

import picocli.CommandLine;

/** --version text. */
public final class Version implements CommandLine.IVersionProvider {
    public static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"j386 " + VERSION + " (i386 interpreter, kernel model, image format 1)",
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
