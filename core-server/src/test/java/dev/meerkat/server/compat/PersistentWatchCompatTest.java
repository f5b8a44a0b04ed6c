package dev.meerkat.server.compat;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** addWatch (persistent and persistent-recursive), removeWatches and removeAllWatches. */
class PersistentWatchCompatTest extends CompatTestBase {

    @Test
    void persistentWatchHearsEveryChangeOfItsNodeAndIsNotConsumed() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();
        zk.addWatch("/p", watcher, AddWatchMode.PERSISTENT);

        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/p", bytes("1"), -1);
        zk.setData("/p", bytes("2"), -1);
        zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/p/c", bytes("child data is not watched"), -1);
        zk.delete("/p/c", -1);
        zk.delete("/p", -1);
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /p");
        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /p");
        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /p");
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /p");
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /p");
        assertThat(watcher.nextNode()).isEqualTo("NodeDeleted /p");
        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /p");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void recursiveWatchHearsTheWholeSubtreeButNeverNodeChildrenChanged() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();
        zk.addWatch("/r", watcher, AddWatchMode.PERSISTENT_RECURSIVE);

        zk.create("/r", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/r/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/r/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/r/a/b", bytes("x"), -1);
        zk.setData("/r/a/b", bytes("y"), -1);
        zk.delete("/r/a/b", -1);
        zk.create("/rx", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /r");
        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /r/a");
        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /r/a/b");
        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /r/a/b");
        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /r/a/b");
        assertThat(watcher.nextNode()).isEqualTo("NodeDeleted /r/a/b");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void recursiveWatchOnTheRootSeesEverything() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        EventRecorder watcher = new EventRecorder();
        zk.addWatch("/", watcher, AddWatchMode.PERSISTENT_RECURSIVE);

        writer.create("/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        writer.create("/x/y", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /x");
        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /x/y");
    }

    @Test
    void aOneShotWatchAndAPersistentWatchOnOnePathBothHearTheChange() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder persistent = new EventRecorder();
        EventRecorder oneShot = new EventRecorder();
        zk.addWatch("/", persistent, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.getData("/n", oneShot, null);

        zk.setData("/n", bytes("1"), -1);
        zk.setData("/n", bytes("2"), -1);

        assertThat(oneShot.nextNode()).isEqualTo("NodeDataChanged /n");
        assertThat(persistent.nextNode()).isEqualTo("NodeDataChanged /n");
        assertThat(persistent.nextNode()).isEqualTo("NodeDataChanged /n");
        quiesce(zk);
        oneShot.assertNothingMore();
        persistent.assertNothingMore();
    }

    @Test
    void removingAPersistentWatchStopsItsEvents() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();
        zk.addWatch("/p", watcher, AddWatchMode.PERSISTENT);

        zk.removeWatches("/p", watcher, WatcherType.Persistent, false);
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(watcher.nextNode()).isEqualTo("PersistentWatchRemoved /p");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void removeAllWatchesOfARecursiveWatch() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();
        zk.addWatch("/r", watcher, AddWatchMode.PERSISTENT_RECURSIVE);

        zk.removeAllWatches("/r", WatcherType.PersistentRecursive, false);
        zk.create("/r", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(watcher.nextNode()).isEqualTo("PersistentWatchRemoved /r");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void removingADataWatchTellsTheWatcherAndStopsTheEvent() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);

        zk.removeWatches("/n", watcher, WatcherType.Data, false);
        zk.setData("/n", bytes("x"), -1);

        assertThat(watcher.nextNode()).isEqualTo("DataWatchRemoved /n");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void removingAChildWatchLeavesTheDataWatch() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);
        zk.getChildren("/n", watcher);

        zk.removeAllWatches("/n", WatcherType.Children, false);
        zk.create("/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/n", bytes("x"), -1);

        assertThat(watcher.nextNode()).isEqualTo("ChildWatchRemoved /n");
        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /n");
        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void removeAllWatchesOfAnyTypeRemovesBoth() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);
        zk.getChildren("/n", watcher);

        zk.removeAllWatches("/n", WatcherType.Any, false);
        zk.create("/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/n", bytes("x"), -1);

        assertThat(watcher.drainAfter(zk)).containsExactlyInAnyOrder("ChildWatchRemoved /n", "DataWatchRemoved /n");
    }

    @Test
    void removingAWatchThatIsNotThereIsNoWatcher() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/n", event -> { }, null);

        assertThat(failure(() -> zk.removeAllWatches("/n", WatcherType.Children, false)).code())
                .isEqualTo(Code.NOWATCHER);
        assertThat(failure(() -> zk.removeAllWatches("/other", WatcherType.Any, false)).code())
                .isEqualTo(Code.NOWATCHER);
        assertThat(failure(() -> zk.removeAllWatches("/n", WatcherType.PersistentRecursive, false)).code())
                .isEqualTo(Code.NOWATCHER);
    }

    @Test
    void aWatchIsRemovedOnlyOnceOnTheServer() throws Exception {
        ZooKeeper zk = connect();
        zk.addWatch("/p", event -> { }, AddWatchMode.PERSISTENT_RECURSIVE);

        zk.removeAllWatches("/p", WatcherType.PersistentRecursive, false);

        assertThat(failure(() -> zk.removeAllWatches("/p", WatcherType.PersistentRecursive, false)).code())
                .isEqualTo(Code.NOWATCHER);
    }

    @Test
    void removingAnExistsWatchOnAMissingNode() throws Exception {
        ZooKeeper zk = connect();
        EventRecorder watcher = new EventRecorder();
        zk.exists("/later", watcher);

        zk.removeWatches("/later", watcher, WatcherType.Data, false);
        zk.create("/later", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(watcher.nextNode()).isEqualTo("DataWatchRemoved /later");
        quiesce(zk);
        watcher.assertNothingMore();
    }
}
