package dev.meerkat.bench.compare;

import dev.meerkat.bench.Json;
import dev.meerkat.bench.Progress;
import dev.meerkat.bench.compare.ServerProcess.Kind;
import dev.meerkat.bench.load.Clients;
import dev.meerkat.bench.load.LoadGenerator;
import dev.meerkat.bench.load.LoadOptions;
import dev.meerkat.bench.load.LoadOptions.Op;
import dev.meerkat.bench.load.LoadResult;
import org.apache.zookeeper.ZooKeeper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Meerkat standalone against Apache ZooKeeper 3.9.5 standalone, measured in one run on one
 * machine. Each server runs in a JVM of its own with the same heap, the same tickTime, fsync on,
 * its own temporary data directory and a free port. Both are loaded by the same official client
 * ({@link LoadGenerator}), in turn: every round runs write, read and mixed loads against each
 * server, alternating which goes first. Then, on fresh servers: memory per 100,000 znodes (VmRSS
 * before and after populating, each after a full GC) and the time from launching the JVM to the
 * first answered read of the last node, after a clean stop.
 *
 * <p>With {@code --nodes 3} (and by default, after the standalone part): the same loads against
 * a three-server ensemble of each ({@link Ensemble}, clients connected to all three members), and
 * the failover gap ({@link FailoverGap}): SIGKILL of the leader under a light write load, timed
 * from the signal to the first successful write, the killed member restarted after each round.
 *
 * <p>Prints each figure as {@code <metric>: <meerkat> vs <zookeeper> = <ratio>x}; writes
 * compare.json and compare.svg. Every process it starts is stopped, also on failure or Ctrl-C.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.meerkat.bench.compare.Compare --quick};
 * see {@link CompareOptions#USAGE}.
 */
public final class Compare {
    private static final String LOAD_ROOT = "/meerkat-bench";
    private static final String POPULATE_ROOT = "/populated";

    /** One of the three loads. */
    record Workload(String id, String name, Op op, int readPercent) {
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("write", "write", Op.SET_DATA, 0),
            new Workload("read", "read", Op.GET_DATA, 100),
            new Workload("mixed", "mixed 90/10", Op.MIXED, 90));

    /** Memory and restart figures of one server. */
    record Durability(long rssBeforeKb, long rssAfterKb, long heapBeforeKb, long heapAfterKb, double populateSeconds,
            List<Long> restartMs, List<Long> stopMs) {
        Map<String, Object> toMap(int znodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rssBeforeKb", rssBeforeKb);
            m.put("rssAfterKb", rssAfterKb);
            m.put("heapBeforeKb", heapBeforeKb);
            m.put("heapAfterKb", heapAfterKb);
            m.put("populateSeconds", populateSeconds);
            m.put("populateCreatesPerSecond", znodes / populateSeconds);
            m.put("restartMs", new ArrayList<Object>(restartMs));
            m.put("stopMs", new ArrayList<Object>(stopMs));
            return m;
        }
    }

    /** Everything a run produced. */
    public record Report(List<Metric> metrics, Path json, Path svg, Map<String, Object> document) {
    }

    private final CompareOptions opts;
    private final Progress progress;
    private final PrintStream out;
    private final Map<String, Map<Kind, List<LoadResult>>> loads = new LinkedHashMap<>();
    private final Map<String, Map<Kind, List<LoadResult>>> ensembleLoads = new LinkedHashMap<>();
    /** Failover samples by tickTime and server. */
    private final Map<Integer, Map<Kind, List<FailoverGap.Sample>>> failovers = new LinkedHashMap<>();
    private final Map<Kind, Durability> durability = new EnumMap<>(Kind.class);
    /** The load average right after each run, to judge how much else ran on the machine. */
    private final Map<LoadResult, Double> loadAverageAfter = new java.util.IdentityHashMap<>();
    private int step;
    private int steps;

    public Compare(CompareOptions opts, Progress progress, PrintStream out) {
        this.opts = opts;
        this.progress = progress;
        this.out = out;
    }

    public static void main(String[] args) {
        SideBySideMain.run(args, CompareOptions.USAGE, CompareOptions::parse, "comparison",
                opts -> new Compare(opts, Progress.stderr(), System.out).run());
    }

    /** Runs everything; every server it started has stopped when this returns or throws. */
    public Report run() throws IOException, InterruptedException {
        Path java = opts.java() != null ? opts.java() : Path.of(System.getProperty("java.home"), "bin", "java");
        // Absolute, since each server runs in its own directory.
        String classpath = absolute(opts.classpath() != null ? opts.classpath() : System.getProperty("java.class.path"));
        ServerProcess.Settings settings = new ServerProcess.Settings(java, classpath, opts.heap(), opts.tickTime(),
                opts.snapCount(), opts.extraConfig());
        Path work = opts.workDir() != null ? Files.createDirectories(opts.workDir())
                : Files.createTempDirectory("meerkat-compare-");
        OffsetDateTime started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> machine = machine(work);
        boolean standalone = opts.nodes().contains(1);
        boolean three = opts.nodes().contains(3);
        steps = (standalone ? opts.runs() * workloads().size() * 2 + (opts.restart() ? 2 : 0) : 0)
                + (three ? opts.ensembleRuns() * workloads().size() * 2 + opts.failoverTickTimes().size() * 2 : 0);
        boolean ok = false;
        try {
            progress.println("Meerkat vs Apache ZooKeeper 3.9.5, " + topology() + ", " + started);
            progress.println("machine: " + machine.get("cpus") + " CPUs (" + machine.get("cpuModel") + "), "
                    + machine.get("memTotalMb") + " MB RAM, data on " + machine.get("fileSystem") + ", "
                    + machine.get("java"));
            progress.println("servers: -Xmx" + opts.heap() + ", tickTime=" + opts.tickTime() + ", forceSync="
                    + (forceSync() ? "yes" : "no") + ","
                    + " snapCount=" + opts.snapCount() + "; work directory " + work);
            if (!opts.extraConfig().isEmpty()) {
                progress.println("diagnostic run: both servers also get " + opts.extraConfig());
            }
            Double load = (Double) machine.get("loadAverageAtStart");
            if (load != null && load > 0.5 * Runtime.getRuntime().availableProcessors()) {
                progress.println("warning: load average " + load + " on " + Runtime.getRuntime().availableProcessors()
                        + " CPUs before starting: other processes compete for the CPUs and the figures will be"
                        + " noisy (both servers alike, as the runs alternate)");
            }
            if ("tmpfs".equals(machine.get("fileSystemType"))) {
                progress.println("warning: the work directory is on tmpfs, where fsync costs nothing;"
                        + " use --work-dir on a disk for meaningful write figures");
            }
            if (standalone && !workloads().isEmpty()) {
                runLoads(settings, work);
            }
            if (standalone && opts.restart()) {
                for (Kind kind : Kind.values()) {
                    durability.put(kind, memoryAndRestart(kind, settings, work));
                }
            }
            if (three) {
                progress.println("3-node: initLimit=" + Ensemble.INIT_LIMIT + ", syncLimit=" + Ensemble.SYNC_LIMIT
                        + ", clients connected to all three members; failover: one client, setData in a loop"
                        + " through the two followers, session timeout " + FailoverGap.SESSION_TIMEOUT_MS + " ms");
                if (!workloads().isEmpty()) {
                    runEnsembleLoads(settings, work);
                }
                for (int tickTime : opts.failoverTickTimes()) {
                    // alternate which server goes first
                    List<Kind> order = failovers.size() % 2 == 0 ? List.of(Kind.MEERKAT, Kind.ZOOKEEPER)
                            : List.of(Kind.ZOOKEEPER, Kind.MEERKAT);
                    Map<Kind, List<FailoverGap.Sample>> byKind = new EnumMap<>(Kind.class);
                    failovers.put(tickTime, byKind);
                    for (Kind kind : order) {
                        byKind.put(kind, failover(kind, settings, tickTime, work));
                    }
                }
            }
            ok = true;
        } finally {
            ServerProcess.stopAll();
            progress.finish();
            if (ok && !opts.keep()) {
                deleteTree(work);
            } else {
                progress.println("servers' data and logs kept in " + work);
            }
        }
        List<Metric> metrics = metrics();
        out.println();
        for (Metric m : metrics) {
            out.println(m.line());
        }
        out.flush();
        Map<String, Object> doc = document(started, machine, metrics);
        Files.createDirectories(opts.out());
        Path json = opts.out().resolve("compare.json");
        Path svg = opts.out().resolve("compare.svg");
        Files.writeString(json, Json.write(doc));
        String subtitle = String.format(Locale.ROOT, "%s CPUs, %s MB RAM, %s; medians of %s; %s",
                machine.get("cpus"), machine.get("memTotalMb"), machine.get("fileSystem"), runsNote(),
                started.toLocalDate());
        if (!opts.extraConfig().isEmpty()) {
            subtitle += "; both servers with " + String.join(", ", opts.extraConfig());
        }
        Files.writeString(svg, Chart.svg(metrics, "Meerkat vs Apache ZooKeeper 3.9.5, " + topology() + ", fsync "
                + (forceSync() ? "on" : "OFF"), subtitle));
        out.println();
        out.println("results: " + json.toAbsolutePath());
        out.println("chart:   " + svg.toAbsolutePath());
        out.flush();
        return new Report(metrics, json, svg, doc);
    }

    /** Where a load goes: a standalone server or an ensemble. */
    private record Target(String connect, java.util.function.LongSupplier cpuNanos, String logs) {
    }

    private LoadOptions baseLoad(int durationSeconds) {
        LoadOptions base = LoadOptions.defaults().withClients(opts.sessions(), opts.outstanding())
                .withTiming(opts.warmupSeconds(), durationSeconds);
        return base.with(b -> {
            b.valueSize = opts.valueSize();
            b.keys = opts.keys();
            b.root = LOAD_ROOT;
            b.json = null;
            b.progress = true;
        });
    }

    private void runLoads(ServerProcess.Settings settings, Path work) throws IOException, InterruptedException {
        Map<Kind, ServerProcess> servers = new EnumMap<>(Kind.class);
        try {
            Map<Kind, Target> targets = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                ServerProcess s = ServerProcess.create(kind, work.resolve(kind.id + "-load"), settings);
                servers.put(kind, s);
                s.start();
                s.awaitAnswer("/", Duration.ofSeconds(60));
                targets.put(kind, new Target(s.connectString(), s::cpuNanos, s.logFile().toString()));
            }
            runLoads(targets, "", opts.runs(), opts.durationSeconds(), loads);
        } finally {
            for (ServerProcess s : servers.values()) {
                s.close();
            }
        }
    }

    /** The three loads against three-server ensembles, clients connected to all members. */
    private void runEnsembleLoads(ServerProcess.Settings settings, Path work)
            throws IOException, InterruptedException {
        Map<Kind, Ensemble> ensembles = new EnumMap<>(Kind.class);
        try {
            Map<Kind, Target> targets = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                Ensemble e = Ensemble.create(kind, work.resolve(kind.id + "-3node-load"), settings, 3);
                ensembles.put(kind, e);
                progress.update("[3-node " + kind.id + "] starting three members");
                e.startAll(Duration.ofSeconds(120));
                progress.println("3-node " + kind.id + ": serving, modes " + e.modes());
                targets.put(kind, new Target(e.connectString(), e::cpuNanos,
                        work.resolve(kind.id + "-3node-load") + "/s*/server.log"));
            }
            runLoads(targets, " 3-node", opts.ensembleRuns(), opts.ensembleDurationSeconds(), ensembleLoads);
        } finally {
            for (Ensemble e : ensembles.values()) {
                e.close();
            }
        }
    }

    private void runLoads(Map<Kind, Target> targets, String topology, int runs, int durationSeconds,
            Map<String, Map<Kind, List<LoadResult>>> into) throws IOException, InterruptedException {
        LoadOptions base = baseLoad(durationSeconds);
        for (int run = 1; run <= runs; run++) {
            for (Workload w : workloads()) {
                // Alternate which server goes first, so that neither always follows the other.
                List<Kind> order = run % 2 == 1 ? List.of(Kind.MEERKAT, Kind.ZOOKEEPER)
                        : List.of(Kind.ZOOKEEPER, Kind.MEERKAT);
                for (Kind kind : order) {
                    Target s = targets.get(kind);
                    step++;
                    String label = String.format(Locale.ROOT, "%d/%d %s%s %s run %d/%d", step, steps, w.name(),
                            topology, kind.id, run, runs);
                    LoadOptions lo = base.withConnect(s.connect()).withOp(w.op(), w.readPercent())
                            .withLabel(label);
                    LoadResult r = LoadGenerator.run(lo, progress, s.cpuNanos());
                    if (r.errors() > 0 || r.undrained() > 0) {
                        throw new IOException(label + ": " + r.errors() + " errors (first: " + r.firstError()
                                + "), " + r.undrained() + " unanswered; see " + s.logs());
                    }
                    loadAverageAfter.put(r, loadAverage());
                    into.computeIfAbsent(w.id(), k -> new EnumMap<>(Kind.class))
                            .computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
                    progress.println(String.format(Locale.ROOT, "%s: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms,"
                            + " p99.9 %.2f ms (load average %s)", label, r.opsPerSecond(),
                            r.latency().p50() / 1000.0, r.latency().p99() / 1000.0, r.latency().p999() / 1000.0,
                            loadAverageAfter.get(r)));
                }
            }
        }
    }

    /**
     * The failover gap of a fresh three-server ensemble of {@code kind} with {@code tickTime}:
     * {@link CompareOptions#failovers()} leader kills, see {@link FailoverGap}.
     */
    private List<FailoverGap.Sample> failover(Kind kind, ServerProcess.Settings base, int tickTime, Path work)
            throws IOException, InterruptedException {
        step++;
        String label = step + "/" + steps + " failover 3-node " + kind.id + " tickTime=" + tickTime;
        ServerProcess.Settings settings = new ServerProcess.Settings(base.java(), base.classpath(), base.heap(),
                tickTime, base.snapCount(), base.extraConfig());
        Path dir = work.resolve(kind.id + "-3node-failover-tick" + tickTime);
        try (Ensemble e = Ensemble.create(kind, dir, settings, 3)) {
            progress.update("[" + label + "] starting three members");
            e.startAll(Duration.ofSeconds(120));
            // a gap or rejoin this long is a failure, not a figure
            Duration timeout = Duration.ofMillis(Math.max(60_000, 30L * tickTime * Ensemble.INIT_LIMIT));
            List<FailoverGap.Sample> samples = new ArrayList<>();
            new FailoverGap(e, FailoverGap.officialClient(), timeout).run(opts.failovers(), s -> {
                samples.add(s);
                progress.println(String.format(Locale.ROOT, "%s kill %d/%d: leader %d killed, survivors serving"
                        + " after %.0f ms, first write after %.0f ms (%d failed writes %s), new leader %d, rejoined"
                        + " in %.0f ms", label, samples.size(), opts.failovers(), s.killed(), s.electedMs(),
                        s.gapMs(), s.failedWrites(), s.errors(), s.newLeader(), s.rejoinMs()));
            });
            return samples;
        } catch (IOException ex) {
            throw new IOException(label + ": " + ex.getMessage() + " (logs in " + dir + ")", ex);
        }
    }

    private Durability memoryAndRestart(Kind kind, ServerProcess.Settings settings, Path work)
            throws IOException, InterruptedException {
        step++;
        String label = step + "/" + steps + " " + kind.id;
        try (ServerProcess s = ServerProcess.create(kind, work.resolve(kind.id + "-restart"), settings)) {
            s.start();
            s.awaitAnswer("/", Duration.ofSeconds(60));
            ZooKeeper zk = Clients.connect(s.connectString(), 30_000);
            long rssBefore;
            long heapBefore;
            long rssAfter;
            long heapAfter;
            double populateSeconds;
            try {
                // The session is open during both readings, so it is not counted as znode memory.
                s.fullGc();
                rssBefore = s.rssKb();
                heapBefore = s.heapUsedKb();
                Clients.ensure(zk, POPULATE_ROOT);
                byte[] value = new byte[opts.znodeSize()];
                new Random(7).nextBytes(value);
                long t = System.nanoTime();
                Clients.putAll(zk, Compare::populatedPath, opts.znodes(), value, opts.sessions() * opts.outstanding(),
                        done -> progress.update("[" + label + " populate] " + done + "/" + opts.znodes()
                                + " znodes of " + opts.znodeSize() + " B"));
                populateSeconds = (System.nanoTime() - t) / 1e9;
                s.fullGc();
                rssAfter = s.rssKb();
                heapAfter = s.heapUsedKb();
            } finally {
                Clients.closeQuietly(zk);
            }
            progress.println(String.format(Locale.ROOT, "%s: %d znodes in %.1f s (%,.0f creates/s);"
                    + " RSS %.1f -> %.1f MB, heap %.1f -> %.1f MB", label, opts.znodes(), populateSeconds,
                    opts.znodes() / populateSeconds, rssBefore / 1024.0, rssAfter / 1024.0, heapBefore / 1024.0,
                    heapAfter / 1024.0));
            String last = populatedPath(opts.znodes() - 1);
            List<Long> restarts = new ArrayList<>();
            List<Long> stops = new ArrayList<>();
            for (int k = 1; k <= opts.restarts(); k++) {
                progress.update("[" + label + " restart " + k + "/" + opts.restarts() + "] stopping");
                stops.add(s.stop());
                progress.update("[" + label + " restart " + k + "/" + opts.restarts() + "] starting");
                long t = s.start();
                int length = s.awaitAnswer(last, Duration.ofMinutes(5));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
                if (length != opts.znodeSize()) {
                    throw new IOException(kind.display + " answered " + last + " with " + length + " bytes after a"
                            + " restart, not " + opts.znodeSize());
                }
                restarts.add(ms);
            }
            progress.println(String.format(Locale.ROOT, "%s: restart to first read of %s: %s ms (clean stop took"
                    + " %s ms)", label, last, restarts, stops));
            return new Durability(rssBefore, rssAfter, heapBefore, heapAfter, populateSeconds, restarts, stops);
        }
    }

    public static String absolute(String classpath) {
        StringBuilder sb = new StringBuilder();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(java.io.File.pathSeparatorChar);
            }
            // a trailing * (all jars of a directory) is not a file name; keep it
            sb.append(entry.endsWith("*") ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath() + "/*"
                    : Path.of(entry).toAbsolutePath().toString());
        }
        return sb.toString();
    }

    static String populatedPath(int k) {
        return POPULATE_ROOT + "/n" + String.format(Locale.ROOT, "%07d", k);
    }

    private String topology() {
        return opts.nodes().contains(1) ? (opts.nodes().contains(3) ? "standalone and 3-node" : "standalone")
                : "3-node";
    }

    private String runsNote() {
        List<String> parts = new ArrayList<>();
        if (opts.nodes().contains(1)) {
            parts.add(String.format(Locale.ROOT, "%d runs (%d s each)", opts.runs(), opts.durationSeconds()));
        }
        if (opts.nodes().contains(3)) {
            parts.add(String.format(Locale.ROOT, "%d 3-node runs (%d s), %d failovers", opts.ensembleRuns(),
                    opts.ensembleDurationSeconds(), opts.failovers()));
        }
        return String.join(", ", parts);
    }

    /** Whether the servers fsync: yes unless a diagnostic run turned it off for both. */
    private boolean forceSync() {
        boolean on = true;
        for (String line : opts.extraConfig()) {
            String[] kv = line.split("=", 2);
            if (kv[0].trim().equals("forceSync")) {
                on = !List.of("no", "false").contains(kv[1].trim().toLowerCase(Locale.ROOT));
            }
        }
        return on;
    }

    private List<Workload> workloads() {
        return WORKLOADS.stream().filter(w -> opts.loads().contains(w.id())).toList();
    }

    List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        addLoadMetrics(m, loads, "standalone");
        if (!durability.isEmpty()) {
            addDurabilityMetrics(m);
        }
        addLoadMetrics(m, ensembleLoads, "3-node");
        addFailoverMetrics(m, failovers, opts.tickTime());
        return m;
    }

    private static void addLoadMetrics(List<Metric> all, Map<String, Map<Kind, List<LoadResult>>> from,
            String topology) {
        List<Metric> m = new ArrayList<>();
        m.add(load(from, "write ops/s " + topology, "write", LoadResult::opsPerSecond, true, 2.0));
        m.add(load(from, "read ops/s " + topology, "read", LoadResult::opsPerSecond, true, 1.5));
        m.add(load(from, "mixed 90/10 ops/s " + topology, "mixed", LoadResult::opsPerSecond, true, Double.NaN));
        m.add(load(from, "write p50 latency us " + topology, "write", r -> r.latency().p50(), false, Double.NaN));
        m.add(load(from, "write p99 latency us " + topology, "write", r -> r.latency().p99(), false, 0.5));
        m.add(load(from, "write p999 latency us " + topology, "write", r -> r.latency().p999(), false, Double.NaN));
        m.add(load(from, "read p99 latency us " + topology, "read", r -> r.latency().p99(), false, 0.5));
        m.add(load(from, "write server CPU us per op " + topology, "write", LoadResult::serverCpuMicrosPerOp, false,
                Double.NaN));
        m.add(load(from, "read server CPU us per op " + topology, "read", LoadResult::serverCpuMicrosPerOp, false,
                Double.NaN));
        m.stream().filter(x -> x != null).forEach(all::add);
    }

    /**
     * {@code failover gap ms 3-node} (median) and {@code failover gap max ms 3-node} per tickTime;
     * a tickTime other than {@code mainTickTime} is named in the metric.
     */
    static void addFailoverMetrics(List<Metric> m, Map<Integer, Map<Kind, List<FailoverGap.Sample>>> from,
            int mainTickTime) {
        for (Map.Entry<Integer, Map<Kind, List<FailoverGap.Sample>>> e : from.entrySet()) {
            List<FailoverGap.Sample> mk = e.getValue().get(Kind.MEERKAT);
            List<FailoverGap.Sample> zk = e.getValue().get(Kind.ZOOKEEPER);
            if (mk == null || zk == null || mk.isEmpty() || zk.isEmpty()) {
                continue;
            }
            String suffix = e.getKey() == mainTickTime ? "" : " tickTime=" + e.getKey();
            double[] a = FailoverGap.medianAndMaxMs(mk);
            double[] b = FailoverGap.medianAndMaxMs(zk);
            m.add(new Metric("failover gap ms 3-node" + suffix, a[0], b[0], false, 0.5));
            m.add(new Metric("failover gap max ms 3-node" + suffix, a[1], b[1], false, Double.NaN));
            // the server side of the gap: from the kill until srvr shows the survivors serving
            double ea = Compare.median(mk.stream().mapToDouble(FailoverGap.Sample::electedMs)
                    .filter(x -> !Double.isNaN(x)).toArray());
            double eb = Compare.median(zk.stream().mapToDouble(FailoverGap.Sample::electedMs)
                    .filter(x -> !Double.isNaN(x)).toArray());
            if (!Double.isNaN(ea) && !Double.isNaN(eb)) {
                m.add(new Metric("failover to serving survivors ms 3-node" + suffix, ea, eb, false, Double.NaN));
            }
        }
    }

    private void addDurabilityMetrics(List<Metric> m) {
        String n = opts.znodes() == 100_000 ? "100k" : Integer.toString(opts.znodes());
        m.add(durable("restart ms with " + n + " znodes standalone",
                d -> median(d.restartMs().stream().mapToDouble(Long::doubleValue).toArray()), false, 0.5));
        double per100k = 100_000.0 / opts.znodes();
        m.add(durable("RSS MB per 100k znodes standalone",
                d -> (d.rssAfterKb() - d.rssBeforeKb()) / 1024.0 * per100k, false, 0.5));
        m.add(durable("heap MB per 100k znodes standalone",
                d -> (d.heapAfterKb() - d.heapBeforeKb()) / 1024.0 * per100k, false, 0.5));
    }

    /** The metric from the median of the runs, or null if the load was not run. */
    private static Metric load(Map<String, Map<Kind, List<LoadResult>>> loads, String name, String workload,
            ToDoubleFunction<LoadResult> f, boolean higher, double goal) {
        Map<Kind, List<LoadResult>> byKind = loads.get(workload);
        if (byKind == null) {
            return null;
        }
        Function<Kind, Double> med = k -> median(byKind.get(k).stream().mapToDouble(f).toArray());
        return new Metric(name, med.apply(Kind.MEERKAT), med.apply(Kind.ZOOKEEPER), higher, goal);
    }

    private Metric durable(String name, ToDoubleFunction<Durability> f, boolean higher, double goal) {
        return new Metric(name, f.applyAsDouble(durability.get(Kind.MEERKAT)),
                f.applyAsDouble(durability.get(Kind.ZOOKEEPER)), higher, goal);
    }

    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private Map<String, Object> document(OffsetDateTime started, Map<String, Object> machine, List<Metric> metrics) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tool", Compare.class.getName());
        d.put("started", started.toString());
        d.put("machine", machine);
        d.put("loadAverageAtEnd", loadAverage());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("quick", opts.quick());
        s.put("runs", opts.runs());
        s.put("warmupSeconds", opts.warmupSeconds());
        s.put("durationSeconds", opts.durationSeconds());
        s.put("sessions", opts.sessions());
        s.put("outstandingPerSession", opts.outstanding());
        s.put("keys", opts.keys());
        s.put("valueSize", opts.valueSize());
        s.put("znodes", opts.znodes());
        s.put("znodeSize", opts.znodeSize());
        s.put("restarts", opts.restarts());
        s.put("heap", opts.heap());
        s.put("tickTime", opts.tickTime());
        s.put("snapCount", opts.snapCount());
        s.put("forceSync", forceSync());
        s.put("extraConfig", new ArrayList<Object>(opts.extraConfig()));
        s.put("loads", new ArrayList<Object>(opts.loads()));
        s.put("nodes", new ArrayList<Object>(opts.nodes()));
        s.put("ensembleRuns", opts.ensembleRuns());
        s.put("ensembleDurationSeconds", opts.ensembleDurationSeconds());
        s.put("ensembleInitLimit", Ensemble.INIT_LIMIT);
        s.put("ensembleSyncLimit", Ensemble.SYNC_LIMIT);
        s.put("failovers", opts.failovers());
        s.put("failoverTickTimes", new ArrayList<Object>(opts.failoverTickTimes()));
        s.put("failoverSessionTimeoutMs", FailoverGap.SESSION_TIMEOUT_MS);
        s.put("statistic", "median over runs");
        d.put("settings", s);
        List<Object> ms = new ArrayList<>();
        for (Metric m : metrics) {
            ms.add(m.toMap());
        }
        d.put("metrics", ms);
        d.put("loads", loadsDocument(loads));
        d.put("loads3Node", loadsDocument(ensembleLoads));
        Map<String, Object> dm = new LinkedHashMap<>();
        for (Map.Entry<Kind, Durability> e : durability.entrySet()) {
            dm.put(e.getKey().id, e.getValue().toMap(opts.znodes()));
        }
        d.put("memoryAndRestart", dm);
        Map<String, Object> fo = new LinkedHashMap<>();
        for (Map.Entry<Integer, Map<Kind, List<FailoverGap.Sample>>> e : failovers.entrySet()) {
            Map<String, Object> byKind = new LinkedHashMap<>();
            for (Map.Entry<Kind, List<FailoverGap.Sample>> k : e.getValue().entrySet()) {
                List<Object> samples = new ArrayList<>();
                k.getValue().forEach(x -> samples.add(x.toMap()));
                byKind.put(k.getKey().id, samples);
            }
            fo.put("tickTime=" + e.getKey(), byKind);
        }
        d.put("failover3Node", fo);
        return d;
    }

    private Map<String, Object> loadsDocument(Map<String, Map<Kind, List<LoadResult>>> loads) {
        Map<String, Object> l = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Kind, List<LoadResult>>> e : loads.entrySet()) {
            Map<String, Object> byKind = new LinkedHashMap<>();
            for (Map.Entry<Kind, List<LoadResult>> k : e.getValue().entrySet()) {
                List<Object> runs = new ArrayList<>();
                for (LoadResult r : k.getValue()) {
                    Map<String, Object> run = r.toMap();
                    run.put("loadAverageAfter", loadAverageAfter.get(r));
                    runs.add(run);
                }
                byKind.put(k.getKey().id, runs);
            }
            l.put(e.getKey(), byKind);
        }
        return l;
    }

    /** What the figures depend on: CPUs, memory, the file system the servers write to, the JVM. */
    public static Map<String, Object> machine(Path work) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", procField("/proc/cpuinfo", "model name"));
        String mem = procField("/proc/meminfo", "MemTotal");
        m.put("memTotalMb", mem == null ? null : Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024);
        FileStore store = Files.getFileStore(work);
        m.put("fileSystem", store.type() + " on " + store.name());
        m.put("fileSystemType", store.type());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("loadAverageAtStart", loadAverage());
        return m;
    }

    /** The 1-minute load average: other processes compete with both servers for the CPUs. */
    public static Double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String procField(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
