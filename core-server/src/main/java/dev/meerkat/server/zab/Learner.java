package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.Ack;
import dev.meerkat.server.zab.Message.AckEpoch;
import dev.meerkat.server.zab.Message.Commit;
import dev.meerkat.server.zab.Message.FollowerInfo;
import dev.meerkat.server.zab.Message.Inform;
import dev.meerkat.server.zab.Message.LeaderInfo;
import dev.meerkat.server.zab.Message.LeaderMessage;
import dev.meerkat.server.zab.Message.NewLeader;
import dev.meerkat.server.zab.Message.Ping;
import dev.meerkat.server.zab.Message.PingReply;
import dev.meerkat.server.zab.Message.Propose;
import dev.meerkat.server.zab.Message.Sync;
import dev.meerkat.server.zab.Message.UpToDate;

import java.util.TreeMap;

/**
 * A follower or observer joined to one leader, for one session: ZooKeeper's Learner, Follower and
 * Observer. It lives from the election's decision until it gives up and the server looks again.
 *
 * <p>The order on NEWLEADER is the one ZooKeeper learned from data loss: the synced history is
 * durable first, then currentEpoch is set (and made durable), and only then is NEWLEADER
 * acknowledged (ZOOKEEPER-3911, 3023, 4646, 4643). Each step waits for the shell's confirmation in
 * {@link ZabNode#advance}, never for a Ready merely handed out.
 */
final class Learner {
    enum Stage {
        /** FOLLOWERINFO sent, waiting for LEADERINFO. */
        REGISTERING,
        /** Epoch accepted; ACKEPOCH sent once durable; waiting for the sync. */
        EPOCH,
        /** Sync applied, waiting for NEWLEADER. */
        SYNCING,
        /** NEWLEADER received; acknowledged once durable; waiting for UPTODATE. */
        NEWLEADER,
        /** Serving: logging, acknowledging, applying commits. */
        BROADCAST
    }

    private final ZabNode node;
    private final ZabConfig config;
    final int leader;
    final long session;
    private final boolean observer;
    private Stage stage = Stage.REGISTERING;
    private long epoch = -1;
    private boolean counted;
    private AckEpoch ackEpoch;
    private long nextSeq;
    /** Stream messages that arrived ahead of a gap, by seq. */
    private final TreeMap<Long, LeaderMessage> early = new TreeMap<>();
    private final long startTick;
    private long lastHeard;
    private long syncedEnd = -1;
    private boolean acking;
    private long lastAck = -1;

    Learner(ZabNode node, int leader, long session) {
        this.node = node;
        this.config = node.config;
        this.leader = leader;
        this.session = session;
        this.observer = config.isObserver(node.myid);
        this.startTick = node.now;
        this.lastHeard = node.now;
        sendFollowerInfo();
    }

    long epoch() {
        return epoch;
    }

    boolean isServing() {
        return stage == Stage.BROADCAST;
    }

    void tick() {
        if (stage != Stage.BROADCAST && node.now - startTick >= config.initLimit()) {
            node.becomeLooking("not synced with leader " + leader + " within initLimit");
            return;
        }
        if (stage == Stage.BROADCAST && node.now - lastHeard >= config.syncLimit()) {
            node.becomeLooking("leader " + leader + " silent for syncLimit");
            return;
        }
        if (stage == Stage.REGISTERING) {
            sendFollowerInfo();
        } else if (stage == Stage.EPOCH && ackEpoch != null) {
            node.send(leader, ackEpoch);
        }
    }

    private void sendFollowerInfo() {
        node.send(leader, new FollowerInfo(session, observer, node.hardState().acceptedEpoch()));
    }

    void onMessage(LeaderMessage m) {
        if (m.session() != session || m.seq() < nextSeq) {
            return;
        }
        if (m.seq() > nextSeq) {
            early.put(m.seq(), m);
            if (early.size() > config.maxStreamBuffer()) {
                node.becomeLooking("gap in leader " + leader + "'s stream not filled");
            }
            return;
        }
        LeaderMessage next = m;
        while (next != null) {
            nextSeq++;
            lastHeard = node.now;
            process(next);
            if (node.learner() != this) {
                return;
            }
            next = early.remove(nextSeq);
        }
        progress();
    }

