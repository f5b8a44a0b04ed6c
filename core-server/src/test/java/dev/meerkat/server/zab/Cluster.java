package dev.meerkat.server.zab;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A deterministic world for {@link ZabNode}s: servers with simulated disks, a network with per-link
 * delay (hence reordering), loss, duplication and partitions, crashes and restarts, all on one
 * virtual clock and one seeded {@link Random}. Every event (a tick, a delivery, a disk write
 * finishing) is followed by the {@link Checker}'s invariants.
 *
 * <p>The shell loop it runs for each server is the one {@link Ready} documents: messages go out at
 * once, the durable part is written after a random disk delay, and only then is the Ready
 * advanced. A crash drops whatever was not yet written, or (a torn write) keeps a prefix of it.
 */
final class Cluster {
    /** Time units per tick; message and disk delays are drawn in these units. */
    static final int TICK = 10;

    final Random rnd;
    private final TreeMap<Integer, SimServer> servers = new TreeMap<>();
    private final List<SimServer> voters = new ArrayList<>();
    private final int quorum;
    final Checker checker;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long eventSeq;
    long time;
    long ticks;

    // Network and disk behaviour; tests and the random driver change them as they go.
    double lossRate;
    double duplicateRate;
    int minDelay = 1;
    int maxDelay = 3;
    int maxDiskDelay;
    /** Chance that a write stalls for up to {@link #diskStallTicks} (a slow fsync, a busy disk). */
    double diskStallRate;
    int diskStallTicks = 30;
    /**
     * Whether a crash is noticed by the others at once, as a broken TCP connection is
     * ({@link ZabNode#disconnected}); otherwise only silence for syncLimit ticks tells them.
     */
    boolean connectionNotices;
    private final Set<Long> blocked = new java.util.HashSet<>();
    /** Per-link upper bounds on delay, when {@link #varyLinkDelays} drew them; else {@link #maxDelay} for all. */
    private int[][] linkMaxDelay;
    /** Scenario hook: return true to drop a message. */
    MessageFilter dropFilter = (from, env) -> false;
    /** Called after every tick, before the invariants; the random driver injects faults here. */
    Consumer<Cluster> onTick = c -> { };

    private final ArrayDeque<String> trace;
    private final int traceLimit;

    interface MessageFilter {
        boolean drop(int from, Envelope env);
    }

    private abstract static class Event implements Comparable<Event> {
        long at;
        long seq;

        abstract void run();

        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    Cluster(long seed, int voterCount, int observerCount, java.util.function.IntFunction<ZabConfig> configFor,
            int traceLimit) {
        this.rnd = new Random(seed);
        this.traceLimit = traceLimit;
        this.trace = traceLimit > 0 ? new ArrayDeque<>() : null;
        for (int id = 1; id <= voterCount + observerCount; id++) {
            SimServer s = new SimServer(id, configFor.apply(id));
            servers.put(id, s);
            if (id <= voterCount) {
                voters.add(s);
            }
        }
        this.quorum = voterCount / 2 + 1;
        this.checker = new Checker(this);
        for (SimServer s : servers.values()) {
            start(s);
        }
        schedule(TICK, new Event() {
            @Override
            void run() {
                tickAll();
                schedule(TICK, this);
            }
        });
    }

    /** A quiet cluster for scenarios: no loss, delays under a third of a tick, no tracing. */
    static Cluster of(long seed, int voterCount, int observerCount) {
        return new Cluster(seed, voterCount, observerCount, id -> config(id, voterCount, observerCount), 0);
    }

    static ZabConfig config(int id, int voterCount, int observerCount) {
        Set<Integer> v = new java.util.TreeSet<>();
        Set<Integer> o = new java.util.TreeSet<>();
        for (int i = 1; i <= voterCount + observerCount; i++) {
            (i <= voterCount ? v : o).add(i);
        }
        return ZabConfig.of(id, v, o);
    }

    Collection<SimServer> servers() {
        return servers.values();
    }

    List<SimServer> voters() {
        return voters;
    }

    SimServer server(int id) {
        return servers.get(id);
    }

    int quorum() {
        return quorum;
    }

    void trace(String what) {
        if (trace != null) {
            if (trace.size() == traceLimit) {
                trace.removeFirst();
            }
            trace.addLast("t" + ticks + "." + time % TICK + " " + what);
        }
    }

    String traceDump() {
        return trace == null ? "" : String.join("\n", trace);
    }

    String state() {
        StringBuilder b = new StringBuilder();
        for (SimServer s : servers.values()) {
            b.append("  ").append(s).append('\n');
        }
        return b.append("  committed entries: ").append(checker.global.size()).toString();
    }

    private void schedule(long delay, Event e) {
        e.at = time + delay;
        e.seq = eventSeq++;
        queue.add(e);
    }

    // ---------------------------------------------------------------- running

    /** Processes one event. */
    void step() {
        Event e = queue.poll();
        time = e.at;
        e.run();
    }

