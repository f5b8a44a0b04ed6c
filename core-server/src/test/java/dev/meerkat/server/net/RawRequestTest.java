package dev.meerkat.server.net;

import dev.meerkat.protocol.AddWatchMode;
import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.EventType;
import dev.meerkat.protocol.KeeperState;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.AddWatchRequest;
import dev.meerkat.protocol.record.AuthPacket;
import dev.meerkat.protocol.record.CheckVersionRequest;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.CreateResponse;
import dev.meerkat.protocol.record.DeleteRequest;
import dev.meerkat.protocol.record.ErrorResponse;
import dev.meerkat.protocol.record.ExistsRequest;
import dev.meerkat.protocol.record.GetChildren2Request;
import dev.meerkat.protocol.record.GetChildren2Response;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.GetDataResponse;
import dev.meerkat.protocol.record.GetSASLRequest;
import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.protocol.record.SetDataRequest;
import dev.meerkat.protocol.record.SetDataResponse;
import dev.meerkat.protocol.record.SetSASLResponse;
import dev.meerkat.protocol.record.SyncRequest;
import dev.meerkat.protocol.record.SyncResponse;
import dev.meerkat.protocol.record.WatcherEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests and replies on the wire after the handshake (zk-protocol.md §1, §3, §4, §12): xids,
 * pings, error replies, frame limits, and what makes the server hang up.
 */
