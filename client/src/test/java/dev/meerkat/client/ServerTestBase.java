package dev.meerkat.client;

import dev.meerkat.testkit.TcpProxy;
import dev.meerkat.testkit.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.meerkat.protocol.CreateMode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every test of a subclass against Meerkat and against Apache ZooKeeper 3.9.5, one server per
 * class and target. Each test works under a fresh node of its own ({@link #base}), so tests of a
 * class share the server without seeing each other. Everything a test opens is closed after it,
 * newest first, and the server after the class.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Target.class)
abstract class ServerTestBase {
    static final int WAIT_SECONDS = 10;
    private static final AtomicInteger TEST_IDS = new AtomicInteger();

    static TestServer server;

    @Parameter
    Target target;

    /** A node made for this test alone. */
    String base;
    /** A client without chroot, for setting up and looking at what the client under test did. */
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
    final void makeBase() throws Exception {
        admin = connect();
        base = "/t" + TEST_IDS.incrementAndGet();
        await(admin.create(base, null, CreateMode.PERSISTENT));
    }

    @AfterEach
    final void closeEverything() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    /** The path {@code base/relative}. */
    String p(String relative) {
        return base + "/" + relative;
    }

    MeerkatClient connect() throws Exception {
        return connect(server.connectString(), b -> { });
    }

    MeerkatClient connect(Consumer<ClientOptions.Builder> settings) throws Exception {
        return connect(server.connectString(), settings);
    }

    /** A client with test timings: the longest session the server grants, reconnects without delay. */
    MeerkatClient connect(String connectString, Consumer<ClientOptions.Builder> settings) throws Exception {
        ClientOptions.Builder b = ClientOptions.builder()
                .sessionTimeout(Duration.ofMillis(Target.MAX_SESSION_MS))
                .connectionTimeout(Duration.ofSeconds(WAIT_SECONDS))
                .reconnectDelayMax(Duration.ofMillis(20));
        settings.accept(b);
        return closeLater(await(MeerkatClient.connect(connectString, b.build())));
    }

    TcpProxy proxy() {
        return closeLater(new TcpProxy(server.port()));
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The MeerkatException a future fails with. */
    static MeerkatException failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MeerkatException.class);
            return (MeerkatException) e.getCause();
        }
        return fail("expected a failure, got a result");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
