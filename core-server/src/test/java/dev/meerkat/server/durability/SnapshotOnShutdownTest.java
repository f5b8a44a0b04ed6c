package dev.meerkat.server.durability;

import dev.meerkat.server.EmbeddedMeerkat;
import dev.meerkat.server.storage.Durability;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A clean stop writes a snapshot, so the next start loads it and replays nothing from the log. */
class SnapshotOnShutdownTest {
    @ParameterizedTest(name = "snapshotOnShutdown={0}")
    @ValueSource(booleans = {true, false})
    void aCleanStopLeavesNothingToReplay(boolean snapshotOnShutdown) throws Exception {
        try (EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.snapshotOnShutdown(snapshotOnShutdown))) {
            ZooKeeper zk = Clients.connect(meerkat.connectString(), 10_000);
            for (int i = 0; i < 50; i++) {
                zk.create("/n" + i, ("v" + i).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            long last = zk.exists("/n49", false).getMzxid();
            zk.close();

            meerkat.restart();
            Durability.Recovered r = meerkat.server().durability().recovered();
            if (snapshotOnShutdown) {
                assertThat(r.snapshotZxid()).isGreaterThanOrEqualTo(last);
                assertThat(r.replayedTxns()).isZero();
            } else {
                assertThat(r.snapshotZxid()).isLessThan(last);
                assertThat(r.replayedTxns()).isGreaterThanOrEqualTo(50);
            }
            ZooKeeper again = Clients.connect(meerkat.connectString(), 10_000);
            assertThat(new String(again.getData("/n49", false, null))).isEqualTo("v49");
            again.close();
        }
    }
}
