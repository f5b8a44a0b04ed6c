package dev.meerkat.server.quorum;

import dev.meerkat.server.config.ConfigException;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.zab.ZabConfig;
import dev.meerkat.server.zab.Zxid;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ensemble as zoo.cfg describes it, with ZooKeeper's keys: {@code server.N=host:quorumPort:electionPort[:participant|:observer][;clientHost:clientPort]},
 * this server's id from the {@code myid} file in dataDir, and initLimit/syncLimit in ticks.
 *
 * <p>Meerkat carries all peer traffic, election included, over the quorum port; the election port
 * is read and checked, so a ZooKeeper zoo.cfg works unchanged, but nothing listens on it.
 *
 * <p>The ZAB core ticks faster than tickTime (every {@link #zabTickMs} ms) so that elections and
 * failover take tens of milliseconds rather than seconds; initLimit and syncLimit keep their
 * meaning in wall-clock time (limit x tickTime).
 */
public record QuorumConfig(int myid, Map<Integer, Peer> peers, int zabTickMs, ZabConfig zab) {

    /** One {@code server.N} line. */
    public record Peer(int id, String host, int quorumPort, int electionPort, boolean observer) {
        public InetSocketAddress quorumAddress() {
            return new InetSocketAddress(host, quorumPort);
        }
    }

    /** The default ZAB tick. */
    public static final int DEFAULT_ZAB_TICK_MS = 20;

    public QuorumConfig {
        peers = Collections.unmodifiableMap(new TreeMap<>(peers));
    }

    /** Whether zoo.cfg names an ensemble (any server.N line); without one the server is standalone. */
    public static boolean isEnsemble(ServerConfig config) {
        return !config.servers().isEmpty();
    }

    public static QuorumConfig of(ServerConfig config) throws ConfigException {
        int myid = readMyid(config.dataDir());
        Map<Integer, Peer> peers = new TreeMap<>();
        for (Map.Entry<Integer, String> e : config.servers().entrySet()) {
            peers.put(e.getKey(), parsePeer(e.getKey(), e.getValue()));
        }
        return of(config, myid, peers, Integer.getInteger("zab.tickMs", DEFAULT_ZAB_TICK_MS));
    }

    public static QuorumConfig of(ServerConfig config, int myid, Map<Integer, Peer> peers, int zabTickMs)
            throws ConfigException {
        if (!peers.containsKey(myid)) {
            throw new ConfigException("myid " + myid + " has no server." + myid + " line in the configuration");
        }
        if (myid < 0 || myid > 255) {
            throw new ConfigException("myid " + myid + " must be in 0..255 (it is the top byte of session ids)");
        }
        Peer me = peers.get(myid);
        boolean observerByType = "observer".equalsIgnoreCase(config.peerType());
        if (observerByType && !me.observer()) {
            throw new ConfigException("peerType=observer but server." + myid + " is not marked :observer");
        }
        Set<Integer> voters = new TreeSet<>();
        Set<Integer> observers = new TreeSet<>();
        for (Peer p : peers.values()) {
            (p.observer() ? observers : voters).add(p.id());
        }
        if (voters.isEmpty()) {
            throw new ConfigException("the ensemble has no participants, only observers");
        }
        if (zabTickMs < 1 || zabTickMs > config.tickTime()) {
            throw new ConfigException("zab.tickMs " + zabTickMs + " must be between 1 and tickTime "
                    + config.tickTime());
        }
        int ticksPerTick = config.tickTime() / zabTickMs;
        int initLimit = Math.max(1, config.initLimit() * ticksPerTick);
        int syncLimit = Math.max(1, config.syncLimit() * ticksPerTick);
        // About 40 ms of listening for a better vote once a quorum agrees (ZooKeeper waits 200 ms),
        // and a re-sent vote every 2 ticks.
        int finalizeWait = Math.max(1, 40 / zabTickMs);
        ZabConfig zab = new ZabConfig(myid, voters, observers, initLimit, syncLimit, finalizeWait, 2,
                Zxid.MAX_COUNTER, 4096);
        return new QuorumConfig(myid, peers, zabTickMs, zab);
    }

    static int readMyid(Path dataDir) throws ConfigException {
        Path file = dataDir.resolve("myid");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new ConfigException("the configuration names an ensemble (server.N lines) but " + file
                    + " does not exist; write this server's id into it");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(file + " must hold this server's id, a number; it holds '" + text + "'");
        }
    }

    /** {@code host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]}. */
    static Peer parsePeer(int id, String value) throws ConfigException {
        String spec = value.trim();
        int semi = spec.indexOf(';');
        if (semi >= 0) {
            spec = spec.substring(0, semi).trim();
        }
        String[] parts = spec.split(":");
        if (parts.length < 3 || parts.length > 4 || parts[0].isBlank()) {
            throw new ConfigException("server." + id + "=" + value
                    + " must be host:quorumPort:electionPort[:participant|:observer]");
        }
        int quorumPort = port(id, value, parts[1]);
        int electionPort = port(id, value, parts[2]);
        boolean observer = false;
        if (parts.length == 4) {
            switch (parts[3].trim().toLowerCase()) {
                case "observer" -> observer = true;
                case "participant" -> observer = false;
                default -> throw new ConfigException("server." + id + "=" + value + ": role must be participant"
                        + " or observer, not '" + parts[3] + "'");
            }
        }
        return new Peer(id, parts[0].trim(), quorumPort, electionPort, observer);
    }

    private static int port(int id, String value, String text) throws ConfigException {
        try {
            int p = Integer.parseInt(text.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException("server." + id + "=" + value + ": '" + text + "' is not a port number");
        }
    }

    public Peer me() {
        return peers.get(myid);
    }
}
