package dev.meerkat.samples;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.recipes.DistributedQueue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Producers put jobs on a queue; consumers take them; each job is done exactly once. */
final class QueueSample implements Samples.Sample {
    private static final int PRODUCERS = 2;
    private static final int CONSUMERS = 3;
    private static final int JOBS_EACH = 10;

    @Override
    public String description() {
        return PRODUCERS + " producers and " + CONSUMERS + " consumers share a FIFO queue";
    }

    @Override
    public Samples.Outcome run(Samples.Context ctx) throws Exception {
        String path = ctx.root + "/jobs";
        List<MeerkatClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        ConcurrentLinkedQueue<String> done = new ConcurrentLinkedQueue<>();
        AtomicInteger producing = new AtomicInteger(PRODUCERS);
        int total = PRODUCERS * JOBS_EACH;
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 1; c <= CONSUMERS; c++) {
                MeerkatClient client = ctx.connect();
                clients.add(client);
                DistributedQueue queue = new DistributedQueue(client, path);
                String name = "consumer-" + c;
                futures.add(pool.submit(() -> {
                    while (done.size() < total) {
                        byte[] job = queue.take(Duration.ofMillis(200));
                        if (job != null) {
                            String j = new String(job, StandardCharsets.UTF_8);
                            ctx.say("  %s took %s", name, j);
                            done.add(j);
                        } else if (producing.get() == 0 && queue.size() == 0) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            for (int p = 1; p <= PRODUCERS; p++) {
                MeerkatClient client = ctx.connect();
                clients.add(client);
                DistributedQueue queue = new DistributedQueue(client, path);
                String name = "producer-" + p;
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= JOBS_EACH; i++) {
                        String job = name + "/job-" + i;
                        queue.offer(job.getBytes(StandardCharsets.UTF_8));
                        ctx.say("%s offered %s", name, job);
                    }
                    producing.decrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            int distinct = new HashSet<>(done).size();
            boolean ok = done.size() == total && distinct == total;
            return new Samples.Outcome(ok, total + " jobs offered, " + done.size() + " taken, " + distinct
                    + " distinct: each consumed exactly once");
        } finally {
            pool.shutdownNow();
            clients.forEach(MeerkatClient::close);
        }
    }
}
