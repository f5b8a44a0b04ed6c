package dev.meerkat.bench.client;

import dev.meerkat.bench.Json;
import dev.meerkat.bench.Progress;
import dev.meerkat.bench.compare.Compare;
import dev.meerkat.bench.compare.Metric;
import dev.meerkat.bench.compare.ServerProcess;
import dev.meerkat.bench.compare.SideBySideMain;
import dev.meerkat.bench.load.LoadClient;
import dev.meerkat.bench.load.LoadGenerator;
import dev.meerkat.bench.load.LoadOptions;
import dev.meerkat.bench.load.LoadResult;

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
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Meerkat's own client against the official ZooKeeper 3.9.5 client, both loading the same Meerkat
 * server in one run: the same ops (create, setData, getData, mixed), sessions, requests in flight
 * per session and value size, through the same closed loop ({@link LoadGenerator}). Every round
 * runs each op once through each client, alternating which client goes first, and the figures are
 * medians over the rounds.
 *
 * <p>It starts one Meerkat server in a JVM of its own ({@link ServerProcess}) unless {@code
 * --server host:port} names one. Prints each figure as {@code <metric>: <ours> vs <official> =
 * <ratio>x} (ratio = ours / official) and writes client-compare.json.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.meerkat.bench.client.ClientCompare
 * --quick}; see {@link ClientCompareOptions#USAGE}.
 */
public final class ClientCompare {
    private static final String LOAD_ROOT = "/meerkat-bench-client";
    private static final List<LoadClient> CLIENTS = List.of(LoadClient.MEERKAT, LoadClient.OFFICIAL);

    /** Everything a run produced. */
    public record Report(List<Metric> metrics, Path json, Map<String, Object> document) {
    }

    private final ClientCompareOptions opts;
    private final Progress progress;
    private final PrintStream out;
    /** op name -> client name -> one result per round */
    private final Map<String, Map<String, List<LoadResult>>> results = new LinkedHashMap<>();
    private final Map<LoadResult, Double> loadAverageAfter = new IdentityHashMap<>();

    public ClientCompare(ClientCompareOptions opts, Progress progress, PrintStream out) {
        this.opts = opts;
        this.progress = progress;
        this.out = out;
    }

    public static void main(String[] args) {
        SideBySideMain.run(args, ClientCompareOptions.USAGE, ClientCompareOptions::parse, "client comparison",
                opts -> new ClientCompare(opts, Progress.stderr(), System.out).run());
    }

    /** Runs everything; a server it started has stopped when this returns or throws. */
    public Report run() throws IOException, InterruptedException {
        OffsetDateTime started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        Files.createDirectories(opts.out());
        Path work = null;
        ServerProcess server = null;
        boolean ok = false;
        Map<String, Object> machine;
        try {
            if (opts.server() == null) {
                work = opts.workDir() != null ? Files.createDirectories(opts.workDir())
                        : Files.createTempDirectory("meerkat-client-compare-");
                server = startServer(work);
            }
            machine = Compare.machine(work != null ? work : opts.out());
            String connect = server != null ? server.connectString() : opts.server();
            progress.println("clients: " + LoadClient.MEERKAT.display() + " vs " + LoadClient.OFFICIAL.display()
                    + ", against " + (server != null ? "a Meerkat server started here (-Xmx" + opts.heap()
                    + ", fsync on) at " + connect : "the server at " + connect) + "; machine: " + machine.get("cpus")
                    + " CPUs, " + machine.get("java"));
            Double load = (Double) machine.get("loadAverageAtStart");
            if (load != null && load > 0.5 * Runtime.getRuntime().availableProcessors()) {
                progress.println("warning: load average " + load + " before starting: other processes compete"
                        + " for the CPUs and the figures will be noisy (both clients alike, as the runs alternate)");
            }
            runLoads(connect, server == null ? null : server::cpuNanos);
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
        Path json = opts.out().resolve("client-compare.json");
        Files.writeString(json, Json.write(doc));
        out.println();
        out.println("results: " + json.toAbsolutePath());
        out.flush();
        return new Report(metrics, json, doc);
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

    private void runLoads(String connect, LongSupplier serverCpu) throws IOException, InterruptedException {
        LoadOptions base = LoadOptions.defaults().with(b -> {
            b.connect = connect;
            b.sessions = opts.sessions();
            b.outstanding = opts.outstanding();
            b.warmupSeconds = opts.warmupSeconds();
            b.durationSeconds = opts.durationSeconds();
            b.keys = opts.keys();
            b.valueSize = opts.valueSize();
            b.root = LOAD_ROOT;
            b.progress = true;
            // a create run's nodes would otherwise pile up in the server's heap from run to run
            b.cleanup = true;
        });
        int steps = opts.runs() * opts.ops().size() * CLIENTS.size();
        int step = 0;
        for (int run = 1; run <= opts.runs(); run++) {
            for (String op : opts.ops()) {
                // Alternate which client goes first, so that neither always follows the other.
                List<LoadClient> order = run % 2 == 1 ? CLIENTS : List.of(CLIENTS.get(1), CLIENTS.get(0));
                for (LoadClient client : order) {
                    step++;
                    String label = String.format(Locale.ROOT, "%d/%d %s %s run %d/%d", step, steps, name(op),
                            client.name(), run, opts.runs());
                    LoadOptions lo = base.withOp(ClientCompareOptions.op(op), opts.readPercent())
                            .withClient(client.name()).withLabel(label);
                    LoadResult r = LoadGenerator.run(lo, progress, serverCpu);
                    if (r.errors() > 0 || r.undrained() > 0) {
                        throw new IOException(label + ": " + r.errors() + " errors (first: " + r.firstError() + "), "
                                + r.undrained() + " unanswered");
                    }
                    loadAverageAfter.put(r, Compare.loadAverage());
                    results.computeIfAbsent(op, k -> new LinkedHashMap<>())
                            .computeIfAbsent(client.name(), k -> new ArrayList<>()).add(r);
                    progress.println(String.format(Locale.ROOT, "%s: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms,"
                            + " p99.9 %.2f ms, client CPU %.1f us/op (load average %s)", label, r.opsPerSecond(),
                            r.latency().p50() / 1000.0, r.latency().p99() / 1000.0, r.latency().p999() / 1000.0,
                            r.clientCpuMicrosPerOp(), loadAverageAfter.get(r)));
                }
            }
        }
    }

    /** How an op is named in the figures. */
    private String name(String op) {
        return op.equals("mixed") ? "mixed " + opts.readPercent() + "/" + (100 - opts.readPercent()) : op;
    }

    List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        for (String op : results.keySet()) {
            String n = name(op);
            m.add(metric(n + " ops/s", op, LoadResult::opsPerSecond, true));
            m.add(metric(n + " p50 latency us", op, r -> r.latency().p50(), false));
            m.add(metric(n + " p99 latency us", op, r -> r.latency().p99(), false));
            m.add(metric(n + " p999 latency us", op, r -> r.latency().p999(), false));
            m.add(metric(n + " client CPU us per op", op, LoadResult::clientCpuMicrosPerOp, false));
        }
        return m;
    }

    /** Ours against the official client: the medians over the rounds. */
    private Metric metric(String name, String op, ToDoubleFunction<LoadResult> f, boolean higherIsBetter) {
        Map<String, List<LoadResult>> byClient = results.get(op);
        return new Metric(name, median(byClient.get(LoadClient.MEERKAT.name()), f),
                median(byClient.get(LoadClient.OFFICIAL.name()), f), higherIsBetter, Double.NaN);
    }

    private static double median(List<LoadResult> runs, ToDoubleFunction<LoadResult> f) {
        return Compare.median(runs.stream().mapToDouble(f).toArray());
    }

    private Map<String, Object> document(OffsetDateTime started, Map<String, Object> machine, List<Metric> metrics) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tool", ClientCompare.class.getName());
        d.put("started", started.toString());
        d.put("machine", machine);
        d.put("loadAverageAtEnd", Compare.loadAverage());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("quick", opts.quick());
        s.put("server", opts.server() != null ? opts.server() : "Meerkat started by the tool, -Xmx" + opts.heap());
        s.put("runs", opts.runs());
        s.put("warmupSeconds", opts.warmupSeconds());
        s.put("durationSeconds", opts.durationSeconds());
        s.put("sessions", opts.sessions());
        s.put("outstandingPerSession", opts.outstanding());
        s.put("keys", opts.keys());
        s.put("valueSize", opts.valueSize());
        s.put("readPercent", opts.readPercent());
        s.put("ops", new ArrayList<Object>(opts.ops()));
        s.put("statistic", "median over runs; ratio = ours / official");
        d.put("settings", s);
        List<Object> ms = new ArrayList<>();
        for (Metric m : metrics) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", m.name());
            mm.put("ours", m.meerkat());
            mm.put("official", m.zookeeper());
            mm.put("ratio", m.ratio());
            mm.put("better", m.higherIsBetter() ? "higher" : "lower");
            mm.put("line", m.line());
            ms.add(mm);
        }
        d.put("metrics", ms);
        Map<String, Object> l = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<LoadResult>>> e : results.entrySet()) {
            Map<String, Object> byClient = new LinkedHashMap<>();
            for (Map.Entry<String, List<LoadResult>> c : e.getValue().entrySet()) {
                List<Object> runs = new ArrayList<>();
                for (LoadResult r : c.getValue()) {
                    Map<String, Object> run = r.toMap();
                    run.put("loadAverageAfter", loadAverageAfter.get(r));
                    runs.add(run);
                }
                byClient.put(c.getKey(), runs);
            }
            l.put(e.getKey(), byClient);
        }
        d.put("loads", l);
        return d;
    }
}
