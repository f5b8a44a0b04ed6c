package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.record.AuthPacket;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ErrorResponse;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.GetDataResponse;
import dev.meerkat.protocol.record.SetWatches;
import dev.meerkat.protocol.record.SetWatches2;
import dev.meerkat.protocol.record.Stat;
import dev.meerkat.protocol.record.SyncResponse;
import dev.meerkat.protocol.record.WatcherEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client puts on the wire and how it reacts to a server that misbehaves, checked against a
 * scripted fake server.
 */
class WireProtocolTest {
    private static final byte[] PASSWORD = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final long SESSION = 0x0100_0000_0000_0042L;
    private static final Stat STAT = new Stat(5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 5);

    private final FakeServer fake = new FakeServer();
    private final List<MeerkatClient> clients = new ArrayList<>();
    /** The fake's side of the connection {@link #connect} made. */
    private FakeServer.Conn conn;

    @AfterEach
    void stop() {
        // the fake answers no closeSession; gone first, it lets the clients close at once
        fake.close();
        clients.forEach(MeerkatClient::close);
    }

    /** Starts a client against the fake and completes its handshake with {@code timeout}. */
    private MeerkatClient connect(int timeout, ClientOptions.Builder options) throws Exception {
        CompletableFuture<MeerkatClient> f = MeerkatClient.connect(fake.connectString(), options
                .reconnectDelayMax(Duration.ZERO)
                .build());
        return connected(f, timeout);
    }

