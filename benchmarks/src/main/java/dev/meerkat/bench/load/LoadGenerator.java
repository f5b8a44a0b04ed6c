package dev.meerkat.bench.load;

import dev.meerkat.bench.BenchLogging;
import dev.meerkat.bench.Json;
import dev.meerkat.bench.Progress;
import dev.meerkat.bench.load.LoadOptions.Op;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Closed-loop load through a client library's asynchronous API: by default the official ZooKeeper
 * 3.9.5 client, so that Meerkat and Apache ZooKeeper face exactly the same client; with {@code
 * --client meerkat} our own ({@link LoadClient}), so that two clients can face the same server.
 * Each session has a driver thread that issues
 * a request whenever one of its {@code outstanding} permits is free; the callback (on the client's
 * event thread) records the latency from just before the call to the callback in an HdrHistogram
 * and returns the permit. A reporter samples the histograms every second for the progress line,
 * discards the warm-up, and sums the measured seconds into the result.
 *
 * <p>{@code java -cp benchmarks.jar dev.meerkat.bench.load.LoadGenerator --connect 127.0.0.1:2181
 * --op setData --duration 30}; see {@link LoadOptions#USAGE}.
 */
public final class LoadGenerator {
    private static final AtomicLong RUNS = new AtomicLong();

    private final LoadOptions opts;
    private final LoadClient client;
    private final Progress progress;
    private final LongSupplier serverCpuNanos;
    private final Recorder reads = new Recorder(3);
    private final Recorder writes = new Recorder(3);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final String[] keys;
    private final byte[] value;
    /** Makes the names of created nodes unique to this run, so that runs can follow each other. */
    private final String createTag;
    private volatile boolean stop;

    private LoadGenerator(LoadOptions opts, Progress progress, LongSupplier serverCpuNanos) {
        this.opts = opts;
        this.client = LoadClient.named(opts.client());
        this.createTag = Long.toString(System.currentTimeMillis(), 36) + Long.toString(RUNS.incrementAndGet(), 36);
        this.progress = progress;
        this.serverCpuNanos = serverCpuNanos;
        this.keys = new String[opts.keys()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = keyPath(opts.root(), k);
        }
        this.value = new byte[opts.valueSize()];
        new Random(42).nextBytes(value);
    }

    static String keyPath(String root, int k) {
        return root + "/k" + String.format(Locale.ROOT, "%06d", k);
    }

    public static void main(String[] args) throws Exception {
        BenchLogging.init();
        LoadOptions opts;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.print(LoadOptions.USAGE);
                return;
            }
            opts = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        LoadResult r = run(opts, Progress.stderr());
        String json = Json.write(r.toMap());
        if (opts.json() != null) {
            Files.writeString(opts.json(), json);
        }
        System.out.print(json);
        System.out.flush();
        if (r.errors() > 0 || r.undrained() > 0) {
            System.err.println("warning: " + r.errors() + " errors (first: " + r.firstError() + "), "
                    + r.undrained() + " requests unanswered");
            System.exit(1);
        }
    }

    /**
     * Connects the sessions, makes sure the keys exist with values of the asked size, runs the
     * warm-up and the measured window, and closes the sessions.
     *
     * @param progress where the per-second line goes; null for none (opts.progress() false also
     *     silences it)
     */
    public static LoadResult run(LoadOptions opts, Progress progress) throws IOException, InterruptedException {
        return run(opts, progress, null);
    }

    /**
     * As {@link #run(LoadOptions, Progress)}, and also reports the CPU time the server spent in the
     * measured window, read from {@code serverCpuNanos} at its start and end (null: not reported).
     */
    public static LoadResult run(LoadOptions opts, Progress progress, LongSupplier serverCpuNanos)
            throws IOException, InterruptedException {
        return new LoadGenerator(opts, opts.progress() ? progress : null, serverCpuNanos).run();
    }

    private LoadResult run() throws IOException, InterruptedException {
        List<LoadClient.Session> sessions = new ArrayList<>();
        List<Driver> drivers = new ArrayList<>();
        try {
            for (int s = 0; s < opts.sessions(); s++) {
                sessions.add(client.connect(opts.connect(), opts.sessionTimeoutMs()));
            }
            prepare(sessions.get(0));
            for (int s = 0; s < sessions.size(); s++) {
                drivers.add(new Driver(s, sessions.get(s)));
            }
            LoadResult result = measure(drivers);
            if (opts.cleanup() && opts.op() == Op.CREATE) {
                deleteCreated(sessions.get(0), drivers);
            }
            return result;
        } finally {
            stop = true;
            for (Driver d : drivers) {
                d.thread.interrupt();
            }
            for (Driver d : drivers) {
                d.thread.join(10_000);
            }
            for (LoadClient.Session s : sessions) {
                s.close();
            }
        }
    }

    /** The root, and unless the run creates nodes, every key with a value of the asked size. */
    private void prepare(LoadClient.Session session) throws IOException, InterruptedException {
        bulk("create " + opts.root(), 1, 1, Set.of(LoadClient.NODE_EXISTS),
                (k, done) -> session.create(opts.root(), new byte[0], done, 0));
        if (opts.op() != Op.CREATE) {
            // create, or overwrite what an earlier run left
            bulk("write the keys", keys.length, 100, Set.of(), (k, done) -> session.create(keys[k], value,
                    (start, error) -> {
                        if (LoadClient.NODE_EXISTS.equals(error)) {
                            session.setData(keys[k], value, done, start);
                        } else {
                            done.completed(start, error);
                        }
                    }, 0));
        }
    }

    private void deleteCreated(LoadClient.Session session, List<Driver> drivers)
            throws IOException, InterruptedException {
        List<String> paths = new ArrayList<>();
        for (Driver d : drivers) {
            for (long n = 0; n < d.created; n++) {
                paths.add(d.createdPath(n));
            }
        }
        if (progress != null) {
            progress.update("[" + opts.label() + "] deleting the " + paths.size() + " nodes created");
        }
        bulk("delete the created nodes", paths.size(), 100, Set.of(LoadClient.NO_NODE),
                (k, done) -> session.delete(paths.get(k), done, 0));
    }

    /** Sends one request. */
    @FunctionalInterface
    private interface Request {
        void issue(int k, LoadClient.Completion done);
    }

    /**
     * Requests 0 to count-1 with at most {@code outstanding} in flight, waiting for all of them;
     * an error other than the accepted ones ends it with an IOException.
     */
    private static void bulk(String what, int count, int outstanding, Set<String> accepted, Request request)
            throws IOException, InterruptedException {
        Semaphore permits = new Semaphore(outstanding);
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<String> failure = new AtomicReference<>();
        LoadClient.Completion completion = (start, error) -> {
            if (error != null && !accepted.contains(error)) {
                failure.compareAndSet(null, error);
            }
            permits.release();
            done.countDown();
        };
        for (int k = 0; k < count && failure.get() == null; k++) {
            permits.acquire();
            request.issue(k, completion);
        }
        if (failure.get() == null && !done.await(120, TimeUnit.SECONDS)) {
            throw new IOException(what + ": not done after 120 s, " + done.getCount() + " left");
        }
        if (failure.get() != null) {
            throw new IOException("cannot " + what + ": " + failure.get());
        }
    }

    private LoadResult measure(List<Driver> drivers) throws InterruptedException {
        Histogram allReads = new Histogram(3);
        Histogram allWrites = new Histogram(3);
        List<LoadResult.Second> seconds = new ArrayList<>();
        long measuredErrors = 0;
        int total = opts.warmupSeconds() + opts.durationSeconds();
        long t0 = System.nanoTime();
        // Resets the recorders so that nothing from before t0 is counted.
        Histogram readIv = reads.getIntervalHistogram();
        Histogram writeIv = writes.getIntervalHistogram();
        errors.set(0);
        for (Driver d : drivers) {
            d.thread.start();
        }
        long prev = t0;
        long measureStart = t0;
        long clientCpuStart = clientCpuNanos();
        long serverCpuStart = serverCpu();
        for (int s = 1; s <= total; s++) {
            long tick = t0 + TimeUnit.SECONDS.toNanos(s);
            long wait;
            while ((wait = tick - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long now = System.nanoTime();
            readIv = reads.getIntervalHistogram(readIv);
            writeIv = writes.getIntervalHistogram(writeIv);
            long ivErrors = errors.getAndSet(0);
            Histogram both = readIv.copy();
            both.add(writeIv);
            double rate = both.getTotalCount() / ((now - prev) / 1e9);
            boolean measuring = s > opts.warmupSeconds();
            if (measuring) {
                allReads.add(readIv);
                allWrites.add(writeIv);
                measuredErrors += ivErrors;
                seconds.add(new LoadResult.Second(s - opts.warmupSeconds(), rate,
                        both.getValueAtPercentile(50), both.getValueAtPercentile(99), ivErrors));
            } else {
                measureStart = now;
                clientCpuStart = clientCpuNanos();
                serverCpuStart = serverCpu();
            }
            if (progress != null) {
                String phase = measuring ? (s - opts.warmupSeconds()) + "/" + opts.durationSeconds() + " s"
                        : "warm-up " + s + "/" + opts.warmupSeconds() + " s";
                progress.update(String.format(Locale.ROOT, "[%s] %s | %,.0f ops/s | p50 %s p99 %s | errors %d",
                        opts.label(), phase, rate, millis(both.getValueAtPercentile(50)),
                        millis(both.getValueAtPercentile(99)), ivErrors));
            }
            prev = now;
        }
        long measureEnd = prev;
        long clientCpu = clientCpuNanos() - clientCpuStart;
        long serverCpu = serverCpuStart < 0 ? -1 : serverCpu() - serverCpuStart;
        stop = true;
        long undrained = 0;
        for (Driver d : drivers) {
            d.thread.join(10_000);
        }
        for (Driver d : drivers) {
            if (!d.permits.tryAcquire(opts.outstanding(), 60, TimeUnit.SECONDS)) {
                undrained += opts.outstanding() - d.permits.availablePermits();
            }
        }
        if (progress != null) {
            progress.finish();
        }
        Histogram all = allReads.copy();
        all.add(allWrites);
        return new LoadResult(opts, all.getTotalCount(), measuredErrors, (measureEnd - measureStart) / 1e9,
                LatencyStats.of(all), LatencyStats.of(allReads), LatencyStats.of(allWrites), seconds,
                firstError.get(), undrained, clientCpu / 1e9, serverCpu < 0 ? Double.NaN : serverCpu / 1e9);
    }

    private long serverCpu() {
        return serverCpuNanos == null ? -1 : serverCpuNanos.getAsLong();
    }

    /** CPU time of this JVM (the client), or -1 where the JVM does not tell. */
    private static long clientCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }

    /** One session's request loop and its callbacks. */
    private final class Driver implements Runnable {
        final int index;
        final LoadClient.Session session;
        final Semaphore permits;
        final Thread thread;
        final Done readDone;
        final Done writeDone;
        long created;

        Driver(int index, LoadClient.Session session) {
            this.index = index;
            this.session = session;
            this.permits = new Semaphore(opts.outstanding());
            this.readDone = new Done(reads, permits);
            this.writeDone = new Done(writes, permits);
            this.thread = new Thread(this, "load-driver-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    if (stop) {
                        permits.release();
                        break;
                    }
                    issue();
                }
            } catch (InterruptedException e) {
                // stopping
            }
        }

        private void issue() {
            long start = System.nanoTime();
            switch (opts.op()) {
                case CREATE -> session.create(createdPath(created++), value, writeDone, start);
                case SET_DATA -> session.setData(randomKey(), value, writeDone, start);
                case GET_DATA -> session.getData(randomKey(), readDone, start);
                case EXISTS -> session.exists(randomKey(), readDone, start);
                case MIXED -> {
                    if (ThreadLocalRandom.current().nextInt(100) < opts.readPercent()) {
                        session.getData(randomKey(), readDone, start);
                    } else {
                        session.setData(randomKey(), value, writeDone, start);
                    }
                }
                default -> throw new IllegalStateException(opts.op().toString());
            }
        }

        /** The n-th node this session creates (or created). */
        String createdPath(long n) {
            return opts.root() + "/c" + createTag + "-" + index + "-" + n;
        }

        private String randomKey() {
            return keys[ThreadLocalRandom.current().nextInt(keys.length)];
        }
    }

    /** Completion of a request of one kind: latency into its recorder, permit back. */
    private final class Done implements LoadClient.Completion {
        private final Recorder recorder;
        private final Semaphore permits;

        Done(Recorder recorder, Semaphore permits) {
            this.recorder = recorder;
            this.permits = permits;
        }

        @Override
        public void completed(long startNanos, String error) {
            long micros = (System.nanoTime() - startNanos) / 1000;
            if (error == null) {
                recorder.recordValue(Math.max(micros, 1));
            } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, error);
            }
            permits.release();
        }
    }
}
