package dev.meerkat.server;

import dev.meerkat.server.config.ConfigException;
import dev.meerkat.server.config.ServerConfig;

import dev.meerkat.server.quorum.EnsembleServer;
import dev.meerkat.server.quorum.QuorumConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a server (standalone, or one member of the ensemble zoo.cfg's server.N lines describe) in the foreground until the JVM is told to stop (SIGTERM, Ctrl-C):
 * {@code java dev.meerkat.server.ServerMain [zoo.cfg]}. {@code bin/meerkat server} uses it, and
 * so do tests that need a server in a process of its own (to kill it with SIGKILL).
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args.length == 0 ? null : Path.of(args[0])));
    }

    /** @return the process exit code: 0 after a clean stop, 1 if the server cannot start, 2 for a bad config */
    public static int run(Path configFile) throws InterruptedException {
        ServerConfig config;
        try {
            config = configFile == null ? ServerConfig.builder().build() : ServerConfig.parse(configFile);
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        config.warnings().forEach(w -> System.err.println("warning: " + w));
        AutoCloseable server;
        InetSocketAddress address;
        try {
            if (QuorumConfig.isEnsemble(config)) {
                EnsembleServer member = EnsembleServer.start(config);
                server = member;
                address = member.clientAddress();
            } else {
                MeerkatServer standalone = MeerkatServer.start(config);
                server = standalone;
                address = standalone.clientAddress();
            }
        } catch (IOException e) {
            System.err.println("Cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("Error while stopping: " + e);
            }
            stopped.countDown();
        }, "meerkat-shutdown"));
        // Tests and scripts wait for this line to know the port is open.
        System.out.println("Meerkat serving on " + address.getHostString() + ":" + address.getPort()
                + " (Ctrl-C to stop)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
