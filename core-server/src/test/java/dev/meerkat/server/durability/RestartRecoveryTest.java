package dev.meerkat.server.durability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meerkat.server.EmbeddedMeerkat;
import dev.meerkat.server.MeerkatServer;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.request.RequestProcessor;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A clean restart on the same data directory brings back everything a client can observe: nodes,
 * data, stats, ACLs, sequential counters, container and TTL kinds, and sessions with their
 * ephemerals (which then live or expire as their sessions do). A server that has lost its data
 * refuses a client that has seen a later zxid.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartRecoveryTest {
    private static final String CONTAINER_INTERVAL = "znode.container.checkIntervalMs";

    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nodesDataVersionsAclsSequencesAndNodeKindsSurviveRestart() throws Exception {
        List<ZooKeeper> clients = new ArrayList<>();
        String previousInterval = System.getProperty(CONTAINER_INTERVAL);
        try (EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.tickTime(200).extendedTypesEnabled(true)
                .snapCount(10))) {
            ZooKeeper zk = Clients.connect(meerkat.connectString(), 10_000);
            clients.add(zk);
            List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
            zk.create("/r", bytes("root"), open, CreateMode.PERSISTENT);
            zk.create("/r/plain", bytes("v0"), open, CreateMode.PERSISTENT);
            zk.setData("/r/plain", bytes("v1"), 0);
            zk.setData("/r/plain", bytes("v2"), 1);
            zk.create("/r/empty", null, open, CreateMode.PERSISTENT);

            zk.addAuthInfo("digest", bytes("alice:secret"));
            // An ArrayList: the client's ACL check asks the list whether it contains null.
            List<ACL> aliceOnly = new ArrayList<>(List.of(
                    new ACL(ZooDefs.Perms.ALL, new Id("digest", DigestAuthenticationProvider.generateDigest("alice:secret"))),
                    new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
            zk.create("/r/acl", bytes("guarded"), open, CreateMode.PERSISTENT);
            zk.setACL("/r/acl", aliceOnly, 0);

            zk.create("/r/seq", null, open, CreateMode.PERSISTENT);
            List<String> seqNames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seqNames.add(zk.create("/r/seq/n-", bytes("s" + i), open, CreateMode.PERSISTENT_SEQUENTIAL));
            }
            zk.delete(seqNames.get(1), -1);

            zk.create("/r/container", null, open, CreateMode.CONTAINER);
            zk.create("/r/container/child", null, open, CreateMode.PERSISTENT);
            zk.create("/r/keep", null, open, CreateMode.PERSISTENT);
            zk.create("/r/keep/child", null, open, CreateMode.PERSISTENT);
            zk.create("/r/ttl-long", bytes("an hour"), open, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 3_600_000L);
            zk.create("/r/ttl-short", bytes("a moment"), open, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1L);
            zk.multi(List.of(
                    Op.create("/r/multi", bytes("m"), open, CreateMode.PERSISTENT),
                    Op.setData("/r/plain", bytes("v3"), 2)));

            Map<String, Trees.NodeState> before = Trees.read(zk, "/r");
            Stat seqBefore = zk.exists("/r/seq", false);
            zk.close();
            clients.remove(zk);
            long zxidBefore = Clients.srvrZxid(meerkat.port());

            // The first server never reaps (ZooKeeper's 60 s default interval); the restarted one looks
            // every 100 ms, so what it reaps shows which nodes it recovered as containers and TTL nodes.
            System.setProperty(CONTAINER_INTERVAL, "100");
            meerkat.restart();

            // Exactly where it stopped, or one further if the reaper has already removed ttl-short.
            assertThat(Clients.srvrZxid(meerkat.port())).as("zxid after the restart")
                    .isBetween(zxidBefore, zxidBefore + 1);
            ZooKeeper after = Clients.connect(meerkat.connectString(), 10_000);
            clients.add(after);
            // ACLs are enforced, not only listed.
            assertThatThrownBy(() -> after.setData("/r/acl", bytes("x"), -1))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            // With ADMIN on /r/acl, getACL shows the digest unredacted, as it did before the restart.
            after.addAuthInfo("digest", bytes("alice:secret"));
            Map<String, Trees.NodeState> recovered = Trees.read(after, "/r");
            // The reaper may already have taken the expired TTL node; it is checked below.
            Map<String, Trees.NodeState> expected = new TreeMap<>(before);
            expected.remove("/r/ttl-short");
            recovered.remove("/r/ttl-short");
            // /r's cversion and pzxid change when the reaper removes ttl-short; compare its data and ACL.
            assertThat(recovered.get("/r").data()).isEqualTo(expected.remove("/r").data());
            recovered.remove("/r");
            assertThat(recovered).as("every node with its data, stat and ACL").isEqualTo(expected);

            assertThat(after.setData("/r/acl", bytes("x"), 0).getVersion()).isEqualTo(1);

            // The sequential counter continues where it was: ZooKeeper's stored cversion, the count of
            // children ever created (the reported cversion is 2 x creates - present children), not
            // from the children that happen to exist.
            int creates = (seqBefore.getCversion() + seqBefore.getNumChildren()) / 2;
            assertThat(creates).isEqualTo(3);
            String next = after.create("/r/seq/n-", bytes("s3"), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT_SEQUENTIAL);
            assertThat(next).isEqualTo(String.format("/r/seq/n-%010d", creates));
            assertThat(next).isGreaterThan(seqNames.get(2));

            // Node kinds: the TTL node whose time is up goes, the long one stays; the container goes
            // once its last child is deleted, a persistent parent does not.
            await().atMost(Duration.ofSeconds(10)).until(() -> after.exists("/r/ttl-short", false) == null);
            after.delete("/r/container/child", -1);
            after.delete("/r/keep/child", -1);
            await().atMost(Duration.ofSeconds(10)).until(() -> after.exists("/r/container", false) == null);
            assertThat(after.exists("/r/ttl-long", false)).as("TTL node within its TTL").isNotNull();
            assertThat(after.exists("/r/keep", false)).as("persistent node without children").isNotNull();
            assertThat(after.exists("/r/empty", false)).as("persistent node that never had children").isNotNull();
        } finally {
            Clients.closeAll(clients);
            if (previousInterval == null) {
                System.clearProperty(CONTAINER_INTERVAL);
            } else {
                System.setProperty(CONTAINER_INTERVAL, previousInterval);
            }
        }
    }

    private ServerConfig config(Path dir, int port) {
        return ServerConfig.builder()
                .dataDir(dir)
                .clientPort(port)
                .clientPortAddress("127.0.0.1")
                .tickTime(200)
                .maxSessionTimeout(30_000)
                .preAllocSizeKb(64)
                .build();
    }

    @Test
    void ephemeralsLiveOnWithTheirReturningSessionAndExpireWithAnAbsentOne() throws Exception {
        Path dir = tmp.resolve("data");
        List<ZooKeeper> clients = new ArrayList<>();
        MeerkatServer server = MeerkatServer.start(config(dir, 0));
        try {
            int port = server.clientPort();
            String connect = "127.0.0.1:" + port;
            ZooKeeper returning = Clients.connect(connect, 6_000);
            clients.add(returning);
            ZooKeeper absent = Clients.connect(connect, 4_000);
            clients.add(absent);
            returning.create("/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            returning.create("/e/returning", bytes("r"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            absent.create("/e/absent", bytes("a"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            long returningId = returning.getSessionId();
            byte[] returningPasswd = returning.getSessionPasswd();
            long absentId = absent.getSessionId();
            byte[] absentPasswd = absent.getSessionPasswd();

            // Stop the server first, so that neither client's close reaches it: both sessions stay
            // open as far as the data directory knows.
            server.close();
            server = null;
            Clients.closeAll(clients);
            clients.clear();

            server = MeerkatServer.start(config(dir, port));
            ZooKeeper back = Clients.connect(connect, 6_000, returningId, returningPasswd);
            clients.add(back);
            assertThat(back.getSessionId()).as("the session re-attached").isEqualTo(returningId);
            ZooKeeper observer = Clients.connect(connect, 10_000);
            clients.add(observer);
            Stat returningStat = observer.exists("/e/returning", false);
            assertThat(returningStat).as("ephemeral of the returning session after the restart").isNotNull();
            assertThat(returningStat.getEphemeralOwner()).isEqualTo(returningId);
            Stat absentStat = observer.exists("/e/absent", false);
            assertThat(absentStat).as("ephemeral of the absent session right after the restart (its session"
                    + " was recovered and has not timed out yet)").isNotNull();
            assertThat(absentStat.getEphemeralOwner()).isEqualTo(absentId);

            await().atMost(Duration.ofSeconds(15)).until(() -> observer.exists("/e/absent", false) == null);
            assertThat(observer.exists("/e/returning", false)).as("ephemeral of the session that came back, after"
                    + " the absent one expired").isNotNull();

            // The absent session is gone for good: re-attaching to it is refused as expired.
            CountDownLatch expired = new CountDownLatch(1);
            ZooKeeper late = new ZooKeeper(connect, 4_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.Expired) {
                    expired.countDown();
                }
            }, absentId, absentPasswd);
            clients.add(late);
            assertThat(expired.await(15, TimeUnit.SECONDS)).as("re-attaching the expired session is refused").isTrue();

            back.close();
            clients.remove(back);
            assertThat(observer.exists("/e/returning", false)).as("ephemeral after its session closed").isNull();
        } finally {
            Clients.closeAll(clients);
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void clientThatHasSeenALaterZxidIsRefusedByAServerWithAnEmptyDataDir() throws Exception {
        Path dirA = tmp.resolve("a");
        Path dirB = tmp.resolve("b");
        List<ZooKeeper> clients = new ArrayList<>();
        Logger processorLog = (Logger) LoggerFactory.getLogger(RequestProcessor.class);
        ListAppender<ILoggingEvent> refusals = new ListAppender<>();
        refusals.start();
        processorLog.addAppender(refusals);
        MeerkatServer a = MeerkatServer.start(config(dirA, 0));
        MeerkatServer b = null;
        try {
            int port = a.clientPort();
            String connect = "127.0.0.1:" + port;
            AtomicInteger syncConnected = new AtomicInteger();
            CountDownLatch firstConnect = new CountDownLatch(1);
            ZooKeeper zk = new ZooKeeper(connect, 20_000, e -> {
                if (e.getType() == Watcher.Event.EventType.None
                        && e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    syncConnected.incrementAndGet();
                    firstConnect.countDown();
                }
            });
            clients.add(zk);
            assertThat(firstConnect.await(15, TimeUnit.SECONDS)).isTrue();
            Stat last = null;
            for (int i = 0; i < 0x50; i++) {
                last = new Stat();
                zk.create("/n" + i, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, last);
            }
            long seen = last.getCzxid();
            assertThat(seen).as("the client has seen zxid 0x50 or later").isGreaterThanOrEqualTo(0x50);

            a.close();
            a = null;
            b = MeerkatServer.start(config(dirB, port));
            int connectsBefore = syncConnected.get();

            // The client tries the fresh server (at zxid 0) and is turned away, again and again.
            await().atMost(Duration.ofSeconds(15)).until(() -> refusals.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("Refusing")
                            && e.getFormattedMessage().contains("has seen zxid 0x" + Long.toHexString(seen))));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> syncConnected.get() == connectsBefore && zk.getState() != ZooKeeper.States.CONNECTED);
            assertThat(Clients.srvrZxid(port)).as("the fresh server's zxid").isLessThan(seen);

            // The fresh server itself is fine for clients that have seen nothing.
            ZooKeeper fresh = Clients.connect(connect, 10_000);
            clients.add(fresh);
            assertThat(fresh.exists("/n0", false)).isNull();
            fresh.close();
            clients.remove(fresh);

            // Back on its own data the server is ahead again, and the same client and session return.
            b.close();
            b = null;
            a = MeerkatServer.start(config(dirA, port));
            await().atMost(Duration.ofSeconds(15)).until(() -> syncConnected.get() > connectsBefore);
            assertThat(zk.exists("/n" + (0x50 - 1), false)).isNotNull();
        } finally {
            processorLog.detachAppender(refusals);
            Clients.closeAll(clients);
            if (b != null) {
                b.close();
            }
            if (a != null) {
                a.close();
            }
        }
    }
}
