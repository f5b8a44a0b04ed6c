package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** create in every mode: the returned path, the Stat of the new node and of its parent, and the errors. */
class CreateCompatTest extends CompatTestBase {

    @Test
    void persistentNodeStartsWithAllZxidsEqualAndVersionsZero() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();

        String path = zk.create("/a", bytes("hello"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);

        assertThat(path).isEqualTo("/a");
        assertThat(stat.getCzxid()).isPositive();
        assertThat(stat.getMzxid()).isEqualTo(stat.getCzxid());
        assertThat(stat.getPzxid()).isEqualTo(stat.getCzxid());
        assertThat(stat.getCtime()).isPositive().isEqualTo(stat.getMtime());
        assertThat(stat.getVersion()).isZero();
        assertThat(stat.getCversion()).isZero();
        assertThat(stat.getAversion()).isZero();
        assertThat(stat.getEphemeralOwner()).isZero();
        assertThat(stat.getDataLength()).isEqualTo(5);
        assertThat(stat.getNumChildren()).isZero();
        assertThat(zk.exists("/a", false)).isEqualTo(stat);
    }

    @Test
    void createUpdatesTheParentsChildCountCversionAndPzxidButNotItsMzxid() throws Exception {
        ZooKeeper zk = connect();
        Stat parentBefore = new Stat();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, parentBefore);
        Stat child = new Stat();

        zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, child);

        Stat parent = zk.exists("/p", false);
        assertThat(parent.getNumChildren()).isEqualTo(1);
        assertThat(parent.getCversion()).isEqualTo(1);
        assertThat(parent.getPzxid()).isEqualTo(child.getCzxid());
        assertThat(parent.getMzxid()).isEqualTo(parentBefore.getMzxid());
        assertThat(parent.getVersion()).isZero();
    }

    @Test
    void cversionCountsChildCreatesAndDeletes() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (String name : new String[] {"a", "b", "c"}) {
            zk.create("/p/" + name, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        zk.delete("/p/b", -1);

        Stat parent = zk.exists("/p", false);
        assertThat(parent.getCversion()).isEqualTo(4);
        assertThat(parent.getNumChildren()).isEqualTo(2);
    }

    @Test
    void nullDataReadsBackAsNullWithLengthZero() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat stat = new Stat();

        assertThat(zk.getData("/n", false, stat)).isNull();
        assertThat(stat.getDataLength()).isZero();
    }

    @Test
    void emptyDataReadsBackAsEmpty() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/e", new byte[0], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.getData("/e", false, null)).isEmpty();
    }

    @Test
    void ephemeralNodeIsOwnedByTheSession() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();

        zk.create("/eph", bytes("x"), Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stat);

        assertThat(stat.getEphemeralOwner()).isEqualTo(zk.getSessionId());
        assertThat(zk.exists("/eph", false).getEphemeralOwner()).isEqualTo(zk.getSessionId());
    }

    @Test
    void sequentialNamesCarryTheParentsCreateCounterAsTenDigits() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/q", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.create("/q/job-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/q/job-0000000000");
        assertThat(zk.create("/q/job-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL))
                .isEqualTo("/q/job-0000000001");
        zk.create("/q/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.create("/q/job-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/q/job-0000000003");
    }

    @Test
    void deletesDoNotRewindTheSequenceCounter() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/q", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/q/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.create("/q/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/q/s-0000000001");

        zk.delete("/q/a", -1);
        zk.delete("/q/s-0000000001", -1);

        assertThat(zk.create("/q/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/q/s-0000000002");
    }

    @Test
    void ephemeralSequentialIsOwnedByTheSession() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/locks", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat stat = new Stat();

        String path = zk.create("/locks/lock-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL, stat);

        assertThat(path).matches("/locks/lock-\\d{10}");
        assertThat(stat.getEphemeralOwner()).isEqualTo(zk.getSessionId());
    }

    @Test
    void sequentialCreateUnderATrailingSlashNamesTheNodeByTheNumberAlone() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.create("/p/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/p/0000000000");
        assertThat(zk.getChildren("/p", false)).containsExactly("0000000000");
    }

    @Test
    void sequentialCreateAtTheRootCountsFromZero() throws Exception {
        ZooKeeper zk = connect();

        assertThat(zk.create("/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/s-0000000000");
    }

    @Test
    void containerReportsNoOwnerAndMayHaveChildren() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();

        assertThat(zk.create("/c", bytes("d"), Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, stat)).isEqualTo("/c");
        zk.create("/c/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(stat.getEphemeralOwner()).isZero();
        assertThat(stat.getCzxid()).isEqualTo(stat.getMzxid()).isEqualTo(stat.getPzxid());
        assertThat(stat.getDataLength()).isEqualTo(1);
        assertThat(zk.exists("/c", false).getEphemeralOwner()).isZero();
        assertThat(zk.exists("/c", false).getNumChildren()).isEqualTo(1);
    }

    @Test
    void ttlNodeReportsNoOwnerAndMayHaveChildren() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();

        String path = zk.create("/t", bytes("ttl"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, stat, 60_000);
        zk.create("/t/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(path).isEqualTo("/t");
        assertThat(stat.getEphemeralOwner()).isZero();
        assertThat(stat.getVersion()).isZero();
        assertThat(stat.getDataLength()).isEqualTo(3);
        assertThat(zk.exists("/t", false).getEphemeralOwner()).isZero();
    }

    @Test
    void sequentialTtlNodeGetsASuffix() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/tq", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat stat = new Stat();

        String path = zk.create("/tq/t-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
                stat, 60_000);

        assertThat(path).isEqualTo("/tq/t-0000000000");
        assertThat(stat.getEphemeralOwner()).isZero();
    }

    @Test
    void existingNodeIsNodeExists() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        var e = failure(() -> zk.create("/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));

        assertThat(e.code()).isEqualTo(Code.NODEEXISTS);
        assertThat(e.getPath()).isEqualTo("/a");
    }

    @Test
    void missingParentIsNoNode() throws Exception {
        ZooKeeper zk = connect();

        var e = failure(() -> zk.create("/missing/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));

        assertThat(e.code()).isEqualTo(Code.NONODE);
        assertThat(e.getPath()).isEqualTo("/missing/child");
    }

    @Test
    void missingParentWinsOverSequentialAndEphemeralModes() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.create("/missing/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL))
                .code()).isEqualTo(Code.NONODE);
    }

    @Test
    void ephemeralParentRefusesChildren() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        assertThat(failure(() -> zk.create("/e/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
        assertThat(failure(() -> zk.create("/e/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .code()).isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
    }

    @Test
    void existingNodeWinsOverEphemeralParent() throws Exception {
        // NodeExists is checked before NoChildrenForEphemerals; only a lost race shows it, but the
        // order is the server's and must not depend on which check happens to be cheaper.
        ZooKeeper zk = connect();
        zk.create("/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        assertThat(failure(() -> zk.create("/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.NODEEXISTS);
    }

    @Test
    void theRootAlreadyExists() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.create("/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.NODEEXISTS);
    }

    @Test
    void sequentialCreateOfTheRootPathNamesATopLevelNode() throws Exception {
        ZooKeeper zk = connect();

        assertThat(zk.create("/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/0000000000");
    }

    @Test
    void nodesUnderZookeeperMayBeCreated() throws Exception {
        ZooKeeper zk = connect();

        assertThat(zk.create("/zookeeper/mine", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isEqualTo("/zookeeper/mine");
        zk.delete("/zookeeper/mine", -1);
    }
}
