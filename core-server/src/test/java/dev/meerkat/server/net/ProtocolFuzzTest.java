package dev.meerkat.server.net;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.AddWatchRequest;
import dev.meerkat.protocol.record.AuthPacket;
import dev.meerkat.protocol.record.CheckVersionRequest;
import dev.meerkat.protocol.record.CheckWatchesRequest;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.CreateTTLRequest;
import dev.meerkat.protocol.record.DeleteContainerRequest;
import dev.meerkat.protocol.record.DeleteRequest;
import dev.meerkat.protocol.record.ExistsRequest;
import dev.meerkat.protocol.record.GetACLRequest;
import dev.meerkat.protocol.record.GetAllChildrenNumberRequest;
import dev.meerkat.protocol.record.GetChildren2Request;
import dev.meerkat.protocol.record.GetChildrenRequest;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.GetEphemeralsRequest;
import dev.meerkat.protocol.record.GetSASLRequest;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.protocol.record.MultiOperationRecord;
import dev.meerkat.protocol.record.ReconfigRequest;
import dev.meerkat.protocol.record.RemoveWatchesRequest;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.protocol.record.SetACLRequest;
import dev.meerkat.protocol.record.SetDataRequest;
import dev.meerkat.protocol.record.SetWatches;
import dev.meerkat.protocol.record.SetWatches2;
import dev.meerkat.protocol.record.SyncRequest;
import dev.meerkat.protocol.record.WatcherEvent;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded abuse of the client port: random bytes, truncated frames, valid handshakes followed by
 * random op codes with random or mangled bodies, and hostile length prefixes. Whatever a connection
 * gets, the replies it does get must be well-formed and in order, and afterwards a well-behaved
 * official client must find the server working and its own earlier data intact. A failure names
 * the seed; run just that seed to replay it (each seed is its own test case).
 *
 * <p>Meerkat answers every request of a connection in arrival order. ZooKeeper does not quite:
 * it answers unknown op codes, a lone check, auth and sasl straight from its I/O thread, ahead of
 * requests still in its pipeline. Against the reference server ({@link TestServer}) those ops are
 * therefore left out of the pipelined bursts, and everything else is checked the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolFuzzTest {
    private static final int CONNECTIONS_PER_SEED = 60;
    private static final int SENTINEL_XID = 999_999;
    private static final byte[] KEEP_DATA = "precious".getBytes(StandardCharsets.UTF_8);
    private static final int[] CLIENT_OPS = {
            OpCode.CREATE, OpCode.DELETE, OpCode.EXISTS, OpCode.GET_DATA, OpCode.SET_DATA, OpCode.GET_ACL,
            OpCode.SET_ACL, OpCode.GET_CHILDREN, OpCode.SYNC, OpCode.PING, OpCode.GET_CHILDREN2, OpCode.CHECK,
            OpCode.MULTI, OpCode.CREATE2, OpCode.RECONFIG, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES,
            OpCode.CREATE_CONTAINER, OpCode.DELETE_CONTAINER, OpCode.CREATE_TTL, OpCode.MULTI_READ, OpCode.AUTH,
            OpCode.SET_WATCHES, OpCode.SASL, OpCode.GET_EPHEMERALS, OpCode.GET_ALL_CHILDREN_NUMBER,
            OpCode.SET_WATCHES2, OpCode.ADD_WATCH, OpCode.WHO_AM_I, OpCode.CLOSE_SESSION};
    private static final String[] WORDS = {"srvr", "ruok", "stat", "mntr", "stmk", "gtmk", "dump"};

    private TestServer server;
    private ZooKeeper keeper;
    private final List<WatchedEvent> keeperStateChanges = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startServerAndAWellBehavedClient() throws Exception {
        server = TestServer.settings().start();
        keeper = connect(keeperStateChanges);
        keeper.create("/keep", KEEP_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        keeper.create("/keep/eph", KEEP_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (keeper != null) {
            keeper.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 0xC0FFEE, 0xDEADBEEFL, 31337, 8_675_309, 20_260_101})
    void serverSurvivesAbuseAndKeepsEarlierSessionsData(long seed) throws Exception {
        Random rnd = new Random(seed);
        for (int n = 0; n < CONNECTIONS_PER_SEED; n++) {
            new Abuse(rnd, "seed " + seed + ", connection " + n).run();
        }
        assertServerStillServes(seed);
    }

    /**
     * The same abuse from several connections at once, each thread with its own seeded stream. The
     * interleaving is up to the scheduler, so a failure here is replayed by seed only approximately.
     */
    @ParameterizedTest(name = "seed {0}, 4 threads")
    @ValueSource(longs = {7, 99})
    void serverSurvivesConcurrentAbuse(long seed) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> abusers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long threadSeed = seed * 1_000 + t;
                abusers.add(pool.submit(() -> {
                    Random rnd = new Random(threadSeed);
                    for (int n = 0; n < CONNECTIONS_PER_SEED / 2; n++) {
                        new Abuse(rnd, "seed " + seed + ", thread seed " + threadSeed + ", connection " + n).run();
                    }
                    return null;
                }));
            }
            for (Future<?> abuser : abusers) {
                try {
                    abuser.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof AssertionError a ? a : new AssertionError("seed " + seed, e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertServerStillServes(seed);
    }

    // ------------------------------------------------------------------ one abusive connection

    private final class Abuse {
        private final Random rnd;
        private final String where;

        Abuse(Random rnd, String where) {
            this.rnd = rnd;
            this.where = where;
        }

        void run() throws IOException {
            int scenario = rnd.nextInt(100);
            if (scenario < 10) {
                randomBytesBeforeHandshake();
            } else if (scenario < 20) {
                truncatedHandshake();
            } else if (scenario < 30) {
                hostileLength(false);
            } else if (scenario < 37) {
                hostileLength(true);
            } else if (scenario < 45) {
                garbageAfterHandshake();
            } else if (scenario < 50) {
                fourLetterWordWithJunk();
            } else {
                randomRequests();
            }
        }

        private void randomBytesBeforeHandshake() throws IOException {
            try (RawClient c = RawClient.connect(server.port())) {
                sendQuietly(c, bytes(1 + rnd.nextInt(300)));
            }
        }

        private void truncatedHandshake() throws IOException {
            byte[] full = RawClient.frame(Jute.toBytes(randomConnectRequest()));
            try (RawClient c = RawClient.connect(server.port())) {
                sendQuietly(c, Arrays.copyOf(full, rnd.nextInt(full.length)));
            }
        }

        /** A length prefix that is negative or above jute.maxbuffer is answered by a silent close. */
        private void hostileLength(boolean afterHandshake) throws IOException {
            int len = switch (rnd.nextInt(4)) {
                case 0 -> -1 - rnd.nextInt(Integer.MAX_VALUE);
                case 1 -> 0xfffff + 1 + rnd.nextInt(Integer.MAX_VALUE - 0xfffff - 1);
                case 2 -> Integer.MIN_VALUE;
                default -> Integer.MAX_VALUE;
            };
            if (!afterHandshake && FourLetterWordTest.isWord(len)) {
                return;
            }
            try (RawClient c = RawClient.connect(server.port())) {
                if (afterHandshake) {
                    c.handshake(RawClient.newSession(30_000));
                }
                sendQuietly(c, ByteBuffer.allocate(4 + 16).putInt(len).put(bytes(16)).array());
                String what = where + ": length " + len + (afterHandshake ? " after" : " before") + " the handshake";
                try {
                    byte[] extra = c.readUntilClosed();
                    assertThat(extra).as(what).isEmpty();
                } catch (AssertionError e) {
                    throw new AssertionError(what + ": " + e.getMessage(), e);
                }
            }
        }

        /** Random bytes, or a request frame cut short, and then the client goes away. */
        private void garbageAfterHandshake() throws IOException {
            try (RawClient c = RawClient.connect(server.port())) {
                c.handshake(randomValidNewSession());
                if (rnd.nextBoolean()) {
                    sendQuietly(c, bytes(1 + rnd.nextInt(200)));
                } else {
                    int op = CLIENT_OPS[rnd.nextInt(CLIENT_OPS.length)];
                    Record body = template(op);
                    byte[] frame = RawClient.frame(body == null ? Jute.toBytes(new RequestHeader(randomXid(), op))
                            : Jute.toBytes(new RequestHeader(randomXid(), op), body));
                    sendQuietly(c, Arrays.copyOf(frame, rnd.nextInt(frame.length)));
                }
            }
        }

        private void fourLetterWordWithJunk() throws IOException {
            String word = WORDS[rnd.nextInt(WORDS.length)];
            try (RawClient c = RawClient.connect(server.port())) {
                sendQuietly(c, concat(word.getBytes(StandardCharsets.US_ASCII), bytes(rnd.nextInt(40))));
                String text = c.readAllText();
                assertThat(text).as("%s: answer to %s", where, word).isNotEmpty();
            }
        }

        /**
         * A real session, then well-framed requests with random op codes, xids and bodies, then a
         * sentinel. Every reply that comes back must be well-formed and in request order; the only
         * way to get fewer replies than requests is for the server to close the connection.
         */
        private void randomRequests() throws IOException {
            try (RawClient c = RawClient.connect(server.port())) {
                c.handshake(randomValidNewSession());
                List<int[]> expected = new ArrayList<>();
                List<String> sent = new ArrayList<>();
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                int count = 1 + rnd.nextInt(25);
                for (int i = 0; i < count; i++) {
                    int op = randomOp();
                    int xid = randomXid();
                    byte[] body = randomBody(op);
                    burst.writeBytes(RawClient.frame(concat(Jute.toBytes(new RequestHeader(xid, op)), body)));
                    expected.add(new int[] {op == OpCode.PING ? -2 : xid, op});
                    sent.add("op " + op + " xid " + xid + " body " + body.length + "B");
                }
                burst.writeBytes(RawClient.frame(Jute.toBytes(new RequestHeader(SENTINEL_XID, OpCode.EXISTS),
                        new ExistsRequest("/", false))));
                expected.add(new int[] {SENTINEL_XID, OpCode.EXISTS});
                sent.add("sentinel");
                if (!sendQuietly(c, burst.toByteArray())) {
                    return;
                }
                checkReplies(c, expected, where + ", requests " + sent);
            }
        }

        /** {@code expected} holds the xid each reply must carry and the op it answers, in order. */
        private void checkReplies(RawClient c, List<int[]> expected, String what) throws IOException {
            int next = 0;
            long lastZxid = 0;
            while (next < expected.size()) {
                byte[] frame;
                try {
                    frame = c.readFrame();
                } catch (IOException e) {
                    throw new AssertionError(what + ": reading reply " + next + " failed: " + e, e);
                }
                if (frame == null) {
                    return; // the server hung up; every reply before that was in order
                }
                assertThat(frame.length).as("%s: reply frame too short for a header", what)
                        .isGreaterThanOrEqualTo(16);
                ByteBuffer b = ByteBuffer.wrap(frame);
                int xid = b.getInt();
                long zxid = b.getLong();
                int err = b.getInt();
                assertThat(Code.of(err)).as("%s: unknown error code %d", what, err).isNotNull();
                if (zxid > 0) {
                    assertThat(zxid).as("%s: zxid went backwards", what).isGreaterThanOrEqualTo(lastZxid);
                    lastZxid = zxid;
                }
                int expectedXid = expected.get(next)[0];
                int op = expected.get(next)[1];
                if (xid == -1) {
                    assertThat(err).as("%s: notification with an error", what).isZero();
                    WatcherEvent event = RawClient.decode(Arrays.copyOfRange(frame, 16, frame.length),
                            WatcherEvent::read);
                    assertThat(event.type()).as("%s: event type", what).isBetween(1, 4);
                    assertThat(event.state()).as("%s: event state", what).isEqualTo(3);
                    continue;
                }
                assertThat(xid).as("%s: reply %d out of order", what, next).isEqualTo(expectedXid);
                // multi and multiRead may carry results with a non-zero header (ZooKeeper does)
                if (err != 0 && op != OpCode.MULTI && op != OpCode.MULTI_READ) {
                    assertThat(frame.length).as("%s: error reply %d with a body", what, next).isEqualTo(16);
                }
                if (op == OpCode.CLOSE_SESSION) {
                    // what follows a closeSession is not for a client to see; Meerkat drops it, ZooKeeper answers
                    return;
                }
                next++;
            }
        }

        // ---------------------------------------------------------------- random material

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            return b;
        }

        private ConnectRequest randomConnectRequest() {
            return new ConnectRequest(rnd.nextInt(3) - 1, rnd.nextBoolean() ? 0 : rnd.nextLong(), rnd.nextInt(),
                    rnd.nextInt(4) == 0 ? 0 : rnd.nextLong(), rnd.nextBoolean() ? new byte[16] : bytes(rnd.nextInt(20)),
                    rnd.nextBoolean(), rnd.nextBoolean());
        }

        private ConnectRequest randomValidNewSession() {
            return new ConnectRequest(0, 0, 1 + rnd.nextInt(60_000), 0, new byte[16], false, rnd.nextInt(5) != 0);
        }

        private int randomOp() {
            int op;
            if (rnd.nextInt(10) < 2) {
                op = rnd.nextInt(10) < 5 ? rnd.nextInt(130) - 15 : rnd.nextInt();
            } else {
                op = CLIENT_OPS[rnd.nextInt(CLIENT_OPS.length)];
            }
            if (op == OpCode.CLOSE_SESSION && rnd.nextBoolean()) {
                op = OpCode.GET_DATA;
            }
            if (TestServer.againstZooKeeper() && answeredOutOfOrderByZooKeeper(op)) {
                op = OpCode.EXISTS;
            }
            return op;
        }

        private static boolean answeredOutOfOrderByZooKeeper(int op) {
            boolean known = Arrays.stream(CLIENT_OPS).anyMatch(o -> o == op);
            return !known || op == OpCode.CHECK || op == OpCode.AUTH || op == OpCode.SASL;
        }

        /** Never -1 or -2, which the reply check reserves for notifications and pings. */
        private int randomXid() {
            return switch (rnd.nextInt(10)) {
                case 0 -> Integer.MAX_VALUE;
                case 1 -> -4 - rnd.nextInt(10);
                case 2 -> 0;
                default -> rnd.nextInt(100_000);
            };
        }

        private byte[] randomBody(int op) {
            int kind = rnd.nextInt(10);
            if (kind < 2) {
                return new byte[0];
            }
            if (kind < 4) {
                return bytes(rnd.nextInt(80));
            }
            Record record = template(op);
            if (record == null) {
                return rnd.nextBoolean() ? new byte[0] : bytes(rnd.nextInt(16));
            }
            byte[] valid = Jute.toBytes(record);
            if (kind < 8 || op == OpCode.SET_ACL || valid.length == 0) {
                return valid;
            }
            if (kind == 8) {
                return Arrays.copyOf(valid, rnd.nextInt(valid.length));
            }
            byte[] mangled = valid.clone();
            for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                mangled[rnd.nextInt(mangled.length)] = (byte) rnd.nextInt(256);
            }
            return mangled;
        }

        private Record template(int op) {
            return switch (op) {
                case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER ->
                        new CreateRequest(path(), data(), acl(), rnd.nextInt(10) - 1);
                case OpCode.CREATE_TTL -> new CreateTTLRequest(path(), data(), acl(), rnd.nextInt(10) - 1,
                        rnd.nextBoolean() ? rnd.nextInt(100_000) : rnd.nextLong());
                case OpCode.DELETE -> new DeleteRequest(path(), rnd.nextInt(5) - 2);
                case OpCode.DELETE_CONTAINER -> new DeleteContainerRequest(path());
                case OpCode.EXISTS -> new ExistsRequest(path(), rnd.nextBoolean());
                case OpCode.GET_DATA -> new GetDataRequest(path(), rnd.nextBoolean());
                case OpCode.GET_CHILDREN -> new GetChildrenRequest(path(), rnd.nextBoolean());
                case OpCode.GET_CHILDREN2 -> new GetChildren2Request(path(), rnd.nextBoolean());
                case OpCode.SET_DATA -> new SetDataRequest(path(), data(), rnd.nextInt(5) - 2);
                case OpCode.GET_ACL -> new GetACLRequest(path());
                // only inside the fuzz subtree, so that no ACL can lock the health check out of /
                case OpCode.SET_ACL -> new SetACLRequest("/fuzz/" + (char) ('a' + rnd.nextInt(4)), acl(),
                        rnd.nextInt(4) - 1);
                case OpCode.SYNC -> new SyncRequest(path());
                case OpCode.CHECK -> new CheckVersionRequest(path(), rnd.nextInt(4) - 1);
                case OpCode.MULTI, OpCode.MULTI_READ -> multi();
                case OpCode.RECONFIG -> new ReconfigRequest(word(), word(), word(), rnd.nextLong());
                case OpCode.CHECK_WATCHES -> new CheckWatchesRequest(path(), rnd.nextInt(8) - 1);
                case OpCode.REMOVE_WATCHES -> new RemoveWatchesRequest(path(), rnd.nextInt(8) - 1);
                case OpCode.AUTH -> new AuthPacket(0, List.of("digest", "ip", "world", "nosuch", word())
                        .get(rnd.nextInt(5)), rnd.nextBoolean() ? "u:p".getBytes(StandardCharsets.UTF_8) : data());
                case OpCode.SET_WATCHES -> new SetWatches(rnd.nextInt(1000), paths(), paths(), paths());
                case OpCode.SET_WATCHES2 -> new SetWatches2(rnd.nextInt(1000), paths(), paths(), paths(), paths(),
                        paths());
                case OpCode.SASL -> new GetSASLRequest(data());
                case OpCode.GET_EPHEMERALS -> new GetEphemeralsRequest(rnd.nextBoolean() ? "/" : path());
                case OpCode.GET_ALL_CHILDREN_NUMBER -> new GetAllChildrenNumberRequest(path());
                case OpCode.ADD_WATCH -> new AddWatchRequest(path(), rnd.nextInt(4) - 1);
                default -> null;
            };
        }

        private MultiOperationRecord multi() {
            List<MultiOperationRecord.Op> ops = new ArrayList<>();
            for (int i = rnd.nextInt(4); i > 0; i--) {
                switch (rnd.nextInt(6)) {
                    case 0 -> ops.add(new MultiOperationRecord.Op(OpCode.CREATE,
                            new CreateRequest(path(), data(), acl(), rnd.nextInt(4))));
                    case 1 -> ops.add(new MultiOperationRecord.Op(OpCode.DELETE,
                            new DeleteRequest(path(), rnd.nextInt(3) - 1)));
                    case 2 -> ops.add(new MultiOperationRecord.Op(OpCode.SET_DATA,
                            new SetDataRequest(path(), data(), -1)));
                    case 3 -> ops.add(new MultiOperationRecord.Op(OpCode.CHECK,
                            new CheckVersionRequest(path(), rnd.nextInt(3) - 1)));
                    case 4 -> ops.add(new MultiOperationRecord.Op(OpCode.GET_DATA, new GetDataRequest(path(), false)));
                    default -> ops.add(new MultiOperationRecord.Op(OpCode.GET_CHILDREN,
                            new GetChildrenRequest(path(), false)));
                }
            }
            return new MultiOperationRecord(ops);
        }

        private String path() {
            return switch (rnd.nextInt(12)) {
                case 0 -> "/";
                case 1 -> "";
                case 2 -> null;
                case 3 -> "no-slash";
                case 4 -> "/fuzz//" + word();
                case 5 -> "/fuzz/" + word() + "/";
                case 6 -> "/zookeeper" + (rnd.nextBoolean() ? "" : rnd.nextBoolean() ? "/config" : "/quota");
                case 7 -> "/fuzz/" + new String(bytes(1 + rnd.nextInt(6)), StandardCharsets.ISO_8859_1);
                default -> "/fuzz" + (rnd.nextInt(4) == 0 ? "" : "/" + (char) ('a' + rnd.nextInt(4))
                        + (rnd.nextBoolean() ? "" : "/" + (char) ('a' + rnd.nextInt(4))));
            };
        }

        private List<String> paths() {
            if (rnd.nextInt(5) == 0) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (int i = rnd.nextInt(3); i > 0; i--) {
                out.add(path());
            }
            return out;
        }

        private String word() {
            return Long.toString(rnd.nextLong() & 0xffffff, 36);
        }

        private byte[] data() {
            return rnd.nextInt(5) == 0 ? null : bytes(rnd.nextInt(100));
        }

        private List<ACL> acl() {
            return switch (rnd.nextInt(6)) {
                case 0 -> null;
                case 1 -> List.of();
                case 2 -> List.of(new ACL(rnd.nextInt(64) - 1, new Id(word(), word())));
                case 3 -> List.of(new ACL(31, new Id("auth", "")));
                default -> ACL.OPEN_ACL_UNSAFE;
            };
        }
    }

    // ------------------------------------------------------------------ the health check

    private void assertServerStillServes(long seed) throws Exception {
        String context = "after seed " + seed;
        Stat stat = new Stat();
        assertThat(keeper.getData("/keep", false, stat)).as(context).isEqualTo(KEEP_DATA);
        Stat eph = keeper.exists("/keep/eph", false);
        assertThat(eph).as("%s: the long-lived session's ephemeral", context).isNotNull();
        assertThat(eph.getEphemeralOwner()).as(context).isEqualTo(keeper.getSessionId());
        assertThat(keeperStateChanges).as("%s: the long-lived client never lost its connection", context)
                .allMatch(e -> e.getState() == Watcher.Event.KeeperState.SyncConnected);

        // the long-lived connection still gets notifications
        String flag = "/keep/flag-" + seed;
        CountDownLatch created = new CountDownLatch(1);
        assertThat(keeper.exists(flag, e -> {
            if (e.getType() == Watcher.Event.EventType.NodeCreated) {
                created.countDown();
            }
        })).isNull();

        try (ZooKeeper fresh = connect(new CopyOnWriteArrayList<>())) {
            String path = "/fuzz-check-" + seed;
            byte[] data = ("seed " + seed).getBytes(StandardCharsets.UTF_8);
            assertThat(fresh.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).isEqualTo(path);
            assertThat(fresh.getData(path, false, null)).as(context).isEqualTo(data);
            fresh.delete(path, 0);
            assertThat(fresh.exists(path, false)).as(context).isNull();
            fresh.create(flag, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(fresh.getData("/keep", false, null)).as(context).isEqualTo(KEEP_DATA);
        }
        assertThat(created.await(5, TimeUnit.SECONDS)).as("%s: NodeCreated reached the long-lived client", context)
                .isTrue();
    }

    private ZooKeeper connect(List<WatchedEvent> stateChanges) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, event -> {
            if (event.getType() == Watcher.Event.EventType.None) {
                stateChanges.add(event);
                if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            }
        });
        if (!connected.await(10, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("the official client did not connect");
        }
        return zk;
    }

    private static boolean sendQuietly(RawClient c, byte[] bytes) {
        try {
            c.sendRaw(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
