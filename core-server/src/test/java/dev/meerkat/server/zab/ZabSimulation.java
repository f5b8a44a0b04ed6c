package dev.meerkat.server.zab;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * One seeded random run: a cluster shape, timing, network and fault rates all drawn from the seed;
 * a faulty phase of crashes (with torn writes), restarts, partitions, loss, duplication, reordering,
 * snapshots and proposals to whoever serves; then a fault-free tail that crashes and restarts every
 * server at once, heals the network and requires every server to deliver every committed entry plus
 * a new one. The {@link Checker} runs after every event throughout.
 */
final class ZabSimulation {
    /** What was drawn for a seed; printed with a failure. */
    record Profile(int voters, int observers, int initLimit, int syncLimit, int finalizeWait, int resend,
                   long maxCounter, int streamBuffer, int maxDelay, double loss, double duplicate, int diskDelay,
                   double crash, double restart, double partition, double heal, double snapshot, double propose,
                   int burst, int faultyTicks, double diskStall) {
        static Profile of(long seed) {
            Random r = new Random(seed * 0x9E3779B97F4A7C15L + 1);
            int voters = seed % 2 == 0 ? 3 : 5;
            int observers = (seed / 2) % 2 == 0 ? 0 : 1;
            int maxDelay = pick(r, 2, 5, 10, 25);
            int diskDelay = pick(r, 0, 3, 10, 30);
            // Limits that a real deployment would pick: syncLimit well above a round trip with an
            // fsync in it, initLimit above the handshake's four round trips and three fsyncs.
            // Shorter ones only make the ensemble churn, which the faults already do.
            int roundTripTicks = (2 * maxDelay + diskDelay + Cluster.TICK - 1) / Cluster.TICK;
            int syncLimit = Math.max(2, 2 * roundTripTicks) + r.nextInt(3);
            int initLimit = Math.max(5, 5 * roundTripTicks) + r.nextInt(5);
            return new Profile(voters, observers, initLimit, syncLimit, r.nextInt(3),
                    1 + r.nextInt(3), r.nextInt(4) == 0 ? 3 + r.nextInt(15) : Zxid.MAX_COUNTER,
                    r.nextInt(3) == 0 ? 4 : 4096, maxDelay, pick(r, 0, 0.01, 0.05, 0.15),
                    pick(r, 0, 0.02, 0.1), diskDelay, pick(r, 0, 0.01, 0.03, 0.08),
                    pick(r, 0.05, 0.2, 0.5), pick(r, 0, 0.01, 0.04), pick(r, 0.05, 0.2), pick(r, 0, 0.02, 0.1),
                    pick(r, 0.3, 0.8), 1 + r.nextInt(4), 120 + r.nextInt(120), pick(r, 0, 0, 0.01, 0.05));
        }

        private static int pick(Random r, int... options) {
            return options[r.nextInt(options.length)];
        }

        private static double pick(Random r, double... options) {
            return options[r.nextInt(options.length)];
        }

        ZabConfig config(int id) {
            ZabConfig base = Cluster.config(id, voters, observers);
            return new ZabConfig(id, base.voters(), base.observers(), initLimit, syncLimit, finalizeWait, resend,
                    maxCounter, streamBuffer);
        }
    }

    /** What a run did, for the summary line. */
    record Result(long seed, long ticks, int committed, long elections) {
    }

    static final int TAIL_TICKS = 400;

    private final long seed;
    private final Profile p;
    private final Cluster c;
    private int payloads;

    ZabSimulation(long seed, int traceLimit) {
        this.seed = seed;
        this.p = Profile.of(seed);
        this.c = new Cluster(seed, p.voters, p.observers, p::config, traceLimit);
    }

    Profile profile() {
        return p;
    }

    Cluster cluster() {
        return c;
    }

    Result run() {
        c.maxDelay = p.maxDelay;
        // Half the seeds play TCP: a crash is known to the others at once.
        c.connectionNotices = (seed & 1) == 0;
        if (seed % 8 >= 4) {
            c.varyLinkDelays();
        }
        c.lossRate = p.loss;
        c.duplicateRate = p.duplicate;
        c.maxDiskDelay = p.diskDelay;
        c.diskStallRate = p.diskStall;
        c.onTick = cl -> faults();
        c.runTicks(p.faultyTicks);
        long elections = 0;
        for (SimServer s : c.servers()) {
            elections += s.up() ? s.node.electionRound() : 0;
        }
        tail();
        return new Result(seed, c.ticks, c.checker.global.size(), elections);
    }

    private void faults() {
        Random r = c.rnd;
        for (SimServer s : c.servers()) {
            if (s.up() && r.nextDouble() < p.crash) {
                c.crash(s.id, -1);
            } else if (!s.up() && r.nextDouble() < p.restart) {
                c.restart(s.id);
            }
        }
        if (p.partition > 0 && r.nextDouble() < p.partition) {
            Set<Integer> side = new TreeSet<>();
            for (SimServer s : c.servers()) {
                if (r.nextBoolean()) {
                    side.add(s.id);
                }
            }
            if (!side.isEmpty() && side.size() < c.servers().size()) {
                c.partition(side);
            }
        } else if (r.nextDouble() < p.heal) {
            c.heal();
        }
        for (SimServer s : c.servers()) {
            if (p.snapshot > 0 && r.nextDouble() < p.snapshot) {
                c.snapshot(s.id);
            }
        }
        if (r.nextDouble() < p.propose) {
            proposeToSomeLeader();
        }
    }

    private void proposeToSomeLeader() {
        // More than one server may believe it serves (an old leader cut off from its quorum); any of
        // them may be handed a write, and only one may ever get it committed.
        List<SimServer> leaders = new ArrayList<>();
        for (SimServer s : c.servers()) {
            if (s.up() && s.node.role() == Role.LEADING && s.node.isServing()) {
                leaders.add(s);
            }
        }
        if (leaders.isEmpty()) {
            return;
        }
        SimServer l = leaders.get(c.rnd.nextInt(leaders.size()));
        int n = 1 + c.rnd.nextInt(p.burst);
        for (int i = 0; i < n && l.up() && l.node.isServing(); i++) {
            c.propose(l, ("s" + seed + "-" + payloads++).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Everyone crashes (torn writes included), the network heals, everyone restarts; all must catch up. */
    private void tail() {
        c.trace("---- tail: crash all, heal, restart all");
        for (SimServer s : c.servers()) {
            c.crash(s.id, -1);
        }
        c.heal();
        c.lossRate = 0;
        c.duplicateRate = 0;
        c.diskStallRate = 0;
        for (SimServer s : c.servers()) {
            c.restart(s.id);
        }
        int before = c.checker.global.size();
        c.onTick = cl -> {
            if (c.checker.global.size() == before && c.ticks % 3 == 0) {
                SimServer l = c.servingLeader();
                if (l != null) {
                    c.propose(l, ("tail" + seed + "-" + payloads++).getBytes(StandardCharsets.UTF_8));
                }
            }
        };
        boolean done = c.runUntil(() -> c.checker.global.size() > before && c.allCaughtUp(), TAIL_TICKS);
        if (!done) {
            throw new AssertionError("liveness: " + TAIL_TICKS + " fault-free ticks after restarting everyone, "
                    + "the ensemble has not caught up\n" + c.state());
        }
        c.checker.checkAllDelivered();
    }
}