    private void process(LeaderMessage m) {
        if (m instanceof Ping) {
            node.send(leader, new PingReply(session, epoch, acking && !observer ? lastAck : -1, nextSeq));
        } else if (m instanceof LeaderInfo li) {
            onLeaderInfo(li);
        } else if (m instanceof Sync s) {
            onSync(s);
        } else if (m instanceof NewLeader nl) {
            if (stage != Stage.SYNCING || nl.epoch() != epoch) {
                violation("NEWLEADER in stage " + stage);
                return;
            }
            syncedEnd = node.history.lastZxid();
            stage = Stage.NEWLEADER;
        } else if (m instanceof UpToDate u) {
            if (stage != Stage.NEWLEADER || !acking) {
                violation("UPTODATE before our NEWLEADER ack");
                return;
            }
            stage = Stage.BROADCAST;
            node.commitTo(Math.min(u.commitZxid(), node.history.lastZxid()));
        } else if (m instanceof Propose p) {
            onPropose(p);
        } else if (m instanceof Commit c) {
            if (!synced() || observer || c.zxid() > node.history.lastZxid()) {
                violation("COMMIT " + Zxid.toString(c.zxid()) + " in stage " + stage);
                return;
            }
            node.commitTo(c.zxid());
        } else if (m instanceof Inform i) {
            if (!synced() || !observer || !node.append(i.proposal())) {
                violation("INFORM " + i.proposal() + " does not follow " + Zxid.toString(node.history.lastZxid()));
                return;
            }
            node.commitTo(i.proposal().zxid());
        }
    }

    private boolean synced() {
        return stage == Stage.NEWLEADER || stage == Stage.BROADCAST;
    }

    private void onLeaderInfo(LeaderInfo li) {
        if (stage != Stage.REGISTERING) {
            violation("LEADERINFO in stage " + stage);
            return;
        }
        long accepted = node.hardState().acceptedEpoch();
        // An observer's promise is never counted toward establishing an epoch, so it need not keep
        // one: it only refuses to go back behind the history it already holds.
        long floor = observer ? node.hardState().currentEpoch() : accepted;
        if (li.epoch() < floor) {
            node.becomeLooking("leader " + leader + "'s epoch " + li.epoch() + " is older than accepted " + accepted);
            return;
        }
        counted = li.epoch() > accepted;
        epoch = li.epoch();
        node.setAcceptedEpoch(epoch);
        stage = Stage.EPOCH;
    }

    private void onSync(Sync s) {
        if (stage != Stage.EPOCH || ackEpoch == null) {
            violation("sync in stage " + stage);
            return;
        }
        switch (s.kind()) {
            case SNAP -> node.installSnapshot(s.snapshot());
            case TRUNC -> {
                if (!node.history.contains(s.after())) {
                    violation("TRUNC to " + Zxid.toString(s.after()) + " which the log does not hold");
                    return;
                }
                node.truncate(s.after());
            }
            case DIFF -> {
                // Entries of a new epoch would follow any last zxid by the numbers alone; only the
                // leader's idea of where they start can tell a DIFF meant for another log.
                if (node.history.lastZxid() != s.after()) {
                    violation("DIFF after " + Zxid.toString(s.after()) + " but the log ends at "
                            + Zxid.toString(node.history.lastZxid()));
                    return;
                }
            }
        }
        for (Proposal p : s.entries()) {
            if (!node.append(p)) {
                // ZOOKEEPER-4925: a sync that would leave a hole is refused, not patched over.
                violation("sync entry " + p + " does not follow " + Zxid.toString(node.history.lastZxid()));
                return;
            }
        }
        stage = Stage.SYNCING;
        node.commitTo(Math.min(s.commitZxid(), node.history.lastZxid()));
    }

    private void onPropose(Propose p) {
        long z = p.proposal().zxid();
        if (!synced() || observer || Zxid.epoch(z) != epoch) {
            violation("PROPOSAL " + p.proposal() + " in stage " + stage);
            return;
        }
        if (!node.append(p.proposal())) {
            // ZOOKEEPER-4925: never log across a gap; join again and let the sync fill it.
            violation("PROPOSAL " + p.proposal() + " does not follow " + Zxid.toString(node.history.lastZxid()));
        }
    }

    private void violation(String what) {
        node.protocolViolation("from leader " + leader + ": " + what);
    }

    /** Moves the handshake on as far as what is durable allows; called after messages and after advance. */
    void progress() {
        if (stage == Stage.EPOCH && ackEpoch == null && node.durableHardState().acceptedEpoch() >= epoch) {
            // ZOOKEEPER-2307/1653: the promise goes out only once acceptedEpoch is on disk.
            ackEpoch = new AckEpoch(session, epoch, counted, node.hardState().currentEpoch(),
                    node.history.lastZxid(), node.history.summary());
            node.send(leader, ackEpoch);
        }
        if (synced() && !acking) {
            boolean historyDurable = node.logDurableThrough(syncedEnd);
            if (historyDurable && node.hardState().currentEpoch() < epoch) {
                node.setCurrentEpoch(epoch);
            }
            if (historyDurable && node.durableHardState().currentEpoch() == epoch) {
                acking = true;
                sendAck();
            }
        } else if (acking && !observer && node.durableZxid() > lastAck) {
            sendAck();
        }
    }

    private void sendAck() {
        lastAck = node.durableZxid();
        node.send(leader, new Ack(session, epoch, lastAck));
    }
}
