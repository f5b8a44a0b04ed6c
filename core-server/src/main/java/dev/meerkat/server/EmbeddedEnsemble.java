package dev.meerkat.server;

import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.quorum.EnsembleServer;
import dev.meerkat.server.quorum.LoopbackPeers;
import dev.meerkat.server.quorum.QuorumConfig;
import dev.meerkat.server.zab.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;


/**
 * An ensemble in this JVM for tests (the role Curator's TestingCluster plays for ZooKeeper): its
 * members on loopback, over real TCP peer connections, each with its own temporary data directory.
 * Members can be stopped and started again (same ports, same data) to play crashes that lose
 * nothing that was fsynced.
 *
 * <pre>{@code
 * try (EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(3)) {
 *     ZooKeeper client = new ZooKeeper(ensemble.connectString(), 10_000, event -> {});
 *     ensemble.stopMember(ensemble.leader());   // and watch the client fail over
 * }
 * }</pre>
 */
public final class EmbeddedEnsemble implements AutoCloseable {
    /** The members' ZAB tick: short, so that elections in tests take milliseconds. */
    private static final int ZAB_TICK_MS = 10;
    private static final int PLACEHOLDER_PORT = 1;
    private final LoopbackPeers networks = new LoopbackPeers();

    private final int tickTime;
    private final Path root;

    private final Map<Integer, QuorumConfig.Peer> peers = new TreeMap<>();
    private final Map<Integer, Integer> clientPorts = new TreeMap<>();
    private final Map<Integer, EnsembleServer> running = new TreeMap<>();

    private final UnaryOperator<ServerConfig.Builder> settings;

    /** Starts {@code size} voting members with a 500 ms tick and waits until they serve. */
    public static EmbeddedEnsemble start(int size) {
        return start(size, 0, 500, UnaryOperator.identity());
    }

    /**
     * Starts {@code voters} voting members and {@code observers} observers, with {@code settings}
     * applied to each member's configuration, and waits until they serve.
     */
    public static EmbeddedEnsemble start(int voters, int observers, int tickTime,
                                         UnaryOperator<ServerConfig.Builder> settings) {
        EmbeddedEnsemble e = new EmbeddedEnsemble(voters, observers, tickTime, settings);
        try {
            e.startAll();
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    private EmbeddedEnsemble(int voters, int observers, int tickTime, UnaryOperator<ServerConfig.Builder> settings) {
        this.tickTime = tickTime;
        this.settings = settings;
        try {
            root = Files.createTempDirectory("meerkat-ensemble-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Every port is picked by the kernel when it is bound (see LoopbackPeers), so these are
        // only placeholders in each member's configuration.
        for (int id = 1; id <= voters + observers; id++) {
            peers.put(id, new QuorumConfig.Peer(id, "127.0.0.1", PLACEHOLDER_PORT, PLACEHOLDER_PORT, id > voters));
        }
    }

    private void startAll() {
        for (int id : peers.keySet()) {
            startMember(id);
        }
        awaitServing();
    }

    private ServerConfig config(int id) {
        ServerConfig.Builder b = settings.apply(ServerConfig.builder())
                .tickTime(tickTime)
                .clientPort(clientPorts.getOrDefault(id, 0))
                .clientPortAddress("127.0.0.1")
                .preAllocSizeKb(1024)
                .dataDir(root.resolve("s" + id));
        for (QuorumConfig.Peer p : peers.values()) {
            b.server(p.id(), p.host() + ":" + p.quorumPort() + ":" + p.electionPort()
                    + (p.observer() ? ":observer" : ""));
        }
        if (peers.get(id).observer()) {
            b.peerType("observer");
        }
        return b.build();
    }

    /** Starts member {@code id} again (after {@link #stopMember}) from its data directory. */
    public void startMember(int id) {
        try {
            ServerConfig config = config(id);
            QuorumConfig q = QuorumConfig.of(config, id, peers, ZAB_TICK_MS);
            EnsembleServer member;
            try {
                member = EnsembleServer.start(config, q, networks);
            } catch (Exception e) {
                if (!clientPorts.containsKey(id)) {
                    throw e;
                }
                // its old client port was taken while it was down: a new one (connect strings change)
                clientPorts.remove(id);
                config = config(id);
                member = EnsembleServer.start(config, QuorumConfig.of(config, id, peers, ZAB_TICK_MS), networks);
            }
            clientPorts.put(id, member.clientPort());
            running.put(id, member);
        } catch (Exception e) {
            throw new IllegalStateException("member " + id + " did not start", e);
        }
    }

    /** Stops member {@code id}; its data stays for {@link #startMember}. */
    public void stopMember(int id) {
        EnsembleServer s = running.remove(id);
        if (s != null) {
            s.close();
        }
    }

    public EnsembleServer member(int id) {
        return running.get(id);
    }

    public boolean isRunning(int id) {
        return running.containsKey(id);
    }

    /** Waits (up to 30 s) until every running member serves clients and exactly one of them leads. */
    public void awaitServing() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(running.values().stream().allMatch(EnsembleServer::isServing)
                && running.values().stream().filter(s -> s.role() == Role.LEADING).count() == 1)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ensemble did not form within 30 s: " + running.values().stream()
                        .map(s -> s.myid() + "=" + s.role()).collect(Collectors.joining(", ")));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    public Path dataDir(int id) {
        return root.resolve("s" + id);
    }

    /** The client port of member {@code id}. */
    public int clientPort(int id) {
        return clientPorts.get(id);
    }

    public int leader() {
        return running.values().stream().filter(s -> s.role() == Role.LEADING).findFirst()
                .orElseThrow(() -> new IllegalStateException("no leader")).myid();
    }

    public List<Integer> followers() {
        List<Integer> out = new ArrayList<>();
        for (EnsembleServer s : running.values()) {
            if (s.role() != Role.LEADING) {
                out.add(s.myid());
            }
        }
        return out;
    }

    public String connectString(int... ids) {
        List<Integer> list = new ArrayList<>();
        if (ids.length == 0) {
            list.addAll(clientPorts.keySet());
        } else {
            for (int id : ids) {
                list.add(id);
            }
        }
        return list.stream().map(id -> "127.0.0.1:" + clientPorts.get(id)).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        for (int id : new ArrayList<>(running.keySet())) {
            stopMember(id);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
