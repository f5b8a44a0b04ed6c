package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.NewLeader;
import dev.meerkat.server.zab.Message.Propose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulation's invariants, checked as events happen (cheap, incremental) rather than by
 * scanning the world:
 *
 * <ul>
 *   <li><b>One leader per epoch</b>: every NEWLEADER and PROPOSAL of an epoch comes from one server,
 *       and at most one server ever establishes it.</li>
 *   <li><b>One committed log</b>: the first delivery of each position defines the global committed
 *       log; every server's delivered sequence must be a prefix of it, in order, without gaps, and
 *       snapshots a server installs must be prefixes of it too, never behind what it applied.</li>
 *   <li><b>Committed means durable on a quorum</b>: when an entry is first delivered (on the leader,
 *       the moment a client would hear "ok"), a quorum of voters' disks must hold it, so any
 *       minority can crash without losing it; and no disk write may ever remove a committed entry.
 *       Together these keep every committed entry on a quorum's disks for good.</li>
 *   <li><b>Leaders hold every committed entry</b>: when a leader starts to serve an epoch, its log
 *       holds the whole global committed log.</li>
 *   <li>No protocol violation: the cores never see a message out of place.</li>
 * </ul>
 */
final class Checker {
    private final Cluster cluster;
    final ArrayList<Proposal> global = new ArrayList<>();
    private final Map<Long, Integer> position = new HashMap<>();
    private final Map<Long, Integer> epochLeader = new HashMap<>();
    private final Map<Long, Integer> established = new HashMap<>();

    Checker(Cluster cluster) {
        this.cluster = cluster;
    }

    private void fail(String what) {
        throw new AssertionError(what);
    }

    void onSend(int from, Envelope env) {
        Message m = env.message();
        if (m instanceof NewLeader nl) {
            leaderOf(nl.epoch(), from, "NEWLEADER");
        } else if (m instanceof Propose p) {
            leaderOf(Zxid.epoch(p.proposal().zxid()), from, "PROPOSAL");
        }
    }

    private void leaderOf(long epoch, int id, String what) {
        Integer prev = epochLeader.putIfAbsent(epoch, id);
        if (prev != null && prev != id) {
            fail("two leaders in epoch " + epoch + ": " + prev + " and " + id + " (" + what + ")");
        }
    }

    /** After every event: establishment, serving and violations. */
    void afterEvent(SimServer s) {
        ZabNode node = s.node;
        if (node == null) {
            return;
        }
        if (node.protocolViolations() != 0) {
            fail("server " + s.id + " saw a protocol violation: " + node.lastLookingReason());
        }
        long e = node.establishedEpoch();
        if (e >= 0 && s.checkedEstablished != e) {
            s.checkedEstablished = e;
            Integer prev = established.putIfAbsent(e, s.id);
            if (prev != null && prev != s.id) {
                fail("epoch " + e + " established by both " + prev + " and " + s.id);
            }
            leaderOf(e, s.id, "established");
        }
        if (e >= 0 && node.role() == Role.LEADING && node.isServing() && s.checkedServing != e) {
            // Checked when the leader starts to serve, not when a quorum accepts its epoch: a would-be
            // leader whose own acceptedEpoch reached its disk late can still count a quorum after a
            // newer epoch took over and committed more; it can never get a quorum to acknowledge
            // NEWLEADER, so it never serves, and its history never matters.
            s.checkedServing = e;
            checkHoldsGlobal(s);
        }
    }

    private void checkHoldsGlobal(SimServer s) {
        ZabNode node = s.node;
        long base = node.snapshotZxid();
        for (Proposal g : global) {
            if (g.zxid() <= base) {
                continue;
            }
            Proposal mine = node.entry(g.zxid());
            if (!g.equals(mine)) {
                fail("server " + s.id + " serves epoch " + node.establishedEpoch() + " without committed "
                        + g + " (holds " + mine + ", log " + node.logSummary() + ")");
            }
        }
    }

    /** Server {@code s}'s application applies {@code p}. */
    void onDeliver(SimServer s, Proposal p) {
        int at = s.appCount;
        if (at < global.size()) {
            Proposal g = global.get(at);
            if (!g.equals(p)) {
                fail("server " + s.id + " delivers " + p + " at position " + at + " where " + g + " was committed");
            }
        } else {
            long last = global.isEmpty() ? 0 : global.get(global.size() - 1).zxid();
            if (p.zxid() <= last) {
                fail("server " + s.id + " delivers " + p + " after " + Zxid.toString(last) + ": out of order");
            }
            int onDisk = 0;
            for (SimServer v : cluster.voters()) {
                if (v.disk.holds(p)) {
                    onDisk++;
                }
            }
            if (onDisk < cluster.quorum()) {
                fail("server " + s.id + " delivers " + p + " first, but only " + onDisk + " voters hold it on disk");
            }
            position.put(p.zxid(), global.size());
            global.add(p);
        }
        s.appCount = at + 1;
    }

    /** Server {@code s}'s application replaces its state with a snapshot from the leader. */
    void onSnapshotInstall(SimServer s, Snapshot snap) {
        int count = SimDisk.decodeAppState(snap);
        checkSnapshot(s, snap, count);
        if (count < s.appCount) {
            fail("server " + s.id + " installs " + snap + " with " + count + " entries, behind the " + s.appCount
                    + " it applied");
        }
        s.appCount = count;
    }

    void checkSnapshot(SimServer s, Snapshot snap, int count) {
        if (count > global.size()) {
            fail("server " + s.id + " holds " + snap + " with " + count + " entries, more than were committed");
        }
        long z = count == 0 ? 0 : global.get(count - 1).zxid();
        if (z != snap.zxid()) {
            fail("server " + s.id + " holds " + snap + " whose state ends at " + Zxid.toString(z));
        }
    }

    /** Entries a disk write removed: none may be committed. */
    void onDiskRemoved(SimServer s, List<Proposal> removed) {
        for (Proposal p : removed) {
            Integer i = position.get(p.zxid());
            if (i != null && global.get(i).equals(p)) {
                fail("server " + s.id + " removes committed " + p + " from its disk");
            }
        }
    }

    /** At the end: every server has applied the whole committed log. */
    void checkAllDelivered() {
        for (SimServer s : cluster.servers()) {
            if (s.appCount != global.size()) {
                fail("server " + s.id + " applied " + s.appCount + " of " + global.size() + " committed entries");
            }
        }
    }
}
