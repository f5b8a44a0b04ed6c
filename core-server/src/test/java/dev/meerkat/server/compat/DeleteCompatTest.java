package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** delete: versions, the order of its errors, the nodes that cannot go, and what it does to the parent. */
class DeleteCompatTest extends CompatTestBase {

    @Test
    void deleteRemovesTheNodeAndMovesTheParentsPzxid() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat before = zk.exists("/p", false);

        zk.delete("/p/c", -1);

        assertThat(zk.exists("/p/c", false)).isNull();
        Stat after = zk.exists("/p", false);
        assertThat(after.getNumChildren()).isZero();
        assertThat(after.getPzxid()).isGreaterThan(before.getPzxid());
        assertThat(after.getCversion()).isEqualTo(before.getCversion() + 1);
        assertThat(after.getMzxid()).isEqualTo(before.getMzxid());
    }

    @Test
    void matchingVersionDeletes() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/v", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/v", bytes("1"), 0);

        zk.delete("/v", 1);

        assertThat(zk.exists("/v", false)).isNull();
    }

    @Test
    void otherVersionIsBadVersionAndKeepsTheNode() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/v", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        var e = failure(() -> zk.delete("/v", 3));

        assertThat(e.code()).isEqualTo(Code.BADVERSION);
        assertThat(e.getPath()).isEqualTo("/v");
        assertThat(zk.exists("/v", false)).isNotNull();
    }

    @Test
    void nodeWithChildrenIsNotEmpty() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(failure(() -> zk.delete("/p", -1)).code()).isEqualTo(Code.NOTEMPTY);
        assertThat(failure(() -> zk.delete("/p", 0)).code()).isEqualTo(Code.NOTEMPTY);
    }

    @Test
    void badVersionIsReportedBeforeNotEmpty() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(failure(() -> zk.delete("/p", 5)).code()).isEqualTo(Code.BADVERSION);
    }

    @Test
    void missingNodeIsNoNode() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.delete("/missing", -1)).code()).isEqualTo(Code.NONODE);
        assertThat(failure(() -> zk.delete("/missing/child", -1)).code()).isEqualTo(Code.NONODE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"})
    void builtInNodesCannotBeDeleted(String path) throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.delete(path, -1)).code()).isEqualTo(Code.BADARGUMENTS);
        assertThat(zk.exists(path, false)).isNotNull();
    }

    @Test
    void ephemeralCanBeDeletedByItsOwnerBeforeTheSessionEnds() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        zk.delete("/e", -1);

        assertThat(zk.getEphemerals()).isEmpty();
    }

    @Test
    void anotherSessionMayDeleteAnEphemeral() throws Exception {
        ZooKeeper owner = connect();
        ZooKeeper other = connect();
        owner.create("/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        other.delete("/e", 0);
        quiesce(owner);

        assertThat(owner.exists("/e", false)).isNull();
        assertThat(owner.getEphemerals()).isEmpty();
    }
}
