package dev.meerkat.bench.client;

import dev.meerkat.bench.ArgParser;
import dev.meerkat.bench.load.LoadOptions.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of a client-against-client run.
 *
 * @param quick the short variant (about three minutes)
 * @param server {@code host:port} of a running server to load, or null to start a Meerkat server
 * @param runs rounds; each round runs every op once through each client
 * @param warmupSeconds per load run, not measured
 * @param durationSeconds per load run, measured
 * @param sessions client sessions per load run
 * @param outstanding requests in flight per session
 * @param keys nodes that setData and getData pick from
 * @param valueSize bytes per value written and read
 * @param readPercent reads in the mixed op (getData; the rest setData)
 * @param ops which ops to run, by their names (create, setData, getData, mixed), in that order
 * @param heap -Xmx of the server started
 * @param out where client-compare.json goes
 * @param workDir where the started server's directory goes; null for a new temporary directory
 * @param keep keep the started server's directory afterwards
 * @param java the launcher for the server; null for this JVM's
 * @param classpath for the server; null for this JVM's
 */
public record ClientCompareOptions(boolean quick, String server, int runs, int warmupSeconds, int durationSeconds,
        int sessions, int outstanding, int keys, int valueSize, int readPercent, List<String> ops, String heap,
        Path out, Path workDir, boolean keep, Path java, String classpath) {

    /** The ops, by name, in the order they run. */
    public static final List<String> ALL_OPS = List.of("create", "setData", "getData", "mixed");

    public ClientCompareOptions {
        ops = List.copyOf(ops);
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("--ops needs at least one op");
        }
        for (String op : ops) {
            if (!ALL_OPS.contains(op)) {
                throw new IllegalArgumentException("unknown op '" + op + "' (" + String.join(", ", ALL_OPS) + ")");
            }
        }
        for (int v : new int[] {runs, durationSeconds, sessions, outstanding, keys}) {
            if (v <= 0) {
                throw new IllegalArgumentException("counts and durations must be positive");
            }
        }
        if (warmupSeconds < 0 || valueSize < 0) {
            throw new IllegalArgumentException("warm-up and sizes must not be negative");
        }
        if (readPercent < 0 || readPercent > 100) {
            throw new IllegalArgumentException("read percent must be in [0, 100]: " + readPercent);
        }
    }

    /** The load generator's op of an op name. */
    public static Op op(String name) {
        return Op.parse(name);
    }

    public static final String USAGE = """
            Usage: ClientCompare [--quick] [options]
              Runs the same loads through Meerkat's own client (dev.meerkat.client) and the official
              ZooKeeper 3.9.5 client, in turn, against one Meerkat server, and prints each figure as
              '<metric>: <ours> vs <official> = <ratio>x'.
              --quick               short run: 3 rounds of 2 s warm-up + 5 s measured
              --server HOST:PORT    load this server instead of starting a Meerkat server
              --runs N              rounds; each runs every op through each client (default 5; quick 3)
              --warmup SECONDS      per load run (default 10; quick 2)
              --duration SECONDS    measured per load run (default 30; quick 5)
              --sessions N          client sessions (default 4)
              --outstanding N       in flight per session (default 25, so 100 in all)
              --keys N              nodes setData and getData pick from (default 1000)
              --value-size BYTES    values written and read (default 1024)
              --read-percent N      getData share of the mixed op, the rest setData (default 90)
              --ops LIST            comma-separated: create,setData,getData,mixed (default all)
              --heap SIZE           -Xmx of the server started (default 1g)
              --out DIR             for client-compare.json (default target/bench-client)
              --work-dir DIR        for the started server's data (default: a new temporary directory)
              --keep                keep the started server's data and log
              --java PATH           java launcher for the server (default: this JVM's)
              --classpath CP        for the server (default: this JVM's class path)
            """;

    private static final ArgParser PARSER = new ArgParser()
            .flags("--quick", "--keep")
            .values("--server", "--runs", "--warmup", "--duration", "--sessions", "--outstanding", "--keys",
                    "--value-size", "--read-percent", "--ops", "--heap", "--out", "--work-dir", "--java",
                    "--classpath");

    public static ClientCompareOptions parse(String... args) {
        ArgParser.Parsed p = PARSER.parse(args);
        boolean quick = p.flag("--quick");
        return new ClientCompareOptions(quick, p.string("--server", null), p.integer("--runs", quick ? 3 : 5),
                p.integer("--warmup", quick ? 2 : 10), p.integer("--duration", quick ? 5 : 30),
                p.integer("--sessions", 4), p.integer("--outstanding", 25), p.integer("--keys", 1000),
                p.integer("--value-size", 1024), p.integer("--read-percent", 90), p.list("--ops", ALL_OPS),
                p.string("--heap", "1g"), p.path("--out", Path.of("target", "bench-client")),
                p.path("--work-dir", null), p.flag("--keep"), p.path("--java", null), p.string("--classpath", null));
    }
}
