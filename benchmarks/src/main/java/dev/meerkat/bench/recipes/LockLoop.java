package dev.meerkat.bench.recipes;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N contenders, each a thread with a session and a lock of its own on one path, looping acquire →
 * release with nothing in between, for a warm-up and then a measured period.
 *
 * <p>A cycle counts when its release returns within the measured period, so cycles/s is the rate
 * at which the lock changed hands, with no bias at the edges of the period. An acquire's latency
 * (from the call to its return: the queueing behind the other contenders included) is recorded
 * when it returns within the period. Between acquire and release every thread checks that it is
 * alone: a second holder at the same moment is counted as a violation of mutual exclusion.
 */
public final class LockLoop {
    /** Acquire latencies are recorded in microseconds, up to ten minutes. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
    /** How long stopping may take: every contender finishes its cycle in a queue of N. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What one run measured.
     *
     * @param cycles acquire-release cycles whose release returned within the measured period
     * @param seconds the measured period
     * @param totalCycles every cycle, warm-up and the tail after the period included
     * @param acquireMicros latencies of the acquires that returned within the period
     * @param violations times a contender found another holder while it held the lock (must be 0)
     * @param wakeups watch wake-ups over the whole run, or -1 when the lock does not count them
     * @param perContender cycles within the period, per contender (how fair the hand-over was)
     */
    public record Result(String kind, int contenders, long cycles, double seconds, long totalCycles,
            Histogram acquireMicros, long violations, long wakeups, List<Long> perContender) {

        public double cyclesPerSecond() {
            return cycles / seconds;
        }

        public double p50Micros() {
            return acquireMicros.getValueAtPercentile(50);
        }

        public double p99Micros() {
            return acquireMicros.getValueAtPercentile(99);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lock", kind);
            m.put("contenders", contenders);
            m.put("cycles", cycles);
            m.put("seconds", seconds);
            m.put("cyclesPerSecond", cyclesPerSecond());
            m.put("acquireCount", acquireMicros.getTotalCount());
            m.put("acquireP50Micros", p50Micros());
            m.put("acquireP99Micros", p99Micros());
            m.put("acquireP999Micros", (double) acquireMicros.getValueAtPercentile(99.9));
            m.put("acquireMaxMicros", (double) acquireMicros.getMaxValue());
            m.put("acquireMeanMicros", acquireMicros.getMean());
            m.put("totalCycles", totalCycles);
            m.put("violations", violations);
            m.put("watchWakeups", wakeups < 0 ? null : wakeups);
            m.put("cyclesPerContender", new ArrayList<Object>(perContender));
            return m;
        }
    }

    private LockLoop() {
    }

    /**
     * Opens {@code contenders} sessions of {@code kind}, runs the loop and closes them again.
     *
     * @throws IllegalStateException if a contender failed (the first failure is the cause)
     */
    public static Result run(LockKind kind, String connect, String path, int contenders, Duration warmup,
            Duration duration) throws Exception {
        List<LockKind.Contender> opened = new ArrayList<>();
        try {
            for (int i = 0; i < contenders; i++) {
                opened.add(kind.open(connect, path));
            }
            return run(kind.id(), opened, warmup, duration);
        } finally {
            for (LockKind.Contender c : opened) {
                c.close();
            }
        }
    }

    /** Runs the loop on contenders that are already open; does not close them. */
    static Result run(String kind, List<LockKind.Contender> contenders, Duration warmup, Duration duration)
            throws Exception {
        int n = contenders.size();
        AtomicInteger holders = new AtomicInteger();
        AtomicLong violations = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] measured = new long[n];
        long[] total = new long[n];
        Histogram[] latencies = new Histogram[n];
        long[] window = new long[2];
        // volatile through the array's publication by go.countDown() and the stop flag below
        Stop stop = new Stop();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            LockKind.Contender c = contenders.get(i);
            latencies[i] = new Histogram(HIGHEST_MICROS, 3);
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    long from = window[0];
                    long to = window[1];
                    Histogram h = latencies[me];
                    while (!stop.requested) {
                        long t0 = System.nanoTime();
                        c.acquire();
                        long t1 = System.nanoTime();
                        if (holders.incrementAndGet() != 1) {
                            violations.incrementAndGet();
                        }
                        holders.decrementAndGet();
                        c.release();
                        long t2 = System.nanoTime();
                        total[me]++;
                        if (t1 - from >= 0 && t1 - to < 0) {
                            h.recordValue(Math.min(HIGHEST_MICROS, (t1 - t0) / 1000));
                        }
                        if (t2 - from >= 0 && t2 - to < 0) {
                            measured[me]++;
                        }
                    }
                } catch (InterruptedException e) {
                    if (!stop.requested) {
                        failure.compareAndSet(null, e);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.requested = true;
                }
            }, "lock-" + kind + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        ready.await();
        long start = System.nanoTime();
        window[0] = start + warmup.toNanos();
        window[1] = window[0] + duration.toNanos();
        go.countDown();
        // the measured period is the benchmark itself; a failed contender ends it early
        while (!stop.requested) {
            long left = window[1] - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        stop.requested = true;
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        boolean stuck = false;
        for (Thread t : threads) {
            if (t.isAlive()) {
                stuck = true;
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (failure.get() != null) {
            throw new IllegalStateException(kind + ", " + n + " contenders: a contender failed: " + failure.get(),
                    failure.get());
        }
        if (stuck) {
            throw new IllegalStateException(kind + ", " + n + " contenders: not every contender finished its cycle"
                    + " within " + STOP_TIMEOUT.toSeconds() + " s of the end");
        }
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        long cycles = 0;
        long totalCycles = 0;
        List<Long> per = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(latencies[i]);
            cycles += measured[i];
            totalCycles += total[i];
            per.add(measured[i]);
        }
        long wakeups = 0;
        for (LockKind.Contender c : contenders) {
            long w = c.wakeups();
            wakeups = w < 0 || wakeups < 0 ? -1 : wakeups + w;
        }
        return new Result(kind, n, cycles, duration.toNanos() / 1e9, totalCycles, all, violations.get(), wakeups,
                per);
    }

    private static final class Stop {
        volatile boolean requested;
    }
}
