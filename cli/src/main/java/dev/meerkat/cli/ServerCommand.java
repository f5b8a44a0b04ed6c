package dev.meerkat.cli;

import dev.meerkat.server.MeerkatServer;
import dev.meerkat.server.config.ConfigException;
import dev.meerkat.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code meerkat server [zoo.cfg]}: runs a standalone server in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a standalone server in the foreground (defaults: 127.0.0.1:2181, data under ./data).")
final class ServerCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "zoo.cfg", description = "ZooKeeper-style config file")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = configFile == null ? ServerConfig.builder().build() : ServerConfig.parse(configFile);
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        config.warnings().forEach(w -> System.err.println("warning: " + w));
        MeerkatServer server;
        try {
            server = MeerkatServer.start(config);
        } catch (java.io.IOException e) {
            System.err.println("Cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "meerkat-shutdown"));
        System.out.println("Meerkat serving on " + server.clientAddress().getHostString() + ":" + server.clientPort()
                + " (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
