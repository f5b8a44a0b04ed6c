package dev.meerkat.bench.load;

import dev.meerkat.bench.Json;
import dev.meerkat.bench.load.LoadOptions.Op;
import dev.meerkat.server.EmbeddedMeerkat;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Short runs of each operation against an in-process Meerkat: the generator counts what it did. */
class LoadGeneratorTest {
    private static EmbeddedMeerkat server;

    @BeforeAll
    static void start() {
        server = EmbeddedMeerkat.start(b -> b.forceSync(false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static LoadOptions options(Op op, int readPercent) {
        return LoadOptions.defaults().withConnect(server.connectString()).withOp(op, readPercent)
                .withTiming(0, 1).withClients(2, 5).withLabel("test " + op).withProgress(false);
    }

    @Test
    void mixedLoadReadsAndWritesAndReportsPerSecond() throws Exception {
        LoadResult r = LoadGenerator.run(options(Op.MIXED, 50), null);
        assertThat(r.errors()).isZero();
        assertThat(r.undrained()).isZero();
        assertThat(r.ops()).isPositive();
        assertThat(r.reads().count()).isPositive();
        assertThat(r.writes().count()).isPositive();
        assertThat(r.reads().count() + r.writes().count()).isEqualTo(r.ops());
        assertThat(r.perSecond()).hasSize(1);
        assertThat(r.elapsedSeconds()).isBetween(0.9, 1.5);
        assertThat(r.latency().p50()).isPositive().isLessThanOrEqualTo(r.latency().p99());
        assertThat(r.latency().p99()).isLessThanOrEqualTo(r.latency().p999());
        Map<String, Object> m = r.toMap();
        assertThat(m).containsKeys("opsPerSecond", "latencyMicros", "readLatencyMicros", "writeLatencyMicros",
                "perSecond");
        assertThat(Json.write(m)).contains("\"op\": \"mixed\"", "\"readPercent\": 50");
    }

    @Test
    void createAddsNodesAndExistsFindsTheKeys() throws Exception {
        LoadResult created = LoadGenerator.run(options(Op.CREATE, 0), null);
        assertThat(created.errors()).isZero();
        assertThat(created.writes().count()).isEqualTo(created.ops()).isPositive();
        LoadResult exists = LoadGenerator.run(options(Op.EXISTS, 0), null);
        assertThat(exists.errors()).isZero();
        assertThat(exists.reads().count()).isEqualTo(exists.ops()).isPositive();
        ZooKeeper zk = Clients.connect(server.connectString(), 30_000);
        try {
            int children = zk.getChildren("/meerkat-bench", false).size();
            // the 1000 keys the exists run made sure of, and every acknowledged create
            assertThat(children).isGreaterThanOrEqualTo(1000 + (int) created.ops());
            assertThat(zk.getData(LoadGenerator.keyPath("/meerkat-bench", 999), false, null)).hasSize(1024);
        } finally {
            Clients.closeQuietly(zk);
        }
    }
}
