package dev.meerkat.server.compat;

import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Apache ZooKeeper 3.9.5 standalone server in this JVM, on a free loopback port with a
 * temporary data directory: the reference the Meerkat runs are compared with.
 *
 * <p>ZooKeeper takes some settings from system properties. They are set for the server's lifetime
 * and put back when it stops. One of them, the super digest, is read only once, when
 * DigestAuthenticationProvider is first loaded; core-server's surefire configuration sets it for the
 * whole test JVM, and {@link #ensureSuperDigestProperty()} sets it for runs outside Maven, provided
 * nothing has loaded that class yet.
 */
final class InProcessZooKeeper implements RunningServer {
    static final String SUPER_DIGEST_PROPERTY = "zookeeper.DigestAuthenticationProvider.superDigest";

    /** Called before any test code runs; see the class comment. */
    static void ensureSuperDigestProperty() {
        if (System.getProperty(SUPER_DIGEST_PROPERTY) == null) {
            System.setProperty(SUPER_DIGEST_PROPERTY, ServerOptions.SUPER_DIGEST);
        }
    }

    private final Path dir;
    private final ZooKeeperServer server;
    private final ServerCnxnFactory factory;
    private final Map<String, String> savedProperties;

    private InProcessZooKeeper(Path dir, ZooKeeperServer server, ServerCnxnFactory factory,
                               Map<String, String> savedProperties) {
        this.dir = dir;
        this.server = server;
        this.factory = factory;
        this.savedProperties = savedProperties;
    }

    static InProcessZooKeeper start(ServerOptions options) {
        requireSuperDigestLoaded();
        Map<String, String> saved = setProperties(Map.of(
                "zookeeper.extendedTypesEnabled", Boolean.toString(options.extendedTypesEnabled()),
                SUPER_DIGEST_PROPERTY, ServerOptions.SUPER_DIGEST,
                "zookeeper.4lw.commands.whitelist", "*",
                "zookeeper.admin.enableServer", "false"));
        Path dir = null;
        ServerCnxnFactory factory = null;
        ZooKeeperServer server = null;
        boolean started = false;
        try {
            dir = Files.createTempDirectory("zk-compat-");
            File data = dir.toFile();
            server = new ZooKeeperServer(data, data, options.tickTime());
            factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 100);
            factory.startup(server);
            started = true;
            return new InProcessZooKeeper(dir, server, factory, saved);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start ZooKeeper", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ZooKeeper", e);
        } finally {
            if (!started) {
                stop(factory, server, dir, saved);
            }
        }
    }

    /**
     * If another test loaded DigestAuthenticationProvider before this class set the property, this
     * server would have no super user and the super-digest tests would fail for a reason that has
     * nothing to do with the behaviour under test; say so plainly instead.
     */
    private static void requireSuperDigestLoaded() {
        try {
            Field field = DigestAuthenticationProvider.class.getDeclaredField("superDigest");
            field.setAccessible(true);
            Object loaded = field.get(null);
            if (!ServerOptions.SUPER_DIGEST.equals(loaded)) {
                throw new IllegalStateException("ZooKeeper's DigestAuthenticationProvider was loaded with super digest "
                        + loaded + "; start the test JVM with -D" + SUPER_DIGEST_PROPERTY + "="
                        + ServerOptions.SUPER_DIGEST
                        + " (core-server's surefire configuration does)");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot check ZooKeeper's super digest", e);
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
        stop(factory, server, dir, savedProperties);
    }

    private static void stop(ServerCnxnFactory factory, ZooKeeperServer server, Path dir, Map<String, String> saved) {
        try {
            if (factory != null) {
                factory.shutdown();
            }
            if (server != null && server.isRunning()) {
                server.shutdown();
            }
        } finally {
            restoreProperties(saved);
            deleteRecursively(dir);
        }
    }

    /** Sets each property and returns the previous values (null for "was not set"). */
    private static Map<String, String> setProperties(Map<String, String> values) {
        Map<String, String> previous = new LinkedHashMap<>();
        values.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        return previous;
    }

    private static void restoreProperties(Map<String, String> previous) {
        previous.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
