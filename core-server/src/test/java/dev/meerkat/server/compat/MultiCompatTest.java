package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.OpResult.CheckResult;
import org.apache.zookeeper.OpResult.CreateResult;
import org.apache.zookeeper.OpResult.DeleteResult;
import org.apache.zookeeper.OpResult.ErrorResult;
import org.apache.zookeeper.OpResult.GetChildrenResult;
import org.apache.zookeeper.OpResult.GetDataResult;
import org.apache.zookeeper.OpResult.SetDataResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** multi (atomic, one zxid, per-op results) and multiRead (independent reads). */
class MultiCompatTest extends CompatTestBase {

    @Test
    void parentAndChildCreatedTogetherShareOneZxid() throws Exception {
        ZooKeeper zk = connect();

        List<OpResult> results = zk.multi(List.of(
                Op.create("/a", bytes("A"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/a/b", bytes("B"),
                        CreateOptions.newBuilder(Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).build())));

        assertThat(results).hasSize(2);
        assertThat(((CreateResult) results.get(0)).getPath()).isEqualTo("/a");
        assertThat(((CreateResult) results.get(0)).getStat()).isNull();
        CreateResult child = (CreateResult) results.get(1);
        assertThat(child.getPath()).isEqualTo("/a/b");
        Stat a = zk.exists("/a", false);
        Stat b = zk.exists("/a/b", false);
        assertThat(child.getStat()).isEqualTo(b);
        assertThat(b.getCzxid()).isEqualTo(a.getCzxid());
        assertThat(a.getPzxid()).isEqualTo(a.getCzxid());
        assertThat(a.getNumChildren()).isEqualTo(1);
    }

    @Test
    void sequentialCreatesInOneMultiGetConsecutiveNumbers() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/q", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        List<OpResult> results = zk.multi(List.of(
                Op.create("/q/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.create("/q/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL)));

        assertThat(results).extracting(r -> ((CreateResult) r).getPath())
                .containsExactly("/q/s-0000000000", "/q/s-0000000001");
    }

    @Test
    void containerAndTtlCreatesAnswerWithAStatAndEphemeralsBelongToTheSession() throws Exception {
        ZooKeeper zk = connect();

        List<OpResult> results = zk.multi(List.of(
                Op.create("/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER),
                Op.create("/t", bytes("t"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000),
                Op.create("/c/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL)));

        CreateResult container = (CreateResult) results.get(0);
        assertThat(container.getPath()).isEqualTo("/c");
        assertThat(container.getStat().getEphemeralOwner()).isZero();
        assertThat(container.getStat().getCzxid()).isEqualTo(zk.exists("/c", false).getCzxid());
        CreateResult ttl = (CreateResult) results.get(1);
        assertThat(ttl.getPath()).isEqualTo("/t");
        assertThat(ttl.getStat()).isEqualTo(zk.exists("/t", false));
        assertThat(ttl.getStat().getEphemeralOwner()).isZero();
        assertThat(results.get(2)).isEqualTo(new CreateResult("/c/e"));
        assertThat(zk.exists("/c/e", false).getEphemeralOwner()).isEqualTo(zk.getSessionId());
        assertThat(zk.getEphemerals()).containsExactly("/c/e");
    }

    @Test
    void checkSetDataAndDeleteReportTheirOwnResults() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/y", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        List<OpResult> results = zk.multi(List.of(
                Op.check("/x", 0),
                Op.setData("/x", bytes("new"), 0),
                Op.delete("/y", 0)));

        assertThat(results.get(0)).isInstanceOf(CheckResult.class);
        Stat set = ((SetDataResult) results.get(1)).getStat();
        assertThat(set.getVersion()).isEqualTo(1);
        assertThat(set).isEqualTo(zk.exists("/x", false));
        assertThat(results.get(2)).isInstanceOf(DeleteResult.class);
        assertThat(zk.exists("/y", false)).isNull();
    }

    @Test
    void laterOpsSeeEarlierOnes() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/d", bytes("old"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        zk.multi(List.of(
                Op.delete("/d", -1),
                Op.create("/d", bytes("new"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/d", bytes("newer"), 0),
                Op.check("/d", 1)));

        Stat stat = new Stat();
        assertThat(zk.getData("/d", false, stat)).isEqualTo(bytes("newer"));
        assertThat(stat.getVersion()).isEqualTo(1);
    }

    @Test
    void failedOpReportsOkBeforeItAndRuntimeInconsistencyAfter() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        KeeperException e = failure(() -> zk.multi(List.of(
                Op.create("/n1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/n2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.check("/x", 7),
                Op.setData("/x", bytes("x"), -1),
                Op.delete("/x", -1))));

        assertThat(e.code()).isEqualTo(Code.BADVERSION);
        assertThat(e.getResults()).containsExactly(
                new ErrorResult(0), new ErrorResult(0), new ErrorResult(Code.BADVERSION.intValue()),
                new ErrorResult(Code.RUNTIMEINCONSISTENCY.intValue()),
                new ErrorResult(Code.RUNTIMEINCONSISTENCY.intValue()));
    }

    @Test
    void failedMultiAppliesNothing() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/x", bytes("before"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat before = zk.exists("/", false);

        KeeperException e = failure(() -> zk.multi(List.of(
                Op.create("/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/x", bytes("after"), -1),
                Op.create("/missing/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));

        assertThat(e.code()).isEqualTo(Code.NONODE);
        assertThat(e.getResults()).containsExactly(
                new ErrorResult(0), new ErrorResult(0), new ErrorResult(Code.NONODE.intValue()));
        assertThat(zk.exists("/new", false)).isNull();
        assertThat(zk.getData("/x", false, null)).isEqualTo(bytes("before"));
        Stat root = zk.exists("/", false);
        assertThat(root.getCversion()).isEqualTo(before.getCversion());
        assertThat(root.getNumChildren()).isEqualTo(before.getNumChildren());
    }

    @Test
    void failedMultiDoesNotAdvanceTheSequenceCounter() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/q", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        failure(() -> zk.multi(List.of(
                Op.create("/q/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.check("/q", 42))));

        assertThat(zk.create("/q/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
                .isEqualTo("/q/s-0000000000");
    }

    @Test
    void creatingTheSamePathTwiceFailsAtTheSecond() throws Exception {
        ZooKeeper zk = connect();

        KeeperException e = failure(() -> zk.multi(List.of(
                Op.create("/dup", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/dup", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));

        assertThat(e.code()).isEqualTo(Code.NODEEXISTS);
        assertThat(e.getResults()).containsExactly(new ErrorResult(0), new ErrorResult(Code.NODEEXISTS.intValue()));
        assertThat(zk.exists("/dup", false)).isNull();
    }

    @Test
    void childOfAnEphemeralCreatedInTheSameMultiIsRefused() throws Exception {
        ZooKeeper zk = connect();

        KeeperException e = failure(() -> zk.multi(List.of(
                Op.create("/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL),
                Op.create("/e/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));

        assertThat(e.code()).isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
        assertThat(zk.exists("/e", false)).isNull();
    }

    @Test
    void deletingABuiltInNodeInAMultiIsBadArguments() throws Exception {
        ZooKeeper zk = connect();

        KeeperException e = failure(() -> zk.multi(List.of(
                Op.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.delete("/zookeeper/config", -1))));

        assertThat(e.code()).isEqualTo(Code.BADARGUMENTS);
        assertThat(e.getResults()).containsExactly(new ErrorResult(0), new ErrorResult(Code.BADARGUMENTS.intValue()));
    }

    @Test
    void deletingAParentWhoseChildIsDeletedEarlierInTheMultiWorks() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        zk.multi(List.of(Op.delete("/p/c", -1), Op.delete("/p", -1)));

        assertThat(zk.exists("/p", false)).isNull();
    }

    @Test
    void multiReadAnswersEachReadOnItsOwn() throws Exception {
        ZooKeeper zk = connect();
        Stat a = new Stat();
        zk.create("/a", bytes("A"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, a);
        zk.create("/a/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        a = zk.exists("/a", false);

        List<OpResult> results = zk.multi(List.of(
                Op.getData("/a"),
                Op.getChildren("/missing"),
                Op.getChildren("/a"),
                Op.getData("/missing")));

        assertThat(results).hasSize(4);
        GetDataResult data = (GetDataResult) results.get(0);
        assertThat(data.getData()).isEqualTo(bytes("A"));
        assertThat(data.getStat()).isEqualTo(a);
        assertThat(results.get(1)).isEqualTo(new ErrorResult(Code.NONODE.intValue()));
        assertThat(((GetChildrenResult) results.get(2)).getChildren()).containsExactly("kid");
        assertThat(results.get(3)).isEqualTo(new ErrorResult(Code.NONODE.intValue()));
    }

    @Test
    void multiWatchEventsAllCarryTheMultisZxid() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/w", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.exists("/w/one", watcher);
        zk.getData("/w", watcher, null);
        zk.getChildren("/w", watcher);

        zk.multi(List.of(
                Op.create("/w/one", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/w", bytes("changed"), -1)));

        long zxid = zk.exists("/w/one", false).getCzxid();
        List<WatchedEvent> events = List.of(watcher.nextNodeEvent(), watcher.nextNodeEvent(), watcher.nextNodeEvent());
        assertThat(events).extracting(EventRecorder::describe)
                .containsExactly("NodeCreated /w/one", "NodeChildrenChanged /w", "NodeDataChanged /w");
        assertThat(events).extracting(WatchedEvent::getZxid).containsOnly(zxid);
    }

    @Test
    void failedMultiFiresNoWatches() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();
        zk.exists("/new", watcher);
        zk.getChildren("/", watcher);

        failure(() -> zk.multi(List.of(
                Op.create("/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.delete("/missing", -1))));

        quiesce(zk);
        watcher.assertNothingMore();
    }
}
