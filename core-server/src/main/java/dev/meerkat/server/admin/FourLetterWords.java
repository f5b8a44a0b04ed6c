package dev.meerkat.server.admin;

import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.net.ClientConnection;
import dev.meerkat.server.request.RequestProcessor;
import dev.meerkat.server.session.SessionTracker;
import dev.meerkat.server.tree.DataTree;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * ZooKeeper's four-letter words: plain-text status commands sent as the first four bytes of a
 * connection. Everything that reads the tree or the sessions runs on the request processor thread,
 * the only thread allowed to read them.
 */
public final class FourLetterWords {
    public static final String VERSION = "3.9.5-meerkat-0.1.0";
    private static final Set<String> WORDS = ServerConfig.FOUR_LETTER_WORDS;
    /** ZooKeeper's default trace mask (ZooTrace): client requests, server packets, sessions, warnings. */
    private static final long DEFAULT_TRACE_MASK = 0b1_0011_0010;

    private final ServerConfig config;
    private final RequestProcessor processor;
    private final long serverId;
    /** Only reported and set through gtmk/stmk; nothing traces by it, as ZooKeeper's text trace level. */
    private volatile long traceMask = DEFAULT_TRACE_MASK;

    /** What a server of an ensemble reports as its mode (leader, follower, observer); "standalone" alone. */
    private final Supplier<String> mode;

    public FourLetterWords(ServerConfig config, RequestProcessor processor, long serverId) {
        this(config, processor, serverId, () -> "standalone");
    }

    public FourLetterWords(ServerConfig config, RequestProcessor processor, long serverId, Supplier<String> mode) {
        this.config = config;
        this.processor = processor;
        this.serverId = serverId;
        this.mode = mode;
    }

    /** The command whose four ASCII bytes read as {@code firstInt}, or null if it is none. */
    public static String wordOf(int firstInt) {
        byte[] b = {(byte) (firstInt >>> 24), (byte) (firstInt >>> 16), (byte) (firstInt >>> 8), (byte) firstInt};
        for (byte x : b) {
            if (x < 'a' || x > 'z') {
                return null;
            }
        }
        String word = new String(b, StandardCharsets.US_ASCII);
        return WORDS.contains(word) ? word : null;
    }

    /**
     * Whether {@code word} is followed by an 8-byte argument that must arrive before it is
     * answered: stmk carries the new trace mask, but only when it is whitelisted.
     */
    public boolean takesArgument(String word) {
        return word.equals("stmk") && config.isFourLetterAllowed(word);
    }

    /** Answers {@code word} on {@code channel} and closes it; {@code argument} is stmk's mask. */
    public void answer(String word, long argument, Channel channel) {
        if (!config.isFourLetterAllowed(word)) {
            write(channel, word + " is not executed because it is not in the whitelist.\n");
            return;
        }
        // the port this connection reached, which is the one actually bound when clientPort is 0
        int clientPort = ((InetSocketAddress) channel.localAddress()).getPort();
        switch (word) {
            case "ruok" -> write(channel, "imok");
            case "isro" -> write(channel, "rw");
            case "envi" -> write(channel, envi());
            case "gtmk" -> write(channel, Long.toString(traceMask));
            case "stmk" -> {
                traceMask = argument;
                write(channel, Long.toString(argument));
            }
            // ZooKeeper lists the digests it has logged; Meerkat keeps no tree digests.
            case "hash" -> write(channel, "");
            default -> processor.query(p -> compute(word, clientPort))
                    .whenComplete((text, error) -> write(channel, error == null ? text : error.toString() + "\n"));
        }
    }

