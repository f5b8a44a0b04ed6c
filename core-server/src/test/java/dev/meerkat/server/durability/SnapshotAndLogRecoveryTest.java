package dev.meerkat.server.durability;

import dev.meerkat.server.EmbeddedMeerkat;
import dev.meerkat.server.storage.Durability;
import dev.meerkat.server.storage.Snapshots;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many writes with a tiny snapCount, so that recovery always starts from a fuzzy snapshot taken
 * while writes went on and replays the log after it; the server is restarted between batches and
 * must hold exactly the acknowledged writes (an in-memory model) every time. Then purging keeps
 * the newest snapshots (at least 3) and the server still recovers from what is left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotAndLogRecoveryTest {
    private static final long SEED = 0x5EED_4444L;
    private static final int DIRS = 8;
    private static final int BATCHES = 5;
    private static final int OPS_PER_BATCH = 400;
    private static final int SNAP_COUNT = 20;
    /** Fewer than the smallest snapshot interval (snapCount / 2), counting the closeSession after them. */
    private static final int TAIL_WRITES = SNAP_COUNT / 2 - 2;

    /** A node as the model expects it. */
    record Node(byte[] data, int version) {
    }

    private final Random rnd = new Random(SEED);
    /** Every node under /m, as acknowledged. */
    private final Map<String, Node> model = Collections.synchronizedSortedMap(new TreeMap<>());
    /** The nodes ops may change or delete (not the directories, not sequential nodes). */
    private final List<String> leaves = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private int nextKey;
    private final String tag = "[seed 0x" + Long.toHexString(SEED).toUpperCase() + "] ";

    @Test
    void restartsBetweenBatchesRecoverExactlyTheAcknowledgedWritesAndPurgeKeepsRecoveryWorking() throws Exception {
        List<ZooKeeper> clients = new ArrayList<>();
        try (EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.tickTime(200).snapCount(SNAP_COUNT).snapRetainCount(3)
                .snapshotOnShutdown(false))) {
            Path snapDir = meerkat.server().durability().snapshotDir();
            ZooKeeper zk = Clients.connect(meerkat.connectString(), 10_000);
            clients.add(zk);
            zk.create("/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            model.put("/m", new Node(null, 0));
            zk.create("/m/seq", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            model.put("/m/seq", new Node(null, 0));
            for (int d = 0; d < DIRS; d++) {
                zk.create("/m/d" + d, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                model.put("/m/d" + d, new Node(null, 0));
            }

            for (int batch = 0; batch < BATCHES; batch++) {
                writeBatch(zk, OPS_PER_BATCH);
                assertThat(failures).as(tag + "batch %d: every write succeeded as the model predicted", batch).isEmpty();
                long snapshotAt = endWithALogTail(zk, snapDir, batch);
                zk.close();
                clients.remove(zk);

                meerkat.restart();
                Durability.Recovered r = meerkat.server().durability().recovered();
                System.out.printf("%sbatch %d: recovered from snapshot at zxid 0x%x plus %d logged txns in %d ms%n",
                        tag, batch, r.snapshotZxid(), r.replayedTxns(), r.millis());
                assertThat(r.snapshotZxid()).as(tag + "batch %d: recovery started from the last snapshot", batch)
                        .isEqualTo(snapshotAt);
                // TAIL_WRITES and the closeSession are too few to start another snapshot.
                assertThat(r.replayedTxns()).as(tag + "batch %d: txns replayed from the log on top of it", batch)
                        .isGreaterThanOrEqualTo(TAIL_WRITES + 1);

                zk = Clients.connect(meerkat.connectString(), 10_000);
                clients.add(zk);
                assertMatchesModel(zk, "after restart " + batch);
            }

            // Retention: keep the newest snapshots, drop the older ones, and still recover.
            List<Path> before = Snapshots.list(snapDir);
            assertThat(before.size()).as(tag + "snapshots before the purge").isGreaterThan(3);
            meerkat.server().durability().purge();
            List<Path> after = Snapshots.list(snapDir);
            System.out.printf("%spurge: %d snapshots before, %d after; %d log segment(s) left%n", tag, before.size(),
                    after.size(), logSegments(meerkat.server().durability().logDir()));
            assertThat(after.size()).as(tag + "snapshots kept by the purge").isGreaterThanOrEqualTo(3)
                    .isLessThan(before.size());
            assertThat(after).as(tag + "the newest snapshots are the ones kept").containsAll(before.subList(0, 3));

            writeBatch(zk, OPS_PER_BATCH / 2);
            assertThat(failures).as(tag + "writes after the purge").isEmpty();
            zk.close();
            clients.remove(zk);
            meerkat.restart();
            Durability.Recovered r = meerkat.server().durability().recovered();
            OptionalLong oldestKept = Snapshots.zxidOf(after.get(after.size() - 1));
            assertThat(r.snapshotZxid()).as(tag + "recovered after the purge from a kept snapshot")
                    .isGreaterThanOrEqualTo(oldestKept.orElseThrow());
            zk = Clients.connect(meerkat.connectString(), 10_000);
            clients.add(zk);
            assertMatchesModel(zk, "after the purge and a restart");
        } finally {
            Clients.closeAll(clients);
        }
    }

    /**
     * Writes one txn at a time until one of them starts a snapshot, then {@link #TAIL_WRITES} more,
     * so that recovery needs both that snapshot (taken while writes went on) and the log after it.
     *
     * @return the snapshot's zxid
     */
    private long endWithALogTail(ZooKeeper zk, Path snapDir, int batch) throws Exception {
        long snapshotAt = -1;
        // Normally within SNAP_COUNT writes; on a busy machine the previous snapshot may still be
        // being written (one at a time), which holds the next one back for a while.
        for (int i = 0; i < 50 * SNAP_COUNT && snapshotAt < 0; i++) {
            String path = "/m/d0/tail-" + batch + "-" + i;
            byte[] data = value(path);
            Stat stat = new Stat();
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
            model.put(path, new Node(data, 0));
            leaves.add(path);
            String name = Snapshots.fileName(stat.getCzxid());
            if (Files.exists(snapDir.resolve(name)) || Files.exists(snapDir.resolve(name + ".tmp"))) {
                snapshotAt = stat.getCzxid();
            }
        }
        assertThat(snapshotAt).as(tag + "batch %d: a write started a snapshot", batch).isPositive();
        for (int i = 0; i < TAIL_WRITES; i++) {
            String path = leaves.get(rnd.nextInt(leaves.size()));
            Node old = model.get(path);
            byte[] data = value(path + "@v" + (old.version() + 1));
            zk.setData(path, data, old.version());
            model.put(path, new Node(data, old.version() + 1));
        }
        long expected = snapshotAt;
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(snapDir.resolve(Snapshots.fileName(expected))));
        return snapshotAt;
    }

    private static long logSegments(Path logDir) throws IOException {
        try (Stream<Path> files = Files.list(logDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("log.")).count();
        }
    }

    private byte[] value(String what) {
        StringBuilder b = new StringBuilder(what).append('#');
        int len = 8 + rnd.nextInt(120);
        while (b.length() < len) {
            b.append((char) ('a' + rnd.nextInt(26)));
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Issues {@code ops} pipelined writes whose outcome the model predicts (creates of new paths,
     * setData and deletes with the expected version, multis), updating the model as it goes; every
     * reply must be the predicted one. Sequential creates enter the model when acknowledged.
     */
    private void writeBatch(ZooKeeper zk, int ops) throws InterruptedException {
        Semaphore outstanding = new Semaphore(100);
        for (int i = 0; i < ops; i++) {
            outstanding.acquire();
            int kind = rnd.nextInt(100);
            if (kind < 35 || leaves.isEmpty()) {
                String path = "/m/d" + rnd.nextInt(DIRS) + "/k" + nextKey++;
                byte[] data = value(path);
                model.put(path, new Node(data, 0));
                leaves.add(path);
                zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (AsyncCallback.StringCallback) (rc, p, ctx, name) -> {
                            outstanding.release();
                            expectOk(rc, "create " + p);
                        }, null);
            } else if (kind < 65) {
                String path = leaves.get(rnd.nextInt(leaves.size()));
                Node old = model.get(path);
                byte[] data = value(path + "@v" + (old.version() + 1));
                model.put(path, new Node(data, old.version() + 1));
                zk.setData(path, data, old.version(), (rc, p, ctx, stat) -> {
                    outstanding.release();
                    if (expectOk(rc, "setData " + p) && stat.getVersion() != old.version() + 1) {
                        failures.add("setData " + p + " gave version " + stat.getVersion() + ", expected "
                                + (old.version() + 1));
                    }
                }, null);
            } else if (kind < 75) {
                int k = rnd.nextInt(leaves.size());
                String path = leaves.get(k);
                leaves.set(k, leaves.get(leaves.size() - 1));
                leaves.remove(leaves.size() - 1);
                Node old = model.remove(path);
                zk.delete(path, old.version(), (rc, p, ctx) -> {
                    outstanding.release();
                    expectOk(rc, "delete " + p);
                }, null);
            } else if (kind < 87) {
                String created = "/m/d" + rnd.nextInt(DIRS) + "/k" + nextKey++;
                String changed = leaves.get(rnd.nextInt(leaves.size()));
                Node old = model.get(changed);
                byte[] createdData = value(created);
                byte[] changedData = value(changed + "@v" + (old.version() + 1));
                model.put(created, new Node(createdData, 0));
                model.put(changed, new Node(changedData, old.version() + 1));
                leaves.add(created);
                zk.multi(List.of(
                        Op.create(created, createdData, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.setData(changed, changedData, old.version())), (rc, p, ctx, results) -> {
                            outstanding.release();
                            if (expectOk(rc, "multi " + created + " + " + changed)) {
                                for (OpResult res : results) {
                                    if (res instanceof OpResult.ErrorResult e) {
                                        failures.add("multi op failed: " + KeeperException.Code.get(e.getErr()));
                                    }
                                }
                            }
                        }, null);
            } else if (kind < 95) {
                byte[] data = value("seq");
                zk.create("/m/seq/q-", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
                        (AsyncCallback.StringCallback) (rc, p, ctx, name) -> {
                            outstanding.release();
                            if (expectOk(rc, "sequential create")) {
                                model.put(name, new Node(data, 0));
                            }
                        }, null);
            } else {
                String dir = "/m/d" + rnd.nextInt(DIRS);
                Node old = model.get(dir);
                byte[] data = value(dir + "@v" + (old.version() + 1));
                model.put(dir, new Node(data, old.version() + 1));
                zk.setData(dir, data, -1, (rc, p, ctx, stat) -> {
                    outstanding.release();
                    expectOk(rc, "setData " + p);
                }, null);
            }
        }
        // Every reply is in once all permits are back.
        if (!outstanding.tryAcquire(100, 30, TimeUnit.SECONDS)) {
            failures.add("replies missing after 30 s");
        }
    }

    private boolean expectOk(int rc, String what) {
        if (rc != KeeperException.Code.OK.intValue()) {
            failures.add(what + ": " + KeeperException.Code.get(rc));
            return false;
        }
        return true;
    }

    private void assertMatchesModel(ZooKeeper zk, String when) throws KeeperException, InterruptedException {
        Map<String, Node> actual = new TreeMap<>();
        readSubtree(zk, "/m", actual);
        Map<String, String> expected;
        synchronized (model) {
            expected = describe(model);
        }
        assertThat(describe(actual)).as(tag + when + ": the tree equals the model of acknowledged writes")
                .isEqualTo(expected);
    }

    private static Map<String, String> describe(Map<String, Node> nodes) {
        Map<String, String> out = new TreeMap<>();
        nodes.forEach((path, n) -> out.put(path, "v" + n.version() + " "
                + (n.data() == null || n.data().length == 0 ? "" : new String(n.data(), StandardCharsets.US_ASCII))));
        return out;
    }

    private static void readSubtree(ZooKeeper zk, String path, Map<String, Node> out)
            throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        byte[] data = zk.getData(path, false, stat);
        out.put(path, new Node(data, stat.getVersion()));
        for (String child : zk.getChildren(path, false)) {
            readSubtree(zk, path + "/" + child, out);
        }
    }
}
