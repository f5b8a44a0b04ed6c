package dev.meerkat.client;

import dev.meerkat.testkit.TcpProxy;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.record.ACL;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;


/**
 * Connection loss, reconnection with the same session, and the end of a session, made to happen
 * with a TCP proxy between the client and the server.
 */
class SessionTest extends ServerTestBase {

    @Test
    void aDroppedConnectionIsSuspendedThenReconnectedWithTheSameSession() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));
        await(c.create(p("mine"), null, CreateMode.EPHEMERAL));
        long session = c.sessionId();

        proxy.cutAll();
        states.await(ConnectionState.RECONNECTED);

        assertThat(states.states).containsExactly(
                ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
        assertThat(states.threads).allMatch(t -> t.startsWith("meerkat-events-"));
        assertThat(c.sessionId()).isEqualTo(session);
        assertThat(c.state()).isEqualTo(ConnectionState.RECONNECTED);
        assertThat(await(c.getEphemerals())).containsExactly(p("mine"));
        assertThat(await(admin.exists(p("mine"))).orElseThrow().ephemeralOwner()).isEqualTo(session);
    }

    @Test
    void everyKindOfWatchIsReRegisteredAfterAReconnect() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder data = new EventRecorder();
        EventRecorder children = new EventRecorder();
        EventRecorder exists = new EventRecorder();
        EventRecorder persistent = new EventRecorder();
        EventRecorder recursive = new EventRecorder();
        await(c.getData(p("n"), data));
        await(c.getChildren(p("n"), children));
        await(c.exists(p("later"), exists));
        await(c.addWatch(p("p"), persistent, WatchMode.PERSISTENT));
        await(c.addWatch(p("r"), recursive, WatchMode.PERSISTENT_RECURSIVE));

        proxy.cutAll();
        states.await(ConnectionState.RECONNECTED);
        // the watches went out before anything sent after the reconnect, so this round trip
        // proves the server has them again
        await(c.sync("/"));
        await(admin.setData(p("n"), bytes("x")));
        await(admin.create(p("n/kid"), null, CreateMode.PERSISTENT));
        await(admin.create(p("later"), null, CreateMode.PERSISTENT));
        await(admin.create(p("p"), null, CreateMode.PERSISTENT));
        await(admin.create(p("r"), null, CreateMode.PERSISTENT));
        await(admin.create(p("r/deep"), null, CreateMode.PERSISTENT));

        assertThat(data.nextDescribed()).isEqualTo("NodeDataChanged " + p("n"));
        assertThat(children.nextDescribed()).isEqualTo("NodeChildrenChanged " + p("n"));
        assertThat(exists.nextDescribed()).isEqualTo("NodeCreated " + p("later"));
        assertThat(persistent.nextDescribed()).isEqualTo("NodeCreated " + p("p"));
        assertThat(recursive.nextDescribed()).isEqualTo("NodeCreated " + p("r"));
        assertThat(recursive.nextDescribed()).isEqualTo("NodeCreated " + p("r/deep"));
    }

    @Test
    void changesMadeWhileDisconnectedAreReportedOnReconnect() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder data = new EventRecorder();
        await(c.getData(p("n"), data));

        proxy.refuse(true);
        proxy.cutAll();
        states.await(ConnectionState.SUSPENDED);
        await(admin.setData(p("n"), bytes("while away")));
        proxy.refuse(false);

        // SetWatches is relative to the last zxid the client saw, so the server reports the change
        WatchedEvent missed = data.next();
        assertThat(missed.type()).isEqualTo(WatchedEvent.Type.NODE_DATA_CHANGED);
        assertThat(missed.path()).isEqualTo(p("n"));
        assertThat(missed.zxid()).isEqualTo(-1);
        states.await(ConnectionState.RECONNECTED);
    }

    @Test
    void requestsInFlightWhenTheConnectionDropsFailWithConnectionLossAndAreNotResent() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));
        List<CompletableFuture<Created>> inFlight = new ArrayList<>();

        proxy.holdRequests(true);
        for (int i = 0; i < 5; i++) {
            inFlight.add(c.create(p("lost-" + i), null, CreateMode.PERSISTENT));
        }
        proxy.cutAll();
        proxy.holdRequests(false);

        for (CompletableFuture<Created> f : inFlight) {
            MeerkatException e = failure(f);
            assertThat(e).isInstanceOf(MeerkatException.ConnectionLoss.class);
            assertThat(e.isOutcomeUnknown()).isTrue();
        }
        states.await(ConnectionState.RECONNECTED);
        await(c.sync("/"));
        assertThat(await(admin.getChildren(base))).isEmpty();
    }

    @Test
    void aRequestAppliedButNotAnsweredFailsOnceAndIsNotRepeated() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));
        await(c.create(p("q"), null, CreateMode.PERSISTENT));
        List<CompletableFuture<Created>> inFlight = new ArrayList<>();

        proxy.holdReplies(true);
        for (int i = 0; i < 5; i++) {
            inFlight.add(c.create(p("q/item-"), null, CreateMode.PERSISTENT_SEQUENTIAL));
        }
        Awaitility.await().until(() -> await(admin.getChildren(p("q"))).size() == 5);
        proxy.cutAll();
        proxy.holdReplies(false);

        for (CompletableFuture<Created> f : inFlight) {
            assertThat(failure(f)).isInstanceOf(MeerkatException.ConnectionLoss.class);
        }
        states.await(ConnectionState.RECONNECTED);
        await(c.sync("/"));
        assertThat(await(admin.getChildren(p("q")))).hasSize(5);
    }

    @Test
    void requestsMadeWhileDisconnectedAreSentAfterTheReconnect() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));

        proxy.refuse(true);
        proxy.cutAll();
        states.await(ConnectionState.SUSPENDED);
        CompletableFuture<Created> created = c.create(p("later"), null, CreateMode.PERSISTENT);
        CompletableFuture<NodeData> read = c.getData(p("later"));
        assertThat(created).isNotDone();
        proxy.refuse(false);

        assertThat(await(created).path()).isEqualTo(p("later"));
        assertThat(await(read).stat().czxid()).isEqualTo(await(created).stat().czxid());
        assertThat(states.states).containsExactly(
                ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
    }

    @Test
    void credentialsAreSentAgainAfterAReconnect() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));
        await(c.addAuthInfo("digest", bytes("bob:pw")));
        await(c.create(p("private"), bytes("secret"), ACL.CREATOR_ALL_ACL, CreateMode.PERSISTENT));

        proxy.cutAll();
        states.await(ConnectionState.RECONNECTED);

        assertThat(string(await(c.getData(p("private"))).data())).isEqualTo("secret");
    }

    @Test
    void aSessionClosedElsewhereIsExpiredHere() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b.connectionStateListener(states));
        await(c.create(p("mine"), null, CreateMode.EPHEMERAL));
        EventRecorder watcher = new EventRecorder();
        await(c.getData(p("mine"), watcher));
        proxy.refuse(true);
        proxy.cutAll();
        states.await(ConnectionState.SUSPENDED);
        CompletableFuture<Created> waiting = c.create(p("never"), null, CreateMode.PERSISTENT);

        // another client takes the session over and ends it, as Curator's KillSession does
        MeerkatClient thief = await(MeerkatClient.connect(server.connectString(),
                ClientOptions.builder().session(c.sessionId(), c.sessionPassword()).build()));
        thief.close();
        proxy.refuse(false);

        states.await(ConnectionState.EXPIRED);
        assertThat(states.states).containsExactly(
                ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.EXPIRED);
        assertThat(failure(waiting)).isInstanceOf(MeerkatException.SessionExpired.class);
        assertThat(failure(c.getData(p("mine"))).code()).isEqualTo(Code.SESSIONEXPIRED);
        assertThat(c.state()).isEqualTo(ConnectionState.EXPIRED);
        assertThat(await(admin.exists(p("mine")))).isEmpty();
        assertThat(await(admin.exists(p("never")))).isEmpty();
        assertThat(watcher.isEmpty()).isTrue();
    }

    @Test
    void reattachingWithAWrongPasswordIsExpired() throws Exception {
        MeerkatClient c = connect();
        byte[] wrong = c.sessionPassword();
        wrong[0] ^= 1;

        CompletableFuture<MeerkatClient> attempt = MeerkatClient.connect(server.connectString(),
                ClientOptions.builder().session(c.sessionId(), wrong).build());

        assertThat(failure(attempt)).isInstanceOf(MeerkatException.SessionExpired.class);
        assertThat(await(c.exists("/"))).isPresent();
    }

    @Test
    void reattachingWithTheRightPasswordTakesTheSessionOver() throws Exception {
        TcpProxy proxy = proxy();
        MeerkatClient first = connect(proxy.connectString(), b -> { });
        await(first.create(p("eph"), null, CreateMode.EPHEMERAL));
        // the server closes the other connection of a session that re-attaches, and the two
        // clients would take it from each other in turn; so the first one is cut off for good
        proxy.refuse(true);
        proxy.cutAll();

        MeerkatClient second = connect(b -> b.session(first.sessionId(), first.sessionPassword()));

        assertThat(second.sessionId()).isEqualTo(first.sessionId());
        assertThat(await(second.getEphemerals(base))).containsExactly(p("eph"));
    }

    @Test
    void silenceForTheWholeSessionTimeoutExpiresTheSessionOnTheClient() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b
                .sessionTimeout(Duration.ofMillis(1000))
                .connectionStateListener(states));
        assertThat(c.sessionTimeout()).isEqualTo(1000);

        proxy.refuse(true);
        proxy.cutAll();
        states.await(ConnectionState.SUSPENDED);
        CompletableFuture<Void> waiting = c.sync("/");

        states.await(ConnectionState.EXPIRED);
        assertThat(failure(waiting)).isInstanceOf(MeerkatException.SessionExpired.class);
        // the client is dead for good: it does not come back when the network does
        proxy.refuse(false);
        assertThat(failure(c.exists("/")).code()).isEqualTo(Code.SESSIONEXPIRED);
        assertThat(states.states).containsExactly(
                ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.EXPIRED);
    }

    @Test
    void closeEndsTheSessionAtOnce() throws Exception {
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(b -> b.connectionStateListener(states));
        await(c.create(p("eph"), null, CreateMode.EPHEMERAL));
        EventRecorder deleted = new EventRecorder();
        await(admin.exists(p("eph"), deleted));

        c.close();

        // closeSession deletes the ephemerals before the server answers it
        assertThat(deleted.nextDescribed()).isEqualTo("NodeDeleted " + p("eph"));
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        states.await(ConnectionState.CLOSED);
        assertThat(failure(c.getData("/")).code()).isEqualTo(Code.SESSIONEXPIRED);
        c.close();
        assertThat(await(c.closeAsync())).isNull();
    }

    @Test
    void connectingToNothingGivesUpAfterTheConnectionTimeout() throws Exception {
        TcpProxy proxy = proxy();
        proxy.refuse(true);
        StateRecorder states = new StateRecorder();

        CompletableFuture<MeerkatClient> attempt = MeerkatClient.connect(proxy.connectString(),
                ClientOptions.builder()
                        .connectionTimeout(Duration.ofMillis(300))
                        .reconnectDelayMax(Duration.ofMillis(10))
                        .connectionStateListener(states)
                        .build());

        assertThat(failure(attempt)).isInstanceOf(MeerkatException.ConnectionLoss.class);
        assertThat(proxy.acceptedConnections()).isGreaterThan(1);
        states.await(ConnectionState.CLOSED);
    }

    @Test
    void anotherServerOfTheListIsTriedWhenOneIsDown() throws Exception {
        TcpProxy down = proxy();
        down.refuse(true);

        MeerkatClient c = connect(down.connectString() + "," + server.connectString(), b -> { });

        assertThat(await(c.create(p("ok"), null, CreateMode.PERSISTENT)).path()).isEqualTo(p("ok"));
    }
}
