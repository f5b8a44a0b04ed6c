package dev.meerkat.server.net;

import dev.meerkat.server.EmbeddedMeerkat;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.command.FourLetterCommands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The server a protocol test talks to: an in-process Meerkat, or, when the system property
 * {@code meerkat.test.against=zookeeper} is set, an in-process Apache ZooKeeper 3.9.5 with the same
 * settings. The second mode is how an expectation is checked against the reference ("same
 * semantics, by test"): {@code mvn -pl core-server verify -Dtest='RawHandshakeTest'
 * -Dmeerkat.test.against=zookeeper}. Assertions about Meerkat's own version string are the only
 * ones expected to differ.
 */
public interface TestServer extends AutoCloseable {

    int port();

    default String connectString() {
        return "127.0.0.1:" + port();
    }

    @Override
    void close();

    static boolean againstZooKeeper() {
        return "zookeeper".equalsIgnoreCase(System.getProperty("meerkat.test.against"));
    }

    static Settings settings() {
        return new Settings(2000, 60, "srvr");
    }

    /** The few settings protocol tests vary. */
    record Settings(int tickTime, int maxClientCnxns, String fourLetterWhitelist) {
        public Settings tickTime(int t) {
            return new Settings(t, maxClientCnxns, fourLetterWhitelist);
        }

        public Settings maxClientCnxns(int n) {
            return new Settings(tickTime, n, fourLetterWhitelist);
        }

        public Settings fourLetterWhitelist(String w) {
            return new Settings(tickTime, maxClientCnxns, w);
        }

        public TestServer start() {
            return againstZooKeeper() ? startZooKeeper(this) : startMeerkat(this);
        }
    }

    private static TestServer startMeerkat(Settings s) {
        EmbeddedMeerkat m = EmbeddedMeerkat.start(b -> b.tickTime(s.tickTime())
                .maxClientCnxns(s.maxClientCnxns())
                .fourLetterWhitelist(s.fourLetterWhitelist()));
        return new TestServer() {
            @Override
            public int port() {
                return m.port();
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }

    private static TestServer startZooKeeper(Settings s) {
        try {
            Path dir = Files.createTempDirectory("zk-reference-");
            System.setProperty("zookeeper.4lw.commands.whitelist", s.fourLetterWhitelist());
            FourLetterCommands.resetWhiteList();
            ZooKeeperServer zks = new ZooKeeperServer(dir.toFile(), dir.toFile(), s.tickTime());
            ServerCnxnFactory factory = ServerCnxnFactory.createFactory(
                    new InetSocketAddress("127.0.0.1", 0), s.maxClientCnxns());
            factory.startup(zks);
            return new TestServer() {
                @Override
                public int port() {
                    return factory.getLocalPort();
                }

                @Override
                public void close() {
                    factory.shutdown();
                    zks.shutdown();
                    try (Stream<Path> paths = Files.walk(dir)) {
                        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
