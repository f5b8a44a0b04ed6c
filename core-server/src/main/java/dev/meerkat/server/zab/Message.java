package dev.meerkat.server.zab;

import java.util.List;

/**
 * What servers say to each other. Three families:
 *
 * <ul>
 *   <li>{@link Notification}: fast leader election, between any two servers.</li>
 *   <li>{@link LearnerMessage}s: a learner (follower or observer) to its leader. Each names the
 *       learner's {@code session}, a number the learner picks afresh every time it joins a leader
 *       and that grows across its restarts; the leader ignores a session older than the one it
 *       holds, so a stale message from a previous connection cannot act on the current one. They
 *       are idempotent or cumulative, so loss, reordering and duplication cost nothing but time.</li>
 *   <li>{@link LeaderMessage}s: a leader's ordered stream to one learner session, numbered by
 *       {@code seq} from 0. ZAB needs this stream in order and without holes (a follower must log
 *       proposals in zxid order and must not apply half a sync, ZOOKEEPER-2355). Over TCP the numbers
 *       only ever match; the core still checks them, so that it stays correct over any network: a
 *       learner processes only the next number, holds early ones, drops duplicates, and reports the
 *       next number it wants in every {@link PingReply}; the leader re-sends from there when the
 *       stream stalls.</li>
 * </ul>
 */
public sealed interface Message {

    /**
     * A vote, or an answer about the current leader.
     *
     * @param leader the proposed (or, from a FOLLOWING/LEADING sender, the established) leader
     * @param zxid the proposed leader's last zxid
     * @param peerEpoch the proposed leader's currentEpoch
     * @param round the sender's election round (ZooKeeper's logical clock)
     * @param state the sender's role
     * @param voter whether the sender votes; observers' notifications only ask who leads
     */
    record Notification(int leader, long zxid, long peerEpoch, long round, Role state, boolean voter)
            implements Message {
    }

    /** From a learner to its leader. */
    sealed interface LearnerMessage extends Message {
        long session();
    }

    /** From a leader to one learner session, in stream order. */
    sealed interface LeaderMessage extends Message {
        long session();

        long seq();
    }

    /** A learner asks to join: ZooKeeper's FOLLOWERINFO / OBSERVERINFO. Re-sent every tick until answered. */
    record FollowerInfo(long session, boolean observer, long acceptedEpoch) implements LearnerMessage {
    }

    /**
     * The learner has durably accepted {@code epoch} (ACKEPOCH). {@code counted} is false when it had
     * already accepted that epoch before: then it may be synced but must not count again toward the
     * quorum that establishes the epoch, since it may have promised it to another would-be leader.
     * Re-sent every tick until the sync arrives.
     */
    record AckEpoch(long session, long epoch, boolean counted, long currentEpoch, long lastZxid, LogSummary log)
            implements LearnerMessage {
    }

    /**
     * Cumulative: the learner's durable log equals the leader's through {@code zxid}, and its
     * currentEpoch {@code epoch} is durable. The first one a session sends is its NEWLEADER ack.
     */
    record Ack(long session, long epoch, long zxid) implements LearnerMessage {
    }

    /**
     * The answer to a ping: the learner is alive, {@code ack} repeats its latest {@link Ack} (-1
     * before it has acknowledged NEWLEADER) so a lost Ack costs one tick, and {@code nextSeq} tells
     * the leader where its stream stands.
     */
    record PingReply(long session, long epoch, long ack, long nextSeq) implements LearnerMessage {
    }

    /** The leader's epoch, answering FollowerInfo: LEADERINFO / NEWEPOCH. */
    record LeaderInfo(long session, long seq, long epoch) implements LeaderMessage {
    }

    /** How the leader brings a learner's log to its own. */
    enum SyncKind {
        /** Append the entries the learner lacks. */
        DIFF,
        /** Cut the learner's log after {@code truncateTo}, then append. */
        TRUNC,
        /** Replace the learner's state with the snapshot, then append. */
        SNAP
    }

    /**
     * One whole synchronisation, so that no learner ever holds half of one (ZOOKEEPER-3104: nothing
     * of the sync may come after NEWLEADER): the point the entries follow, a snapshot for SNAP, the
     * entries, and the leader's commit point at the time.
     *
     * @param after the zxid the entries follow: for DIFF the learner's last zxid, for TRUNC the
     *     point to cut the learner's log after, for SNAP the snapshot's zxid
     */
    record Sync(long session, long seq, SyncKind kind, long after, Snapshot snapshot, List<Proposal> entries,
                long commitZxid) implements LeaderMessage {
        public Sync {
            entries = List.copyOf(entries);
        }
    }

    /** The end of the sync: once durable, the learner's history is {@code epoch}'s initial history. */
    record NewLeader(long session, long seq, long epoch) implements LeaderMessage {
    }

    /** A quorum holds the initial history; the learner may serve. */
    record UpToDate(long session, long seq, long commitZxid) implements LeaderMessage {
    }

    /** A new entry for a follower to log and acknowledge. */
    record Propose(long session, long seq, Proposal proposal) implements LeaderMessage {
    }

    /** Cumulative: every entry through {@code zxid} is committed. */
    record Commit(long session, long seq, long zxid) implements LeaderMessage {
    }

    /** A committed entry for an observer (ZooKeeper's INFORM), which never sees uncommitted ones. */
    record Inform(long session, long seq, Proposal proposal) implements LeaderMessage {
    }

    /** Sent every tick; the learner answers with a {@link PingReply}. */
    record Ping(long session, long seq) implements LeaderMessage {
    }
}
