package dev.meerkat.recipes;

import dev.meerkat.testkit.TcpProxy;
import dev.meerkat.testkit.TestServer;

import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.MeerkatClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs every test of a subclass against each {@link Target}, one server per class and target.
 * Each test works under a fresh path of its own ({@link #base}); everything it opens is closed
 * after it, newest first.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Target.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class RecipeTestBase {
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger TEST_IDS = new AtomicInteger();

    static TestServer server;

    @Parameter
    Target target;

    String base;
    MeerkatClient admin;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @BeforeParameterizedClassInvocation
    static void startServer(Target target) {
        server = target.start();
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
        server = null;
    }

    @BeforeEach
    final void setUp() throws Exception {
        Awaitility.setDefaultTimeout(WAIT);
        admin = connect();
        base = "/r" + TEST_IDS.incrementAndGet();
    }

    @AfterEach
    final void tearDown() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    String p(String relative) {
        return base + "/" + relative;
    }

    MeerkatClient connect() throws Exception {
        return connect(server.connectString(), b -> { });
    }

    MeerkatClient connect(String connectString, Consumer<ClientOptions.Builder> settings) throws Exception {
        return closeLater(await(MeerkatClient.connect(connectString, options(settings))));
    }

    static ClientOptions options(Consumer<ClientOptions.Builder> settings) {
        ClientOptions.Builder b = ClientOptions.builder()
                .sessionTimeout(Duration.ofMillis(Target.MAX_SESSION_MS))
                .connectionTimeout(WAIT)
                .reconnectDelayMax(Duration.ofMillis(20));
        settings.accept(b);
        return b.build();
    }

    TcpProxy proxy() {
        return closeLater(new TcpProxy(server.port()));
    }

    /** A thread pool for contenders, stopped after the test. */
    ExecutorService threads(int n) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        closeLater(() -> {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        });
        return pool;
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * Ends the session of {@code victim}, which must connect through {@code proxy}: the proxy stops
     * letting it reach the server, and another client takes the session over and closes it, as
     * Curator's KillSession does. The victim sees SUSPENDED, then EXPIRED once it can reconnect.
     */
    void expire(MeerkatClient victim, TcpProxy proxy) throws Exception {
        proxy.refuse(true);
        proxy.cutAll();
        Awaitility.await().until(() -> !victim.state().isConnected());
        MeerkatClient thief = await(MeerkatClient.connect(server.connectString(),
                ClientOptions.builder().session(victim.sessionId(), victim.sessionPassword()).build()));
        thief.close();
        proxy.refuse(false);
        Awaitility.await().until(() -> victim.state() == ConnectionState.EXPIRED);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
