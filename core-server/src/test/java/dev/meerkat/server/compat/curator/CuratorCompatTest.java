package dev.meerkat.server.compat.curator;

import dev.meerkat.server.net.TestServer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Curator 5.9 against an in-process Meerkat (or, with {@code -Dmeerkat.test.against=zookeeper},
 * against ZooKeeper 3.9.5 to check a test's expectations). One server per test class; every client,
 * recipe and thread a test makes is closed after it, newest first.
 *
 * <p>The server ticks every 200 ms, so sessions may be as short as 400 ms and at most 4 s: long
 * enough for a client that pings, short enough that a test can wait for an expiry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CuratorCompatTest {
    static final int TICK_MS = 200;
    /** The server's maximum (20 ticks); what every ordinary client asks for. */
    static final int SESSION_TIMEOUT_MS = 20 * TICK_MS;
    /** For a client whose session a test lets the server expire. */
    static final int SHORT_SESSION_MS = 6 * TICK_MS;
    static final int CONNECTION_TIMEOUT_MS = 5_000;

    TestServer server;
    private final Deque<Closeable> toClose = new ArrayDeque<>();

    @BeforeAll
    void startServer() {
        server = TestServer.settings().tickTime(TICK_MS).start();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Quietly: a test may already have closed some of these (a client, to end its session). */
    @AfterEach
    void closeEverything() {
        while (!toClose.isEmpty()) {
            Closeable c = toClose.pop();
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // already closed, or its client is
            }
        }
    }

    /** A started client with a short retry policy, connected, closed after the test. */
    CuratorFramework newClient() throws InterruptedException {
        return newClient(SESSION_TIMEOUT_MS);
    }

    CuratorFramework newClient(int sessionTimeoutMs) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(server.connectString())
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
                .retryPolicy(new RetryNTimes(3, 100))
                .build();
        closeAfter(client);
        client.start();
        if (!client.blockUntilConnected(CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Curator did not connect to " + server.connectString());
        }
        return client;
    }

    /** Closed after the test, before anything registered earlier (so recipes go before their clients). */
    <T extends Closeable> T closeAfter(T closeable) {
        toClose.push(closeable);
        return closeable;
    }

    ExecutorService threads(int n) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        closeAfter(pool::shutdownNow);
        return pool;
    }

    static String unique(String name) {
        return "/" + name + "-" + System.nanoTime();
    }
}
