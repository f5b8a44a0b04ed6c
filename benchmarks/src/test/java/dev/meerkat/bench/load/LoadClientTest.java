package dev.meerkat.bench.load;

import dev.meerkat.bench.load.LoadOptions.Op;
import dev.meerkat.server.EmbeddedMeerkat;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The load loop with each client plugged in, against an in-process Meerkat: the same options give
 * the same kind of result whichever client runs them, and both report errors by the same names.
 */
class LoadClientTest {
    private static EmbeddedMeerkat server;

    @BeforeAll
    static void start() {
        server = EmbeddedMeerkat.start(b -> b.forceSync(false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static LoadOptions options(String client, Op op, int readPercent) {
        return LoadOptions.defaults().withConnect(server.connectString()).withOp(op, readPercent)
                .withTiming(0, 1).withClients(2, 5).withLabel(client + " " + op).withProgress(false)
                .withClient(client).with(b -> b.root = "/load-client-test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"official", "meerkat"})
    void mixedLoadThroughEitherClient(String client) throws Exception {
        LoadResult r = LoadGenerator.run(options(client, Op.MIXED, 50), null);
        assertThat(r.errors()).isZero();
        assertThat(r.undrained()).isZero();
        assertThat(r.reads().count()).isPositive();
        assertThat(r.writes().count()).isPositive();
        assertThat(r.reads().count() + r.writes().count()).isEqualTo(r.ops());
        assertThat(r.perSecond()).hasSize(1);
        assertThat(r.latency().p50()).isPositive().isLessThanOrEqualTo(r.latency().p99());
        assertThat(r.toMap()).containsEntry("client", client);
    }

    @ParameterizedTest
    @ValueSource(strings = {"official", "meerkat"})
    void createWithCleanupLeavesOnlyTheRoot(String client) throws Exception {
        LoadOptions o = options(client, Op.CREATE, 0).with(b -> {
            b.root = "/load-client-create-" + client;
            b.cleanup = true;
        });
        LoadResult r = LoadGenerator.run(o, null);
        assertThat(r.errors()).isZero();
        assertThat(r.writes().count()).isEqualTo(r.ops()).isPositive();
        // a second run right after the first: the names of created nodes do not collide
        assertThat(LoadGenerator.run(o, null).errors()).isZero();
        ZooKeeper zk = Clients.connect(server.connectString(), 30_000);
        try {
            assertThat(zk.getChildren(o.root(), false)).isEmpty();
        } finally {
            Clients.closeQuietly(zk);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"official", "meerkat"})
    void errorsHaveZooKeepersNames(String client) throws Exception {
        try (LoadClient.Session s = LoadClient.named(client).connect(server.connectString(), 30_000)) {
            assertThat(call(done -> s.getData("/no-such-node", done, 7))).isEqualTo(LoadClient.NO_NODE);
            call(done -> s.create("/errors-" + client, new byte[0], done, 7));
            assertThat(call(done -> s.create("/errors-" + client, new byte[0], done, 7)))
                    .isEqualTo(LoadClient.NODE_EXISTS);
            assertThat(call(done -> s.setData("/errors-" + client, new byte[3], done, 7))).isEqualTo("ok");
            assertThat(call(done -> s.exists("/errors-" + client, done, 7))).isEqualTo("ok");
            assertThat(call(done -> s.delete("/errors-" + client, done, 7))).isEqualTo("ok");
            assertThat(call(done -> s.delete("/errors-" + client, done, 7))).isEqualTo(LoadClient.NO_NODE);
        }
    }

    @Test
    void clientsByName() {
        assertThat(LoadClient.named("Meerkat")).isSameAs(LoadClient.MEERKAT);
        assertThat(LoadClient.named("official")).isSameAs(LoadClient.OFFICIAL);
        assertThat(LoadClient.NAMES).containsExactly("official", "meerkat");
        assertThatThrownBy(() -> LoadClient.named("curator")).hasMessageContaining("unknown client");
    }

    /** Sends one request and returns its outcome: "ok" or the error name; checks the start time comes back. */
    private static String call(java.util.function.Consumer<LoadClient.Completion> request) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        request.accept((start, error) -> {
            if (start != 7) {
                outcome.completeExceptionally(new AssertionError("start time " + start + " instead of 7"));
            }
            outcome.complete(error == null ? "ok" : error);
        });
        return outcome.get(30, TimeUnit.SECONDS);
    }
}
