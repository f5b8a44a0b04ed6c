package dev.meerkat.server.compat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs every test of a subclass twice: against Meerkat and against a real ZooKeeper 3.9.5, each
 * freshly started for the test with the same {@link ServerOptions}. Both runs must pass; a test that
 * fails only on Meerkat has found a Meerkat bug, one that fails on both is wrong.
 *
 * <p>Everything a test opens is closed after it: the official clients (in the background, awaited
 * when the class is done), what went through {@link #rawSession} or {@link #closeLater} (newest
 * first), and then the server.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Target.class)
abstract class CompatTestBase {
    /** The largest session the servers allow at the default tick (20 × 200 ms). */
    static final int SESSION_TIMEOUT_MS = 4_000;

    static {
        InProcessZooKeeper.ensureSuperDigestProperty();
        // The servers' own INFO chatter would drown the test output.
        ((Logger) LoggerFactory.getLogger("org.apache.zookeeper")).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.WARN);
    }

    private static final ExecutorService CLOSER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "compat-client-closer");
        t.setDaemon(true);
        return t;
    });
    private static final Queue<CompletableFuture<Void>> CLOSING = new ConcurrentLinkedQueue<>();

    @Parameter
    Target target;

    /** The server of the current test. */
    RunningServer server;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    /** Every handle made here, closed after the test. */
    private final Map<ZooKeeper, EventRecorder> sessionEvents = new IdentityHashMap<>();

    /** Settings for this class's servers; both targets get the same. */
    ServerOptions serverOptions() {
        return ServerOptions.DEFAULT;
    }

    @BeforeEach
    final void startServer() {
        server = target.start(serverOptions());
    }

    @AfterEach
    final void stopEverything() throws Exception {
        // The official client sleeps 100 ms in every close (ClientCnxnSocketNIO.cleanup), so the
        // handles are closed in the background; the closes are awaited once the class is done.
        for (ZooKeeper zk : sessionEvents.keySet()) {
            CLOSING.add(CompletableFuture.runAsync(() -> {
                try {
                    zk.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, CLOSER));
        }
        List<Exception> failures = new ArrayList<>();
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        server.close();
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("cleanup failed", failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    @AfterAll
    static void awaitClosedClients() {
        CompletableFuture<?> f;
        while ((f = CLOSING.poll()) != null) {
            f.join();
        }
    }

    /** Closed after the test, before anything registered earlier. */
    <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    /** A connected official client with the default session timeout. */
    ZooKeeper connect() {
        return connect(SESSION_TIMEOUT_MS);
    }

    /** A connected official client that asked for {@code sessionTimeoutMs}. */
    ZooKeeper connect(int sessionTimeoutMs) {
        ZooKeeper zk = handle(events -> new ZooKeeper(server.connectString(), sessionTimeoutMs, events));
        sessionEvents(zk).awaitState(KeeperState.SyncConnected);
        return zk;
    }

    /** A connected client that has logged in with digest {@code user:password}. */
    ZooKeeper connectAs(String userColonPassword) throws Exception {
        ZooKeeper zk = connect();
        zk.addAuthInfo("digest", bytes(userColonPassword));
        // The auth packet goes out first; a round trip behind it means the server has applied it.
        zk.sync("/");
        return zk;
    }

    /**
     * A client made by {@code factory} with a recording default watcher, not waited for (re-attach
     * tests look at the events it gets). Its events are in {@link #sessionEvents}.
     */
    ZooKeeper handle(ZooKeeperFactory factory) {
        EventRecorder events = new EventRecorder();
        ZooKeeper zk;
        try {
            zk = factory.create(events);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a ZooKeeper handle", e);
        }
        sessionEvents.put(zk, events);
        return zk;
    }

    @FunctionalInterface
    interface ZooKeeperFactory {
        ZooKeeper create(EventRecorder defaultWatcher) throws IOException;
    }

    /** Connection-state and default-watcher events of a client made here. */
    EventRecorder sessionEvents(ZooKeeper zk) {
        return sessionEvents.get(zk);
    }

    /** A hand-spoken session; see {@link RawSession}. */
    RawSession rawSession(int timeoutMs) {
        return closeLater(RawSession.open(server.port(), timeoutMs));
    }

    /**
     * Returns once every event the server sent {@code zk} before now has been handed to its
     * watchers. A sync's reply follows, on the same connection, every notification sent before it,
     * and its callback runs on the client's event thread after those notifications' watchers.
     * It also makes {@code zk}'s server catch up with every write committed before: on an ensemble a
     * client on another member may not see another client's write yet (ZooKeeper promises no more),
     * so a test that reads or watches what another client wrote quiesces the reader first.
     */
    static void quiesce(ZooKeeper zk) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        zk.sync("/", (rc, path, ctx) -> done.countDown(), null);
        if (!done.await(EventRecorder.WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("sync did not complete");
        }
    }

    @FunctionalInterface
    interface ZkCall {
        void run() throws Exception;
    }

    /** The KeeperException a call fails with; an assertion error if it succeeds or fails otherwise. */
    static KeeperException failure(ZkCall call) {
        try {
            call.run();
        } catch (KeeperException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a KeeperException, got " + e, e);
        }
        throw new AssertionError("expected a KeeperException, but the call succeeded");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
