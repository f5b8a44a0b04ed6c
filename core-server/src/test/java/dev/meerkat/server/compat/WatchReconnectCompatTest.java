package dev.meerkat.server.compat;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.SetWatches;
import org.apache.zookeeper.proto.SyncRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches belong to the connection: the client re-sends them after a reconnect (SetWatches), and
 * the server answers at once for what changed while it was away.
 */
class WatchReconnectCompatTest extends CompatTestBase {

    /** Drops the client's connection; it reconnects to the same server with the same session. */
    private void reconnect(ZooKeeper zk) throws Exception {
        EventRecorder session = sessionEvents(zk);
        zk.getTestable().closeSocket();
        session.awaitState(KeeperState.Disconnected);
        session.awaitState(KeeperState.SyncConnected);
        // SetWatches is queued ahead of anything sent after the reconnect, so once this round
        // trip is back the server has the watches again.
        zk.sync("/");
    }

    @Test
    void watchesEphemeralsAndLoginsSurviveAReconnect() throws Exception {
        ZooKeeper zk = connectAs("alice:secret");
        ZooKeeper writer = connect();
        writer.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/private", bytes("mine"), Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        zk.create("/mine", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        EventRecorder watcher = new EventRecorder();
        quiesce(zk);
        zk.getData("/n", watcher, null);
        zk.getChildren("/n", watcher);
        zk.exists("/later", watcher);
        long sessionId = zk.getSessionId();

        reconnect(zk);
        writer.setData("/n", bytes("x"), -1);
        writer.create("/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        writer.create("/later", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.getSessionId()).isEqualTo(sessionId);
        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /n");
        assertThat(watcher.nextNode()).isEqualTo("NodeChildrenChanged /n");
        assertThat(watcher.nextNode()).isEqualTo("NodeCreated /later");
        assertThat(zk.getEphemerals()).containsExactly("/mine");
        assertThat(zk.getData("/private", false, null)).isEqualTo(bytes("mine"));
    }

    @Test
    void persistentAndRecursiveWatchesSurviveAReconnect() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper writer = connect();
        EventRecorder persistent = new EventRecorder();
        EventRecorder recursive = new EventRecorder();
        zk.addWatch("/p", persistent, AddWatchMode.PERSISTENT);
        zk.addWatch("/r", recursive, AddWatchMode.PERSISTENT_RECURSIVE);

        reconnect(zk);
        writer.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        writer.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        writer.create("/r", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        writer.create("/r/deep", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(persistent.nextNode()).isEqualTo("NodeCreated /p");
        assertThat(persistent.nextNode()).isEqualTo("NodeChildrenChanged /p");
        assertThat(recursive.nextNode()).isEqualTo("NodeCreated /r");
        assertThat(recursive.nextNode()).isEqualTo("NodeCreated /r/deep");
    }

    @Test
    void setWatchesAnswersMissedChangesAtOnceAndRegistersTheRest() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/quiet", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/kids", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/exists", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        long seen = zk.exists("/exists", false).getCzxid();
        zk.create("/changed", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/changed", bytes("while away"), -1);
        zk.create("/kids/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        RawSession raw = rawSession(SESSION_TIMEOUT_MS);

        RawSession.Reply reply = raw.call(OpCode.setWatches, new SetWatches(seen,
                List.of("/quiet", "/changed", "/gone"),
                List.of("/exists", "/not-yet"),
                List.of("/kids", "/exists", "/gone-kids")));

        assertThat(reply.err()).isZero();
        assertThat(reply.eventsBefore()).extracting(RawSession.Notification::describe).containsExactly(
                "NodeDataChanged /changed",
                "NodeDeleted /gone",
                "NodeCreated /exists",
                "NodeChildrenChanged /kids",
                "NodeDeleted /gone-kids");
        assertThat(reply.eventsBefore()).extracting(RawSession.Notification::zxid).containsOnly(-1L);

        Stat quietChange = zk.setData("/quiet", bytes("now"), -1);
        Stat created = new Stat();
        zk.create("/not-yet", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        zk.create("/exists/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        RawSession.Reply next = raw.call(OpCode.sync, new SyncRequest("/"));
        assertThat(next.eventsBefore()).extracting(RawSession.Notification::describe).containsExactly(
                "NodeDataChanged /quiet",
                "NodeCreated /not-yet",
                "NodeChildrenChanged /exists");
        assertThat(next.eventsBefore().get(0).zxid()).isEqualTo(quietChange.getMzxid());
        assertThat(next.eventsBefore().get(1).zxid()).isEqualTo(created.getCzxid());
    }

    @Test
    void checkAndRemoveWatchesAnswerForTheConnectionsOwnWatches() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        RawSession raw = rawSession(SESSION_TIMEOUT_MS);
        int children = 1;
        int data = 2;
        int any = 3;

        assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest("/n", data)).err()).isEqualTo(-121);
        raw.call(OpCode.getData, new GetDataRequest("/n", true));
        raw.call(OpCode.exists, new ExistsRequest("/missing", true));
        assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest("/n", data)).err()).isZero();
        assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest("/n", children)).err()).isEqualTo(-121);
        assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest("/n", any)).err()).isZero();
        assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest("/missing", data)).err()).isZero();
        // checkWatches only looks; the watch is still there afterwards.
        assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest("/n", data)).err()).isZero();

        assertThat(raw.call(OpCode.removeWatches, new RemoveWatchesRequest("/n", any)).err()).isZero();
        assertThat(raw.call(OpCode.removeWatches, new RemoveWatchesRequest("/n", any)).err()).isEqualTo(-121);
        zk.setData("/n", bytes("x"), -1);
        assertThat(raw.call(OpCode.sync, new SyncRequest("/")).eventsBefore()).isEmpty();
    }

    @Test
    void anotherConnectionsWatchIsNotItsOwn() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData("/n", event -> { }, null);
        RawSession raw = rawSession(SESSION_TIMEOUT_MS);

        assertThat(raw.call(OpCode.checkWatches, new CheckWatchesRequest("/n", 2)).err()).isEqualTo(-121);
    }

    @Test
    void aConnectionHearsOfAChangeOnceHoweverManyOfItsWatchesMatch() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        RawSession raw = rawSession(SESSION_TIMEOUT_MS);
        raw.call(OpCode.getData, new GetDataRequest("/n", true));
        raw.call(OpCode.exists, new ExistsRequest("/n", true));
        raw.call(OpCode.getChildren, new GetChildrenRequest("/n", true));
        raw.call(OpCode.addWatch, new AddWatchRequest("/", 1));
        raw.call(OpCode.addWatch, new AddWatchRequest("/n", 0));

        zk.setData("/n", bytes("x"), -1);
        zk.delete("/n", -1);

        assertThat(raw.call(OpCode.sync, new SyncRequest("/")).eventsBefore())
                .extracting(RawSession.Notification::describe)
                .containsExactly("NodeDataChanged /n", "NodeDeleted /n");
    }
}
