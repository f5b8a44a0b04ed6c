package dev.meerkat.server.quorum;

import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.zab.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

import static org.awaitility.Awaitility.await;

/**
 * Members of one ensemble in this JVM, on loopback, over real TCP peer connections, each with its
 * own data directory. Members can be stopped and started again (same ports, same data) to play
 * crashes that lose nothing that was fsynced.
 */
public final class LocalEnsemble implements AutoCloseable {
    final int tickTime;
    private final Path root;
    private final Map<Integer, QuorumConfig.Peer> peers = new TreeMap<>();
    private final Map<Integer, Integer> clientPorts = new TreeMap<>();
    private final Map<Integer, EnsembleServer> running = new TreeMap<>();

    private final UnaryOperator<ServerConfig.Builder> settings;

    LocalEnsemble(int voters, int observers, int tickTime) {
        this(voters, observers, tickTime, UnaryOperator.identity());
    }

    public LocalEnsemble(int voters, int observers, int tickTime, UnaryOperator<ServerConfig.Builder> settings) {
        this.tickTime = tickTime;
        this.settings = settings;
        try {
            root = Files.createTempDirectory("meerkat-ensemble-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int id = 1; id <= voters + observers; id++) {
            peers.put(id, new QuorumConfig.Peer(id, "127.0.0.1", freePort(), freePort(), id > voters));
            clientPorts.put(id, freePort());
        }
    }

    static LocalEnsemble startThree() {
        LocalEnsemble e = new LocalEnsemble(3, 0, 500);
        e.startAll();
        return e;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void startAll() {
        for (int id : peers.keySet()) {
            start(id);
        }
        awaitServing();
    }

    ServerConfig config(int id) {
        ServerConfig.Builder b = settings.apply(ServerConfig.builder())
                .tickTime(tickTime)
                .clientPort(clientPorts.get(id))
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

    void start(int id) {
        try {
            ServerConfig config = config(id);
            QuorumConfig q = QuorumConfig.of(config, id, peers, 10);
            running.put(id, EnsembleServer.start(config, q, PeerNetworks::tcp));
        } catch (Exception e) {
            throw new IllegalStateException("member " + id + " did not start", e);
        }
    }

    void stop(int id) {
        EnsembleServer s = running.remove(id);
        if (s != null) {
            s.close();
        }
    }

    EnsembleServer member(int id) {
        return running.get(id);
    }

    boolean isRunning(int id) {
        return running.containsKey(id);
    }

    /** Waits until every running member serves clients and exactly one of them leads. */
    public void awaitServing() {
        await().atMost(Duration.ofSeconds(30)).until(() -> running.values().stream().allMatch(EnsembleServer::isServing)
                && running.values().stream().filter(s -> s.role() == Role.LEADING).count() == 1);
    }

    Path dataDir(int id) {
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
            stop(id);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