class RawRequestTest {
    /** ZooKeeper's default jute.maxbuffer. */
    private static final int MAX_BUFFER = 0xfffff;

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.settings().start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static RawClient session() throws IOException {
        RawClient c = RawClient.connect(server.port());
        try {
            c.handshake(RawClient.newSession(30_000));
            return c;
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private static String unique(String name) {
        return "/" + name + "-" + System.nanoTime();
    }

    private static CreateRequest persistent(String path, byte[] data) {
        return new CreateRequest(path, data, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.flag());
    }

    // ------------------------------------------------------------------ pings and xids

    @Test
    void pingIsAnsweredWithXidMinusTwoWhateverXidItCarried() throws IOException {
        try (RawClient c = session()) {
            for (int xid : new int[] {-2, 77, 0, Integer.MAX_VALUE, -9}) {
                c.send(xid, OpCode.PING, null);
                RawClient.Reply reply = c.readReply();
                assertThat(reply.xid()).as("reply to a ping sent with xid %d", xid).isEqualTo(-2);
                assertThat(reply.err()).isZero();
                assertThat(reply.zxid()).isPositive();
                assertThat(reply.body()).isEmpty();
            }
        }
    }

    @Test
    void pingIsAnsweredInOrderWithTheRequestsAroundIt() throws IOException {
        String path = unique("ping-order");
        try (RawClient c = session()) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(5, OpCode.CREATE),
                    persistent(path, new byte[0]))));
            burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(-2, OpCode.PING))));
            burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(6, OpCode.EXISTS),
                    new ExistsRequest(path, false))));
            c.sendRaw(burst.toByteArray());

            RawClient.Reply create = c.readReply();
            RawClient.Reply ping = c.readReply();
            RawClient.Reply exists = c.readReply();
            assertThat(List.of(create.xid(), ping.xid(), exists.xid())).containsExactly(5, -2, 6);
            assertThat(ping.zxid()).as("a ping reply carries the last processed zxid")
                    .isGreaterThanOrEqualTo(create.zxid());
            assertThat(exists.err()).isZero();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEchoingEveryXidVerbatim() throws IOException {
        String path = unique("pipeline");
        byte[] v1 = "one".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "two".getBytes(StandardCharsets.UTF_8);
        record Sent(int xid, int op, Code expected) {
        }
        List<Sent> sent = new ArrayList<>();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        Object[][] script = {
                {3, OpCode.CREATE, persistent(path, v1), Code.OK},
                {3, OpCode.GET_DATA, new GetDataRequest(path, false), Code.OK},
                {3, OpCode.CREATE, persistent(path, v1), Code.NODEEXISTS},
                {1, OpCode.SET_DATA, new SetDataRequest(path, v2, 0), Code.OK},
                {Integer.MAX_VALUE, OpCode.SET_DATA, new SetDataRequest(path, v2, 0), Code.BADVERSION},
                {0, OpCode.EXISTS, new ExistsRequest(path + "/missing", false), Code.NONODE},
                {42, OpCode.CREATE, persistent(path + "/child", null), Code.OK},
                {42, OpCode.GET_CHILDREN2, new GetChildren2Request(path, false), Code.OK},
                {41, OpCode.SYNC, new SyncRequest(path), Code.OK},
                {40, OpCode.DELETE, new DeleteRequest(path, -1), Code.NOTEMPTY},
                {39, OpCode.DELETE, new DeleteRequest(path + "/child", -1), Code.OK},
                {39, OpCode.DELETE, new DeleteRequest(path, 1), Code.OK},
                {39, OpCode.GET_DATA, new GetDataRequest(path, false), Code.NONODE},
        };
        for (Object[] step : script) {
            int xid = (int) step[0];
            int op = (int) step[1];
            burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(xid, op),
                    (Record) step[2])));
            sent.add(new Sent(xid, op, (Code) step[3]));
        }
        try (RawClient c = session()) {
            c.sendRaw(burst.toByteArray());
            long lastZxid = 0;
            for (int i = 0; i < sent.size(); i++) {
                Sent s = sent.get(i);
                RawClient.Reply reply = c.readReply();
                assertThat(reply.xid()).as("xid of reply %d", i).isEqualTo(s.xid());
                assertThat(Code.of(reply.err())).as("result of request %d (op %d)", i, s.op()).isEqualTo(s.expected());
                assertThat(reply.zxid()).as("reply zxids never go backwards").isGreaterThanOrEqualTo(lastZxid);
                lastZxid = reply.zxid();
                if (reply.err() != 0) {
                    assertThat(reply.body()).as("an error reply has no body").isEmpty();
                }
                if (i == 1) {
                    assertThat(reply.body(GetDataResponse::read).data()).isEqualTo(v1);
                }
                if (i == 3) {
                    assertThat(reply.body(SetDataResponse::read).stat().version()).isEqualTo(1);
                }
                if (i == 7) {
                    assertThat(reply.body(GetChildren2Response::read).children()).containsExactly("child");
                }
                if (i == 8) {
                    assertThat(reply.body(SyncResponse::read).path()).isEqualTo(path);
                }
            }
        }
    }

    @Test
    void aBurstFarBeyondTheOutstandingLimitIsAnsweredInFullAndInOrder() throws Exception {
        String path = unique("burst");
        int requests = 5_000;
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(0, OpCode.CREATE),
                persistent(path, new byte[0]))));
        for (int i = 1; i < requests; i++) {
            RequestHeader h = new RequestHeader(i, i % 2 == 0 ? OpCode.SET_DATA : OpCode.GET_DATA);
            burst.writeBytes(RawClient.frame(i % 2 == 0
                    ? Jute.toBytes(h, new SetDataRequest(path, new byte[] {(byte) i}, -1))
                    : Jute.toBytes(h, new GetDataRequest(path, false))));
        }
        try (RawClient c = session()) {
            // written from another thread: the server stops reading while it works off its backlog
            Thread writer = new Thread(() -> {
                try {
                    c.sendRaw(burst.toByteArray());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "burst-writer");
            writer.start();
            try {
                for (int i = 0; i < requests; i++) {
                    RawClient.Reply reply = c.readReply();
                    assertThat(reply.xid()).isEqualTo(i);
                    assertThat(reply.err()).as("reply %d", i).isZero();
                }
            } finally {
                writer.join(RawClient.READ_TIMEOUT_MS);
            }
            assertThat(writer.isAlive()).isFalse();
            assertAlive(c);
        }
    }

    // ------------------------------------------------------------------ op codes the server refuses

    @Test
    void unknownOpCodesAreAnsweredUnimplementedThenTheConnectionCloses() throws IOException {
        for (int op : new int[] {999, 0, 10, 23, 99, 108, -3}) {
            try (RawClient c = session()) {
                c.sendRecords(new RequestHeader(31, op), new ExistsRequest("/", false));
                RawClient.Reply reply = c.readReply();
                assertThat(reply.xid()).as("xid of the reply to op %d", op).isEqualTo(31);
                assertThat(Code.of(reply.err())).as("reply to op %d", op).isEqualTo(Code.UNIMPLEMENTED);
                assertThat(reply.body()).isEmpty();
                c.assertClosedWithoutReply();
            }
        }
    }

    @Test
    void checkOutsideAMultiIsAnsweredUnimplementedThenTheConnectionCloses() throws IOException {
        try (RawClient c = session()) {
            c.send(12, OpCode.CHECK, new CheckVersionRequest("/", -1));
            RawClient.Reply reply = c.readReply();
            assertThat(reply.xid()).isEqualTo(12);
            assertThat(Code.of(reply.err())).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(reply.body()).isEmpty();
            c.assertClosedWithoutReply();
        }
    }

    // ------------------------------------------------------------------ frame limits

    @Test
    void frameLongerThanJuteMaxBufferClosesTheConnectionWithoutAReply() throws IOException {
        try (RawClient bystander = session(); RawClient c = session()) {
            sendQuietly(c, ByteBuffer.allocate(8).putInt(MAX_BUFFER + 1).putInt(0x01020304).array());
            c.assertClosedWithoutReply();
            assertAlive(bystander);
        }
    }

    @Test
    void negativeFrameLengthClosesTheConnectionWithoutAReply() throws IOException {
        for (int len : new int[] {-1, Integer.MIN_VALUE}) {
            try (RawClient bystander = session(); RawClient c = session()) {
                sendQuietly(c, ByteBuffer.allocate(8).putInt(len).putInt(0).array());
                c.assertClosedWithoutReply();
                assertAlive(bystander);
            }
        }
    }

    @Test
    void oversizedOrNegativeLengthBeforeTheHandshakeClosesTheConnection() throws IOException {
        for (int len : new int[] {MAX_BUFFER + 1, Integer.MAX_VALUE, -1}) {
            try (RawClient c = RawClient.connect(server.port())) {
                sendQuietly(c, ByteBuffer.allocate(4).putInt(len).array());
                c.assertClosedWithoutReply();
            }
        }
        try (RawClient c = session()) {
            assertAlive(c);
        }
    }

    @Test
    void createCarryingAlmostJuteMaxBufferOfDataSucceeds() throws IOException {
        String path = unique("big");
        byte[] data = new byte[1_048_000];
        Arrays.fill(data, (byte) 'x');
        data[data.length - 1] = 'y';
        try (RawClient c = session()) {
            c.send(1, OpCode.CREATE, persistent(path, data));
            RawClient.Reply created = c.readReply();
            assertThat(Code.of(created.err())).isEqualTo(Code.OK);
            assertThat(created.body(CreateResponse::read).path()).isEqualTo(path);

            c.send(2, OpCode.GET_DATA, new GetDataRequest(path, false));
            RawClient.Reply read = c.readReply();
            assertThat(read.err()).isZero();
            GetDataResponse resp = read.body(GetDataResponse::read);
            assertThat(resp.data()).isEqualTo(data);
            assertThat(resp.stat().dataLength()).isEqualTo(data.length);

            c.send(3, OpCode.DELETE, new DeleteRequest(path, -1));
            assertThat(c.readReply().err()).isZero();
        }
    }

    @Test
    void createCarryingMoreThanJuteMaxBufferDropsTheConnection() throws IOException {
        String path = unique("too-big");
        try (RawClient bystander = session(); RawClient c = session()) {
            byte[] frame = RawClient.frame(Jute.toBytes(new RequestHeader(1, OpCode.CREATE),
                    persistent(path, new byte[MAX_BUFFER + 1])));
            sendQuietly(c, frame);
            c.assertClosedWithoutReply();

            bystander.send(9, OpCode.EXISTS, new ExistsRequest(path, false));
            assertThat(Code.of(bystander.readReply().err())).isEqualTo(Code.NONODE);
        }
    }

    // ------------------------------------------------------------------ malformed bodies

    @Test
    void createWhosePathLengthLiesIsAMarshallingErrorAndTheConnectionLivesOn() throws IOException {
        // path length says 1000 but only "/abc" follows
        byte[] body = ByteBuffer.allocate(16).putInt(1).putInt(OpCode.CREATE).putInt(1000)
                .put("/abc".getBytes(StandardCharsets.US_ASCII)).array();
        try (RawClient bystander = session(); RawClient c = session()) {
            c.sendFrame(body);
            assertMarshallingError(c, 1);
            assertAlive(c);
            assertAlive(bystander);
        }
        try (RawClient c = session()) {
            assertAlive(c);
        }
    }

    @Test
    void truncatedBodiesAreMarshallingErrorsAndTheConnectionLivesOn() throws IOException {
        String path = unique("truncated");
        byte[][] bodies = {
                Jute.toBytes(persistent(path, new byte[] {1, 2, 3})),
                Jute.toBytes(new SetDataRequest(path, new byte[] {1}, -1)),
                Jute.toBytes(new GetDataRequest(path, true)),
                Jute.toBytes(new DeleteRequest(path, -1)),
                Jute.toBytes(new AddWatchRequest(path, AddWatchMode.PERSISTENT)),
        };
        int[] ops = {OpCode.CREATE, OpCode.SET_DATA, OpCode.GET_DATA, OpCode.DELETE, OpCode.ADD_WATCH};
        try (RawClient bystander = session()) {
            for (int i = 0; i < ops.length; i++) {
                try (RawClient c = session()) {
                    byte[] cut = Arrays.copyOf(bodies[i], bodies[i].length - 1);
                    c.sendRecords(new RequestHeader(100 + i, ops[i]));
                    c.sendFrame(concat(Jute.toBytes(new RequestHeader(200 + i, ops[i])), cut));
                    // the first frame has no body at all, the second one is a byte short
                    assertMarshallingError(c, 100 + i);
                    assertMarshallingError(c, 200 + i);
                    assertAlive(c);
                }
            }
            assertAlive(bystander);
        }
    }

    @Test
    void frameTooShortForARequestHeaderClosesTheConnection() throws IOException {
        try (RawClient bystander = session(); RawClient c = session()) {
            c.sendFrame(new byte[] {0, 0, 1});
            c.assertClosedWithoutReply();
            assertAlive(bystander);
        }
    }

    // ------------------------------------------------------------------ replies with special shapes

    @Test
    void addWatchReplyCarriesAFourByteErrorResponseAndTheWatchFiresBeforeTheWriteReply() throws IOException {
        String path = unique("addwatch");
        try (RawClient c = session()) {
            c.send(1, OpCode.ADD_WATCH, new AddWatchRequest(path, AddWatchMode.PERSISTENT_RECURSIVE));
            RawClient.Reply reply = c.readReply();
            assertThat(reply.xid()).isEqualTo(1);
            assertThat(reply.err()).isZero();
            assertThat(reply.body()).as("addWatch must carry ErrorResponse{0}").hasSize(4);
            assertThat(reply.body(ErrorResponse::read).err()).isZero();

            c.send(2, OpCode.CREATE, persistent(path, new byte[0]));
            RawClient.Reply event = c.readReply();
            assertThat(event.xid()).as("the notification comes before the create's reply").isEqualTo(-1);
            WatcherEvent we = event.body(WatcherEvent::read);
            assertThat(we.type()).isEqualTo(EventType.NODE_CREATED);
            assertThat(we.state()).isEqualTo(KeeperState.SYNC_CONNECTED);
            assertThat(we.path()).isEqualTo(path);
            RawClient.Reply created = c.readReply();
            assertThat(created.xid()).isEqualTo(2);
            assertThat(event.zxid()).as("the event carries the zxid of the txn that fired it")
                    .isEqualTo(created.zxid());
        }
    }

    @Test
    void closeSessionIsAnsweredThenTheConnectionClosesAndEphemeralsGo() throws IOException {
        String path = unique("close-session");
        ConnectResponse session;
        try (RawClient owner = RawClient.connect(server.port()); RawClient watcher = session()) {
            session = owner.handshake(RawClient.newSession(30_000));
            owner.send(1, OpCode.CREATE, new CreateRequest(path, null, ACL.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL.flag()));
            assertThat(owner.readReply().err()).isZero();
            watcher.send(1, OpCode.EXISTS, new ExistsRequest(path, true));
            assertThat(watcher.readReply().err()).isZero();

            owner.send(2, OpCode.CLOSE_SESSION, null);
            RawClient.Reply reply = owner.readReply();
            assertThat(reply.xid()).isEqualTo(2);
            assertThat(reply.err()).isZero();
            assertThat(reply.body()).isEmpty();
            owner.assertClosedWithoutReply();

            RawClient.Reply event = watcher.readReply();
            assertThat(event.xid()).isEqualTo(-1);
            assertThat(event.body(WatcherEvent::read).type()).isEqualTo(EventType.NODE_DELETED);
            watcher.send(2, OpCode.EXISTS, new ExistsRequest(path, false));
            assertThat(Code.of(watcher.readReply().err())).isEqualTo(Code.NONODE);
        }
        try (RawClient again = RawClient.connect(server.port())) {
            ConnectResponse resp = again.handshake(new ConnectRequest(0, 0, 30_000, session.sessionId(),
                    session.passwd(), false, true));
            assertThat(resp.timeOut()).as("a closed session cannot be re-attached").isZero();
        }
    }

    @Test
    void authWithAnUnknownSchemeIsAnsweredAuthFailedThenTheConnectionCloses() throws IOException {
        try (RawClient c = session()) {
            c.send(-4, OpCode.AUTH, new AuthPacket(0, "no-such-scheme", "x".getBytes(StandardCharsets.UTF_8)));
            RawClient.Reply reply = c.readReply();
            assertThat(reply.xid()).isEqualTo(-4);
            assertThat(reply.zxid()).isZero();
            assertThat(Code.of(reply.err())).isEqualTo(Code.AUTHFAILED);
            assertThat(reply.body()).isEmpty();
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void authIsAnsweredWithTheXidItCarried() throws IOException {
        try (RawClient c = session()) {
            c.send(5, OpCode.AUTH, new AuthPacket(0, "digest", "bob:secret".getBytes(StandardCharsets.UTF_8)));
            RawClient.Reply ok = c.readReply();
            assertThat(ok.header()).isEqualTo(new ReplyHeader(5, 0, 0));
            c.send(6, OpCode.AUTH, new AuthPacket(0, "no-such-scheme", new byte[0]));
            RawClient.Reply failed = c.readReply();
            assertThat(failed.header()).isEqualTo(new ReplyHeader(6, 0, Code.AUTHFAILED.intValue()));
            c.assertClosedWithoutReply();
        }
    }

    @Test
    void undecodableAuthOrSaslClosesTheConnectionWithoutAReply() throws IOException {
        for (int op : new int[] {OpCode.AUTH, OpCode.SASL}) {
            try (RawClient bystander = session(); RawClient c = session()) {
                c.send(op == OpCode.AUTH ? -4 : 1, op, null);
                c.assertClosedWithoutReply();
                assertAlive(bystander);
            }
        }
    }

    @Test
    void saslIsAnsweredWithANullTokenAndTheConnectionStays() throws IOException {
        try (RawClient c = session()) {
            c.send(3, OpCode.SASL, new GetSASLRequest(new byte[] {1, 2, 3}));
            RawClient.Reply reply = c.readReply();
            assertThat(reply.header()).isEqualTo(new ReplyHeader(3, 0, 0));
            assertThat(reply.body(SetSASLResponse::read).token()).isNull();
            assertAlive(c);
        }
    }

    @Test
    void digestAuthIsAnsweredOkAndTheConnectionStays() throws IOException {
        try (RawClient c = session()) {
            c.send(-4, OpCode.AUTH, new AuthPacket(0, "digest", "bob:secret".getBytes(StandardCharsets.UTF_8)));
            RawClient.Reply reply = c.readReply();
            assertThat(reply.xid()).isEqualTo(-4);
            assertThat(reply.zxid()).isZero();
            assertThat(reply.err()).isZero();
            assertAlive(c);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The server may close before it has read everything we send; that is the point of these tests. */
    private static void sendQuietly(RawClient c, byte[] bytes) {
        try {
            c.sendRaw(bytes);
        } catch (IOException e) {
            // already closed by the server
        }
    }

    private static void assertAlive(RawClient c) throws IOException {
        c.send(4242, OpCode.EXISTS, new ExistsRequest("/zookeeper", false));
        RawClient.Reply reply = c.readReplySkippingEvents();
        assertThat(reply.xid()).isEqualTo(4242);
        assertThat(reply.err()).isZero();
    }

    /**
     * ZooKeeper answers an undecodable request record with MARSHALLINGERROR and keeps the
     * connection (zk-protocol.md §4.3; checked against 3.9.5 for each op used here).
     */
    private static void assertMarshallingError(RawClient c, int xid) throws IOException {
        RawClient.Reply reply = c.readReply();
        assertThat(reply.xid()).isEqualTo(xid);
        assertThat(Code.of(reply.err())).isEqualTo(Code.MARSHALLINGERROR);
        assertThat(reply.body()).isEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