    private MeerkatClient connected(CompletableFuture<MeerkatClient> f, int timeout) throws Exception {
        conn = fake.accept();
        conn.handshake(timeout, SESSION, PASSWORD);
        MeerkatClient c = f.get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private static MeerkatException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (MeerkatException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void theHandshakeIsZooKeepersWithTheReadOnlyByte() throws Exception {
        CompletableFuture<MeerkatClient> f = MeerkatClient.connect(fake.connectString(),
                ClientOptions.builder().sessionTimeout(Duration.ofMillis(30_000)).build());
        FakeServer.Conn c = fake.accept();

        byte[] frame = c.readConnectFrame();
        ConnectRequest r = Jute.fromBytes(frame, ConnectRequest::read);
        c.sendConnectResponse(4_000, SESSION, PASSWORD);
        MeerkatClient client = f.get(10, TimeUnit.SECONDS);
        clients.add(client);

        assertThat(frame).hasSize(45);
        assertThat(r.protocolVersion()).isZero();
        assertThat(r.lastZxidSeen()).isZero();
        assertThat(r.timeOut()).isEqualTo(30_000);
        assertThat(r.sessionId()).isZero();
        assertThat(r.passwd()).isEqualTo(new byte[16]);
        assertThat(r.readOnlyPresent()).isTrue();
        assertThat(r.readOnly()).isFalse();
        // the client goes by what the server granted
        assertThat(client.sessionTimeout()).isEqualTo(4_000);
        assertThat(client.sessionId()).isEqualTo(SESSION);
        assertThat(client.sessionPassword()).isEqualTo(PASSWORD);
    }

    @Test
    void xidsStartAtOneAndCountUp() throws Exception {
        MeerkatClient c = connect(4_000, ClientOptions.builder());

        c.sync("/a");
        c.sync("/b");
        FakeServer.Request first = conn.readRequestSkippingPings(1);
        FakeServer.Request second = conn.readRequestSkippingPings(1);

        assertThat(first.xid()).isEqualTo(1);
        assertThat(first.type()).isEqualTo(OpCode.SYNC);
        assertThat(second.xid()).isEqualTo(2);
    }

    @Test
    void anIdleClientPingsAtAThirdOfTheNegotiatedTimeout() throws Exception {
        long start = System.nanoTime();
        MeerkatClient c = connect(900, ClientOptions.builder().sessionTimeout(Duration.ofMillis(30_000)));

        FakeServer.Request ping = conn.readRequest();
        conn.reply(-2, 0, 0);
        FakeServer.Request next = conn.readRequest();

        assertThat(ping.xid()).isEqualTo(-2);
        assertThat(ping.type()).isEqualTo(OpCode.PING);
        assertThat(ping.body()).isEmpty();
        // a third of 900 ms, not of the 30 s asked for; the tick may add a little
        assertThat(TimeUnit.NANOSECONDS.toMillis(ping.arrivedNanos() - start)).isGreaterThanOrEqualTo(250);
        assertThat(TimeUnit.NANOSECONDS.toMillis(next.arrivedNanos() - ping.arrivedNanos()))
                .isBetween(250L, 600L);
        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void aSilentServerIsLeftAfterTwoThirdsOfTheTimeoutAndTheSessionResumedElsewhere() throws Exception {
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(900, ClientOptions.builder().connectionStateListener(states));
        CompletableFuture<Void> unanswered = c.sync("/");
        FakeServer.Request sync = conn.readRequestSkippingPings(0);
        long sentAt = sync.arrivedNanos();

        // nothing is answered, pings included: the client must give up on this server by itself
        assertThat(failure(unanswered)).isInstanceOf(MeerkatException.ConnectionLoss.class);
        long droppedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
        FakeServer.Conn second = fake.accept();
        ConnectRequest again = second.readConnectRequest();

        assertThat(droppedAfter).isBetween(500L, 900L);
        assertThat(again.sessionId()).isEqualTo(SESSION);
        assertThat(again.passwd()).isEqualTo(PASSWORD);
        second.sendConnectResponse(900, SESSION, PASSWORD);
        states.await(ConnectionState.RECONNECTED);
        assertThat(states.states).containsExactly(
                ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
    }

    @Test
    void aReplyOutOfOrderDropsTheConnectionAndFailsWhatWasInFlight() throws Exception {
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(4_000, ClientOptions.builder().connectionStateListener(states));
        CompletableFuture<Void> a = c.sync("/a");
        CompletableFuture<Void> b = c.sync("/b");
        FakeServer.Request ra = conn.readRequestSkippingPings(1);
        FakeServer.Request rb = conn.readRequestSkippingPings(1);

        conn.reply(rb.xid(), 1, 0, new SyncResponse("/b"));

        assertThat(failure(a)).isInstanceOf(MeerkatException.ConnectionLoss.class);
        assertThat(failure(b)).isInstanceOf(MeerkatException.ConnectionLoss.class);
        assertThat(conn.awaitClosedByClient()).isTrue();
        assertThat(ra.xid()).isLessThan(rb.xid());
        states.await(ConnectionState.SUSPENDED);
    }

    @Test
    void anOversizedFrameDropsTheConnection() throws Exception {
        MeerkatClient c = connect(4_000, ClientOptions.builder().maxFrameBytes(4096));
        CompletableFuture<NodeData> read = c.getData("/big");
        FakeServer.Request r = conn.readRequestSkippingPings(1);

        conn.sendLength(4097);

        assertThat(r.type()).isEqualTo(OpCode.GET_DATA);
        assertThat(failure(read)).isInstanceOf(MeerkatException.ConnectionLoss.class);
        assertThat(conn.awaitClosedByClient()).isTrue();
    }

    @Test
    void afterAReconnectCredentialsThenWatchesThenWaitingRequestsGoOut() throws Exception {
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(4_000, ClientOptions.builder().connectionStateListener(states));
        CompletableFuture<Void> auth = c.addAuthInfo("digest", "u:p".getBytes());
        FakeServer.Request authRequest = conn.readRequestSkippingPings(7);
        conn.reply(-4, 0, 0);
        auth.get(10, TimeUnit.SECONDS);
        CompletableFuture<NodeData> read = c.getData("/w", e -> { });
        CompletableFuture<Void> persistent = c.addWatch("/p", e -> { }, WatchMode.PERSISTENT_RECURSIVE);
        FakeServer.Request get = conn.readRequestSkippingPings(7);
        conn.reply(get.xid(), 7, 0, new GetDataResponse(null, STAT));
        FakeServer.Request add = conn.readRequestSkippingPings(8);
        conn.reply(add.xid(), 8, 0, new ErrorResponse(0));
        read.get(10, TimeUnit.SECONDS);
        persistent.get(10, TimeUnit.SECONDS);

        conn.close();
        states.await(ConnectionState.SUSPENDED);
        CompletableFuture<Void> waiting = c.sync("/later");
        FakeServer.Conn second = fake.accept();
        ConnectRequest reattach = second.readConnectRequest();
        second.sendConnectResponse(4_000, SESSION, PASSWORD);
        FakeServer.Request replayedAuth = second.readRequest();
        FakeServer.Request setWatches = second.readRequest();
        FakeServer.Request later = second.readRequest();

        assertThat(authRequest.xid()).isEqualTo(-4);
        assertThat(authRequest.type()).isEqualTo(OpCode.AUTH);
        assertThat(reattach.lastZxidSeen()).isEqualTo(8);
        assertThat(replayedAuth.xid()).isEqualTo(-4);
        assertThat(replayedAuth.read(AuthPacket::read).scheme()).isEqualTo("digest");
        assertThat(setWatches.type()).isEqualTo(OpCode.SET_WATCHES2);
        SetWatches2 watches = setWatches.read(SetWatches2::read);
        assertThat(watches.relativeZxid()).isEqualTo(8);
        assertThat(watches.dataWatches()).containsExactly("/w");
        assertThat(watches.persistentRecursiveWatches()).containsExactly("/p");
        assertThat(later.type()).isEqualTo(OpCode.SYNC);
        assertThat(later.xid()).isGreaterThan(setWatches.xid());
        second.reply(-4, 0, 0);
        second.reply(setWatches.xid(), 9, 0);
        second.reply(later.xid(), 9, 0, new SyncResponse("/later"));
        waiting.get(10, TimeUnit.SECONDS);
    }

    @Test
    void plainSetWatchesIsUsedWhenThereAreNoPersistentWatches() throws Exception {
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(4_000, ClientOptions.builder().connectionStateListener(states));
        CompletableFuture<Optional<Stat>> exists = c.exists("/missing", e -> { });
        FakeServer.Request r = conn.readRequestSkippingPings(3);
        conn.reply(r.xid(), 3, Code.NONODE.intValue());
        assertThat(exists.get(10, TimeUnit.SECONDS)).isEmpty();

        conn.close();
        FakeServer.Conn second = fake.accept();
        second.handshake(4_000, SESSION, PASSWORD);
        FakeServer.Request setWatches = second.readRequest();

        assertThat(setWatches.type()).isEqualTo(OpCode.SET_WATCHES);
        SetWatches w = setWatches.read(SetWatches::read);
        assertThat(w.existWatches()).containsExactly("/missing");
        assertThat(w.dataWatches()).isEmpty();
        assertThat(w.relativeZxid()).isEqualTo(3);
    }

    @Test
    void aZeroTimeoutOnReattachMeansExpired() throws Exception {
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(4_000, ClientOptions.builder().connectionStateListener(states));

        conn.close();
        FakeServer.Conn second = fake.accept();
        second.readConnectRequest();
        second.sendConnectResponse(0, 0, new byte[16]);

        states.await(ConnectionState.EXPIRED);
        assertThat(c.state()).isEqualTo(ConnectionState.EXPIRED);
        assertThat(failure(c.sync("/")).code()).isEqualTo(Code.SESSIONEXPIRED);
    }

    @Test
    void closeSendsCloseSessionAndWaitsForTheReply() throws Exception {
        MeerkatClient c = connect(4_000, ClientOptions.builder());
        CompletableFuture<Void> closing = CompletableFuture.runAsync(c::close);

        FakeServer.Request close = conn.readRequestSkippingPings(1);
        assertThat(close.type()).isEqualTo(OpCode.CLOSE_SESSION);
        assertThat(closing).isNotDone();
        conn.reply(close.xid(), 2, 0);

        closing.get(10, TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(conn.awaitClosedByClient()).isTrue();
    }

    @Test
    void notificationsOfUnknownTypesAreIgnored() throws Exception {
        MeerkatClient c = connect(4_000, ClientOptions.builder());
        EventRecorder watcher = new EventRecorder();
        CompletableFuture<NodeData> read = c.getData("/n", watcher);
        FakeServer.Request r = conn.readRequestSkippingPings(1);
        conn.reply(r.xid(), 1, 0, new GetDataResponse(null, STAT));
        read.get(10, TimeUnit.SECONDS);

        conn.reply(-1, 2, 0, new WatcherEvent(42, 3, "/n"));
        conn.reply(-1, 3, 0, new WatcherEvent(3, 3, "/n"));

        WatchedEvent e = watcher.next();
        assertThat(e.type()).isEqualTo(WatchedEvent.Type.NODE_DATA_CHANGED);
        assertThat(e.zxid()).isEqualTo(3);
        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void theGetDataRequestCarriesTheWatchFlag() throws Exception {
        MeerkatClient c = connect(4_000, ClientOptions.builder());

        c.getData("/a", e -> { });
        c.getData("/b");
        GetDataRequest watched = conn.readRequestSkippingPings(1).read(GetDataRequest::read);
        GetDataRequest plain = conn.readRequestSkippingPings(1).read(GetDataRequest::read);

        assertThat(watched).isEqualTo(new GetDataRequest("/a", true));
        assertThat(plain).isEqualTo(new GetDataRequest("/b", false));
    }
    @Test
    void manyWatchesAreReRegisteredInBatchesOfAtMost128KBOfPaths() throws Exception {
        MeerkatClient c = connect(4_000, ClientOptions.builder());
        String longName = "/" + "w".repeat(1000);
        List<String> paths = new ArrayList<>();
        // about 200 KB of paths: two batches
        for (int i = 0; i < 200; i++) {
            String path = longName + i;
            paths.add(path);
            CompletableFuture<Optional<Stat>> f = c.exists(path, e -> { });
            FakeServer.Request r = conn.readRequestSkippingPings(1);
            conn.reply(r.xid(), 1, Code.NONODE.intValue());
            f.get(10, TimeUnit.SECONDS);
        }

        conn.close();
        FakeServer.Conn second = fake.accept();
        second.handshake(4_000, SESSION, PASSWORD);
        SetWatches first = second.readRequest().read(SetWatches::read);
        SetWatches rest = second.readRequest().read(SetWatches::read);

        int firstLength = first.existWatches().stream().mapToInt(String::length).sum();
        assertThat(firstLength).isLessThanOrEqualTo(128 * 1024).isGreaterThan(120 * 1024);
        List<String> all = new ArrayList<>(first.existWatches());
        all.addAll(rest.existWatches());
        assertThat(all).containsExactlyInAnyOrderElementsOf(paths);
    }

    @Test
    void hostNamesAreResolvedOnEveryAttempt() throws Exception {
        String port = fake.connectString().substring(fake.connectString().indexOf(':') + 1);
        CompletableFuture<MeerkatClient> f = MeerkatClient.connect("localhost:" + port,
                ClientOptions.builder().reconnectDelayMax(Duration.ZERO).build());

        // localhost may also name an address the fake does not listen on; the client moves on
        MeerkatClient c = connected(f, 4_000);

        assertThat(c.connectString().hosts().get(0).host()).isEqualTo("localhost");
        assertThat(c.isConnected()).isTrue();
    }
}