    void runTicks(int n) {
        long end = ticks + n;
        while (ticks < end) {
            step();
        }
    }

    /** Runs until {@code done} holds (checked after every event) or {@code maxTicks} pass; returns whether it held. */
    boolean runUntil(BooleanSupplier done, int maxTicks) {
        long end = ticks + maxTicks;
        while (!done.getAsBoolean()) {
            if (ticks >= end) {
                return false;
            }
            step();
        }
        return true;
    }

    private void tickAll() {
        ticks++;
        for (SimServer s : servers.values()) {
            if (s.up()) {
                s.node.tick();
                pump(s);
            }
        }
        onTick.accept(this);
    }

    // ---------------------------------------------------------------- the shell

    private void start(SimServer s) {
        s.incarnation++;
        s.node = new ZabNode(s.config, s.incarnation, s.disk.load());
        s.appCount = SimDisk.decodeAppState(s.disk.snapshot);
        s.checkedEstablished = -1;
        s.checkedServing = -1;
        trace("start " + s.id + " #" + s.incarnation + " from disk " + s.disk.hardState + " snap "
                + s.disk.snapshot + " last " + Zxid.toString(s.disk.lastZxid()));
        pump(s);
    }

    /** The shell loop: hand out Readys, send, apply, write (now or later), advance. */
    void pump(SimServer s) {
        while (s.up() && s.inflight == null && s.node.hasReady()) {
            Ready rd = s.node.ready();
            if (trace != null && (rd.role() != s.lastRole || rd.leader() != s.lastLeader)) {
                trace("role " + s.id + " " + rd.role() + " leader " + rd.leader()
                        + (rd.role() == Role.LOOKING ? " (" + s.node.lastLookingReason() + ")" : ""));
            }
            s.lastRole = rd.role();
            s.lastLeader = rd.leader();
            if (trace != null && (rd.mustPersist() || !rd.committed().isEmpty())) {
                trace("ready " + s.id + " " + rd + (rd.entries().isEmpty() ? "" : " " + rd.entries()));
            }
            for (Envelope env : rd.messages()) {
                checker.onSend(s.id, env);
                send(s.id, env);
            }
            if (rd.snapshot() != null) {
                checker.onSnapshotInstall(s, rd.snapshot());
            }
            for (Proposal p : rd.committed()) {
                checker.onDeliver(s, p);
            }
            s.inflight = rd;
            if (s.holdWhen != null && s.holdWhen.test(rd)) {
                break;
            }
            // Even a Ready with nothing to write may come back late (a shell that batches its
            // advances with its fsyncs); the core keeps taking messages meanwhile.
            int delay = maxDiskDelay == 0 ? 0 : rnd.nextInt(maxDiskDelay + 1);
            if (rd.mustPersist() && diskStallRate > 0 && rnd.nextDouble() < diskStallRate) {
                delay += TICK * (1 + rnd.nextInt(diskStallTicks));
            }
            if (delay == 0) {
                finishWrite(s);
            } else {
                int incarnation = s.incarnation;
                schedule(delay, new Event() {
                    @Override
                    void run() {
                        if (s.incarnation == incarnation && s.inflight == rd) {
                            finishWrite(s);
                            pump(s);
                            checker.afterEvent(s);
                        }
                    }
                });
            }
        }
        checker.afterEvent(s);
    }

    private void finishWrite(SimServer s) {
        Ready rd = s.inflight;
        s.inflight = null;
        checker.onDiskRemoved(s, s.disk.write(rd, Integer.MAX_VALUE, false));
        s.node.advance(rd);
    }

    /** Scenario control: leave this server's Readys that match {@code when} unwritten until {@link #writeHeld}. */
    void holdDiskWhen(int id, java.util.function.Predicate<Ready> when) {
        servers.get(id).holdWhen = when;
    }

    /** Scenario control: writes the held Ready of this server (and holds the next one). */
    void writeHeld(int id) {
        SimServer s = servers.get(id);
        if (s.up() && s.inflight != null) {
            finishWrite(s);
            pump(s);
        }
    }

    // ---------------------------------------------------------------- the network

    private static long link(int from, int to) {
        return (long) from << 32 | to;
    }

    private void send(int from, Envelope env) {
        int to = env.to();
        if (dropFilter.drop(from, env) || blocked.contains(link(from, to))) {
            return;
        }
        if (lossRate > 0 && rnd.nextDouble() < lossRate) {
            return;
        }
        int copies = duplicateRate > 0 && rnd.nextDouble() < duplicateRate ? 2 : 1;
        int max = linkMaxDelay == null ? maxDelay : linkMaxDelay[from][to];
        for (int i = 0; i < copies; i++) {
            schedule(minDelay + rnd.nextInt(max - minDelay + 1), new Event() {
                @Override
                void run() {
                    deliver(from, env);
                }
            });
        }
    }

