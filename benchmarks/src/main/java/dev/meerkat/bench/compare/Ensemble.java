package dev.meerkat.bench.compare;

import dev.meerkat.bench.compare.ServerProcess.Kind;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An ensemble of Meerkat or Apache ZooKeeper members on loopback, each a {@link ServerProcess} in a
 * JVM of its own under {@code dir/sN}, all with the same zoo.cfg apart from paths and the client
 * port: the settings' tickTime, ZooKeeper's sample initLimit=10 and syncLimit=5, fsync on. The
 * leader is found with {@code srvr}, as an operator would.
 */
public final class Ensemble implements AutoCloseable, FailoverGap.Cluster {
    public static final int INIT_LIMIT = 10;
    public static final int SYNC_LIMIT = 5;

    private final Kind kind;
    private final Map<Integer, ServerProcess> members = new TreeMap<>();

    private Ensemble(Kind kind) {
        this.kind = kind;
    }

    /** Prepares (does not start) {@code size} members. */
    public static Ensemble create(Kind kind, Path dir, ServerProcess.Settings settings, int size) throws IOException {
        int[] ports = ServerProcess.freePorts(3 * size);
        List<String> lines = ServerProcess.ensembleLines(INIT_LIMIT, SYNC_LIMIT,
                Arrays.copyOfRange(ports, size, 3 * size));
        Ensemble e = new Ensemble(kind);
        for (int id = 1; id <= size; id++) {
            e.members.put(id, ServerProcess.createMember(kind, dir.resolve("s" + id), settings, id, ports[id - 1],
                    lines));
        }
        return e;
    }

    public Kind kind() {
        return kind;
    }

    public List<Integer> ids() {
        return new ArrayList<>(members.keySet());
    }

    public ServerProcess member(int id) {
        return members.get(id);
    }

    /** Starts every member and waits until they serve with one leader. */
    public void startAll(Duration timeout) throws IOException, InterruptedException {
        for (ServerProcess s : members.values()) {
            s.start();
        }
        awaitServing(timeout);
    }

    /** Every member's client address, comma-separated: clients spread over all of them. */
    public String connectString() {
        return members.values().stream().map(ServerProcess::connectString).collect(Collectors.joining(","));
    }

    @Override
    public String connectStringWithout(int id) {
        return members.values().stream().filter(s -> s.memberId() != id).map(ServerProcess::connectString)
                .collect(Collectors.joining(","));
    }

    /** The modes srvr reports, by member id. */
    public Map<Integer, String> modes() {
        Map<Integer, String> m = new TreeMap<>();
        members.forEach((id, s) -> m.put(id, s.isAlive() ? s.mode() : "down"));
        return m;
    }

    static boolean serving(Map<Integer, String> modes) {
        return modes.values().stream().allMatch(m -> m.equals("leader") || m.equals("follower"))
                && modes.values().stream().filter("leader"::equals).count() == 1;
    }

    @Override
    public boolean servingWithout(int killed) {
        Map<Integer, String> m = new TreeMap<>();
        members.forEach((id, s) -> {
            if (id != killed) {
                m.put(id, s.isAlive() ? s.mode() : "down");
            }
        });
        return serving(m);
    }

    /** Waits until every member serves (leader or follower) and exactly one leads. */
    @Override
    public void awaitServing(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, String> modes = modes();
        while (!serving(modes)) {
            for (ServerProcess s : members.values()) {
                if (!s.isAlive()) {
                    throw new IOException(kind.display + " member " + s.memberId() + " exited; see " + s.logFile()
                            + "\n" + s.tail());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(kind.display + " ensemble not serving within " + timeout.toSeconds()
                        + " s: " + modes + "; logs in " + members.get(1).directory().getParent());
            }
            TimeUnit.MILLISECONDS.sleep(20);
            modes = modes();
        }
    }

    @Override
    public int leader() throws IOException {
        for (Map.Entry<Integer, String> e : modes().entrySet()) {
            if (e.getValue().equals("leader")) {
                return e.getKey();
            }
        }
        throw new IOException(kind.display + " ensemble has no leader: " + modes());
    }

    @Override
    public long kill(int id) throws InterruptedException {
        return members.get(id).kill9();
    }

    @Override
    public void start(int id) throws IOException {
        members.get(id).start();
    }

    /** User plus system CPU time of all live members, nanoseconds (for CPU per op). */
    public long cpuNanos() {
        long sum = 0;
        for (ServerProcess s : members.values()) {
            if (s.isAlive()) {
                sum += s.cpuNanos();
            }
        }
        return sum;
    }

    @Override
    public void close() {
        for (ServerProcess s : members.values()) {
            s.close();
        }
    }
}
