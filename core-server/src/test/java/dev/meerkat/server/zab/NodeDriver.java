package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.FollowerInfo;
import dev.meerkat.server.zab.Message.Notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One {@link ZabNode} driven by hand, with the test playing every other server: for scenarios that
 * need a message or a disk write at an exact moment. Its shell writes to a {@link SimDisk} only when
 * told, so a test can look at what the node sends while a write is outstanding.
 */
final class NodeDriver {
    final ZabNode node;
    final SimDisk disk = new SimDisk();
    final List<Envelope> sent = new ArrayList<>();
    final List<Proposal> delivered = new ArrayList<>();
    final List<Ready> readys = new ArrayList<>();
    /** A Ready handed out and not yet written. */
    Ready outstanding;

    NodeDriver(ZabConfig config) {
        this(config, PersistentState.empty());
    }

    NodeDriver(ZabConfig config, PersistentState state) {
        disk.hardState = state.hardState();
        disk.snapshot = state.snapshot();
        disk.log.addAll(state.log());
        node = new ZabNode(config, 1, state);
    }

    static ZabConfig threeVoters(int myid) {
        return ZabConfig.of(myid, Set.of(1, 2, 3), Set.of()).withFinalizeWaitTicks(0);
    }

    void step(int from, Message m) {
        node.step(from, m);
    }

    /** Hands out a Ready (if any) and records what it sends, without writing it. */
    Ready cut() {
        if (outstanding != null || !node.hasReady()) {
            return null;
        }
        Ready rd = node.ready();
        readys.add(rd);
        sent.addAll(rd.messages());
        delivered.addAll(rd.committed());
        outstanding = rd;
        return rd;
    }

    /** Writes the outstanding Ready and advances it. */
    void persist() {
        Ready rd = outstanding;
        outstanding = null;
        disk.write(rd, Integer.MAX_VALUE, false);
        node.advance(rd);
    }

    /** Cuts and writes Readys until there is nothing left. */
    void flush() {
        if (outstanding != null) {
            persist();
        }
        while (cut() != null) {
            persist();
        }
    }

    <T extends Message> List<T> sentTo(int to, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Envelope e : sent) {
            if (e.to() == to && type.isInstance(e.message())) {
                out.add(type.cast(e.message()));
            }
        }
        return out;
    }

    <T extends Message> T lastSentTo(int to, Class<T> type) {
        List<T> all = sentTo(to, type);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Makes this (looking) voter follow {@code leader}, on the word of the leader and one other voter
     * that it leads epoch {@code epoch}; returns the session of the FOLLOWERINFO it sends.
     */
    long follow(int leader, int other, long epoch) {
        node.step(leader, new Notification(leader, 0, epoch, 1, Role.LEADING, true));
        node.step(other, new Notification(leader, 0, epoch, 1, Role.FOLLOWING, true));
        flush();
        if (node.role() != Role.FOLLOWING || node.leader() != leader) {
            throw new AssertionError("did not follow " + leader + ": " + node);
        }
        return lastSentTo(leader, FollowerInfo.class).session();
    }
}
