package dev.meerkat.bench.compare;

import dev.meerkat.bench.load.Clients;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The failover gap as a client sees it: with one client writing synchronously in a loop through
 * the members that do not lead, the leader gets SIGKILL; the gap is the time from the signal to
 * the first write that succeeds after it (System.nanoTime on the client's side, so it holds
 * noticing the loss, the election, the new leader's sync with its followers and the client's
 * reconnection). The killed member is then started again, and the ensemble waits until it serves
 * with all members before the next round.
 *
 * <p>The writes run on the measuring thread, so no write is in flight at the kill: every write
 * that succeeds after it was issued after it.
 */
public final class FailoverGap {
    /** The client session timeout: long enough that the session outlives the failover. */
    public static final int SESSION_TIMEOUT_MS = 30_000;
    static final String NODE = "/failover";
    /** Successful writes before each kill, so that the client is connected and warm. */
    static final int WARM_WRITES = 20;

    /** What the measurement needs of an ensemble. */
    public interface Cluster {
        /** The member srvr reports as leader. */
        int leader() throws IOException;

        /** A connect string of every member but {@code id}. */
        String connectStringWithout(int id);

        /** SIGKILL; returns System.nanoTime() just before the signal, after the process is gone. */
        long kill(int id) throws InterruptedException;

        /** Starts a killed member again. */
        void start(int id) throws IOException;

        /** Whether every member but {@code killed} serves, with one leader among them (polled in the gap). */
        boolean servingWithout(int killed);

        /** Until every member serves with one leader. */
        void awaitServing(Duration timeout) throws IOException, InterruptedException;
    }

    /** One client session that writes one node. */
    public interface Writer extends AutoCloseable {
        void write() throws Exception;

        @Override
        void close();
    }

    /** Opens a writer on a connect string. */
    public interface WriterFactory {
        Writer open(String connect) throws IOException, InterruptedException;
    }

    /**
     * One round.
     *
     * @param killed the leader that got SIGKILL
     * @param newLeader the leader after the gap
     * @param electedNanos from the signal until srvr shows the survivors serving with a new leader
 *     (polled every few ms while the client retries; -1 if not seen before the first success)
 * @param gapNanos from the signal to the first successful write
     * @param failedWrites writes that failed in the gap
     * @param errors those failures by error (KeeperException code or exception class)
     * @param rejoinNanos from starting the killed member again until all serve with one leader
     */
    public record Sample(int killed, int newLeader, long electedNanos, long gapNanos, int failedWrites,
            Map<String, Integer> errors, long rejoinNanos) {
        public double electedMs() {
            return electedNanos < 0 ? Double.NaN : electedNanos / 1e6;
        }

        public double gapMs() {
            return gapNanos / 1e6;
        }

        public double rejoinMs() {
            return rejoinNanos / 1e6;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("killedLeader", killed);
            m.put("newLeader", newLeader);
            m.put("electedMs", electedNanos < 0 ? null : electedMs());
            m.put("gapMs", gapMs());
            m.put("failedWrites", failedWrites);
            m.put("errors", new LinkedHashMap<String, Object>(errors));
            m.put("rejoinMs", rejoinMs());
            return m;
        }
    }

    private final Cluster cluster;
    private final WriterFactory writers;
    private final Duration timeout;

    /**
     * @param timeout the longest a gap or a rejoin may take before the round fails
     */
    public FailoverGap(Cluster cluster, WriterFactory writers, Duration timeout) {
        this.cluster = cluster;
        this.writers = writers;
        this.timeout = timeout;
    }

    /** {@code rounds} rounds; {@code each} hears of every sample as it comes. */
    public List<Sample> run(int rounds, Consumer<Sample> each) throws IOException, InterruptedException {
        List<Sample> samples = new ArrayList<>();
        for (int k = 0; k < rounds; k++) {
            Sample s = once();
            samples.add(s);
            each.accept(s);
        }
        return samples;
    }

    /** Kill the leader, time the gap, start it again and wait until it has rejoined. */
    public Sample once() throws IOException, InterruptedException {
        int leader = cluster.leader();
        long gap;
        long elected;
        int failed;
        Map<String, Integer> errors = new java.util.concurrent.ConcurrentSkipListMap<>();
        try (Writer w = writers.open(cluster.connectStringWithout(leader))) {
            for (int k = 0; k < WARM_WRITES; k++) {
                try {
                    w.write();
                } catch (Exception e) {
                    throw new IOException("write before the kill failed: " + describe(e), e);
                }
            }
            long killed = cluster.kill(leader);
            long deadline = killed + timeout.toNanos();
            // the server side of the gap, watched beside the client: when the survivors serve again
            AtomicLong electedAt = new AtomicLong(-1);
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
                    if (cluster.servingWithout(leader)) {
                        electedAt.set(System.nanoTime());
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }, "failover-watcher");
            watcher.setDaemon(true);
            watcher.start();
            try {
                gap = writeUntilSuccess(w, leader, killed, deadline, errors);
            } catch (IOException | InterruptedException | RuntimeException e) {
                watcher.interrupt();
                throw e;
            }
            // A write succeeded, so the survivors serve: the watcher sees it at its next poll, which
            // may come a few ms after the write when the client was the quicker of the two.
            watcher.join(10_000);
            watcher.interrupt();
            long at = electedAt.get();
            elected = at < 0 ? -1 : at - killed;
            failed = errors.values().stream().mapToInt(Integer::intValue).sum();
        }
        int newLeader = cluster.leader();
        long t = System.nanoTime();
        cluster.start(leader);
        cluster.awaitServing(timeout);
        long rejoin = System.nanoTime() - t;
        return new Sample(leader, newLeader, elected, gap, failed, errors, rejoin);
    }

    private static long writeUntilSuccess(Writer w, int leader, long killed, long deadline,
            Map<String, Integer> errors) throws IOException, InterruptedException {
        int failed = 0;
        while (true) {
            try {
                w.write();
                return System.nanoTime() - killed;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failed++;
                errors.merge(describe(e), 1, Integer::sum);
                if (System.nanoTime() > deadline) {
                    throw new IOException("no write succeeded within "
                            + TimeUnit.NANOSECONDS.toSeconds(deadline - killed) + " s of killing leader " + leader
                            + "; " + failed + " failed: " + errors, e);
                }
                // a client that fails at once (not connected) must not spin
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    static String describe(Exception e) {
        return e instanceof KeeperException k ? k.code().name() : e.getClass().getSimpleName();
    }

    /** Median and max gap of the samples, in ms. */
    public static double[] medianAndMaxMs(List<Sample> samples) {
        double[] gaps = samples.stream().mapToDouble(Sample::gapMs).toArray();
        double max = 0;
        for (double g : gaps) {
            max = Math.max(max, g);
        }
        return new double[] {Compare.median(gaps), max};
    }

    /** The official client's setData of {@link #NODE}, on a session that outlives the failover. */
    public static WriterFactory officialClient() {
        return connect -> {
            ZooKeeper zk = Clients.connect(connect, SESSION_TIMEOUT_MS);
            try {
                zk.create(NODE, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // from an earlier round
            } catch (KeeperException e) {
                Clients.closeQuietly(zk);
                throw new IOException("cannot create " + NODE + ": " + e, e);
            }
            byte[] value = new byte[16];
            return new Writer() {
                @Override
                public void write() throws Exception {
                    zk.setData(NODE, value, -1);
                }

                @Override
                public void close() {
                    Clients.closeQuietly(zk);
                }
            };
        };
    }
}
