package dev.meerkat.server.durability;

import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash test of issue 3: {@code ServerMain} runs in a JVM of its own; several official-client
 * sessions write to it concurrently (pipelined async creates, sequential creates, setData with
 * and without an expected version) and every acknowledged result is recorded; at a moment chosen
 * by a seeded Random the JVM gets SIGKILL with writes in flight. The server is then started again
 * on the same directories and must hold every acknowledged write, with nothing from a session's
 * history missing before a write that survived, and a zxid that did not go backwards.
 *
 * <p>Two kinds of run: the kill lands after a random number of acknowledgements, or it is timed
 * to land while a snapshot file is being written (a tiny snapCount and large values keep a
 * snapshot in progress most of the time; the test checks that the half-written {@code .tmp}
 * snapshot is still on disk after the kill, which proves the kill hit it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SigkillCrashTest {
    private static final int SESSIONS = 4;
    private static final int OUTSTANDING_PER_SESSION = 32;
    private static final int COUNTERS = 4;
    private static final int SHARED = 4;
    private static final int SESSION_TIMEOUT_MS = 10_000;
    /** Kill and restart this many times per scenario, on the same directories. */
    private static final int CRASHES = 2;

    /** One run: the seed drives the operation mix, the sizes and the moment of the kill. */
    record Scenario(long seed, boolean duringSnapshot) {
        @Override
        public String toString() {
            return "seed 0x" + Long.toHexString(seed).toUpperCase() + (duringSnapshot ? ", kill during a snapshot" : ", kill at a random moment");
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario(0x5EED_0001L, false),
                new Scenario(0x5EED_0002L, false),
                new Scenario(0x5EED_0003L, false),
                new Scenario(0x5EED_0004L, false),
                new Scenario(0x5EED_0105L, true),
                new Scenario(0x5EED_0106L, true));
    }

    /** What the value of a node was when a write to it was acknowledged. */
    record Acked(int version, byte[] data, long zxid) {
    }

    @TempDir
    Path tmp;

    // ---- what the clients were told, filled by the callbacks
    private final Map<String, byte[]> ackedCreates = new ConcurrentHashMap<>();
    private final Map<String, Acked> ackedSets = new ConcurrentHashMap<>();
    private final AtomicLong maxAckedZxid = new AtomicLong(-1);
    private final AtomicInteger acks = new AtomicInteger();
    /** Requests that ended in a lost connection: in flight (or queued in the client) at the kill. */
    private final AtomicInteger lost = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger[] maxAckedP = new AtomicInteger[SESSIONS];
    private final int[] issuedP = new int[SESSIONS];
    private final int[][] issuedCounterVersions = new int[SESSIONS][COUNTERS];

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyAcknowledgedWriteSurvivesSigkill(Scenario sc) throws Exception {
        Random rnd = new Random(sc.seed());
        Path dataDir = tmp.resolve("data");
        Path cfg = writeConfig(sc, dataDir, tmp.resolve("log"));
        for (int i = 0; i < SESSIONS; i++) {
            maxAckedP[i] = new AtomicInteger(-1);
        }
        ServerProcess server = ServerProcess.start(cfg);
        try {
            ZooKeeper setup = Clients.connect(server.connectString(), SESSION_TIMEOUT_MS);
            try {
                createLayout(setup);
            } finally {
                setup.close();
            }
            // Each crash after the first also checks that a log whose torn end was cut off at the
            // previous start-up is appended to and recovered correctly.
            int missed = 0;
            for (int crash = 1; crash <= CRASHES; ) {
                String tag = "[" + sc + ", crash " + crash + " of " + CRASHES + "] ";
                List<Path> halfWritten = writeAndKill(tag, sc, rnd, server, dataDir.resolve("version-2"));
                // The kill is sent the moment a half-written snapshot is seen; the snapshot may still
                // finish before the signal lands. Such a crash is checked all the same, but another
                // is made until one lands during a snapshot.
                boolean landed = !sc.duringSnapshot() || !halfWritten.isEmpty();
                if (landed) {
                    crash++;
                } else {
                    assertThat(++missed).as(tag + "kills that landed after the snapshot they aimed at").isLessThan(5);
                }
                server = ServerProcess.start(cfg);
                assertThat(server.recoveryLines()).as(tag + "recovery report\n" + server.output())
                        .anySatisfy(l -> assertThat(l).contains("snapshot snapshot."));
                for (Path half : halfWritten) {
                    assertThat(half).as(tag + "the half-written snapshot is removed at start-up").doesNotExist();
                }
                ZooKeeper zk = Clients.connect(server.connectString(), SESSION_TIMEOUT_MS);
                try {
                    verify(tag, zk, server, crash);
                } finally {
                    zk.close();
                }
            }
            server.stop();
        } finally {
            server.close();
        }
    }

    /**
     * Starts the writers, kills the server while they write, stops them and closes their clients.
     *
     * @return the half-written snapshot files on disk after the kill
     */
    private List<Path> writeAndKill(String tag, Scenario sc, Random rnd, ServerProcess server, Path snapDir)
            throws Exception {
        int killAfterAcks = acks.get() + (sc.duringSnapshot() ? 600 + rnd.nextInt(600) : 300 + rnd.nextInt(2700));
        int valueMin = sc.duringSnapshot() ? 1024 : 16;
        int valueSpread = sc.duringSnapshot() ? 1024 : 240;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean killed = new AtomicBoolean();
        lost.set(0);
        int acksAtKill;
        List<Path> halfWritten;
        int snapshotsAtKill;
        List<ZooKeeper> clients = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        try {
            CountDownLatch thresholdReached = new CountDownLatch(1);
            for (int i = 0; i < SESSIONS; i++) {
                ZooKeeper zk = Clients.connect(server.connectString(), SESSION_TIMEOUT_MS);
                clients.add(zk);
                int session = i;
                long writerSeed = rnd.nextLong();
                Thread t = new Thread(() -> write(session, zk, new Random(writerSeed), valueMin, valueSpread,
                        killAfterAcks, thresholdReached, stop, killed), "writer-" + i);
                t.setDaemon(true);
                writers.add(t);
            }
            writers.forEach(Thread::start);

            assertThat(thresholdReached.await(40, TimeUnit.SECONDS))
                    .as(tag + "writers reached %d acknowledgements (have %d)", killAfterAcks, acks.get())
                    .isTrue();
            if (sc.duringSnapshot()) {
                // Kill from inside the poll, the moment a snapshot is seen half-written.
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                        .until(() -> {
                            if (!snapshotFiles(snapDir, true).isEmpty()) {
                                killed.set(true);
                                server.kill();
                                return true;
                            }
                            return false;
                        });
            } else {
                killed.set(true);
                server.kill();
            }
            acksAtKill = acks.get();
            halfWritten = snapshotFiles(snapDir, true);
            snapshotsAtKill = snapshotFiles(snapDir, false).size();
        } finally {
            stop.set(true);
            killed.set(true);
            server.close();
            Clients.closeAll(clients);
            for (Thread t : writers) {
                t.join(10_000);
            }
        }
        assertThat(unexpected).as(tag + "results other than OK, or a lost connection after the kill").isEmpty();
        System.out.printf("%skilled after %d acknowledgements in all (trigger %d), %d requests lost in flight: %d"
                        + " creates and %d nodes set acknowledged, max acknowledged zxid 0x%x, %d snapshot(s) complete"
                        + " and %s half-written at the kill%n",
                tag, acksAtKill, killAfterAcks, lost.get(), ackedCreates.size(), ackedSets.size(), maxAckedZxid.get(),
                snapshotsAtKill, halfWritten.isEmpty() ? "none" : halfWritten.stream().map(Path::getFileName).toList());
        assertThat(lost.get()).as(tag + "requests were in flight when the server was killed").isGreaterThan(0);
        assertThat(snapshotsAtKill).as(tag + "snapshots completed before the kill").isGreaterThan(0);
        return halfWritten;
    }

    private Path writeConfig(Scenario sc, Path dataDir, Path logDir) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(logDir);
        Path cfg = tmp.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "tickTime=500",
                "dataDir=" + dataDir,
                "dataLogDir=" + logDir,
                "clientPort=0",
                "clientPortAddress=127.0.0.1",
                "snapCount=" + (sc.duringSnapshot() ? 40 : 200),
                "forceSync=yes",
                "preAllocSize=64",
                "maxClientCnxns=0",
                ""));
        return cfg;
    }

    private static void createLayout(ZooKeeper zk) throws KeeperException, InterruptedException {
        zk.create("/crash", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < SESSIONS; i++) {
            zk.create("/crash/s" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int j = 0; j < COUNTERS; j++) {
                zk.create("/crash/s" + i + "/c" + j, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        for (int j = 0; j < SHARED; j++) {
            zk.create("/crash/shared" + j, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    private static List<Path> snapshotFiles(Path dir, boolean temporary) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot.*")) {
            for (Path f : files) {
                if (f.getFileName().toString().endsWith(".tmp") == temporary) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the writers

    private void write(int session, ZooKeeper zk, Random rnd, int valueMin, int valueSpread, int threshold,
                       CountDownLatch thresholdReached, AtomicBoolean stop, AtomicBoolean killed) {
        Semaphore permits = new Semaphore(OUTSTANDING_PER_SESSION);
        String base = "/crash/s" + session;
        long op = 0;
        try {
            while (!stop.get()) {
                if (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                op++;
                byte[] data = value(session, op, rnd, valueMin, valueSpread);
                int kind = rnd.nextInt(100);
                if (kind < 35) {
                    int k = issuedP[session]++;
                    zk.create(base + "/p" + k, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                            (AsyncCallback.Create2Callback) (rc, path, ctx, name, stat) -> {
                                permits.release();
                                if (ok(rc, path, killed)) {
                                    ackedCreates.put(name, data);
                                    maxAckedP[session].accumulateAndGet(k, Math::max);
                                    acked(stat.getCzxid(), threshold, thresholdReached);
                                }
                            }, null);
                } else if (kind < 55) {
                    zk.create(base + "/q-", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
                            (AsyncCallback.Create2Callback) (rc, path, ctx, name, stat) -> {
                                permits.release();
                                if (ok(rc, path, killed)) {
                                    ackedCreates.put(name, data);
                                    acked(stat.getCzxid(), threshold, thresholdReached);
                                }
                            }, null);
                } else if (kind < 85) {
                    // This session is the only writer of its counters, so it knows every version in advance.
                    int j = rnd.nextInt(COUNTERS);
                    int expected = issuedCounterVersions[session][j]++;
                    zk.setData(base + "/c" + j, data, expected, (rc, path, ctx, stat) -> {
                        permits.release();
                        if (ok(rc, path, killed)) {
                            if (stat.getVersion() != expected + 1) {
                                unexpected.add(path + ": setData with version " + expected + " gave version "
                                        + stat.getVersion());
                            }
                            setAcked(path, stat, data);
                            acked(stat.getMzxid(), threshold, thresholdReached);
                        }
                    }, null);
                } else {
                    zk.setData("/crash/shared" + rnd.nextInt(SHARED), data, -1, (rc, path, ctx, stat) -> {
                        permits.release();
                        if (ok(rc, path, killed)) {
                            setAcked(path, stat, data);
                            acked(stat.getMzxid(), threshold, thresholdReached);
                        }
                    }, null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] value(int session, long op, Random rnd, int min, int spread) {
        StringBuilder b = new StringBuilder("s").append(session).append("-op").append(op).append('-');
        int len = min + rnd.nextInt(spread);
        while (b.length() < len) {
            b.append((char) ('a' + rnd.nextInt(26)));
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Whether a request succeeded. Once the server is killed, a request fails with CONNECTIONLOSS,
     * or with SESSIONEXPIRED if it is still queued when the test closes its client; any failure
     * before the kill, or any other code, is unexpected.
     */
    private boolean ok(int rc, String path, AtomicBoolean killed) {
        KeeperException.Code code = KeeperException.Code.get(rc);
        if (code == KeeperException.Code.OK) {
            return true;
        }
        if (killed.get() && (code == KeeperException.Code.CONNECTIONLOSS
                || code == KeeperException.Code.SESSIONEXPIRED)) {
            lost.incrementAndGet();
        } else {
            unexpected.add(path + ": " + code + (killed.get() ? "" : " before the kill"));
        }
        return false;
    }

    private void setAcked(String path, Stat stat, byte[] data) {
        Acked a = new Acked(stat.getVersion(), data, stat.getMzxid());
        ackedSets.merge(path, a, (old, now) -> now.version() > old.version() ? now : old);
    }

    private void acked(long zxid, int threshold, CountDownLatch thresholdReached) {
        maxAckedZxid.accumulateAndGet(zxid, Math::max);
        if (acks.incrementAndGet() >= threshold) {
            thresholdReached.countDown();
        }
    }

    // ------------------------------------------------------------------ after the restart

    private void verify(String tag, ZooKeeper zk, ServerProcess restarted, int crash) throws Exception {
        // Every acknowledged create, with its data (nothing else ever writes to these nodes).
        Map<String, byte[]> found = new ConcurrentHashMap<>();
        Map<String, Stat> stats = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
        List<String> paths = new ArrayList<>(ackedCreates.keySet());
        paths.addAll(ackedSets.keySet());
        CountDownLatch read = new CountDownLatch(paths.size());
        for (String p : paths) {
            zk.getData(p, false, (rc, path, ctx, data, stat) -> {
                if (rc == KeeperException.Code.OK.intValue()) {
                    found.put(path, data == null ? new byte[0] : data);
                    stats.put(path, stat);
                } else {
                    missing.add(path + ": " + KeeperException.Code.get(rc));
                }
                read.countDown();
            }, null);
        }
        assertThat(read.await(30, TimeUnit.SECONDS)).as(tag + "all reads answered").isTrue();
        assertThat(missing).as(tag + "acknowledged nodes missing after the restart").isEmpty();

        List<String> wrongData = new ArrayList<>();
        ackedCreates.forEach((path, data) -> {
            if (!Arrays.equals(found.get(path), data)) {
                wrongData.add(path + ": acknowledged '" + new String(data, StandardCharsets.US_ASCII) + "', found '"
                        + new String(found.get(path), StandardCharsets.US_ASCII) + "'");
            }
        });
        assertThat(wrongData).as(tag + "created nodes whose data differs from what was acknowledged").isEmpty();

        List<String> stale = new ArrayList<>();
        ackedSets.forEach((path, a) -> {
            Stat s = stats.get(path);
            if (s.getVersion() < a.version()) {
                stale.add(path + ": acknowledged version " + a.version() + " (zxid 0x" + Long.toHexString(a.zxid())
                        + "), found version " + s.getVersion());
            } else if (s.getVersion() == a.version() && !Arrays.equals(found.get(path), a.data())) {
                stale.add(path + ": version " + a.version() + " holds other data than acknowledged");
            }
        });
        assertThat(stale).as(tag + "setData results lost or changed").isEmpty();

        // A session's writes are logged in its order, so what survived of them is a prefix: no p<k>
        // may be missing below one that exists, and none below an acknowledged one.
        for (int i = 0; i < SESSIONS; i++) {
            TreeSet<Integer> ps = new TreeSet<>();
            for (String child : zk.getChildren("/crash/s" + i, false)) {
                if (child.startsWith("p")) {
                    ps.add(Integer.parseInt(child.substring(1)));
                }
            }
            int maxAcked = maxAckedP[i].get();
            if (!ps.isEmpty()) {
                assertThat(ps.last() + 1).as(tag + "session %d: the surviving creates p0..p%d have no gap", i, ps.last())
                        .isEqualTo(ps.size());
            }
            assertThat(ps.size() - 1).as(tag + "session %d: the highest surviving create is at least the highest"
                    + " acknowledged", i).isGreaterThanOrEqualTo(maxAcked);
            assertThat(ps.size()).as(tag + "session %d: no more creates than issued", i).isLessThanOrEqualTo(issuedP[i]);
            for (int j = 0; j < COUNTERS; j++) {
                Stat s = zk.exists("/crash/s" + i + "/c" + j, false);
                assertThat(s.getVersion()).as(tag + "session %d counter %d: no more versions than setData issued", i, j)
                        .isLessThanOrEqualTo(issuedCounterVersions[i][j]);
                // The next writers continue from what survived.
                issuedCounterVersions[i][j] = s.getVersion();
            }
            issuedP[i] = ps.size();
        }

        // Time did not go backwards: the server is at least where the clients were, and a new
        // write gets a zxid above every acknowledged one.
        long max = maxAckedZxid.get();
        assertThat(Clients.srvrZxid(restarted.port())).as(tag + "restarted server's zxid vs highest acknowledged 0x%x", max)
                .isGreaterThanOrEqualTo(max);
        Stat after = new Stat();
        zk.create("/crash/after-restart-" + crash, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, after);
        assertThat(after.getCzxid()).as(tag + "zxid of the first write after the restart vs highest acknowledged 0x%x",
                max).isGreaterThan(max);
    }
}