    private static void write(Channel channel, String text) {
        channel.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Runs on the processor thread. */
    private String compute(String word, int clientPort) {
        DataTree tree = processor.tree();
        return switch (word) {
            case "srvr" -> "Zookeeper version: " + VERSION + ", built on 2026-11-25 00:00 UTC\n" + serverLines(tree);
            case "stat" -> stat(tree);
            case "mntr" -> mntr(tree);
            case "conf" -> config.confLines(dirSize(config.dataDir()), dirSize(config.dataLogDir()), serverId)
                    .stream()
                    .map(line -> line.startsWith("clientPort=") ? "clientPort=" + clientPort : line)
                    .collect(Collectors.joining("\n", "", "\n"));
            case "cons" -> cons();
            case "wchs" -> tree.watchingConnectionCount() + " connections watching " + tree.watchedPathCount()
                    + " paths\nTotal watches:" + tree.watchCount() + "\n";
            // ZooKeeper ends both with an empty line
            case "wchc" -> wchc(tree.dataWatchesBySession()) + "\n";
            case "wchp" -> wchp(tree.dataWatchesByPath()) + "\n";
            case "dump" -> dump(tree, processor.sessions());
            case "dirs" -> "datadir_size: " + dirSize(config.dataDir()) + "\nlogdir_size: "
                    + dirSize(config.dataLogDir()) + "\n";
            case "srst" -> {
                processor.stats().reset();
                yield "Server stats reset.\n";
            }
            case "crst" -> {
                processor.connections().forEach(ClientConnection::resetStats);
                yield "Connection stats reset.\n";
            }
            default -> throw new IllegalStateException("not a four-letter word: " + word);
        };
    }

    private String serverLines(DataTree tree) {
        ServerStats s = processor.stats();
        return "Latency min/avg/max: " + s.minLatency() + "/" + s.avgLatency() + "/" + s.maxLatency() + "\n"
                + "Received: " + s.packetsReceived() + "\n"
                + "Sent: " + s.packetsSent() + "\n"
                + "Connections: " + processor.connections().size() + "\n"
                + "Outstanding: " + processor.outstandingRequests() + "\n"
                + "Zxid: 0x" + Long.toHexString(tree.lastProcessedZxid()) + "\n"
                + "Mode: " + mode.get() + "\n"
                // ZooKeeper stores the root under two keys and counts it twice; tools expect that.
                + "Node count: " + (tree.nodeCount() + 1) + "\n";
    }

    private String stat(DataTree tree) {
        StringBuilder sb = new StringBuilder("Zookeeper version: ").append(VERSION)
                .append(", built on 2026-11-25 00:00 UTC\nClients:\n");
        for (ClientConnection c : processor.connections()) {
            sb.append(c.briefLine()).append('\n');
        }
        return sb.append('\n').append(serverLines(tree)).toString();
    }

    private String cons() {
        StringBuilder sb = new StringBuilder();
        for (ClientConnection c : processor.connections()) {
            sb.append(c.fullLine()).append('\n');
        }
        return sb.append('\n').toString();
    }

    private String mntr(DataTree tree) {
        ServerStats s = processor.stats();
        StringBuilder sb = new StringBuilder();
        metric(sb, "version", VERSION + ", built on 2026-11-25 00:00 UTC");
        metric(sb, "server_state", mode.get());
        metric(sb, "avg_latency", s.avgLatency());
        metric(sb, "max_latency", s.maxLatency());
        metric(sb, "min_latency", s.minLatency());
        metric(sb, "packets_received", s.packetsReceived());
        metric(sb, "packets_sent", s.packetsSent());
        metric(sb, "num_alive_connections", processor.connections().size());
        metric(sb, "outstanding_requests", processor.outstandingRequests());
        metric(sb, "znode_count", tree.nodeCount() + 1);
        metric(sb, "watch_count", tree.totalWatchCount());
        metric(sb, "ephemerals_count", tree.ephemeralCount());
        metric(sb, "approximate_data_size", tree.approximateDataSize());
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            metric(sb, "open_file_descriptor_count", unix.getOpenFileDescriptorCount());
            metric(sb, "max_file_descriptor_count", unix.getMaxFileDescriptorCount());
        }
        metric(sb, "uptime", s.uptimeMillis());
        metric(sb, "global_sessions", processor.sessions().size());
        metric(sb, "local_sessions", 0);
        metric(sb, "auth_failed_count", s.authFailedCount());
        metric(sb, "last_proposal_size", -1);
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, Object value) {
        sb.append("zk_").append(name).append('\t').append(value).append('\n');
    }

    private static String wchc(Map<Long, Set<String>> bySession) {
        StringBuilder sb = new StringBuilder();
        bySession.forEach((sid, paths) -> {
            sb.append("0x").append(Long.toHexString(sid)).append('\n');
            paths.forEach(p -> sb.append('\t').append(p).append('\n'));
        });
        return sb.toString();
    }

    private static String wchp(Map<String, Set<Long>> byPath) {
        StringBuilder sb = new StringBuilder();
        byPath.forEach((path, sids) -> {
            sb.append(path).append('\n');
            sids.forEach(sid -> sb.append("\t0x").append(Long.toHexString(sid)).append('\n'));
        });
        return sb.toString();
    }

    private String dump(DataTree tree, SessionTracker sessions) {
        StringBuilder sb = new StringBuilder("SessionTracker dump:\n");
        Map<Long, List<Long>> buckets = sessions.buckets();
        // Bucket times are on the monotonic clock; shift them onto the wall clock for printing.
        long offset = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        sb.append("Session Sets (").append(buckets.size()).append(")/(").append(sessions.size()).append("):\n");
        buckets.forEach((time, ids) -> {
            sb.append(ids.size()).append(" expire at ").append(new Date(time + offset)).append(":\n");
            ids.forEach(id -> sb.append("\t0x").append(Long.toHexString(id)).append('\n'));
        });
        Map<Long, Set<String>> eph = tree.ephemeralsBySession();
        sb.append("ephemeral nodes dump:\nSessions with Ephemerals (").append(eph.size()).append("):\n");
        eph.forEach((sid, paths) -> {
            sb.append("0x").append(Long.toHexString(sid)).append(":\n");
            paths.stream().sorted().forEach(p -> sb.append('\t').append(p).append('\n'));
        });
        sb.append("Connections dump:\nConnections Sets (").append(processor.connections().size()).append("):\n");
        for (ClientConnection c : processor.connections()) {
            sb.append("\tip: ").append(c.remoteAddress()).append(" sessionId: 0x")
                    .append(Long.toHexString(c.sessionId())).append('\n');
        }
        return sb.toString();
    }

    private static String envi() {
        StringBuilder sb = new StringBuilder("Environment:\n");
        String host;
        try {
            host = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.io.IOException e) {
            host = "<NA>";
        }
        Runtime rt = Runtime.getRuntime();
        sb.append("zookeeper.version=").append(VERSION).append('\n')
                .append("host.name=").append(host).append('\n');
        for (String key : List.of("java.version", "java.vendor", "java.home", "java.class.path",
                "java.library.path", "java.io.tmpdir", "java.compiler", "os.name", "os.arch", "os.version",
                "user.name", "user.home", "user.dir")) {
            sb.append(key).append('=').append(System.getProperty(key, "<NA>")).append('\n');
        }
        sb.append("os.memory.free=").append(rt.freeMemory() / (1024 * 1024)).append("MB\n")
                .append("os.memory.max=").append(rt.maxMemory() / (1024 * 1024)).append("MB\n")
                .append("os.memory.total=").append(rt.totalMemory() / (1024 * 1024)).append("MB\n");
        return sb.toString();
    }

    private static long dirSize(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
