package dev.meerkat.samples;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.NodeData;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.recipes.DistributedLock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Workers increment a shared counter znode with a plain read and an unversioned write, which
 * would lose updates without the lock; under the lock the final count is exact.
 */
final class LockSample implements Samples.Sample {
    private static final int WORKERS = 4;
    private static final int INCREMENTS = 10;

    @Override
    public String description() {
        return WORKERS + " workers increment a shared counter znode under a distributed lock";
    }

    @Override
    public Samples.Outcome run(Samples.Context ctx) throws Exception {
        String counter = ctx.root + "/counter";
        List<MeerkatClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            MeerkatClient setup = ctx.connect();
            clients.add(setup);
            setup.sync().create(counter, "0".getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 1; w <= WORKERS; w++) {
                MeerkatClient c = ctx.connect();
                clients.add(c);
                DistributedLock lock = new DistributedLock(c, ctx.root + "/lock");
                String name = "worker-" + w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < INCREMENTS; i++) {
                        lock.lock();
                        try {
                            NodeData d = c.sync().getData(counter);
                            int next = Integer.parseInt(new String(d.data(), StandardCharsets.UTF_8)) + 1;
                            c.sync().setData(counter, Integer.toString(next).getBytes(StandardCharsets.UTF_8));
                            ctx.say("%s holds the lock: counter %d -> %d", name, next - 1, next);
                        } finally {
                            lock.unlock();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            int finalCount = Integer.parseInt(new String(setup.sync().getData(counter).data(), StandardCharsets.UTF_8));
            int expected = WORKERS * INCREMENTS;
            return new Samples.Outcome(finalCount == expected,
                    WORKERS + " workers x " + INCREMENTS + " increments under the lock: final count " + finalCount
                            + " (expected " + expected + ")");
        } finally {
            pool.shutdownNow();
            clients.forEach(MeerkatClient::close);
        }
    }
}
