package dev.meerkat.testkit;

import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Apache ZooKeeper 3.9.5 standalone server in this JVM, on a free loopback port with a
 * temporary data directory. TTL nodes need {@code zookeeper.extendedTypesEnabled}, which the
 * module's surefire configuration sets for the whole test JVM (ZooKeeper reads it on every create).
 */
public final class InProcessZooKeeper implements TestServer {
    private final Path dir;
    private final ZooKeeperServer server;
    private final ServerCnxnFactory factory;

    private InProcessZooKeeper(Path dir, ZooKeeperServer server, ServerCnxnFactory factory) {
        this.dir = dir;
        this.server = server;
        this.factory = factory;
    }

    public static InProcessZooKeeper start(int tickTime) {
        Path dir = null;
        ZooKeeperServer server = null;
        ServerCnxnFactory factory = null;
        boolean started = false;
        try {
            dir = Files.createTempDirectory("zk-test-");
            File data = dir.toFile();
            server = new ZooKeeperServer(data, data, tickTime);
            factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 100);
            factory.startup(server);
            started = true;
            return new InProcessZooKeeper(dir, server, factory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start ZooKeeper", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ZooKeeper", e);
        } finally {
            if (!started) {
                stop(factory, server, dir);
            }
        }
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + port();
    }

    @Override
    public int port() {
        return factory.getLocalPort();
    }

    @Override
    public void close() {
        stop(factory, server, dir);
    }

    private static void stop(ServerCnxnFactory factory, ZooKeeperServer server, Path dir) {
        try {
            if (factory != null) {
                factory.shutdown();
            }
            if (server != null && server.isRunning()) {
                server.shutdown();
            }
        } finally {
            if (dir != null && Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
