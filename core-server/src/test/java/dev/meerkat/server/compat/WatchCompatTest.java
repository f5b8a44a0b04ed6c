package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One-shot watches set by exists, getData and getChildren: what fires them, and what does not. */
class WatchCompatTest extends CompatTestBase {

    @Test
    void existsWatchOnAMissingNodeFiresNodeCreated() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper other = connect();
        EventRecorder watcher = new EventRecorder();

        assertThat(zk.exists("/later", watcher)).isNull();
        Stat created = new Stat();
        other.create("/later", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);

        WatchedEvent event = watcher.nextNodeEvent();
        assertThat(EventRecorder.describe(event)).isEqualTo("NodeCreated /later");
        assertThat(event.getState()).isEqualTo(KeeperState.SyncConnected);
        assertThat(event.getZxid()).isEqualTo(created.getCzxid());
    }

    @Test
    void existsWatchOnAnExistingNodeFiresOnChange() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.exists("/n", watcher);

        zk.setData("/n", bytes("x"), -1);

        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /n");
    }

    @Test
    void getDataWatchFiresNodeDataChangedWithTheWritesZxid() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper other = connect();
        zk.create("/n", bytes("1"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);

        Stat stat = other.setData("/n", bytes("2"), -1);

        WatchedEvent event = watcher.nextNodeEvent();
        assertThat(EventRecorder.describe(event)).isEqualTo("NodeDataChanged /n");
        assertThat(event.getZxid()).isEqualTo(stat.getMzxid());
    }

    @Test
    void getDataWatchFiresNodeDeleted() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);

        zk.delete("/n", -1);

        assertThat(watcher.nextNode()).isEqualTo("NodeDeleted /n");
    }

    @Test
    void childWatchFiresNodeChildrenChangedOnCreateAndOnDelete() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();

        zk.getChildren("/p", watcher);
        zk.create("/p/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /p");

        zk.getChildren("/p", watcher, new Stat());
        zk.delete("/p/a", -1);
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /p");
    }

    @Test
    void childWatchIgnoresDataChangesOfTheNodeAndOfItsChildren() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getChildren("/p", watcher);

        zk.setData("/p", bytes("x"), -1);
        zk.setData("/p/a", bytes("x"), -1);
        zk.create("/p/a/grandchild", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void childWatchOnADeletedNodeFiresNodeDeleted() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getChildren("/p", watcher);

        zk.delete("/p", -1);

        assertThat(watcher.nextNode()).isEqualTo("NodeDeleted /p");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void createFiresNodeCreatedBeforeTheParentsNodeChildrenChanged() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();
        zk.exists("/n", watcher);
        zk.getChildren("/", watcher);

        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /n");
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /");
    }

    @Test
    void deleteFiresNodeDeletedBeforeTheParentsNodeChildrenChanged() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.exists("/n", watcher);
        zk.getChildren("/", watcher);

        zk.delete("/n", -1);

        assertThat(watcher.nextNode()).isEqualTo("NodeDeleted /n");
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /");
    }

    @Test
    void oneShotWatchFiresOnlyOnce() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);

        zk.setData("/n", bytes("1"), -1);
        zk.setData("/n", bytes("2"), -1);
        zk.delete("/n", -1);

        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /n");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void setAclFiresNoWatch() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);
        zk.getChildren("/n", watcher);

        zk.setACL("/n", Ids.READ_ACL_UNSAFE, -1);

        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void getDataAndGetChildrenOfAMissingNodeSetNoWatch() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();

        assertThat(failure(() -> zk.getData("/n", watcher, null)).code()).isEqualTo(Code.NONODE);
        assertThat(failure(() -> zk.getChildren("/n", watcher)).code()).isEqualTo(Code.NONODE);
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void everySessionWatchingAPathIsTold() throws Exception {
        ZooKeeper a = connect();
        ZooKeeper b = connect();
        ZooKeeper writer = connect();
        writer.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watchA = new EventRecorder();
        EventRecorder watchB = new EventRecorder();
        quiesce(a);
        quiesce(b);
        a.getData("/n", watchA, null);
        b.exists("/n", watchB);

        writer.setData("/n", bytes("x"), -1);

        assertThat(watchA.nextNode()).isEqualTo("NodeDataChanged /n");
        assertThat(watchB.nextNode()).isEqualTo("NodeDataChanged /n");
    }

    @Test
    void defaultWatcherReceivesEventsOfWatchTrue() throws Exception {
        ZooKeeper zk = connect();
        zk.exists("/n", true);

        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(sessionEvents(zk).nextNode()).isEqualTo("NodeCreated /n");
    }

    @Test
    void eventReachesTheClientBeforeTheReplyOfTheWriteThatCausedIt() throws Exception {
        // Watch events and async callbacks go through the client's one event thread in the order
        // their frames arrived, so the order they run in is the order the server sent them in.
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(3);
        zk.getData("/n", event -> seen.add("event " + event.getType()), null);
        zk.getChildren("/n", event -> seen.add("event " + event.getType()));

        zk.setData("/n", bytes("x"), -1, (rc, path, ctx, stat) -> {
            seen.add("setData reply");
            done.countDown();
        }, null);
        zk.create("/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, (rc, path, ctx, name) -> {
            seen.add("create reply");
            done.countDown();
        }, null);
        zk.delete("/n/c", -1, (rc, path, ctx) -> {
            seen.add("delete reply");
            done.countDown();
        }, null);

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(
                "event NodeDataChanged", "setData reply",
                "event NodeChildrenChanged", "create reply",
                "delete reply");
    }

    @Test
    void eventReachesAWatcherBeforeItsSessionReadsTheNewData() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        zk.create("/n", bytes("old"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        zk.getData("/n", event -> seen.add("event"), null);

        writer.setData("/n", bytes("new"), -1);
        // The writer may be on another server of an ensemble: a sync makes this session's server
        // catch up with the write (its reply comes after the event, which is the point here).
        zk.sync("/n", (rc, path, ctx) -> { }, null);
        CountDownLatch read = new CountDownLatch(1);
        zk.getData("/n", false, (rc, path, ctx, data, stat) -> {
            seen.add("read " + new String(data));
            read.countDown();
        }, null);

        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("event", "read new");
    }

    @Test
    void aWatchFiredByOneOpOfAMultiIsNotFiredAgainByALaterOp() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.exists("/p/n", watcher);
        zk.getChildren("/p", watcher);

        zk.multi(List.of(
                Op.create("/p/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.delete("/p/n", -1)));

        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /p/n");
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /p");
        quiesce(zk);
        watcher.assertNothingMore();
    }
}
