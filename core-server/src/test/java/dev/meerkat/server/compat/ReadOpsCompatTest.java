package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reads and the session-level queries: getChildren, sync, getEphemerals,
 * getAllChildrenNumber, whoAmI, getConfig, and what a fresh server's built-in nodes look like.
 */
class ReadOpsCompatTest extends CompatTestBase {

    @Test
    void freshServerHasOnlyTheZookeeperSubtree() throws Exception {
        ZooKeeper zk = connect();

        assertThat(zk.getChildren("/", false)).containsExactly("zookeeper");
        assertThat(zk.getChildren("/zookeeper", false)).containsExactlyInAnyOrder("config", "quota");
        assertThat(zk.getChildren("/zookeeper/quota", false)).isEmpty();
    }

    @Test
    void builtInNodesHaveZeroZxidsAndTheCversionQuirk() throws Exception {
        ZooKeeper zk = connect();

        Stat root = zk.exists("/", false);
        assertThat(root.getCzxid()).isZero();
        assertThat(root.getMzxid()).isZero();
        assertThat(root.getPzxid()).isZero();
        assertThat(root.getNumChildren()).isEqualTo(1);
        assertThat(root.getCversion()).isEqualTo(-1);
        Stat proc = zk.exists("/zookeeper", false);
        assertThat(proc.getNumChildren()).isEqualTo(2);
        assertThat(proc.getCversion()).isEqualTo(-2);
        assertThat(zk.getData("/zookeeper", false, null)).isEmpty();
        assertThat(zk.getACL("/", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);
        assertThat(zk.getACL("/zookeeper/quota", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);
    }

    @Test
    void rootPzxidFollowsTopLevelChildren() throws Exception {
        ZooKeeper zk = connect();
        Stat created = new Stat();

        zk.create("/top", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);

        Stat root = zk.exists("/", false);
        assertThat(root.getPzxid()).isEqualTo(created.getCzxid());
        assertThat(root.getNumChildren()).isEqualTo(2);
        assertThat(root.getCversion()).isEqualTo(0);
    }

    @Test
    void getConfigReadsAnEmptyReadOnlyConfigNode() throws Exception {
        ZooKeeper zk = connect();
        Stat stat = new Stat();

        byte[] config = zk.getConfig(false, stat);

        assertThat(config).isEmpty();
        assertThat(stat.getAversion()).isEqualTo(-1);
        assertThat(stat.getCzxid()).isZero();
        assertThat(stat.getMzxid()).isZero();
        assertThat(stat.getCtime()).isZero();
        assertThat(stat.getVersion()).isZero();
        assertThat(stat.getDataLength()).isZero();
        assertThat(zk.getACL("/zookeeper/config", new Stat())).isEqualTo(Ids.READ_ACL_UNSAFE);
        assertThat(failure(() -> zk.setData("/zookeeper/config", bytes("server.1=x"), -1)).code())
                .isEqualTo(Code.NOAUTH);
    }

    @Test
    void getChildrenReturnsNamesWithOrWithoutTheParentsStat() throws Exception {
        ZooKeeper zk = connect();
        Stat parent = new Stat();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, parent);
        zk.create("/p/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        Stat stat = new Stat();

        assertThat(zk.getChildren("/p", false)).containsExactlyInAnyOrder("a", "b");
        assertThat(zk.getChildren("/p", false, stat)).containsExactlyInAnyOrder("a", "b");
        assertThat(stat.getNumChildren()).isEqualTo(2);
        assertThat(stat.getCzxid()).isEqualTo(parent.getCzxid());
        assertThat(stat.getCversion()).isEqualTo(2);
        assertThat(stat).isEqualTo(zk.exists("/p", false));
    }

    @Test
    void getChildrenOfALeafIsEmptyAndOfAMissingNodeIsNoNode() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/leaf", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.getChildren("/leaf", false)).isEmpty();
        assertThat(failure(() -> zk.getChildren("/missing", false)).code()).isEqualTo(Code.NONODE);
        assertThat(failure(() -> zk.getChildren("/missing", false, new Stat())).code()).isEqualTo(Code.NONODE);
    }

    @Test
    void syncAnswersWithThePath() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/s", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        CompletableFuture<String> answer = new CompletableFuture<>();

        zk.sync("/s", (rc, path, ctx) -> answer.complete(Code.get(rc) + " " + path), null);

        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("OK /s");
    }

