package dev.meerkat.server.net;

import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.EventType;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.CreateResponse;
import dev.meerkat.protocol.record.ExistsRequest;
import dev.meerkat.protocol.record.ExistsResponse;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.GetDataResponse;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.protocol.record.WatcherEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection handshake on the wire (zk-protocol.md §2): the optional readOnly byte, timeout
 * negotiation, re-attaching, and refusing clients the server must not serve.
 */
class RawHandshakeTest {
    private static final int TICK = 200;
    private static final int MIN_TIMEOUT = 2 * TICK;
    private static final int MAX_TIMEOUT = 20 * TICK;

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.settings().tickTime(TICK).start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void handshakeWithReadOnlyByteGetsA37ByteResponseWithTheByte() throws IOException {
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRecords(new ConnectRequest(0, 0, 3000, 0, new byte[16], false, true));
            byte[] body = c.requireFrame();

            assertThat(body).hasSize(37);
            ConnectResponse resp = RawClient.decode(body, ConnectResponse::read);
            assertThat(resp.protocolVersion()).isZero();
            assertThat(resp.timeOut()).isEqualTo(3000);
            assertThat(resp.sessionId()).isNotZero();
            assertThat(resp.passwd()).hasSize(16);
            assertThat(resp.readOnlyPresent()).isTrue();
            assertThat(resp.readOnly()).as("a normal server is not read-only").isFalse();
            assertSessionWorks(c);
        }
    }

    @Test
    void handshakeWithoutReadOnlyByteGetsA36ByteResponseWithoutIt() throws IOException {
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRecords(new ConnectRequest(0, 0, 3000, 0, new byte[16], false, false));
            byte[] body = c.requireFrame();

            assertThat(body).as("an old client gets no readOnly byte back").hasSize(36);
            ConnectResponse resp = RawClient.decode(body, ConnectResponse::read);
            assertThat(resp.timeOut()).isEqualTo(3000);
            assertThat(resp.sessionId()).isNotZero();
            assertThat(resp.passwd()).hasSize(16);
            assertSessionWorks(c);
        }
    }

    @Test
    void requestedTimeoutIsClampedToTwoAndTwentyTicks() throws IOException {
        int[][] requestedToNegotiated = {
                {100_000, MAX_TIMEOUT},
                {MAX_TIMEOUT + 1, MAX_TIMEOUT},
                {1, MIN_TIMEOUT},
                {0, MIN_TIMEOUT},
                {-5, MIN_TIMEOUT},
                {MIN_TIMEOUT - 1, MIN_TIMEOUT},
                {1234, 1234},
        };
        for (int[] pair : requestedToNegotiated) {
            try (RawClient c = RawClient.connect(server.port())) {
                ConnectResponse resp = c.handshake(RawClient.newSession(pair[0]));
                assertThat(resp.timeOut()).as("negotiated timeout for a request of %d ms", pair[0])
                        .isEqualTo(pair[1]);
            }
        }
    }

    @Test
    void sessionIdsAreDistinctAndCarryTheServerIdInTheTopByte() throws IOException {
        try (RawClient a = RawClient.connect(server.port()); RawClient b = RawClient.connect(server.port())) {
            long first = a.handshake().sessionId();
            long second = b.handshake().sessionId();
            assertThat(first).isNotEqualTo(second);
            assertThat(first >>> 56).as("standalone server id 1 in the top byte of 0x%x", first).isEqualTo(1);
        }
    }

    @Test
    void reattachWithWrongPasswordIsAnsweredAsExpiredThenClosed() throws IOException {
        try (RawClient owner = RawClient.connect(server.port())) {
            ConnectResponse session = owner.handshake(RawClient.newSession(MAX_TIMEOUT));
            byte[] wrong = session.passwd().clone();
            wrong[0] ^= 0x5a;

            try (RawClient intruder = RawClient.connect(server.port())) {
                intruder.sendRecords(new ConnectRequest(0, 0, MAX_TIMEOUT, session.sessionId(), wrong, false, true));
                assertExpiredResponseThenClose(intruder, true);
            }

            // The session itself is untouched: its owner can still re-attach with the right password.
            try (RawClient again = RawClient.connect(server.port())) {
                ConnectResponse resp = again.handshake(new ConnectRequest(0, 0, MAX_TIMEOUT,
                        session.sessionId(), session.passwd(), false, true));
                assertThat(resp.sessionId()).isEqualTo(session.sessionId());
                assertThat(resp.passwd()).isEqualTo(session.passwd());
                assertThat(resp.timeOut()).isEqualTo(MAX_TIMEOUT);
                assertSessionWorks(again);
            }
        }
    }

    @Test
    void reattachToUnknownSessionIsAnsweredAsExpiredThenClosed() throws IOException {
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRecords(new ConnectRequest(0, 0, 3000, 0x0123_4567_89ab_cdefL, new byte[16], false, true));
            assertExpiredResponseThenClose(c, true);
        }
    }

    @Test
    void reattachToUnknownSessionByOldClientGetsA36ByteExpiredResponse() throws IOException {
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRecords(new ConnectRequest(0, 0, 3000, 0x0123_4567_89ab_cdefL, new byte[16], false, false));
            assertExpiredResponseThenClose(c, false);
        }
    }

    @Test
    void reattachToClosedSessionIsAnsweredAsExpired() throws IOException {
        ConnectResponse session;
        try (RawClient c = RawClient.connect(server.port())) {
            session = c.handshake();
            c.send(1, OpCode.CLOSE_SESSION, null);
            assertThat(c.readReply().err()).isZero();
        }
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRecords(new ConnectRequest(0, 0, 3000, session.sessionId(), session.passwd(), false, true));
            assertExpiredResponseThenClose(c, true);
        }
    }

    @Test
    void reattachKeepsEphemeralsAndClosesTheSessionsOlderConnection() throws IOException {
        String path = "/reattach-" + System.nanoTime();
        try (RawClient first = RawClient.connect(server.port())) {
            ConnectResponse session = first.handshake(RawClient.newSession(MAX_TIMEOUT));
            first.send(1, OpCode.CREATE, new CreateRequest(path, new byte[] {1}, ACL.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL.flag()));
            RawClient.Reply created = first.readReply();
            assertThat(created.err()).isZero();
            assertThat(created.body(CreateResponse::read).path()).isEqualTo(path);

            try (RawClient second = RawClient.connect(server.port())) {
                ConnectResponse resp = second.handshake(new ConnectRequest(0, created.zxid(), MAX_TIMEOUT,
                        session.sessionId(), session.passwd(), false, true));
                assertThat(resp.sessionId()).isEqualTo(session.sessionId());
                assertThat(resp.passwd()).isEqualTo(session.passwd());

                // the connection the session moved away from is dropped
                first.readUntilClosed();

                second.send(2, OpCode.EXISTS, new ExistsRequest(path, false));
                RawClient.Reply exists = second.readReply();
                assertThat(exists.err()).isZero();
                assertThat(exists.body(ExistsResponse::read).stat().ephemeralOwner())
                        .isEqualTo(session.sessionId());
            }
        }
    }

    @Test
    void aSessionThatGoesSilentIsExpiredItsSocketClosedAndItsEphemeralsDeleted() throws IOException {
        String path = "/silent-" + System.nanoTime();
        try (RawClient silent = RawClient.connect(server.port()); RawClient watcher = RawClient.connect(server.port())) {
            ConnectResponse session = silent.handshake(RawClient.newSession(MIN_TIMEOUT));
            assertThat(session.timeOut()).isEqualTo(MIN_TIMEOUT);
            watcher.handshake(RawClient.newSession(MAX_TIMEOUT));
            silent.send(1, OpCode.CREATE, new CreateRequest(path, null, ACL.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL.flag()));
            assertThat(silent.readReply().err()).isZero();
            watcher.send(1, OpCode.EXISTS, new ExistsRequest(path, true));
            assertThat(watcher.readReply().err()).isZero();

            // no pings: the server gives up after the timeout, rounded up to a tick, and says nothing
            long start = System.nanoTime();
            silent.assertClosedWithoutReply();
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(waitedMs).as("expired after %d ms of a %d ms session", waitedMs, MIN_TIMEOUT)
                    .isGreaterThanOrEqualTo(MIN_TIMEOUT - TICK);

            RawClient.Reply event = watcher.readReply();
            assertThat(event.xid()).isEqualTo(-1);
            WatcherEvent deleted = event.body(WatcherEvent::read);
            assertThat(deleted.type()).isEqualTo(EventType.NODE_DELETED);
            assertThat(deleted.path()).isEqualTo(path);

            try (RawClient again = RawClient.connect(server.port())) {
                again.sendRecords(new ConnectRequest(0, 0, MAX_TIMEOUT, session.sessionId(), session.passwd(),
                        false, true));
                assertExpiredResponseThenClose(again, true);
            }
        }
    }

    @Test
    void clientThatHasSeenAHigherZxidIsClosedWithoutAResponse() throws IOException {
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRecords(new ConnectRequest(0, 1L << 40, 3000, 0, new byte[16], false, true));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void requestsPipelinedBehindTheHandshakeAreAnsweredAfterItInOrder() throws IOException {
        String path = "/pipelined-" + System.nanoTime();
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        burst.writeBytes(RawClient.frame(Jute.toBytes(RawClient.newSession(3000))));
        burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(1, OpCode.CREATE),
                new CreateRequest(path, data, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.flag()))));
        burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(2, OpCode.GET_DATA),
                new GetDataRequest(path, false))));
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRaw(burst.toByteArray());

            ConnectResponse resp = c.readConnectResponse();
            assertThat(resp.sessionId()).isNotZero();
            RawClient.Reply create = c.readReply();
            assertThat(create.xid()).isEqualTo(1);
            assertThat(create.err()).isZero();
            RawClient.Reply get = c.readReply();
            assertThat(get.xid()).isEqualTo(2);
            assertThat(get.err()).isZero();
            assertThat(get.body(GetDataResponse::read).data()).isEqualTo(data);
        }
    }

    @Test
    void truncatedConnectRequestClosesTheConnectionWithoutAResponse() throws IOException {
        byte[] full = Jute.toBytes(RawClient.newSession(3000));
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendFrame(Arrays.copyOf(full, 10));
            c.assertClosedWithoutReply();
        }
        try (RawClient c = RawClient.connect(server.port())) {
            assertSessionWorks(c, c.handshake());
        }
    }

    private static void assertExpiredResponseThenClose(RawClient c, boolean readOnlyByte) throws IOException {
        byte[] body = c.requireFrame();
        assertThat(body).hasSize(readOnlyByte ? 37 : 36);
        ConnectResponse resp = RawClient.decode(body, ConnectResponse::read);
        assertThat(resp.protocolVersion()).isZero();
        assertThat(resp.timeOut()).as("timeOut 0 means expired to the client").isZero();
        assertThat(resp.sessionId()).isZero();
        assertThat(resp.passwd()).isEqualTo(new byte[16]);
        assertThat(resp.readOnly()).isFalse();
        c.assertClosedWithoutReply();
    }

    private static void assertSessionWorks(RawClient c) throws IOException {
        c.send(7, OpCode.EXISTS, new ExistsRequest("/", false));
        RawClient.Reply reply = c.readReply();
        assertThat(reply.xid()).isEqualTo(7);
        assertThat(reply.err()).isZero();
        assertThat(reply.body()).hasSize(68);
    }

    private static void assertSessionWorks(RawClient c, ConnectResponse resp) throws IOException {
        assertThat(resp.sessionId()).isNotZero();
        assertSessionWorks(c);
    }
}
