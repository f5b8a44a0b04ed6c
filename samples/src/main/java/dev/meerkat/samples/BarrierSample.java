package dev.meerkat.samples;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.recipes.DoubleBarrier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Workers arrive one by one and start together, then finish together, on a double barrier. */
final class BarrierSample implements Samples.Sample {
    private static final int WORKERS = 4;

    @Override
    public String description() {
        return WORKERS + " workers arrive at different times and start together on a double barrier";
    }

    @Override
    public Samples.Outcome run(Samples.Context ctx) throws Exception {
        String path = ctx.root + "/round-1";
        List<MeerkatClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        AtomicLong lastArrival = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        long t0 = System.nanoTime();
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int w = 1; w <= WORKERS; w++) {
                MeerkatClient client = ctx.connect();
                clients.add(client);
                DoubleBarrier barrier = new DoubleBarrier(client, path, WORKERS);
                String name = "worker-" + w;
                int delay = w * 100;
                results.add(pool.submit(() -> {
                    Thread.sleep(delay); // workers become ready at different times
                    lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
                    ctx.say("%s arrives at %d ms and waits", name, ms(t0));
                    boolean in = barrier.enter(Duration.ofSeconds(30));
                    firstStart.accumulateAndGet(System.nanoTime(), Math::min);
                    ctx.say("%s starts at %d ms", name, ms(t0));
                    boolean out = barrier.leave(Duration.ofSeconds(30));
                    ctx.say("%s done at %d ms", name, ms(t0));
                    return in && out;
                }));
            }
            boolean all = true;
            for (Future<Boolean> r : results) {
                all &= r.get(60, TimeUnit.SECONDS);
            }
            boolean together = firstStart.get() >= lastArrival.get();
            return new Samples.Outcome(all && together, WORKERS + " workers: the first started "
                    + TimeUnit.NANOSECONDS.toMillis(firstStart.get() - lastArrival.get())
                    + " ms after the last arrived; all left together");
        } finally {
            pool.shutdownNow();
            clients.forEach(MeerkatClient::close);
        }
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
