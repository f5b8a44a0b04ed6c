package dev.meerkat.server;

import dev.meerkat.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An in-process Meerkat on a free loopback port with its own temporary data directory, for users'
 * own tests: the role Curator's TestingServer plays for ZooKeeper.
 *
 * <pre>{@code
 * try (EmbeddedMeerkat zk = EmbeddedMeerkat.start()) {
 *     ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, event -> {});
 * }
 * }</pre>
 */
public final class EmbeddedMeerkat implements AutoCloseable {
    private final Path dataDir;
    private final UnaryOperator<ServerConfig.Builder> settings;
    private MeerkatServer server;

    private EmbeddedMeerkat(Path dataDir, UnaryOperator<ServerConfig.Builder> settings, MeerkatServer server) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.server = server;
    }

    /** Starts with ZooKeeper's defaults (tickTime 2000 ms, sessions of 4 to 40 s). */
    public static EmbeddedMeerkat start() {
        return start(UnaryOperator.identity());
    }

    /** Starts with settings adjusted by {@code settings}; the port and data directory are chosen here. */
    public static EmbeddedMeerkat start(UnaryOperator<ServerConfig.Builder> settings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("meerkat-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new EmbeddedMeerkat(dir, settings, MeerkatServer.start(config(dir, 0, settings)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteRecursively(dir);
            throw new IllegalStateException("interrupted while starting", e);
        } catch (IOException e) {
            deleteRecursively(dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    private static ServerConfig config(Path dir, int port, UnaryOperator<ServerConfig.Builder> settings) {
        return settings.apply(ServerConfig.builder()
                .clientPort(port)
                .clientPortAddress("127.0.0.1")
                // Tests start many servers; a small preallocation keeps each start cheap.
                .preAllocSizeKb(1024)
                .dataDir(dir)).build();
    }

    /**
     * Stops the server and starts a new one on the same port and data directory, as a restart of
     * the process would: what it serves afterwards is what it recovered from disk.
     */
    public void restart() throws IOException, InterruptedException {
        int port = port();
        server.close();
        server = MeerkatServer.start(config(dataDir, port, settings));
    }

    public int port() {
        return server.clientPort();
    }

    /** {@code 127.0.0.1:<port>}, ready for a ZooKeeper or Meerkat client. */
    public String connectString() {
        return "127.0.0.1:" + port();
    }

    public MeerkatServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
