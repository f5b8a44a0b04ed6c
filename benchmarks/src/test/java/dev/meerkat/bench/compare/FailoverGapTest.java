package dev.meerkat.bench.compare;

import dev.meerkat.bench.compare.ServerProcess.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The failover-gap measurement against a fake ensemble whose writes fail for a set time after a kill. */
class FailoverGapTest {

    /** Three members; after a kill, writes fail until {@code outageNanos} have passed and the next member leads. */
    static final class FakeCluster implements FailoverGap.Cluster {
        final long outageNanos;
        final Set<Integer> up = new TreeSet<>(List.of(1, 2, 3));
        final List<String> writerConnects = new ArrayList<>();
        int leader = 1;
        long writableFrom;
        int writes;

        FakeCluster(Duration outage) {
            this.outageNanos = outage.toNanos();
        }

        @Override
        public int leader() throws IOException {
            if (System.nanoTime() < writableFrom) {
                throw new IOException("no leader yet");
            }
            return leader;
        }

        @Override
        public String connectStringWithout(int id) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1; k <= 3; k++) {
                if (k != id) {
                    sb.append(sb.length() == 0 ? "" : ",").append("m").append(k);
                }
            }
            return sb.toString();
        }

        @Override
        public long kill(int id) {
            assertThat(up.remove(id)).as("member %d was up", id).isTrue();
            long t = System.nanoTime();
            writableFrom = t + outageNanos;
            leader = id % 3 + 1;
            return t;
        }

        @Override
        public boolean servingWithout(int killed) {
            return System.nanoTime() >= writableFrom;
        }

        @Override
        public void start(int id) {
            assertThat(up.add(id)).as("member %d was down", id).isTrue();
        }

        @Override
        public void awaitServing(Duration timeout) throws IOException {
            if (up.size() != 3) {
                throw new IOException("not all up: " + up);
            }
        }

        FailoverGap.WriterFactory writers() {
            return connect -> {
                writerConnects.add(connect);
                return new FailoverGap.Writer() {
                    @Override
                    public void write() throws Exception {
                        if (System.nanoTime() < writableFrom) {
                            throw new org.apache.zookeeper.KeeperException.ConnectionLossException();
                        }
                        writes++;
                    }

                    @Override
                    public void close() {
                    }
                };
            };
        }
    }

    @Test
    void measuresFromTheKillToTheFirstSuccessfulWriteAndRestartsTheKilledLeader() throws Exception {
        FakeCluster cluster = new FakeCluster(Duration.ofMillis(30));
        List<FailoverGap.Sample> heard = new ArrayList<>();
        List<FailoverGap.Sample> samples = new FailoverGap(cluster, cluster.writers(), Duration.ofSeconds(10))
                .run(3, heard::add);
        assertThat(samples).hasSize(3).isEqualTo(heard);
        // the writer never goes through the leader it is about to lose
        assertThat(cluster.writerConnects).containsExactly("m2,m3", "m1,m3", "m1,m2");
        assertThat(samples).extracting(FailoverGap.Sample::killed).containsExactly(1, 2, 3);
        assertThat(samples).extracting(FailoverGap.Sample::newLeader).containsExactly(2, 3, 1);
        for (FailoverGap.Sample s : samples) {
            assertThat(s.gapMs()).isGreaterThanOrEqualTo(30).isLessThan(10_000);
            // seen by the watcher once the outage is over
            assertThat(s.electedMs()).isGreaterThanOrEqualTo(30).isLessThan(10_000);
            assertThat(s.failedWrites()).isPositive();
            assertThat(s.errors()).containsOnlyKeys("CONNECTIONLOSS");
            assertThat(s.errors().get("CONNECTIONLOSS")).isEqualTo(s.failedWrites());
            assertThat(s.rejoinNanos()).isNotNegative();
            assertThat(s.toMap()).containsKeys("gapMs", "failedWrites", "errors", "rejoinMs");
        }
        // the warm-up writes before each kill, plus one success after it
        assertThat(cluster.writes).isEqualTo(3 * (FailoverGap.WARM_WRITES + 1));
        assertThat(cluster.up).containsExactly(1, 2, 3);
    }

    @Test
    void aGapLongerThanTheTimeoutFailsTheRound() {
        FakeCluster cluster = new FakeCluster(Duration.ofHours(1));
        assertThatThrownBy(() -> new FailoverGap(cluster, cluster.writers(), Duration.ofMillis(50)).once())
                .isInstanceOf(IOException.class).hasMessageContaining("no write succeeded")
                .hasMessageContaining("CONNECTIONLOSS");
    }

    @Test
    void medianAndMaxAndTheirMetricLines() {
        List<FailoverGap.Sample> mk = List.of(sample(100), sample(300), sample(200));
        List<FailoverGap.Sample> zk = List.of(sample(1000), sample(4000), sample(2000), sample(3000));
        assertThat(FailoverGap.medianAndMaxMs(mk)).containsExactly(200, 300);
        assertThat(FailoverGap.medianAndMaxMs(zk)).containsExactly(2500, 4000);

        Map<Integer, Map<Kind, List<FailoverGap.Sample>>> byTick = new LinkedHashMap<>();
        for (int tick : new int[] {2000, 200}) {
            Map<Kind, List<FailoverGap.Sample>> byKind = new EnumMap<>(Kind.class);
            byKind.put(Kind.MEERKAT, mk);
            byKind.put(Kind.ZOOKEEPER, zk);
            byTick.put(tick, byKind);
        }
        List<Metric> metrics = new ArrayList<>();
        Compare.addFailoverMetrics(metrics, byTick, 2000);
        assertThat(metrics).extracting(Metric::line).containsExactly(
                "failover gap ms 3-node: 200 vs 2500 = 0.08x",
                "failover gap max ms 3-node: 300 vs 4000 = 0.08x",
                "failover to serving survivors ms 3-node: 100 vs 1250 = 0.08x",
                "failover gap ms 3-node tickTime=200: 200 vs 2500 = 0.08x",
                "failover gap max ms 3-node tickTime=200: 300 vs 4000 = 0.08x",
                "failover to serving survivors ms 3-node tickTime=200: 100 vs 1250 = 0.08x");
        assertThat(metrics.get(0).goalMet()).isTrue();
        assertThat(metrics.get(0).higherIsBetter()).isFalse();
    }

    private static FailoverGap.Sample sample(long gapMs) {
        return new FailoverGap.Sample(1, 2, gapMs * 500_000, gapMs * 1_000_000, 0, Map.of(), 0);
    }
}
