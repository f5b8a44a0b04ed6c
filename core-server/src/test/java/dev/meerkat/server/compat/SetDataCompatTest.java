package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** setData, getData and exists: versions, zxids and the errors a user sees. */
class SetDataCompatTest extends CompatTestBase {

    @Test
    void setDataBumpsVersionAndMzxidAndKeepsCreationFields() throws Exception {
        ZooKeeper zk = connect();
        Stat created = new Stat();
        zk.create("/d", bytes("one"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);

        Stat stat = zk.setData("/d", bytes("three"), 0);

        assertThat(stat.getVersion()).isEqualTo(1);
        assertThat(stat.getMzxid()).isGreaterThan(created.getMzxid());
        assertThat(stat.getCzxid()).isEqualTo(created.getCzxid());
        assertThat(stat.getPzxid()).isEqualTo(created.getPzxid());
        assertThat(stat.getCtime()).isEqualTo(created.getCtime());
        assertThat(stat.getMtime()).isGreaterThanOrEqualTo(created.getMtime());
        assertThat(stat.getDataLength()).isEqualTo(5);
        assertThat(stat.getCversion()).isZero();
        assertThat(stat.getAversion()).isZero();
        Stat read = new Stat();
        assertThat(zk.getData("/d", false, read)).isEqualTo(bytes("three"));
        assertThat(read).isEqualTo(stat);
    }

    @Test
    void anyVersionMinusOneAlwaysMatches() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/d", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        zk.setData("/d", bytes("a"), -1);
        Stat stat = zk.setData("/d", bytes("b"), -1);

        assertThat(stat.getVersion()).isEqualTo(2);
    }

    @Test
    void staleVersionIsBadVersionAndChangesNothing() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/d", bytes("keep"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/d", bytes("kept"), 0);

        var e = failure(() -> zk.setData("/d", bytes("lost"), 0));

        assertThat(e.code()).isEqualTo(Code.BADVERSION);
        assertThat(e.getPath()).isEqualTo("/d");
        assertThat(zk.getData("/d", false, null)).isEqualTo(bytes("kept"));
    }

    @Test
    void missingNodeIsNoNodeForWritesAndReads() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.setData("/missing", bytes("x"), -1)).code()).isEqualTo(Code.NONODE);
        assertThat(failure(() -> zk.getData("/missing", false, null)).code()).isEqualTo(Code.NONODE);
        assertThat(zk.exists("/missing", false)).isNull();
    }

    @Test
    void setDataToNullMakesLengthZero() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/d", bytes("abc"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        Stat stat = zk.setData("/d", null, -1);

        assertThat(stat.getDataLength()).isZero();
        assertThat(zk.getData("/d", false, null)).isNull();
    }

    @Test
    void everyWriteMovesTheZxidForwardAndReadsSeeTheLatest() throws Exception {
        ZooKeeper writer = connect();
        ZooKeeper reader = connect();
        Stat a = new Stat();
        writer.create("/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, a);
        Stat b = new Stat();
        writer.create("/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, b);
        Stat set = writer.setData("/a", bytes("x"), -1);

        assertThat(b.getCzxid()).isGreaterThan(a.getCzxid());
        assertThat(set.getMzxid()).isGreaterThan(b.getCzxid());
        reader.sync("/a");
        assertThat(reader.exists("/a", false)).isEqualTo(set);
    }

    @Test
    void onlyMinusOneIsTheWildcardVersion() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/d", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(failure(() -> zk.setData("/d", null, -2)).code()).isEqualTo(Code.BADVERSION);
        assertThat(failure(() -> zk.delete("/d", -2)).code()).isEqualTo(Code.BADVERSION);
        assertThat(failure(() -> zk.setACL("/d", Ids.OPEN_ACL_UNSAFE, -2)).code()).isEqualTo(Code.BADVERSION);
    }

    @Test
    void builtInNodesAcceptData() throws Exception {
        ZooKeeper zk = connect();

        Stat root = zk.setData("/", bytes("root"), -1);
        Stat proc = zk.setData("/zookeeper", bytes("proc"), 0);

        assertThat(root.getVersion()).isEqualTo(1);
        assertThat(root.getCzxid()).isZero();
        assertThat(root.getMzxid()).isPositive();
        assertThat(proc.getVersion()).isEqualTo(1);
        assertThat(zk.getData("/", false, null)).isEqualTo(bytes("root"));
    }

    @Test
    void pathsMayUseAnyUnicodeLetters() throws Exception {
        ZooKeeper zk = connect();

        zk.create("/caf\u00e9", bytes("x"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/caf\u00e9/\u4e2d\u6587", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.getChildren("/caf\u00e9", false)).containsExactly("\u4e2d\u6587");
        assertThat(zk.getData("/caf\u00e9", false, null)).isEqualTo(bytes("x"));
    }
}