    @Test
    void syncOfAMissingPathStillSucceeds() throws Exception {
        ZooKeeper zk = connect();

        zk.sync("/not/there");
    }

    @Test
    void getEphemeralsListsTheSessionsOwnEphemerals() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper other = connect();
        zk.create("/app", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/e1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create("/e2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create("/app/lock-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        other.create("/e3", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        assertThat(zk.getEphemerals()).containsExactlyInAnyOrder("/e1", "/e2", "/app/lock-0000000000");
        assertThat(zk.getEphemerals("/")).containsExactlyInAnyOrder("/e1", "/e2", "/app/lock-0000000000");
        assertThat(zk.getEphemerals("/e")).containsExactlyInAnyOrder("/e1", "/e2");
        assertThat(zk.getEphemerals("/app")).containsExactly("/app/lock-0000000000");
        assertThat(zk.getEphemerals("/nothing")).isEmpty();
        assertThat(other.getEphemerals()).containsExactly("/e3");
    }

    @Test
    void containersAndTtlNodesAreNotEphemerals() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create("/t", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, null, 60_000);

        assertThat(zk.getEphemerals()).isEmpty();
    }

    @Test
    void allChildrenNumberCountsEveryDescendant() throws Exception {
        ZooKeeper zk = connect();
        assertThat(zk.getAllChildrenNumber("/")).isEqualTo(3);

        zk.create("/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/a/b/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/ab", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.getAllChildrenNumber("/")).isEqualTo(7);
        assertThat(zk.getAllChildrenNumber("/a")).isEqualTo(2);
        assertThat(zk.getAllChildrenNumber("/a/b/c")).isZero();
        assertThat(zk.getAllChildrenNumber("/zookeeper")).isEqualTo(2);
        assertThat(failure(() -> zk.getAllChildrenNumber("/missing")).code()).isEqualTo(Code.NONODE);
    }

    @Test
    void whoAmIShowsTheClientAddress() throws Exception {
        ZooKeeper zk = connect();

        assertThat(zk.whoAmI()).containsExactly(new ClientInfo("ip", "127.0.0.1"));
    }

    // ZooKeeper keeps a connection's identities in a hash set, so their order means nothing.

    @Test
    void whoAmIShowsDigestUsersByName() throws Exception {
        ZooKeeper zk = connectAs("alice:secret");
        zk.addAuthInfo("digest", bytes("bob:other"));

        assertThat(zk.whoAmI()).containsExactlyInAnyOrder(
                new ClientInfo("ip", "127.0.0.1"),
                new ClientInfo("digest", "alice"),
                new ClientInfo("digest", "bob"));
    }

    @Test
    void whoAmIShowsTheSuperUser() throws Exception {
        ZooKeeper zk = connectAs(ServerOptions.SUPER_CREDENTIALS);

        assertThat(zk.whoAmI()).containsExactlyInAnyOrder(
                new ClientInfo("ip", "127.0.0.1"),
                new ClientInfo("super", ""),
                new ClientInfo("digest", "super"));
    }

    @Test
    void sameCredentialsTwiceAreOneIdentity() throws Exception {
        ZooKeeper zk = connectAs("alice:secret");
        zk.addAuthInfo("digest", bytes("alice:secret"));

        assertThat(zk.whoAmI()).containsExactlyInAnyOrder(
                new ClientInfo("ip", "127.0.0.1"),
                new ClientInfo("digest", "alice"));
    }

    @Test
    void reconfigIsDisabled() throws Exception {
        ZooKeeperAdmin admin = (ZooKeeperAdmin) handle(
                w -> new ZooKeeperAdmin(server.connectString(), SESSION_TIMEOUT_MS, w));
        sessionEvents(admin).awaitState(KeeperState.SyncConnected);

        assertThat(failure(() -> admin.reconfigure(null, null, "server.1=127.0.0.1:2888:3888;2181", -1, new Stat()))
                .code()).isEqualTo(Code.RECONFIGDISABLED);
    }
}
