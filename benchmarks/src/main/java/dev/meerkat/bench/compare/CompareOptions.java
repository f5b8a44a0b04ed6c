package dev.meerkat.bench.compare;

import dev.meerkat.bench.ArgParser;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of a side-by-side run.
 *
 * @param quick the short variant (under five minutes on two cores)
 * @param runs rounds of the three loads; each round runs each load once against each server
 * @param warmupSeconds per load run, not measured
 * @param durationSeconds per load run, measured
 * @param sessions client sessions per load run
 * @param outstanding requests in flight per session (sessions x outstanding in all)
 * @param keys nodes the loads read and write
 * @param valueSize bytes per value in the loads
 * @param znodes nodes created for the memory and restart figures
 * @param znodeSize bytes per such node
 * @param restarts restarts timed per server
 * @param heap -Xmx of both servers
 * @param tickTime of both servers, ms
 * @param snapCount of both servers
 * @param out where compare.json and compare.svg go
 * @param workDir where the servers' directories go; null for a new temporary directory
 * @param keep keep the servers' directories (configs, data, logs) afterwards
 * @param java the launcher for the servers; null for this JVM's
 * @param classpath for the servers; null for this JVM's
 * @param loads which loads to run, by id (write, read, mixed), in that order
 * @param restart whether to measure memory and restart time
 * @param extraConfig {@code key=value} lines added to both servers' zoo.cfg (replacing a default
 *     of the same key), for diagnostic runs such as forceSync=no
 * @param nodes which topologies to compare: 1 (standalone) and/or 3 (three-server ensembles)
 * @param ensembleRuns rounds of the loads against the ensembles
 * @param ensembleDurationSeconds measured per load run against the ensembles (warm-up as standalone)
 * @param failovers leader kills timed per ensemble and tickTime
 * @param failoverTickTimes the tickTimes the failover gap is measured with (ms), each on fresh
 *     ensembles of both servers
 */
