package org.j386.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The j386 command line. */
@Command(name = "j386", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A full-system x86-32 machine in Java that runs i386 Linux programs and checkpoints them.",
        subcommands = {RunCommand.class, BootCommand.class, CheckpointCommand.class, RestartCommand.class, InspectCommand.class,
                SignalCommand.class, FreezeCommand.class, ThawCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** Runs the CLI and returns the exit status (tests call this in-process). */
    public static int execute(String[] args, Streams streams) {
        CommandLine cl = new CommandLine(new Main(), new Factory(streams));
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.setOut(new PrintWriter(streams.out(), true));
        cl.setErr(new PrintWriter(streams.err(), true));
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            streams.err().println("j386: internal error: " + ex);
            return 70;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        int status = execute(args, Streams.system());
        System.out.flush();
        System.exit(status);
    }

    /** Lets subcommands receive the streams they should use. */
    static final class Factory implements CommandLine.IFactory {
        private final Streams streams;

        Factory(Streams streams) {
            this.streams = streams;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == RunCommand.class) return cls.cast(new RunCommand(streams));
            if (cls == RestartCommand.class) return cls.cast(new RestartCommand(streams));
            if (cls == InspectCommand.class) return cls.cast(new InspectCommand(streams));
            if (cls == BootCommand.class) return cls.cast(new BootCommand(streams));
            if (cls == CheckpointCommand.class) return cls.cast(new CheckpointCommand(streams));
            if (cls == SignalCommand.class) return cls.cast(new SignalCommand(streams));
            if (cls == FreezeCommand.class) return cls.cast(new FreezeCommand(streams));
            if (cls == ThawCommand.class) return cls.cast(new ThawCommand(streams));
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
