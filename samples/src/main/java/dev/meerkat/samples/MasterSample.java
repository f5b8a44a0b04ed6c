package dev.meerkat.samples;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.recipes.LeaderElection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Three batch jobs elect a master; only the master works; it is killed and another takes over. */
final class MasterSample implements Samples.Sample {
    @Override
    public String description() {
        return "three batch jobs elect a master, the master is killed, another takes over";
    }

    /** One batch-job process: its client, its election, and whether it is still alive. */
    private static final class Job {
        final String id;
        final MeerkatClient client;
        LeaderElection election;
        volatile boolean alive = true;
        final AtomicInteger batches = new AtomicInteger();
        final CountDownLatch stoppedWorking = new CountDownLatch(1);

        Job(String id, MeerkatClient client) {
            this.id = id;
            this.client = client;
        }
    }

    @Override
    public Samples.Outcome run(Samples.Context ctx) throws Exception {
        AtomicInteger working = new AtomicInteger();
        AtomicInteger mostWorking = new AtomicInteger();
        AtomicReference<Job> master = new AtomicReference<>();
        CountDownLatch firstMaster = new CountDownLatch(1);
        CountDownLatch secondMasterWorked = new CountDownLatch(1);
        long[] killedAt = {0};
        long[] takeoverNanos = {-1};
        List<Job> jobs = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                Job job = new Job("batch-job-" + i, ctx.connect());
                jobs.add(job);
                job.election = LeaderElection.withTask(job.client, ctx.root + "/master", job.id, leadership -> {
                    ctx.say("%s is master", job.id);
                    mostWorking.accumulateAndGet(working.incrementAndGet(), Math::max);
                    if (master.getAndSet(job) != null && killedAt[0] != 0 && takeoverNanos[0] < 0) {
                        takeoverNanos[0] = System.nanoTime() - killedAt[0];
                    }
                    firstMaster.countDown();
                    try {
                        while (job.alive && leadership.hasLeadership()) {
                            int n = job.batches.incrementAndGet();
                            ctx.say("  %s processes batch %d", job.id, n);
                            if (killedAt[0] != 0 && n >= 3) {
                                secondMasterWorked.countDown();
                            }
                            Thread.sleep(100);
                        }
                    } finally {
                        working.decrementAndGet();
                        job.stoppedWorking.countDown();
                    }
                    if (!job.alive) {
                        // a crashed process does nothing more; it sits here until its session is gone
                        new CountDownLatch(1).await();
                    }
                });
                job.election.start();
                ctx.say("%s joined the election (session 0x%x)", job.id, job.client.sessionId());
            }
            if (!firstMaster.await(30, TimeUnit.SECONDS)) {
                return new Samples.Outcome(false, "nobody became master");
            }
            Job first = master.get();
            while (first.batches.get() < 3) {
                Thread.sleep(20);
            }
            ctx.say("killing the master %s", first.id);
            first.alive = false;
            first.stoppedWorking.await(10, TimeUnit.SECONDS);
            killedAt[0] = System.nanoTime();
            first.client.close();
            if (!secondMasterWorked.await(Samples.SESSION_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                return new Samples.Outcome(false, "no other job took over");
            }
            Job second = master.get();
            ctx.say("stopping the remaining jobs");
            long takeoverMs = TimeUnit.NANOSECONDS.toMillis(takeoverNanos[0]);
            boolean ok = second != first && mostWorking.get() == 1 && takeoverNanos[0] >= 0
                    && takeoverMs < Samples.SESSION_TIMEOUT.toMillis();
            return new Samples.Outcome(ok, first.id + " was master and was killed; " + second.id + " took over in "
                    + takeoverMs + " ms (session timeout " + Samples.SESSION_TIMEOUT.toMillis() + " ms); most masters at once: "
                    + mostWorking.get());
        } finally {
            for (Job job : jobs) {
                job.alive = false;
                job.election.close();
                job.client.close();
            }
        }
    }
}
