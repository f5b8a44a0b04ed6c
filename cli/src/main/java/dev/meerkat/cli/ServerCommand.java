package dev.meerkat.cli;

import dev.meerkat.server.ServerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code meerkat server [zoo.cfg]}: runs a standalone server in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a server in the foreground: standalone (defaults: 127.0.0.1:2181, data under ./data), "
                + "or one member of an ensemble when zoo.cfg has server.N lines and dataDir holds myid.")
final class ServerCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "zoo.cfg", description = "ZooKeeper-style config file")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        return ServerMain.run(configFile);
    }
}