    private void deliver(int from, Envelope env) {
        SimServer s = servers.get(env.to());
        if (!s.up() || blocked.contains(link(from, env.to()))) {
            return;
        }
        if (trace != null) {
            trace(from + "->" + env.to() + " " + env.message());
        }
        s.node.step(from, env.message());
        pump(s);
    }

    /** Gives every directed link its own delay bound between {@link #minDelay} and {@link #maxDelay}. */
    void varyLinkDelays() {
        int n = servers.size() + 1;
        linkMaxDelay = new int[n][n];
        for (int a = 1; a < n; a++) {
            for (int b = 1; b < n; b++) {
                linkMaxDelay[a][b] = minDelay + rnd.nextInt(maxDelay - minDelay + 1);
            }
        }
    }

    /** Cuts every link between {@code side} and the rest. */
    void partition(Set<Integer> side) {
        trace("partition " + side);
        for (int a : servers.keySet()) {
            for (int b : servers.keySet()) {
                if (side.contains(a) != side.contains(b)) {
                    blocked.add(link(a, b));
                }
            }
        }
    }

    void isolate(int id) {
        partition(Set.of(id));
    }

    void heal() {
        trace("heal");
        blocked.clear();
    }

    // ---------------------------------------------------------------- faults

    /**
     * Crashes a server. Of the Ready being written, the first {@code keepSteps} steps reach the disk
     * (0: none; {@link Integer#MAX_VALUE}: all; -1: a random prefix).
     */
    void crash(int id, int keepSteps) {
        SimServer s = servers.get(id);
        if (!s.up()) {
            return;
        }
        if (s.inflight != null) {
            int steps = SimDisk.steps(s.inflight);
            int keep = keepSteps < 0 ? rnd.nextInt(steps + 1) : Math.min(keepSteps, steps);
            // A shell may write the hard state file before the log: the core must not depend on
            // the order of those two within one Ready.
            boolean hardStateFirst = keepSteps < 0 && rnd.nextBoolean();
            trace("crash " + id + " keeping " + keep + " of " + steps + " steps" + (hardStateFirst ? " hard state first"
                    : "") + " of " + s.inflight);
            checker.onDiskRemoved(s, s.disk.write(s.inflight, keep, hardStateFirst));
        } else {
            trace("crash " + id);
        }
        s.inflight = null;
        s.node = null;
        s.holdWhen = null;
        if (connectionNotices) {
            for (SimServer other : servers.values()) {
                if (other.up()) {
                    other.node.disconnected(id);
                    pump(other);
                }
            }
        }
    }

    void restart(int id) {
        SimServer s = servers.get(id);
        if (!s.up()) {
            start(s);
        }
    }

    /** The application of server {@code id} writes a snapshot of its state, if the core allows one now. */
    boolean snapshot(int id) {
        SimServer s = servers.get(id);
        if (!s.up()) {
            return false;
        }
        long z = s.appZxid(checker);
        ZabNode n = s.node;
        if (z <= n.snapshotZxid() || z > n.durableZxid() || z > n.appliedZxid()) {
            return false;
        }
        Snapshot snap = new Snapshot(z, SimDisk.encodeAppState(s.appCount));
        checker.checkSnapshot(s, snap, s.appCount);
        s.disk.saveSnapshot(snap);
        n.compact(z, snap.data());
        trace("snapshot " + id + " " + snap);
        return true;
    }

    // ---------------------------------------------------------------- the application

    /** The server that leads and takes proposals, or null. */
    SimServer servingLeader() {
        for (SimServer s : servers.values()) {
            if (s.up() && s.node.role() == Role.LEADING && s.node.isServing()) {
                return s;
            }
        }
        return null;
    }

    long propose(SimServer leader, byte[] payload) {
        long z = leader.node.propose(payload);
        trace("propose " + leader.id + " " + Zxid.toString(z));
        pump(leader);
        return z;
    }

    /** Proposes {@code n} entries on the serving leader and waits until every server has applied them. */
    List<Proposal> commit(int n) {
        SimServer leader = servingLeader();
        if (leader == null) {
            throw new AssertionError("no serving leader\n" + state());
        }
        List<Proposal> out = new ArrayList<>();
        int target = checker.global.size() + n;
        for (int i = 0; i < n; i++) {
            byte[] payload = ("w" + checker.global.size() + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.add(new Proposal(propose(leader, payload), payload));
        }
        if (!runUntil(() -> checker.global.size() >= target && upCaughtUp(), 100)) {
            throw new AssertionError("writes did not reach everyone\n" + state());
        }
        return out;
    }

    /** Every server is up, synced, and has applied the whole committed log. */
    boolean allCaughtUp() {
        for (SimServer s : servers.values()) {
            if (!s.up()) {
                return false;
            }
        }
        return upCaughtUp();
    }

    /** Every server that is up is synced and has applied the whole committed log. */
    boolean upCaughtUp() {
        int n = checker.global.size();
        for (SimServer s : servers.values()) {
            if (s.up() && (!s.node.isServing() || s.appCount != n)) {
                return false;
            }
        }
        return true;
    }
}
