package dev.meerkat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bin/meerkat} entry point. */
@Command(name = "meerkat", mixinStandardHelpOptions = true, version = "Meerkat 0.1.0",
        description = "A coordination service that speaks ZooKeeper's protocol.",
        subcommands = {ServerCommand.class, EnsembleCommand.class, LogsCommand.class, SnapshotCommand.class,
                CliCommand.class, SampleCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // znode data such as "@config" must reach the shell as typed, not as a file's contents
        System.exit(new CommandLine(new Main()).setExpandAtFiles(false).execute(args));
    }
}
