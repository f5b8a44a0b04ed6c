package dev.meerkat.bench.recipes;

import dev.meerkat.bench.Json;
import dev.meerkat.bench.Progress;
import dev.meerkat.bench.compare.Compare;
import dev.meerkat.bench.compare.Metric;
import dev.meerkat.bench.compare.ServerProcess;
import dev.meerkat.bench.compare.SideBySideMain;
import dev.meerkat.client.MeerkatClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Meerkat's {@code DistributedLock} against Curator's {@code InterProcessMutex} on the same server in
 * one run: for each contender count N (1, 4, 16), N threads with a session and a lock object each
 * loop acquire → release on one path (ours and Curator's on different paths), and the run reports
 * the cycles per second of all of them together and the acquire latency (queueing included). Each
 * round runs every count once with each lock, alternating which goes first; the figures are medians
 * over the rounds.
 *
 * <p>It starts one Meerkat server in a JVM of its own ({@link ServerProcess}, fsync on) unless
 * {@code --server host:port} names one. Prints each figure as {@code <metric>: <ours> vs <curator> =
 * <ratio>x} (ratio = ours / Curator's) and writes lock-compare.json.
 *
 * <p>{@code bin/meerkat bench lock --quick}; see {@link LockCompareOptions#USAGE}.
 */
public final class LockCompare {
    static final String ROOT = "/meerkat-bench-lock";
    private static final List<LockKind> KINDS = List.of(LockKind.OURS, LockKind.CURATOR);

    /** Everything a run produced. */
    public record Report(List<Metric> metrics, List<LockLoop.Result> runs, Path json, Map<String, Object> document) {
    }

    private final LockCompareOptions opts;
    private final Progress progress;
    private final PrintStream out;
    /** contenders -> lock id -> one result per round */
    private final Map<Integer, Map<String, List<LockLoop.Result>>> results = new LinkedHashMap<>();
    private final List<LockLoop.Result> all = new ArrayList<>();
    private final Map<LockLoop.Result, Double> loadAverageAfter = new IdentityHashMap<>();

    public LockCompare(LockCompareOptions opts, Progress progress, PrintStream out) {
        this.opts = opts;
        this.progress = progress;
        this.out = out;
    }

    public static void main(String[] args) {
        SideBySideMain.run(args, LockCompareOptions.USAGE, LockCompareOptions::parse, "lock comparison",
                opts -> new LockCompare(opts, Progress.stderr(), System.out).run());
    }

    /** Runs everything; a server it started has stopped when this returns or throws. */
    public Report run() throws Exception {
        OffsetDateTime started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        Files.createDirectories(opts.out());
        Path work = null;
        ServerProcess server = null;
        boolean ok = false;
        Map<String, Object> machine;
        try {
            if (opts.server() == null) {
                work = opts.workDir() != null ? Files.createDirectories(opts.workDir())
                        : Files.createTempDirectory("meerkat-lock-compare-");
                server = startServer(work);
            }
            machine = Compare.machine(work != null ? work : opts.out());
            String connect = server != null ? server.connectString() : opts.server();
            progress.println("locks: " + LockKind.OURS.display() + " vs " + LockKind.CURATOR.display() + " 5.9.0,"
                    + " against " + (server != null ? "a Meerkat server started here (-Xmx" + opts.heap()
                    + ", fsync on) at " + connect : "the server at " + connect) + "; machine: " + machine.get("cpus")
                    + " CPUs, " + machine.get("java"));
            Double load = (Double) machine.get("loadAverageAtStart");
            if (load != null && load > 0.5 * Runtime.getRuntime().availableProcessors()) {
                progress.println("warning: load average " + load + " before starting: other processes compete"
                        + " for the CPUs and the figures will be noisy (both locks alike, as the runs alternate)");
            }
            runAll(connect);
            cleanUp(connect);
            ok = true;
        } finally {
            if (server != null) {
                server.close();
            }
            progress.finish();
            if (work != null) {
                if (ok && !opts.keep()) {
                    Compare.deleteTree(work);
                } else {
                    progress.println("server's data and log kept in " + work);
                }
            }
        }
        List<Metric> metrics = metrics();
        out.println();
        for (Metric m : metrics) {
            out.println(m.line());
        }
        Map<String, Object> doc = document(started, machine, metrics);
        Path json = opts.out().resolve("lock-compare.json");
        Files.writeString(json, Json.write(doc));
        out.println();
        out.println("results: " + json.toAbsolutePath());
        out.flush();
        return new Report(metrics, List.copyOf(all), json, doc);
    }

    private ServerProcess startServer(Path work) throws IOException, InterruptedException {
        Path java = opts.java() != null ? opts.java() : Path.of(System.getProperty("java.home"), "bin", "java");
        String classpath = Compare.absolute(opts.classpath() != null ? opts.classpath()
                : System.getProperty("java.class.path"));
        ServerProcess.Settings settings = new ServerProcess.Settings(java, classpath, opts.heap(), 2000, 100_000);
        ServerProcess s = ServerProcess.create(ServerProcess.Kind.MEERKAT, work.resolve("meerkat"), settings);
        s.start();
        try {
            s.awaitAnswer("/", Duration.ofSeconds(60));
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void runAll(String connect) throws Exception {
        int steps = opts.runs() * opts.contenders().size() * KINDS.size();
        int step = 0;
        for (int run = 1; run <= opts.runs(); run++) {
            for (int n : opts.contenders()) {
                // Alternate which lock goes first, so that neither always follows the other.
                List<LockKind> order = run % 2 == 1 ? KINDS : List.of(KINDS.get(1), KINDS.get(0));
                for (LockKind kind : order) {
                    step++;
                    String label = String.format(Locale.ROOT, "%d/%d %d contenders %s run %d/%d", step, steps, n,
                            kind.id(), run, opts.runs());
                    progress.update(label + ": " + opts.warmupSeconds() + " s warm-up + " + opts.durationSeconds()
                            + " s measured");
                    LockLoop.Result r = LockLoop.run(kind, connect, ROOT + "/" + kind.id(), n,
                            Duration.ofSeconds(opts.warmupSeconds()), Duration.ofSeconds(opts.durationSeconds()));
                    if (r.violations() > 0) {
                        throw new IllegalStateException(label + ": mutual exclusion violated " + r.violations()
                                + " times");
                    }
                    loadAverageAfter.put(r, Compare.loadAverage());
                    all.add(r);
                    results.computeIfAbsent(n, k -> new LinkedHashMap<>())
                            .computeIfAbsent(kind.id(), k -> new ArrayList<>()).add(r);
                    progress.println(String.format(Locale.ROOT, "%s: %,.0f cycles/s, acquire p50 %.2f ms, p99 %.2f ms"
                            + " (load average %s)", label, r.cyclesPerSecond(), r.p50Micros() / 1000.0,
                            r.p99Micros() / 1000.0, loadAverageAfter.get(r)));
                }
            }
        }
    }

    /** Removes the (empty) lock directories, so that a server given with --server is left as found. */
    private static void cleanUp(String connect) {
        try (MeerkatClient c = MeerkatClient.connect(connect).get(30, TimeUnit.SECONDS)) {
            for (String path : new String[] {ROOT + "/" + LockKind.OURS.id(), ROOT + "/" + LockKind.CURATOR.id(),
                ROOT}) {
                try {
                    c.delete(path).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // already gone (Curator's parent is a container), or not empty: leave it
                }
            }
        } catch (Exception e) {
            // tidying only
        }
    }

    List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        for (int n : results.keySet()) {
            m.add(metric("lock cycles/s " + n + " contenders", n, LockLoop.Result::cyclesPerSecond, true));
            m.add(metric("lock acquire p50 us " + n + " contenders", n, LockLoop.Result::p50Micros, false));
            m.add(metric("lock acquire p99 us " + n + " contenders", n, LockLoop.Result::p99Micros, false));
        }
        return m;
    }

    /** Ours against Curator: the medians over the rounds. */
    private Metric metric(String name, int contenders, ToDoubleFunction<LockLoop.Result> f, boolean higherIsBetter) {
        Map<String, List<LockLoop.Result>> byKind = results.get(contenders);
        return new Metric(name, median(byKind.get(LockKind.OURS.id()), f), median(byKind.get(LockKind.CURATOR.id()), f),
                higherIsBetter, Double.NaN);
    }

    private static double median(List<LockLoop.Result> runs, ToDoubleFunction<LockLoop.Result> f) {
        return Compare.median(runs.stream().mapToDouble(f).toArray());
    }

    private Map<String, Object> document(OffsetDateTime started, Map<String, Object> machine, List<Metric> metrics) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tool", LockCompare.class.getName());
        d.put("started", started.toString());
        d.put("machine", machine);
        d.put("loadAverageAtEnd", Compare.loadAverage());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("quick", opts.quick());
        s.put("server", opts.server() != null ? opts.server()
                : "Meerkat started by the tool, -Xmx" + opts.heap() + ", forceSync=yes");
        s.put("runs", opts.runs());
        s.put("warmupSeconds", opts.warmupSeconds());
        s.put("durationSeconds", opts.durationSeconds());
        s.put("contenders", new ArrayList<Object>(opts.contenders()));
        s.put("ours", LockKind.OURS.display() + " on MeerkatClient, one session per contender, path " + ROOT + "/"
                + LockKind.OURS.id());
        s.put("curator", LockKind.CURATOR.display() + " 5.9.0 on CuratorFramework, one session per contender, path "
                + ROOT + "/" + LockKind.CURATOR.id());
        s.put("cycle", "acquire then release at once, nothing held in between");
        s.put("statistic", "median over runs; ratio = ours / curator");
        d.put("settings", s);
        List<Object> ms = new ArrayList<>();
        for (Metric m : metrics) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", m.name());
            mm.put("ours", m.meerkat());
            mm.put("curator", m.zookeeper());
            mm.put("ratio", m.ratio());
            mm.put("better", m.higherIsBetter() ? "higher" : "lower");
            mm.put("line", m.line());
            ms.add(mm);
        }
        d.put("metrics", ms);
        List<Object> runs = new ArrayList<>();
        for (LockLoop.Result r : all) {
            Map<String, Object> rm = r.toMap();
            rm.put("loadAverageAfter", loadAverageAfter.get(r));
            runs.add(rm);
        }
        d.put("runs", runs);
        return d;
    }
}
