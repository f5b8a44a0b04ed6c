package dev.meerkat.bench.load;

import dev.meerkat.bench.BenchLogging;
import dev.meerkat.bench.Json;
import dev.meerkat.bench.Progress;
import dev.meerkat.bench.load.LoadOptions.Op;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Closed-loop load through the official ZooKeeper 3.9.5 client's asynchronous API, so that Meerkat
 * and Apache ZooKeeper face exactly the same client. Each session has a driver thread that issues
 * a request whenever one of its {@code outstanding} permits is free; the callback (on the client's
 * event thread) records the latency from just before the call to the callback in an HdrHistogram
 * and returns the permit. A reporter samples the histograms every second for the progress line,
 * discards the warm-up, and sums the measured seconds into the result.
 *
 * <p>{@code java -cp benchmarks.jar dev.meerkat.bench.load.LoadGenerator --connect 127.0.0.1:2181
 * --op setData --duration 30}; see {@link LoadOptions#USAGE}.
 */
public final class LoadGenerator {
    private static final int OK = KeeperException.Code.OK.intValue();

    private final LoadOptions opts;
    private final Progress progress;
    private final LongSupplier serverCpuNanos;
    private final Recorder reads = new Recorder(3);
    private final Recorder writes = new Recorder(3);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final String[] keys;
    private final byte[] value;
    private volatile boolean stop;

    private LoadGenerator(LoadOptions opts, Progress progress, LongSupplier serverCpuNanos) {
        this.opts = opts;
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
        List<ZooKeeper> sessions = new ArrayList<>();
        List<Driver> drivers = new ArrayList<>();
        try {
            for (int s = 0; s < opts.sessions(); s++) {
                sessions.add(Clients.connect(opts.connect(), opts.sessionTimeoutMs()));
            }
            prepare(sessions.get(0));
            for (int s = 0; s < sessions.size(); s++) {
                drivers.add(new Driver(s, sessions.get(s)));
            }
            return measure(drivers);
        } finally {
            stop = true;
            for (Driver d : drivers) {
                d.thread.interrupt();
            }
            for (Driver d : drivers) {
                d.thread.join(10_000);
            }
            for (ZooKeeper zk : sessions) {
                Clients.closeQuietly(zk);
            }
        }
    }

    private void prepare(ZooKeeper zk) throws IOException, InterruptedException {
        Clients.ensure(zk, opts.root());
        if (opts.op() != Op.CREATE) {
            Clients.putAll(zk, k -> keys[k], keys.length, value, 100, null);
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
        final ZooKeeper zk;
        final Semaphore permits;
        final Thread thread;
        final Done readDone;
        final Done writeDone;
        long created;

        Driver(int index, ZooKeeper zk) {
            this.index = index;
            this.zk = zk;
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
            Long start = System.nanoTime();
            switch (opts.op()) {
                case CREATE -> zk.create(opts.root() + "/c" + index + "-" + (created++), value,
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, writeDone, start);
                case SET_DATA -> zk.setData(randomKey(), value, -1, writeDone, start);
                case GET_DATA -> zk.getData(randomKey(), false, readDone, start);
                case EXISTS -> zk.exists(randomKey(), false, readDone, start);
                case MIXED -> {
                    if (ThreadLocalRandom.current().nextInt(100) < opts.readPercent()) {
                        zk.getData(randomKey(), false, readDone, start);
                    } else {
                        zk.setData(randomKey(), value, -1, writeDone, start);
                    }
                }
                default -> throw new IllegalStateException(opts.op().toString());
            }
        }

        private String randomKey() {
            return keys[ThreadLocalRandom.current().nextInt(keys.length)];
        }
    }

    /** Completion of a request of one kind: latency into its recorder, permit back. */
    private final class Done implements AsyncCallback.StatCallback, AsyncCallback.DataCallback,
            AsyncCallback.StringCallback {
        private final Recorder recorder;
        private final Semaphore permits;

        Done(Recorder recorder, Semaphore permits) {
            this.recorder = recorder;
            this.permits = permits;
        }

        private void done(int rc, Object ctx) {
            long micros = (System.nanoTime() - (Long) ctx) / 1000;
            if (rc == OK) {
                recorder.recordValue(Math.max(micros, 1));
            } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, KeeperException.Code.get(rc).toString());
            }
            permits.release();
        }

        @Override
        public void processResult(int rc, String path, Object ctx, Stat stat) {
            done(rc, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, byte[] data, Stat stat) {
            done(rc, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, String name) {
            done(rc, ctx);
        }
    }
}
