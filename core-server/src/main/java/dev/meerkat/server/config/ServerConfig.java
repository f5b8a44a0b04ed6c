package dev.meerkat.server.config;

import dev.meerkat.server.auth.DigestAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server's settings, read from a ZooKeeper-style {@code zoo.cfg} or built in code. Keys,
 * defaults and the corrections ZooKeeper makes silently (snapRetainCount below 3, snapCount below
 * 2) follow ZooKeeper 3.9; anything else that is wrong fails at start-up with the key named.
 */
public final class ServerConfig {
    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);

    static final String TICK_TIME = "tickTime";
    static final String DATA_DIR = "dataDir";
    static final String DATA_LOG_DIR = "dataLogDir";
    static final String CLIENT_PORT = "clientPort";
    static final String CLIENT_PORT_ADDRESS = "clientPortAddress";
    static final String MAX_CLIENT_CNXNS = "maxClientCnxns";
    static final String MIN_SESSION_TIMEOUT = "minSessionTimeout";
    static final String MAX_SESSION_TIMEOUT = "maxSessionTimeout";
    static final String SNAP_COUNT = "snapCount";
    static final String SNAP_RETAIN_COUNT = "autopurge.snapRetainCount";
    static final String PURGE_INTERVAL = "autopurge.purgeInterval";
    static final String FOUR_LETTER_WHITELIST = "4lw.commands.whitelist";
    static final String EXTENDED_TYPES = "extendedTypesEnabled";
    static final String JUTE_MAX_BUFFER = "jute.maxbuffer";
    static final String GLOBAL_OUTSTANDING_LIMIT = "globalOutstandingLimit";
    static final String SUPER_DIGEST = "superDigest";
    static final String SKIP_ACL = "skipACL";
    static final String FORCE_SYNC = "forceSync";
    static final String PRE_ALLOC_SIZE = "preAllocSize";
    static final String INIT_LIMIT = "initLimit";
    static final String SYNC_LIMIT = "syncLimit";
    static final String PEER_TYPE = "peerType";
    static final String SERVER_PREFIX = "server.";

    /**
     * ZooKeeper turns zoo.cfg keys it does not know into {@code zookeeper.<key>} system properties,
     * and several settings are documented only under that name or as a system property, so
     * configurations carried over from ZooKeeper use either spelling.
     */
    private static final Map<String, String> ALIASES = Map.of(
            "zookeeper.snapCount", SNAP_COUNT,
            "zookeeper.4lw.commands.whitelist", FOUR_LETTER_WHITELIST,
            "zookeeper.extendedTypesEnabled", EXTENDED_TYPES,
            "zookeeper.globalOutstandingLimit", GLOBAL_OUTSTANDING_LIMIT,
            "zookeeper.DigestAuthenticationProvider.superDigest", SUPER_DIGEST,
            "DigestAuthenticationProvider.superDigest", SUPER_DIGEST,
            "zookeeper.skipACL", SKIP_ACL,
            "zookeeper.forceSync", FORCE_SYNC,
            "zookeeper.preAllocSize", PRE_ALLOC_SIZE);

    /** Every four-letter word ZooKeeper 3.9 knows; {@code *} in the whitelist means these. */
    public static final Set<String> FOUR_LETTER_WORDS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "hash", "isro", "mntr", "ruok",
            "srst", "srvr", "stat", "stmk", "wchc", "wchp", "wchs")));

    /** ZooKeeper's scripts (zkServer.sh status) depend on it, so ZooKeeper always enables it. */
    private static final String ALWAYS_ALLOWED = "srvr";
    private static final int MIN_SNAP_RETAIN_COUNT = 3;
    private static final int MIN_SNAP_COUNT = 2;
    /** We have no TLS port and use the operating system's default listen backlog, reported as ZooKeeper does. */
    private static final int NOT_CONFIGURED = -1;

    private final int tickTime;
    private final Path dataDir;
    private final Path dataLogDir;
    private final int clientPort;
    private final String clientPortAddress;
    private final int maxClientCnxns;
    private final int minSessionTimeout;
    private final int maxSessionTimeout;
    private final int snapCount;
    private final int snapRetainCount;
    private final int purgeInterval;
    private final Set<String> fourLetterWhitelist;
    private final boolean extendedTypesEnabled;
    private final int juteMaxBuffer;
    private final int globalOutstandingLimit;
    private final String superDigest;
    private final boolean skipAcl;
    private final boolean forceSync;
    private final int preAllocSizeKb;
    private final boolean snapshotOnShutdown;
    private final SortedMap<Integer, String> servers;
    private final int initLimit;
    private final int syncLimit;
    private final String peerType;
    private final List<String> warnings;

    private ServerConfig(Builder b, int snapCount, int snapRetainCount, int purgeInterval, int minSessionTimeout,
                         int maxSessionTimeout, Set<String> fourLetterWhitelist, List<String> warnings) {
        this.tickTime = b.tickTime;
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.dataLogDir = b.dataLogDir == null ? this.dataDir : b.dataLogDir.toAbsolutePath().normalize();
        this.clientPort = b.clientPort;
        this.clientPortAddress = b.clientPortAddress;
        this.maxClientCnxns = b.maxClientCnxns;
        this.minSessionTimeout = minSessionTimeout;
        this.maxSessionTimeout = maxSessionTimeout;
        this.snapCount = snapCount;
        this.snapRetainCount = snapRetainCount;
        this.purgeInterval = purgeInterval;
        this.fourLetterWhitelist = fourLetterWhitelist;
        this.extendedTypesEnabled = b.extendedTypesEnabled;
        this.juteMaxBuffer = b.juteMaxBuffer;
        this.globalOutstandingLimit = b.globalOutstandingLimit;
        this.superDigest = b.superDigest;
        this.skipAcl = b.skipAcl;
        this.forceSync = b.forceSync;
        this.preAllocSizeKb = b.preAllocSizeKb;
        this.snapshotOnShutdown = b.snapshotOnShutdown;
        this.servers = Collections.unmodifiableSortedMap(new TreeMap<>(b.servers));
        this.initLimit = b.initLimit;
        this.syncLimit = b.syncLimit;
        this.peerType = b.peerType;
        this.warnings = List.copyOf(warnings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a zoo.cfg. Relative directories are taken from the working directory, as ZooKeeper
     * does, so a configuration moved over from ZooKeeper points at the same place.
     */
    public static ServerConfig parse(Path zooCfg) throws ConfigException {
        if (!Files.isRegularFile(zooCfg)) {
            throw new ConfigException("configuration file " + zooCfg.toAbsolutePath() + " is missing");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(zooCfg, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read configuration file " + zooCfg.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        return fromProperties(properties, null);
    }

    /**
     * @param baseDir what relative dataDir and dataLogDir are resolved against; null for the
     *                working directory
     */
    public static ServerConfig fromProperties(Properties p, Path baseDir) throws ConfigException {
        Path base = (baseDir == null ? Path.of("") : baseDir).toAbsolutePath();
        Builder b = new Builder().dataDir(base.resolve("data"));
        Map<String, String[]> seen = new HashMap<>();
        // Sorted, so that warnings come out in the same order every time.
        for (String rawKey : new TreeSet<>(p.stringPropertyNames())) {
            String key = rawKey.trim();
            String value = p.getProperty(rawKey).trim();
            String setting = ALIASES.getOrDefault(key, key);
            if (key.startsWith(SERVER_PREFIX)) {
                int sid = parseServerId(key);
                setting = SERVER_PREFIX + sid;
                b.server(sid, value);
            }
            String[] earlier = seen.putIfAbsent(setting, new String[] {key, value});
            if (earlier != null && !earlier[1].equals(value)) {
                throw new ConfigException("conflicting values for " + setting + ": " + earlier[0] + "='" + earlier[1]
                        + "' and " + key + "='" + value + "'");
            }
            b.keyNames.put(setting, key);
            switch (setting) {
                case TICK_TIME -> b.tickTime(parseInt(key, value));
                case DATA_DIR -> b.dataDir(parsePath(key, value, base));
                case DATA_LOG_DIR -> b.dataLogDir(parsePath(key, value, base));
                case CLIENT_PORT -> b.clientPort(parseInt(key, value));
                case CLIENT_PORT_ADDRESS -> b.clientPortAddress(value);
                case MAX_CLIENT_CNXNS -> b.maxClientCnxns(parseInt(key, value));
                case MIN_SESSION_TIMEOUT -> b.minSessionTimeout(parseInt(key, value));
                case MAX_SESSION_TIMEOUT -> b.maxSessionTimeout(parseInt(key, value));
                case SNAP_COUNT -> b.snapCount(parseInt(key, value));
                case SNAP_RETAIN_COUNT -> b.snapRetainCount(parseInt(key, value));
                case PURGE_INTERVAL -> b.purgeInterval(parseInt(key, value));
                case FOUR_LETTER_WHITELIST -> b.fourLetterWhitelist(value);
                case EXTENDED_TYPES -> b.extendedTypesEnabled(parseBoolean(key, value));
                case JUTE_MAX_BUFFER -> b.juteMaxBuffer(parseInt(key, value));
                case GLOBAL_OUTSTANDING_LIMIT -> b.globalOutstandingLimit(parseInt(key, value));
                case SUPER_DIGEST -> b.superDigest(value);
                case SKIP_ACL -> b.skipAcl(parseBoolean(key, value));
                case FORCE_SYNC -> b.forceSync(parseBoolean(key, value));
                case PRE_ALLOC_SIZE -> b.preAllocSizeKb(parseInt(key, value));
                case INIT_LIMIT -> b.initLimit(parseInt(key, value));
                case SYNC_LIMIT -> b.syncLimit(parseInt(key, value));
                case PEER_TYPE -> b.peerType(value);
                default -> {
                    if (!setting.startsWith(SERVER_PREFIX)) {
                        b.warnings.add("unknown configuration key '" + key + "' is ignored");
                    }
                }
            }
        }
        return b.validate();
    }

    private static int parseServerId(String key) throws ConfigException {
        String id = key.substring(SERVER_PREFIX.length());
        try {
            int sid = Integer.parseInt(id);
            if (sid >= 0) {
                return sid;
            }
        } catch (NumberFormatException e) {
            // reported below, with the key
        }
        throw new ConfigException("invalid server id in key " + key + ": '" + id + "' is not a non-negative integer");
    }

    private static int parseInt(String key, String value) throws ConfigException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid value for " + key + ": '" + value + "' is not an integer");
        }
    }

    /** ZooKeeper spells these both ways: skipACL=yes, extendedTypesEnabled=true. */
    private static boolean parseBoolean(String key, String value) throws ConfigException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes":
                return true;
            case "false", "no":
                return false;
            default:
                throw new ConfigException("invalid value for " + key + ": '" + value
                        + "' is not one of true, false, yes, no");
        }
    }

    private static Path parsePath(String key, String value, Path base) throws ConfigException {
        if (value.isEmpty()) {
            throw new ConfigException("invalid value for " + key + ": the directory must not be empty");
        }
        try {
            return base.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException("invalid value for " + key + ": '" + value + "' is not a path: "
                    + e.getReason(), e);
        }
    }

    public int tickTime() {
        return tickTime;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path dataLogDir() {
        return dataLogDir;
    }

    /** 0 asks the operating system for a free port (tests and embedded use). */
    public int clientPort() {
        return clientPort;
    }

    public String clientPortAddress() {
        return clientPortAddress;
    }

    /** Connections allowed per client address; 0 means no limit. */
    public int maxClientCnxns() {
        return maxClientCnxns;
    }

    public int minSessionTimeout() {
        return minSessionTimeout;
    }

    public int maxSessionTimeout() {
        return maxSessionTimeout;
    }

    public int snapCount() {
        return snapCount;
    }

    public int snapRetainCount() {
        return snapRetainCount;
    }

    /** Hours between purges of old snapshots and logs; 0 means never. */
    public int purgeInterval() {
        return purgeInterval;
    }

    /** The enabled four-letter words; {@code srvr} is always among them. */
    public Set<String> fourLetterWhitelist() {
        return fourLetterWhitelist;
    }

    public boolean isFourLetterAllowed(String cmd) {
        return fourLetterWhitelist.contains(cmd);
    }

    public boolean extendedTypesEnabled() {
        return extendedTypesEnabled;
    }

    public int juteMaxBuffer() {
        return juteMaxBuffer;
    }

    public int globalOutstandingLimit() {
        return globalOutstandingLimit;
    }

    /** {@code super:<base64>}, or null when there is no super user. */
    public String superDigest() {
        return superDigest;
    }

    public boolean skipAcl() {
        return skipAcl;
    }

    /** false skips every fsync of the transaction log (ZooKeeper's forceSync=no): nothing is then durable. */
    public boolean forceSync() {
        return forceSync;
    }

    /** How much the transaction log grows a segment file by at a time, in KiB (ZooKeeper's preAllocSize). */
    public int preAllocSizeKb() {
        return preAllocSizeKb;
    }

    /**
     * Whether a standalone server writes a snapshot when it is stopped cleanly, so that the next
     * start loads it instead of replaying the log since the last one. Not a zoo.cfg key; tests of
     * recovery from snapshot plus log turn it off.
     */
    public boolean snapshotOnShutdown() {
        return snapshotOnShutdown;
    }

    /** {@code server.N} lines as written, by N. */
    public Map<Integer, String> servers() {
        return servers;
    }

    public int initLimit() {
        return initLimit;
    }

    public int syncLimit() {
        return syncLimit;
    }

    /** {@code participant} or {@code observer}. */
    public String peerType() {
        return peerType;
    }

    /** What was accepted but deserves attention (unknown keys, values raised to their minimum). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The body of the {@code conf} four-letter word, one {@code key=value} per line, in
     * ZooKeeper's order. The sizes and the server id come from the running server.
     */
    public List<String> confLines(long dataDirSize, long dataLogSize, long serverId) {
        return List.of(
                "clientPort=" + clientPort,
                "secureClientPort=" + NOT_CONFIGURED,
                "dataDir=" + dataDir,
                "dataDirSize=" + dataDirSize,
                "dataLogDir=" + dataLogDir,
                "dataLogSize=" + dataLogSize,
                "tickTime=" + tickTime,
                "maxClientCnxns=" + maxClientCnxns,
                "minSessionTimeout=" + minSessionTimeout,
                "maxSessionTimeout=" + maxSessionTimeout,
                "clientPortListenBacklog=" + NOT_CONFIGURED,
                "serverId=" + serverId);
    }

    /** For embedded servers and tests; unset values take the zoo.cfg defaults. */
    public static final class Builder {
        private int tickTime = 2000;
        private Path dataDir = Path.of("data");
        private Path dataLogDir;
        private int clientPort = 2181;
        private String clientPortAddress = "127.0.0.1";
        private int maxClientCnxns = 60;
        private int minSessionTimeout = -1;
        private int maxSessionTimeout = -1;
        private int snapCount = 100_000;
        private int snapRetainCount = MIN_SNAP_RETAIN_COUNT;
        private int purgeInterval = 0;
        private String fourLetterWhitelist = ALWAYS_ALLOWED;
        private boolean extendedTypesEnabled = false;
        private int juteMaxBuffer = 0xfffff;
        private int globalOutstandingLimit = 1000;
        private String superDigest;
        private boolean skipAcl = false;
        private boolean forceSync = true;
        private int preAllocSizeKb = 65536;
        private boolean snapshotOnShutdown = true;
        private final Map<Integer, String> servers = new TreeMap<>();
        private int initLimit = 10;
        private int syncLimit = 5;
        private String peerType = "participant";
        private final List<String> warnings = new ArrayList<>();
        /** The spelling a zoo.cfg used for a setting, so that messages name the key as the user wrote it. */
        private final Map<String, String> keyNames = new HashMap<>();

        private Builder() {
        }

        public Builder tickTime(int tickTime) {
            this.tickTime = tickTime;
            return this;
        }

        /** A relative path is taken from the working directory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Unset or null: the same as dataDir. */
        public Builder dataLogDir(Path dataLogDir) {
            this.dataLogDir = dataLogDir;
            return this;
        }

        public Builder clientPort(int clientPort) {
            this.clientPort = clientPort;
            return this;
        }

        public Builder clientPortAddress(String clientPortAddress) {
            this.clientPortAddress = clientPortAddress;
            return this;
        }

        public Builder maxClientCnxns(int maxClientCnxns) {
            this.maxClientCnxns = maxClientCnxns;
            return this;
        }

        /** -1: 2 × tickTime. */
        public Builder minSessionTimeout(int minSessionTimeout) {
            this.minSessionTimeout = minSessionTimeout;
            return this;
        }

        /** -1: 20 × tickTime. */
        public Builder maxSessionTimeout(int maxSessionTimeout) {
            this.maxSessionTimeout = maxSessionTimeout;
            return this;
        }

        public Builder snapCount(int snapCount) {
            this.snapCount = snapCount;
            return this;
        }

        public Builder snapRetainCount(int snapRetainCount) {
            this.snapRetainCount = snapRetainCount;
            return this;
        }

        public Builder purgeInterval(int purgeInterval) {
            this.purgeInterval = purgeInterval;
            return this;
        }

        /** As in zoo.cfg: comma-separated words, or {@code *} for all. */
        public Builder fourLetterWhitelist(String commaSeparated) {
            this.fourLetterWhitelist = commaSeparated;
            return this;
        }

        public Builder extendedTypesEnabled(boolean extendedTypesEnabled) {
            this.extendedTypesEnabled = extendedTypesEnabled;
            return this;
        }

        public Builder juteMaxBuffer(int juteMaxBuffer) {
            this.juteMaxBuffer = juteMaxBuffer;
            return this;
        }

        public Builder globalOutstandingLimit(int globalOutstandingLimit) {
            this.globalOutstandingLimit = globalOutstandingLimit;
            return this;
        }

        public Builder superDigest(String superDigest) {
            this.superDigest = superDigest;
            return this;
        }

        public Builder skipAcl(boolean skipAcl) {
            this.skipAcl = skipAcl;
            return this;
        }

        public Builder forceSync(boolean forceSync) {
            this.forceSync = forceSync;
            return this;
        }

        public Builder preAllocSizeKb(int kib) {
            this.preAllocSizeKb = kib;
            return this;
        }

        public Builder snapshotOnShutdown(boolean on) {
            this.snapshotOnShutdown = on;
            return this;
        }

        public Builder server(int id, String spec) {
            this.servers.put(id, spec);
            return this;
        }

        public Builder initLimit(int initLimit) {
            this.initLimit = initLimit;
            return this;
        }

        public Builder syncLimit(int syncLimit) {
            this.syncLimit = syncLimit;
            return this;
        }

        public Builder peerType(String peerType) {
            this.peerType = peerType;
            return this;
        }

        /** @throws IllegalArgumentException with the same message a zoo.cfg with these values would get */
        public ServerConfig build() {
            try {
                return validate();
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        ServerConfig validate() throws ConfigException {
            List<String> notes = new ArrayList<>(warnings);
            if (tickTime <= 0) {
                throw invalid(TICK_TIME, tickTime, "must be positive");
            }
            if (dataDir == null) {
                throw new ConfigException("invalid value for " + name(DATA_DIR) + ": it must be set");
            }
            if (clientPort < 0 || clientPort > 65535) {
                throw invalid(CLIENT_PORT, clientPort, "must be in 0..65535");
            }
            if (clientPortAddress == null || clientPortAddress.isBlank()) {
                throw new ConfigException("invalid value for " + name(CLIENT_PORT_ADDRESS) + ": it must not be empty");
            }
            if (preAllocSizeKb < 0 || preAllocSizeKb > 256 * 1024) {
                throw invalid(PRE_ALLOC_SIZE, preAllocSizeKb, "must be in 0..262144 (KiB)");
            }
            if (maxClientCnxns < 0) {
                throw invalid(MAX_CLIENT_CNXNS, maxClientCnxns, "must be 0 (no limit) or more");
            }
            int min = sessionTimeout(MIN_SESSION_TIMEOUT, minSessionTimeout, 2);
            int max = sessionTimeout(MAX_SESSION_TIMEOUT, maxSessionTimeout, 20);
            if (min > max) {
                throw new ConfigException("invalid value for " + name(MIN_SESSION_TIMEOUT) + ": " + min
                        + " is larger than " + name(MAX_SESSION_TIMEOUT) + " " + max);
            }
            int snaps = snapCount;
            if (snaps < MIN_SNAP_COUNT) {
                notes.add(name(SNAP_COUNT) + " " + snaps + " is below the minimum, using " + MIN_SNAP_COUNT);
                snaps = MIN_SNAP_COUNT;
            }
            int retain = snapRetainCount;
            if (retain < MIN_SNAP_RETAIN_COUNT) {
                notes.add(name(SNAP_RETAIN_COUNT) + " " + retain + " is below the minimum, using "
                        + MIN_SNAP_RETAIN_COUNT);
                retain = MIN_SNAP_RETAIN_COUNT;
            }
            int purge = purgeInterval;
            if (purge < 0) {
                // ZooKeeper schedules no purge for any interval <= 0; say so instead of failing.
                notes.add(name(PURGE_INTERVAL) + " " + purge + " is negative, purging is off");
                purge = 0;
            }
            if (juteMaxBuffer <= 0) {
                throw invalid(JUTE_MAX_BUFFER, juteMaxBuffer, "must be positive");
            }
            if (globalOutstandingLimit <= 0) {
                throw invalid(GLOBAL_OUTSTANDING_LIMIT, globalOutstandingLimit, "must be positive");
            }
            if (superDigest != null && !new DigestAuthenticationProvider(null).isValid(superDigest)) {
                throw new ConfigException("invalid value for " + name(SUPER_DIGEST) + ": '" + superDigest
                        + "' is not of the form user:base64digest");
            }
            if (initLimit <= 0) {
                throw invalid(INIT_LIMIT, initLimit, "must be positive");
            }
            if (syncLimit <= 0) {
                throw invalid(SYNC_LIMIT, syncLimit, "must be positive");
            }
            if (!"participant".equals(peerType) && !"observer".equals(peerType)) {
                throw new ConfigException("invalid value for " + name(PEER_TYPE) + ": '" + peerType
                        + "' is not participant or observer");
            }
            for (Map.Entry<Integer, String> server : servers.entrySet()) {
                if (server.getKey() < 0) {
                    throw new ConfigException("invalid server id in key " + SERVER_PREFIX + server.getKey()
                            + ": it must not be negative");
                }
                if (server.getValue() == null || server.getValue().isBlank()) {
                    throw new ConfigException("invalid value for " + SERVER_PREFIX + server.getKey()
                            + ": it must not be empty");
                }
            }
            Set<String> whitelist = whitelist(fourLetterWhitelist == null ? "" : fourLetterWhitelist, notes);
            for (String note : notes) {
                LOG.warn("Configuration: {}", note);
            }
            return new ServerConfig(this, snaps, retain, purge, min, max, whitelist, notes);
        }

        private int sessionTimeout(String key, int configured, int ticks) throws ConfigException {
            if (configured == -1) {
                long derived = (long) ticks * tickTime;
                if (derived > Integer.MAX_VALUE) {
                    throw invalid(TICK_TIME, tickTime, "is too large: " + ticks + " ticks overflow " + key);
                }
                return (int) derived;
            }
            if (configured < 0) {
                throw invalid(key, configured, "must be -1 (the default) or not negative");
            }
            return configured;
        }

        /** ZooKeeper's reading: comma-separated, trimmed, {@code *} for all, {@code srvr} always on. */
        private Set<String> whitelist(String spec, List<String> notes) {
            TreeSet<String> words = new TreeSet<>();
            for (String entry : spec.split(",")) {
                String word = entry.trim();
                if (word.equals("*")) {
                    words.addAll(FOUR_LETTER_WORDS);
                    break;
                }
                if (word.isEmpty()) {
                    continue;
                }
                if (FOUR_LETTER_WORDS.contains(word)) {
                    words.add(word);
                } else {
                    notes.add(name(FOUR_LETTER_WHITELIST) + " entry '" + word + "' is not a four-letter word command");
                }
            }
            words.add(ALWAYS_ALLOWED);
            return Collections.unmodifiableSet(words);
        }

        private ConfigException invalid(String key, int value, String why) {
            return new ConfigException("invalid value for " + name(key) + ": " + value + " " + why);
        }

        private String name(String setting) {
            return keyNames.getOrDefault(setting, setting);
        }
    }
}
