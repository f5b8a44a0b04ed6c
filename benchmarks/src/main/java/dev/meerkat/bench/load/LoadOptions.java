package dev.meerkat.bench.load;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What one load run does.
 *
 * @param connect the server, {@code host:port} (a ZooKeeper connect string)
 * @param op the operation mix
 * @param readPercent for {@link Op#MIXED}: the share of reads (getData), the rest being setData
 * @param valueSize bytes written by create and setData, and held by the keys that are read
 * @param keys how many nodes setData, getData and exists pick from, uniformly at random
 * @param sessions client sessions, each a ZooKeeper handle with its own connection
 * @param outstanding requests in flight per session at most; the total is sessions x outstanding
 * @param warmupSeconds seconds run first and not counted
 * @param durationSeconds seconds measured after the warm-up
 * @param root the parent of the keys and of created nodes
 * @param sessionTimeoutMs the session timeout the client asks for
 * @param label names the run in the progress line and the result
 * @param json where to write the result as JSON, or null
 * @param progress whether to print a progress line every second (on stderr)
 */
public record LoadOptions(String connect, Op op, int readPercent, int valueSize, int keys, int sessions,
        int outstanding, int warmupSeconds, int durationSeconds, String root, int sessionTimeoutMs, String label,
        Path json, boolean progress) {

    /** The operation mix. */
    public enum Op {
        CREATE("create"), SET_DATA("setData"), GET_DATA("getData"), EXISTS("exists"), MIXED("mixed");

        private final String cli;

        Op(String cli) {
            this.cli = cli;
        }

        public String cliName() {
            return cli;
        }

        public static Op parse(String s) {
            for (Op op : values()) {
                if (op.cli.equalsIgnoreCase(s) || op.name().equalsIgnoreCase(s)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown op '" + s + "' (create, setData, getData, exists, mixed)");
        }
    }

    public LoadOptions {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(label, "label");
        if (valueSize < 0) {
            throw new IllegalArgumentException("value size must not be negative: " + valueSize);
        }
        positive("keys", keys);
        positive("sessions", sessions);
        positive("outstanding", outstanding);
        positive("duration", durationSeconds);
        positive("session timeout", sessionTimeoutMs);
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("warm-up must not be negative: " + warmupSeconds);
        }
        if (readPercent < 0 || readPercent > 100) {
            throw new IllegalArgumentException("read percent must be in [0, 100]: " + readPercent);
        }
        if (!root.startsWith("/") || root.length() < 2 || root.endsWith("/")) {
            throw new IllegalArgumentException("root must be an absolute path other than /: " + root);
        }
    }

    private static void positive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }

    public static LoadOptions defaults() {
        return new LoadOptions("127.0.0.1:2181", Op.SET_DATA, 90, 1024, 1000, 4, 25, 5, 30, "/meerkat-bench",
                30_000, "load", null, true);
    }

    public static final String USAGE = """
            Usage: LoadGenerator [options]
              --connect HOST:PORT     server to load (default 127.0.0.1:2181)
              --op OP                 create | setData | getData | exists | mixed (default setData)
              --read-percent N        reads in the mixed op, the rest setData (default 90)
              --value-size BYTES      bytes per create/setData and per key read (default 1024)
              --keys N                nodes that setData/getData/exists pick from (default 1000)
              --sessions N            client sessions (default 4)
              --outstanding N         requests in flight per session (default 25)
              --warmup SECONDS        not measured (default 5)
              --duration SECONDS      measured (default 30)
              --root PATH             parent of the keys and created nodes (default /meerkat-bench)
              --session-timeout MS    (default 30000)
              --label TEXT            names the run in the output (default load)
              --json FILE             write the result as JSON
              --quiet                 no progress line
            The result is printed as JSON on stdout; progress goes to stderr.
            """;

    /** Parses {@code --name value} pairs; unknown or malformed options throw IllegalArgumentException. */
    public static LoadOptions parse(String... args) {
        LoadOptions d = defaults();
        String connect = d.connect;
        Op op = d.op;
        int readPercent = d.readPercent;
        int valueSize = d.valueSize;
        int keys = d.keys;
        int sessions = d.sessions;
        int outstanding = d.outstanding;
        int warmup = d.warmupSeconds;
        int duration = d.durationSeconds;
        String root = d.root;
        int timeout = d.sessionTimeoutMs;
        String label = d.label;
        Path json = null;
        boolean progress = true;
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (a.equals("--quiet")) {
                progress = false;
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (k + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++k];
            switch (a.toLowerCase(Locale.ROOT)) {
                case "--connect" -> connect = v;
                case "--op" -> op = Op.parse(v);
                case "--read-percent" -> readPercent = integer(a, v);
                case "--value-size" -> valueSize = integer(a, v);
                case "--keys" -> keys = integer(a, v);
                case "--sessions" -> sessions = integer(a, v);
                case "--outstanding" -> outstanding = integer(a, v);
                case "--warmup" -> warmup = integer(a, v);
                case "--duration" -> duration = integer(a, v);
                case "--root" -> root = v;
                case "--session-timeout" -> timeout = integer(a, v);
                case "--label" -> label = v;
                case "--json" -> json = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return new LoadOptions(connect, op, readPercent, valueSize, keys, sessions, outstanding, warmup, duration,
                root, timeout, label, json, progress);
    }

    private static int integer(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'");
        }
    }

    public LoadOptions withConnect(String c) {
        return new LoadOptions(c, op, readPercent, valueSize, keys, sessions, outstanding, warmupSeconds,
                durationSeconds, root, sessionTimeoutMs, label, json, progress);
    }

    public LoadOptions withOp(Op o, int reads) {
        return new LoadOptions(connect, o, reads, valueSize, keys, sessions, outstanding, warmupSeconds,
                durationSeconds, root, sessionTimeoutMs, label, json, progress);
    }

    public LoadOptions withTiming(int warmup, int duration) {
        return new LoadOptions(connect, op, readPercent, valueSize, keys, sessions, outstanding, warmup, duration,
                root, sessionTimeoutMs, label, json, progress);
    }

    public LoadOptions withClients(int s, int perSession) {
        return new LoadOptions(connect, op, readPercent, valueSize, keys, s, perSession, warmupSeconds,
                durationSeconds, root, sessionTimeoutMs, label, json, progress);
    }

    public LoadOptions withLabel(String l) {
        return new LoadOptions(connect, op, readPercent, valueSize, keys, sessions, outstanding, warmupSeconds,
                durationSeconds, root, sessionTimeoutMs, l, json, progress);
    }

    public LoadOptions withProgress(boolean p) {
        return new LoadOptions(connect, op, readPercent, valueSize, keys, sessions, outstanding, warmupSeconds,
                durationSeconds, root, sessionTimeoutMs, label, json, p);
    }

    /** A one-line description, e.g. {@code setData 1024 B, 4 sessions x 25 outstanding}. */
    public String describe() {
        String what = op == Op.MIXED ? "mixed " + readPercent + "/" + (100 - readPercent) + " getData/setData"
                : op.cliName();
        return what + ", " + valueSize + " B values, " + keys + " keys, " + sessions + " sessions x "
                + outstanding + " outstanding, warm-up " + warmupSeconds + " s, measured " + durationSeconds + " s";
    }
}
