package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sessions: timeout negotiation, re-attach, and what closing or expiring does to ephemerals. */
class SessionCompatTest extends CompatTestBase {

    @Test
    void requestedTimeoutIsClampedToTwoAndTwentyTicks() {
        int tick = serverOptions().tickTime();

        // The client gives each connection attempt its requested timeout, so asking for very
        // little would also leave it no time to connect.
        assertThat(connect(2 * tick - 100).getSessionTimeout()).isEqualTo(2 * tick);
        assertThat(connect(3 * tick + 1).getSessionTimeout()).isEqualTo(3 * tick + 1);
        assertThat(connect(1_000_000).getSessionTimeout()).isEqualTo(20 * tick);
    }

    @Test
    void everySessionGetsItsOwnIdAndPassword() {
        ZooKeeper a = connect();
        ZooKeeper b = connect();

        assertThat(a.getSessionId()).isNotZero().isNotEqualTo(b.getSessionId());
        assertThat(a.getSessionPasswd()).hasSize(16);
        assertThat(a.getSessionPasswd()).isNotEqualTo(b.getSessionPasswd());
    }

    @Test
    void closingASessionDeletesItsEphemeralsAndTellsWatchers() throws Exception {
        ZooKeeper owner = connect();
        ZooKeeper observer = connect();
        owner.create("/app", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        owner.create("/app/member-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        owner.create("/leader", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        EventRecorder watcher = new EventRecorder();
        quiesce(observer);
        observer.exists("/leader", watcher);
        observer.getChildren("/app", watcher);

        owner.close();

        // The server removes a session's ephemerals in no particular order.
        assertThat(List.of(watcher.nextNode(), watcher.nextNode()))
                .containsExactlyInAnyOrder("NodeDeleted /leader", "NodeChildrenChanged /app");
        assertThat(observer.exists("/leader", false)).isNull();
        assertThat(observer.getChildren("/app", false)).isEmpty();
        assertThat(observer.exists("/app", false)).isNotNull();
    }

    @Test
    void reattachingWithAWrongPasswordExpiresTheHandle() throws Exception {
        ZooKeeper owner = connect();
        owner.create("/mine", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        byte[] wrong = Arrays.copyOf(owner.getSessionPasswd(), 16);
        wrong[0] ^= 1;

        ZooKeeper impostor = handle(w -> new ZooKeeper(server.connectString(), SESSION_TIMEOUT_MS, w,
                owner.getSessionId(), wrong));

        sessionEvents(impostor).awaitState(KeeperState.Expired);
        assertThat(impostor.getState()).isEqualTo(ZooKeeper.States.CLOSED);
        // The owner may have been disconnected meanwhile (ZooKeeper drops the session's current
        // connection before it checks the password); the session and its ephemeral live on.
        assertThat(connect().exists("/mine", false).getEphemeralOwner()).isEqualTo(owner.getSessionId());
    }

    @Test
    void reattachingToAnUnknownSessionExpiresTheHandle() {
        ZooKeeper stranger = handle(w -> new ZooKeeper(server.connectString(), SESSION_TIMEOUT_MS, w,
                0x0100_0000_1234_5678L, new byte[16]));

        sessionEvents(stranger).awaitState(KeeperState.Expired);
    }

    @Test
    void reattachingToAClosedSessionExpiresTheHandle() throws Exception {
        ZooKeeper first = connect();
        long id = first.getSessionId();
        byte[] password = first.getSessionPasswd();
        first.close();

        ZooKeeper again = handle(w -> new ZooKeeper(server.connectString(), SESSION_TIMEOUT_MS, w, id, password));

        sessionEvents(again).awaitState(KeeperState.Expired);
    }

    @Test
    void reattachingWithTheRightPasswordTakesOverTheSessionAndItsEphemerals() throws Exception {
        // A hand-spoken session never reconnects, so the take-over is not fought back.
        RawSession raw = rawSession(SESSION_TIMEOUT_MS);
        CreateResponse created = raw.call(ZooDefs.OpCode.create,
                new CreateRequest("/raw-eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL.toFlag()))
                .read(new CreateResponse());
        assertThat(created.getPath()).isEqualTo("/raw-eph");

        ZooKeeper heir = handle(w -> new ZooKeeper(server.connectString(), SESSION_TIMEOUT_MS / 2, w,
                raw.sessionId(), raw.password()));
        sessionEvents(heir).awaitState(KeeperState.SyncConnected);

        assertThat(heir.getSessionId()).isEqualTo(raw.sessionId());
        assertThat(heir.getSessionTimeout()).as("negotiated again").isEqualTo(SESSION_TIMEOUT_MS / 2);
        assertThat(heir.getEphemerals()).containsExactly("/raw-eph");
        assertThat(heir.exists("/raw-eph", false).getEphemeralOwner()).isEqualTo(raw.sessionId());
        assertThat(raw.awaitClosedByServer(10_000)).as("the old connection is closed").isTrue();

        ZooKeeper observer = connect();
        heir.close();
        assertThat(observer.exists("/raw-eph", false)).isNull();
    }

    @Test
    void aSilentSessionExpiresAfterItsTimeoutAndItsEphemeralsGo() throws Exception {
        ZooKeeper observer = connect();
        RawSession silent = rawSession(1);
        int timeout = silent.negotiatedTimeout();
        assertThat(timeout).isEqualTo(2 * serverOptions().tickTime());
        long lastHeard = System.nanoTime();
        silent.call(ZooDefs.OpCode.create,
                new CreateRequest("/silent", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL.toFlag()));
        EventRecorder watcher = new EventRecorder();
        assertThat(observer.exists("/silent", watcher)).isNotNull();

        // No pings from here on.
        assertThat(watcher.nextNode()).isEqualTo("NodeDeleted /silent");
        assertThat((System.nanoTime() - lastHeard) / 1_000_000).as("ms from the last request to expiry")
                .isGreaterThanOrEqualTo(timeout);
        assertThat(observer.exists("/silent", false)).isNull();
        assertThat(silent.awaitClosedByServer(10_000)).as("the expired session's connection is closed").isTrue();

        RawSession late = closeLater(
                RawSession.reattach(server.port(), timeout, silent.sessionId(), silent.password()));
        assertThat(late.negotiatedTimeout()).as("an expired session cannot be re-attached").isZero();
        assertThat(late.sessionId()).isZero();
        assertThat(late.password()).containsOnly(0);
    }

    @Test
    void pingsKeepASessionAliveLongPastItsTimeout() throws Exception {
        ZooKeeper observer = connect();
        ZooKeeper shortLived = connect(5 * serverOptions().tickTime());
        int timeout = shortLived.getSessionTimeout();
        shortLived.create("/alive", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        // The client pings every third of the timeout; nothing else is sent for twice the timeout.
        await().during(Duration.ofMillis(2L * timeout)).atMost(Duration.ofMillis(4L * timeout))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> observer.exists("/alive", false) != null);
        assertThat(shortLived.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
    }

    @Test
    void aClosingSessionHearsItsOwnEphemeralsGo() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        EventRecorder watcher = new EventRecorder();
        zk.exists("/e", watcher);

        zk.close();

        assertThat(watcher.nextNode()).isEqualTo("NodeDeleted /e");
    }

    @Test
    void deletionsOfAClosedSessionCarryTheClosesZxid() throws Exception {
        ZooKeeper owner = connect();
        ZooKeeper observer = connect();
        owner.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat created = new Stat();
        owner.create("/p/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, created);
        EventRecorder watcher = new EventRecorder();
        quiesce(observer);
        observer.exists("/p/e", watcher);

        owner.close();

        WatchedEvent deleted = watcher.nextNodeEvent();
        assertThat(EventRecorder.describe(deleted)).isEqualTo("NodeDeleted /p/e");
        assertThat(deleted.getZxid()).isGreaterThan(created.getCzxid());
        assertThat(observer.exists("/p", false).getPzxid()).isEqualTo(deleted.getZxid());
    }

    @Test
    void aRequestLargerThanTheFrameLimitCostsTheConnectionButNotTheSession() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/mine", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        long sessionId = zk.getSessionId();

        assertThat(failure(() -> zk.create("/big", new byte[1024 * 1024], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .code()).isEqualTo(Code.CONNECTIONLOSS);

        sessionEvents(zk).awaitState(KeeperState.SyncConnected);
        assertThat(zk.getSessionId()).isEqualTo(sessionId);
        assertThat(zk.exists("/big", false)).isNull();
        assertThat(zk.getEphemerals()).containsExactly("/mine");
    }

    @Test
    void dataJustUnderTheFrameLimitIsStoredAndReadBack() throws Exception {
        ZooKeeper zk = connect();
        byte[] data = new byte[1_000_000];
        Arrays.fill(data, (byte) 7);

        zk.create("/big", data, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        Stat stat = new Stat();
        assertThat(zk.getData("/big", false, stat)).isEqualTo(data);
        assertThat(stat.getDataLength()).isEqualTo(1_000_000);
    }
}
