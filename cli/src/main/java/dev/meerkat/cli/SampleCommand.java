package dev.meerkat.cli;

import dev.meerkat.samples.Samples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meerkat sample NAME [--server host:port]}: runs one of the recipe samples. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Run a recipe sample: discovery, master, lock, config, queue or barrier. "
                + "Without --server it starts an in-process Meerkat for the run.")
final class SampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "discovery, master, lock, config, queue or barrier")
    String name;

    @Option(names = "--server", paramLabel = "host:port", description = "a running Meerkat or ZooKeeper")
    String server;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of(name));
        if (server != null) {
            args.add("--server");
            args.add(server);
        }
        return Samples.run(args.toArray(String[]::new), System.out, System.err);
    }
}
