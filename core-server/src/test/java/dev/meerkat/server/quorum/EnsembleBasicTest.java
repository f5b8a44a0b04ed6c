package dev.meerkat.server.quorum;

import dev.meerkat.server.EmbeddedEnsemble;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The official client against three members: writes through every server, reads and watches everywhere. */
class EnsembleBasicTest {
    private EmbeddedEnsemble ensemble;
    private final List<ZooKeeper> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        ensemble = EmbeddedEnsemble.start(3);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ZooKeeper zk : clients) {
            zk.close();
        }
        ensemble.close();
    }

    private ZooKeeper connect(int id) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(ensemble.connectString(id), 4_000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        return zk;
    }

    @Test
    void writesThroughEveryMemberAreSeenByAll() throws Exception {
        ZooKeeper[] zk = {connect(1), connect(2), connect(3)};
        for (int i = 0; i < 3; i++) {
            zk[i].create("/from-" + (i + 1), ("v" + i).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        for (ZooKeeper z : zk) {
            z.sync("/", (rc, path, ctx) -> { }, null);
            await().atMost(Duration.ofSeconds(5)).until(() -> z.getChildren("/", false).size() == 4);
            for (int i = 0; i < 3; i++) {
                assertThat(new String(z.getData("/from-" + (i + 1), false, null))).isEqualTo("v" + i);
            }
        }
        // Versions and errors come from the leader's preparation, whichever member the client uses.
        Stat stat = zk[1].setData("/from-1", "w".getBytes(), 0);
        assertThat(stat.getVersion()).isEqualTo(1);
        assertThatThrownBy(() -> zk[2].setData("/from-1", "x".getBytes(), 0))
                .isInstanceOf(KeeperException.BadVersionException.class);
        assertThatThrownBy(() -> zk[0].create("/from-2", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isInstanceOf(KeeperException.NodeExistsException.class);
    }

    @Test
    void ephemeralsAndSequentialsAcrossMembers() throws Exception {
        ZooKeeper a = connect(ensemble.followers().get(0));
        ZooKeeper b = connect(ensemble.leader());
        b.create("/q", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String s1 = a.create("/q/n-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        String s2 = b.create("/q/n-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        assertThat(s1).isEqualTo("/q/n-0000000000");
        assertThat(s2).isEqualTo("/q/n-0000000001");
        CountDownLatch gone = new CountDownLatch(1);
        b.getChildren("/q", e -> gone.countDown());
        a.close();
        assertThat(gone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(b.getChildren("/q", false)).containsExactly("n-0000000001");
    }

    @Test
    void watchFiresOnAnotherMember() throws Exception {
        ZooKeeper writer = connect(1);
        ZooKeeper watcher = connect(3);
        writer.create("/w", "0".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        watcher.sync("/w", (rc, p, c) -> { }, null);
        await().until(() -> watcher.exists("/w", false) != null);
        CountDownLatch changed = new CountDownLatch(1);
        watcher.getData("/w", e -> changed.countDown(), null);
        writer.setData("/w", "1".getBytes(), -1);
        assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(watcher.getData("/w", false, null))).isEqualTo("1");
    }

    @Test
    void multiSucceedsAndFailsAsAWhole() throws Exception {
        ZooKeeper zk = connect(ensemble.followers().get(0));
        zk.multi(List.of(org.apache.zookeeper.Op.create("/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                org.apache.zookeeper.Op.create("/m/a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
        assertThatThrownBy(() -> zk.multi(List.of(
                org.apache.zookeeper.Op.create("/m/b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                org.apache.zookeeper.Op.delete("/m/none", -1))))
                .isInstanceOf(KeeperException.NoNodeException.class);
        assertThat(zk.exists("/m/b", false)).isNull();
        assertThat(zk.getChildren("/m", false)).containsExactly("a");
    }
}
