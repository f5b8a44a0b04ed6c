package dev.meerkat.bench.load;

import dev.meerkat.bench.ArgParser;

import java.nio.file.Path;
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
 * @param client the client library, by {@link LoadClient#name()}: official or meerkat
 * @param cleanup whether a create run deletes the nodes it created once measured (not timed)
 */
public record LoadOptions(String connect, Op op, int readPercent, int valueSize, int keys, int sessions,
        int outstanding, int warmupSeconds, int durationSeconds, String root, int sessionTimeoutMs, String label,
        Path json, boolean progress, String client, boolean cleanup) {

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
        client = LoadClient.named(Objects.requireNonNull(client, "client")).name();
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
                30_000, "load", null, true, LoadClient.OFFICIAL.name(), false);
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
              --client NAME           official (ZooKeeper 3.9.5's client, default) or meerkat (ours)
              --cleanup               after a create run, delete the nodes it created (not timed)
            The result is printed as JSON on stdout; progress goes to stderr.
            """;

    private static final ArgParser PARSER = new ArgParser()
            .flags("--quiet", "--cleanup")
            .values("--connect", "--op", "--read-percent", "--value-size", "--keys", "--sessions", "--outstanding",
                    "--warmup", "--duration", "--root", "--session-timeout", "--label", "--json", "--client");

    /** Parses {@code --name value} pairs; unknown or malformed options throw IllegalArgumentException. */
    public static LoadOptions parse(String... args) {
        ArgParser.Parsed p = PARSER.parse(args);
        LoadOptions d = defaults();
        String op = p.string("--op", null);
        return new LoadOptions(p.string("--connect", d.connect), op == null ? d.op : Op.parse(op),
                p.integer("--read-percent", d.readPercent), p.integer("--value-size", d.valueSize),
                p.integer("--keys", d.keys), p.integer("--sessions", d.sessions),
                p.integer("--outstanding", d.outstanding), p.integer("--warmup", d.warmupSeconds),
                p.integer("--duration", d.durationSeconds), p.string("--root", d.root),
                p.integer("--session-timeout", d.sessionTimeoutMs), p.string("--label", d.label),
                p.path("--json", d.json), !p.flag("--quiet"), p.string("--client", d.client),
                p.flag("--cleanup"));
    }

    /** A copy with some components changed; the withers below are its everyday uses. */
    public LoadOptions with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    public LoadOptions withConnect(String c) {
        return with(b -> b.connect = c);
    }

    public LoadOptions withOp(Op o, int reads) {
        return with(b -> {
            b.op = o;
            b.readPercent = reads;
        });
    }

    public LoadOptions withTiming(int warmup, int duration) {
        return with(b -> {
            b.warmupSeconds = warmup;
            b.durationSeconds = duration;
        });
    }

    public LoadOptions withClients(int s, int perSession) {
        return with(b -> {
            b.sessions = s;
            b.outstanding = perSession;
        });
    }

    public LoadOptions withLabel(String l) {
        return with(b -> b.label = l);
    }

    public LoadOptions withProgress(boolean p) {
        return with(b -> b.progress = p);
    }

    public LoadOptions withClient(String c) {
        return with(b -> b.client = c);
    }

    /** The components of a {@link LoadOptions}, to change some; checked again by {@link #build()}. */
    public static final class Builder {
        public String connect;
        public Op op;
        public int readPercent;
        public int valueSize;
        public int keys;
        public int sessions;
        public int outstanding;
        public int warmupSeconds;
        public int durationSeconds;
        public String root;
        public int sessionTimeoutMs;
        public String label;
        public Path json;
        public boolean progress;
        public String client;
        public boolean cleanup;

        Builder(LoadOptions o) {
            connect = o.connect;
            op = o.op;
            readPercent = o.readPercent;
            valueSize = o.valueSize;
            keys = o.keys;
            sessions = o.sessions;
            outstanding = o.outstanding;
            warmupSeconds = o.warmupSeconds;
            durationSeconds = o.durationSeconds;
            root = o.root;
            sessionTimeoutMs = o.sessionTimeoutMs;
            label = o.label;
            json = o.json;
            progress = o.progress;
            client = o.client;
            cleanup = o.cleanup;
        }

        public LoadOptions build() {
            return new LoadOptions(connect, op, readPercent, valueSize, keys, sessions, outstanding, warmupSeconds,
                    durationSeconds, root, sessionTimeoutMs, label, json, progress, client, cleanup);
        }
    }

    /** A one-line description, e.g. {@code setData 1024 B, 4 sessions x 25 outstanding}. */
    public String describe() {
        String what = op == Op.MIXED ? "mixed " + readPercent + "/" + (100 - readPercent) + " getData/setData"
                : op.cliName();
        return what + ", " + client + " client, " + valueSize + " B values, " + keys + " keys, " + sessions + " sessions x "
                + outstanding + " outstanding, warm-up " + warmupSeconds + " s, measured " + durationSeconds + " s";
    }
}