public record CompareOptions(boolean quick, int runs, int warmupSeconds, int durationSeconds, int sessions,
        int outstanding, int keys, int valueSize, int znodes, int znodeSize, int restarts, String heap, int tickTime,
        int snapCount, Path out, Path workDir, boolean keep, Path java, String classpath, List<String> loads,
        boolean restart, List<String> extraConfig, List<Integer> nodes, int ensembleRuns,
        int ensembleDurationSeconds, int failovers, List<Integer> failoverTickTimes) {

    /** The loads, by id. */
    public static final List<String> ALL_LOADS = List.of("write", "read", "mixed");

    public CompareOptions {
        loads = List.copyOf(loads);
        extraConfig = List.copyOf(extraConfig);
        nodes = List.copyOf(nodes);
        failoverTickTimes = List.copyOf(failoverTickTimes);
        if (nodes.isEmpty() || !List.of(1, 3).containsAll(nodes)) {
            throw new IllegalArgumentException("--nodes takes 1, 3 or 1,3, not " + nodes);
        }
        for (int t : failoverTickTimes) {
            if (t <= 0) {
                throw new IllegalArgumentException("tickTimes must be positive");
            }
        }
        for (String l : loads) {
            if (!ALL_LOADS.contains(l)) {
                throw new IllegalArgumentException("unknown load '" + l + "' (" + String.join(", ", ALL_LOADS) + ")");
            }
        }
        for (String c : extraConfig) {
            int eq = c.indexOf('=');
            if (eq <= 0 || c.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("--set needs KEY=VALUE, not '" + c + "'");
            }
        }
        for (int v : new int[] {runs, durationSeconds, sessions, outstanding, keys, znodes, restarts, tickTime,
            snapCount, ensembleRuns, ensembleDurationSeconds, failovers}) {
            if (v <= 0) {
                throw new IllegalArgumentException("counts and durations must be positive");
            }
        }
        if (warmupSeconds < 0 || valueSize < 0 || znodeSize < 0) {
            throw new IllegalArgumentException("warm-up and sizes must not be negative");
        }
    }

    public static final String USAGE = """
            Usage: Compare [--quick] [options]
              Starts Meerkat and Apache ZooKeeper 3.9.5 standalone, each in its own JVM, runs the same
              loads against each in turn and prints each ratio as
              '<metric>: <meerkat> vs <zookeeper> = <ratio>x'. Then the same against three-server
              ensembles of each (clients connected to all three members), and the failover gap:
              SIGKILL of the leader under a light write load, timed to the first successful write.
              --quick               short run: 3 rounds of 2 s warm-up + 6 s measured, 3 restarts;
                                    3-node: 1 round of 2 s + 4 s, 3 failovers at tickTime 2000 only
              --nodes LIST          1 (standalone), 3 (three-server ensembles) or 1,3 (default)
              --runs N              rounds of the three loads (default 5; quick 3)
              --warmup SECONDS      per load run (default 10; quick 2)
              --duration SECONDS    measured per load run (default 30; quick 6)
              --sessions N          client sessions (default 4)
              --outstanding N       in flight per session (default 25, so 100 in all)
              --keys N              nodes the loads use (default 1000)
              --value-size BYTES    load values (default 1024)
              --znodes N            nodes for memory and restart (default 100000)
              --znode-size BYTES    (default 100)
              --restarts N          restarts timed per server (default 5; quick 3)
              --heap SIZE           -Xmx of both servers (default 1g)
              --tick-time MS        both servers (default 2000)
              --snap-count N        both servers (default 100000, ZooKeeper's default)
              --out DIR             for compare.json and compare.svg (default target/bench-compare)
              --work-dir DIR        for the servers' data (default: a new temporary directory)
              --keep                keep the servers' data and logs
              --java PATH           java launcher for the servers (default: this JVM's)
              --classpath CP        for the servers (default: this JVM's class path)
              --ensemble-runs N     rounds of the loads against the ensembles (default 3; quick 1)
              --ensemble-duration SECONDS  measured per 3-node load run (default 30; quick 4)
              --failovers N         leader kills per server and tickTime (default 10; quick 3)
              --failover-tick-times LIST  tickTimes for the failover gap, ms (default: the
                                    --tick-time, then 200; quick: the --tick-time only)
            Diagnostic runs (the defaults are what issue 7 measures):
              --loads LIST          loads to run, comma-separated: write,read,mixed (default all)
              --skip-restart        no memory and restart measurement
              --set KEY=VALUE       add to both servers' zoo.cfg, e.g. --set forceSync=no (repeatable)
            """;

    private static final ArgParser PARSER = new ArgParser()
            .flags("--quick", "--keep", "--skip-restart")
            .values("--nodes", "--ensemble-runs", "--ensemble-duration", "--failovers", "--failover-tick-times",
                    "--runs", "--warmup", "--duration", "--sessions", "--outstanding", "--keys", "--value-size",
                    "--znodes", "--znode-size", "--restarts", "--heap", "--tick-time", "--snap-count", "--out",
                    "--work-dir", "--java", "--classpath", "--loads", "--set");

    public static CompareOptions parse(String... args) {
        ArgParser.Parsed p = PARSER.parse(args);
        boolean quick = p.flag("--quick");
        return new CompareOptions(quick, p.integer("--runs", quick ? 3 : 5), p.integer("--warmup", quick ? 2 : 10),
                p.integer("--duration", quick ? 6 : 30), p.integer("--sessions", 4), p.integer("--outstanding", 25),
                p.integer("--keys", 1000), p.integer("--value-size", 1024), p.integer("--znodes", 100_000),
                p.integer("--znode-size", 100), p.integer("--restarts", quick ? 3 : 5), p.string("--heap", "1g"),
                p.integer("--tick-time", 2000), p.integer("--snap-count", 100_000),
                p.path("--out", Path.of("target", "bench-compare")), p.path("--work-dir", null), p.flag("--keep"),
                p.path("--java", null), p.string("--classpath", null), p.list("--loads", ALL_LOADS),
                !p.flag("--skip-restart"), p.all("--set"), integers(p.list("--nodes", List.of("1", "3"))),
                p.integer("--ensemble-runs", quick ? 1 : 3), p.integer("--ensemble-duration", quick ? 4 : 30),
                p.integer("--failovers", quick ? 3 : 10), integers(p.list("--failover-tick-times",
                        defaultTickTimes(quick, p.integer("--tick-time", 2000)))));
    }

    private static List<String> defaultTickTimes(boolean quick, int tickTime) {
        return quick || tickTime == 200 ? List.of(Integer.toString(tickTime))
                : List.of(Integer.toString(tickTime), "200");
    }

    private static List<Integer> integers(List<String> values) {
        List<Integer> out = new java.util.ArrayList<>();
        for (String v : values) {
            try {
                out.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: '" + v + "'");
            }
        }
        return out;
    }
}
