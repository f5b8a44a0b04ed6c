package dev.meerkat.server.quorum;

import dev.meerkat.server.EmbeddedEnsemble;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Members that stop and start again: from their own disk, by a snapshot from the leader, as observers. */
class EnsembleRecoveryTest {
    private EmbeddedEnsemble ensemble;
    private final List<ZooKeeper> clients = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ZooKeeper zk : clients) {
            zk.close(1000);
        }
        if (ensemble != null) {
            ensemble.close();
        }
    }

    private ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 4_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(15, TimeUnit.SECONDS)).as("connected to %s", connectString).isTrue();
        return zk;
    }

    private static void createMany(ZooKeeper zk, String parent, int n) throws Exception {
        zk.create(parent, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            zk.create(parent + "/n" + i, ("v" + i).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> done.countDown(), null);
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    }

    private void assertHolds(int member, String parent, int n) throws Exception {
        ZooKeeper zk = connect(ensemble.connectString(member));
        CountDownLatch synced = new CountDownLatch(1);
        zk.sync(parent, (rc, p, c) -> synced.countDown(), null);
        assertThat(synced.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(zk.getChildren(parent, false)).as("children of %s on member %d", parent, member).hasSize(n);
        assertThat(new String(zk.getData(parent + "/n" + (n - 1), false, null))).isEqualTo("v" + (n - 1));
    }

    @Test
    void everyMemberRestartedKeepsEverything() throws Exception {
        ensemble = EmbeddedEnsemble.start(3);
        ZooKeeper zk = connect(ensemble.connectString());
        createMany(zk, "/kept", 300);
        zk.close();
        clients.clear();
        for (int id = 1; id <= 3; id++) {
            ensemble.stopMember(id);
        }
        for (int id = 1; id <= 3; id++) {
            ensemble.startMember(id);
        }
        ensemble.awaitServing();
        for (int id = 1; id <= 3; id++) {
            assertHolds(id, "/kept", 300);
        }
    }

    @Test
    void aFollowerFarBehindIsBroughtUpBySnapshotAndRestartsFromIt() throws Exception {
        ensemble = EmbeddedEnsemble.start(3, 0, 500, b -> b.snapCount(60));
        int behind = ensemble.followers().get(0);
        ensemble.stopMember(behind);
        ZooKeeper zk = connect(ensemble.connectString(ensemble.leader()));
        createMany(zk, "/while-away", 600);
        // The leader has taken snapshots and forgotten the log before them: only SNAP can help.
        Path leaderSnapshots = ensemble.dataDir(ensemble.leader()).resolve("version-2");
        await().atMost(Duration.ofSeconds(20)).until(() -> countSnapshots(leaderSnapshots) > 0);
        zk.create("/after-snapshot", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        ensemble.startMember(behind);
        ensemble.awaitServing();
        assertHolds(behind, "/while-away", 600);
        ZooKeeper direct = connect(ensemble.connectString(behind));
        assertThat(direct.exists("/after-snapshot", false)).isNotNull();
        assertThat(countSnapshots(ensemble.dataDir(behind).resolve("version-2"))).isPositive();

        // And from its own disk again, with the snapshot it was sent.
        ensemble.stopMember(behind);
        ensemble.startMember(behind);
        ensemble.awaitServing();
        assertHolds(behind, "/while-away", 600);
    }

    private static long countSnapshots(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot.")
                    && !p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void anObserverServesReadsAndWritesButNeverVotes() throws Exception {
        ensemble = EmbeddedEnsemble.start(3, 1, 500, b -> b);
        assertThat(ensemble.member(4).role()).isEqualTo(dev.meerkat.server.zab.Role.OBSERVING);
        ZooKeeper viaObserver = connect(ensemble.connectString(4));
        viaObserver.create("/obs", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ZooKeeper viaLeader = connect(ensemble.connectString(ensemble.leader()));
        assertThat(new String(viaLeader.getData("/obs", false, null))).isEqualTo("x");
        CountDownLatch changed = new CountDownLatch(1);
        viaObserver.getData("/obs", e -> changed.countDown(), null);
        ZooKeeper viaVoter = connect(ensemble.connectString(1));
        viaVoter.setData("/obs", "y".getBytes(), -1);
        assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(viaObserver.getData("/obs", false, null))).isEqualTo("y");

        // Two voters gone: the observer does not make a quorum with the one left.
        List<Integer> voters = new ArrayList<>(List.of(1, 2, 3));
        voters.remove(Integer.valueOf(ensemble.leader()));
        ensemble.stopMember(ensemble.leader());
        ensemble.stopMember(voters.get(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ensemble.member(4).isServing()
                && !ensemble.member(voters.get(1)).isServing());
        assertThatThrownBy(() -> viaObserver.create("/minority", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT)).isInstanceOf(KeeperException.ConnectionLossException.class);
    }
}
