package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.Ack;
import dev.meerkat.server.zab.Message.AckEpoch;
import dev.meerkat.server.zab.Message.FollowerInfo;
import dev.meerkat.server.zab.Message.LeaderMessage;
import dev.meerkat.server.zab.Message.Notification;
import dev.meerkat.server.zab.Message.PingReply;

import java.util.ArrayList;
import java.util.List;

/**
 * One server's ZAB, as a pure state machine in the manner of etcd's raft library: no sockets,
 * clocks, threads or randomness. Time arrives as {@link #tick()}, peers' messages as
 * {@link #step(int, Message)}, the application's writes as {@link #propose(byte[])} on the leader;
 * what the shell must write, send and apply comes out as a {@link Ready}, and the shell reports it
 * done with {@link #advance(Ready)}. Everything that happens is a function of those calls, so a
 * simulator can run many servers through crashes and partitions from one seed.
 *
 * <p>The roles are separate classes, each alive only while the server holds that role:
 * {@link Election} (LOOKING), {@link Leader} (LEADING) and {@link Learner} (FOLLOWING, OBSERVING).
 * This class holds what outlives a role: the log, the epochs, what is durable, what is committed
 * and delivered, and the effects waiting for the next Ready.
 *
 * <p>Not thread-safe: one thread owns a node (ZOOKEEPER-4785 was two threads sharing sync state).
 *
 * <p>A protocol violation by a peer (a stream message out of place, a proposal that would leave a
 * hole) makes this server drop the leader and look again, as ZooKeeper closes the connection; it is
 * counted in {@link #protocolViolations()}. A request to destroy delivered state (a truncation or
 * snapshot below what was applied) is a broken invariant, and throws {@link IllegalStateException}:
 * the shell must stop the server rather than serve from damaged state.
 */
public final class ZabNode {
    final ZabConfig config;
    final int myid;
    private final long incarnation;
    final History history;
    private HardState hardState;
    private HardState durableHardState;
    /** The largest zxid up to which the log on disk equals the log in memory; -1 when not even the base. */
    private long durableZxid;
    /** Lowest truncation point since the Ready in flight was cut; it caps what that Ready makes durable. */
    private long truncatedSinceReady = Long.MAX_VALUE;
    /**
     * Truncations (and snapshot installs) made in memory, and how many of them the disk has. While
     * they differ the disk still holds entries the log in memory has dropped.
     */
    private long truncationsMade;
    private long truncationsWritten;
    private long commitZxid;
    private long appliedZxid;
    long now;
    private Role role = Role.LOOKING;
    private int leaderId = -1;
    private final Election election;
    private Leader leader;
    private Learner learner;
    private long joins;
    private long violations;
    private String lastLookingReason = "start";

    private boolean hardStateDirty;
    private Snapshot pendingSnapshot;
    private long pendingTruncate = Ready.NO_TRUNCATION;
    private List<Proposal> pendingEntries = new ArrayList<>();
    private List<Proposal> pendingCommitted = new ArrayList<>();
    private List<Envelope> pendingMessages = new ArrayList<>();
    private boolean roleDirty = true;
    private Ready inflight;

    /**
     * Starts a server from what its disk holds; it begins LOOKING.
     *
     * @param incarnation a number that grows every time this server starts (a boot counter kept in
     *     the data directory, or the start time in seconds); below 9 000 000 000. Learner sessions are
     *     numbered from it, so a message from before a restart can never pass for a current one.
     * @throws IllegalArgumentException if the persistent state is inconsistent (a log with a hole,
     *     entries from an epoch never accepted): starting from it could spread the damage
     */
    public ZabNode(ZabConfig config, long incarnation, PersistentState state) {
        if (incarnation < 0 || incarnation >= 9_000_000_000L) {
            throw new IllegalArgumentException("incarnation " + incarnation);
        }
        this.config = config;
        this.myid = config.myid();
        this.incarnation = incarnation;
        this.history = new History(state.snapshot(), state.log());
        long lastEpoch = Zxid.epoch(history.lastZxid());
        if (lastEpoch > state.hardState().acceptedEpoch()) {
            // Entries of an epoch arrive only after that epoch was accepted and made durable.
            throw new IllegalArgumentException("log reaches epoch " + lastEpoch + " beyond acceptedEpoch "
                    + state.hardState().acceptedEpoch());
        }
        this.hardState = state.hardState();
        this.durableHardState = hardState;
        this.durableZxid = history.lastZxid();
        this.commitZxid = history.baseZxid();
        this.appliedZxid = history.baseZxid();
        this.election = new Election(this);
        election.start();
    }

    // ---------------------------------------------------------------- inputs

    /** One unit of time has passed. */
    public void tick() {
        now++;
        switch (role) {
            case LOOKING -> election.tick();
            case LEADING -> leader.tick();
            case FOLLOWING, OBSERVING -> learner.tick();
        }
    }

    /** A message from server {@code from}. Messages from outside the ensemble are ignored. */
    public void step(int from, Message m) {
        if (from == myid || !config.isMember(from)) {
            return;
        }
        if (m instanceof Notification n) {
            election.onNotification(from, n);
        } else if (m instanceof LeaderMessage lm) {
            if (learner != null && learner.leader == from) {
                learner.onMessage(lm);
            }
        } else if (leader != null) {
            if (m instanceof FollowerInfo fi) {
                leader.onFollowerInfo(from, fi);
            } else if (m instanceof AckEpoch a) {
                leader.onAckEpoch(from, a);
            } else if (m instanceof Ack a) {
                leader.onAck(from, a);
            } else if (m instanceof PingReply r) {
                leader.onPingReply(from, r);
            }
        }
    }

    /**
     * The connection to server {@code peer} broke. A learner whose leader that is looks for a new
     * one at once instead of waiting syncLimit ticks of silence: over TCP a dead process is known
     * within milliseconds, and this is most of what makes failover fast. Going LOOKING is always
     * safe; if the leader is in fact alive, the election answers with it and the learner rejoins.
     */
    public void disconnected(int peer) {
        if (learner != null && learner.leader == peer) {
            becomeLooking("connection to leader " + peer + " lost");
        }
    }

    /**
     * The zxid the next {@link #propose} will assign, so the application can prepare a txn that
     * names it; only while {@link #isServing()} on the leader.
     */
    public long nextZxid() {
        if (leader == null) {
            throw new IllegalStateException("not the leader (role " + role + ")");
        }
        return leader.nextZxid();
    }

    /**
     * Proposes a new entry; only while {@link #isServing()} on the leader.
     *
     * @return the zxid assigned; the entry is committed when it appears in {@link Ready#committed()}
     * @throws IllegalStateException if this server is not a serving leader
     */
    public long propose(byte[] payload) {
        if (leader == null) {
            throw new IllegalStateException("not the leader (role " + role + ")");
        }
        return leader.propose(payload);
    }

    /**
     * The application has written a snapshot of its state through {@code zxid} to disk; the core may
     * forget the entries it covers and will send it to learners too far behind (SNAP). {@code zxid}
     * must be delivered (the snapshot holds only committed state) and durable in the log.
     */
    public void compact(long zxid, byte[] data) {
        if (zxid > appliedZxid || zxid > durableZxid) {
            throw new IllegalArgumentException("snapshot at " + Zxid.toString(zxid) + " is beyond applied "
                    + Zxid.toString(appliedZxid) + " or durable " + Zxid.toString(durableZxid));
        }
        if (zxid > history.baseZxid()) {
            history.compact(new Snapshot(zxid, data));
        }
    }

    // ---------------------------------------------------------------- outputs

    public boolean hasReady() {
        return roleDirty || hardStateDirty || pendingSnapshot != null || pendingTruncate != Ready.NO_TRUNCATION
                || !pendingEntries.isEmpty() || !pendingCommitted.isEmpty() || !pendingMessages.isEmpty();
    }

    /**
     * The effects since the last Ready. At most one Ready is outstanding: call {@link #advance}
     * before asking for the next. {@link #step}, {@link #tick} and {@link #propose} may be called
     * while one is outstanding.
     */
    public Ready ready() {
        if (inflight != null) {
            throw new IllegalStateException("advance() the previous Ready first");
        }
        Ready rd = new Ready(hardStateDirty ? hardState : null, pendingSnapshot, pendingTruncate, pendingEntries,
                pendingCommitted, pendingMessages, role, leaderId, history.lastZxid(), truncationsMade);
        hardStateDirty = false;
        pendingSnapshot = null;
        pendingTruncate = Ready.NO_TRUNCATION;
        pendingEntries = new ArrayList<>();
        pendingCommitted = new ArrayList<>();
        pendingMessages = new ArrayList<>();
        roleDirty = false;
        truncatedSinceReady = Long.MAX_VALUE;
        inflight = rd;
        return rd;
    }

    /** The shell has written every durable field of {@code rd} to disk (fsynced). */
    public void advance(Ready rd) {
        if (rd != inflight) {
            throw new IllegalStateException("advance() of a Ready that is not the outstanding one");
        }
        inflight = null;
        durableZxid = Math.min(rd.lastZxid, truncatedSinceReady);
        truncatedSinceReady = Long.MAX_VALUE;
        truncationsWritten = rd.truncations;
        if (rd.hardState() != null) {
            durableHardState = rd.hardState();
        }
        if (leader != null) {
            leader.progress();
        } else if (learner != null) {
            learner.progress();
        }
    }

    // ---------------------------------------------------------------- observation

    public int myid() {
        return myid;
    }

    public Role role() {
        return role;
    }

    /** The leader this server follows or is, -1 while looking. */
    public int leader() {
        return leaderId;
    }

    /** A leader that has a quorum on its initial history and takes proposals; or a synced learner. */
    public boolean isServing() {
        if (leader != null) {
            return leader.canPropose();
        }
        return learner != null && learner.isServing();
    }

    /** The epoch this server leads once a quorum has accepted it, else -1. */
    public long establishedEpoch() {
        return leader != null && leader.established() ? leader.epoch() : -1;
    }

    public HardState hardState() {
        return hardState;
    }

    public HardState durableHardState() {
        return durableHardState;
    }

    public long lastZxid() {
        return history.lastZxid();
    }

    public long durableZxid() {
        return durableZxid;
    }

    public long commitZxid() {
        return commitZxid;
    }

    public long appliedZxid() {
        return appliedZxid;
    }

    public long snapshotZxid() {
        return history.baseZxid();
    }

    /** The log entry with {@code zxid}, or null when not held (or covered by the snapshot). */
    public Proposal entry(long zxid) {
        return history.get(zxid);
    }

    public LogSummary logSummary() {
        return history.summary();
    }

    public long electionRound() {
        return election.round();
    }

    public long protocolViolations() {
        return violations;
    }

    /** Why this server last went LOOKING. */
    public String lastLookingReason() {
        return lastLookingReason;
    }

    @Override
    public String toString() {
        return "ZabNode[" + myid + " " + role + " leader=" + leaderId + " " + hardState + " last="
                + Zxid.toString(history.lastZxid()) + " durable=" + Zxid.toString(durableZxid) + " commit="
                + Zxid.toString(commitZxid) + " applied=" + Zxid.toString(appliedZxid) + "]";
    }

    // ---------------------------------------------------------------- for the roles

    /** The epoch of the leader this server leads or follows, once known; else -1. */
    long leaderEpoch() {
        if (leader != null) {
            return leader.epoch();
        }
        return learner != null ? learner.epoch() : -1;
    }

    Learner learner() {
        return learner;
    }

    /**
     * Whether the log on disk is exactly the log in memory through {@code zxid}: written that far,
     * and holding nothing the log in memory has since cut off. Only then may currentEpoch vouch
     * for it, since a restarted server votes with whatever its disk holds.
     */
    boolean logDurableThrough(long zxid) {
        return durableZxid >= zxid && truncationsWritten == truncationsMade;
    }

    Vote selfVote() {
        return new Vote(myid, history.lastZxid(), hardState.currentEpoch());
    }

    void send(int to, Message m) {
        pendingMessages.add(new Envelope(to, m));
    }

    void electionDecided(int leaderOf) {
        leaderId = leaderOf;
        roleDirty = true;
        if (leaderOf == myid) {
            role = Role.LEADING;
            leader = new Leader(this);
        } else {
            role = config.isObserver(myid) ? Role.OBSERVING : Role.FOLLOWING;
            learner = new Learner(this, leaderOf, incarnation * 1_000_000_000L + ++joins);
        }
    }

    void becomeLooking(String reason) {
        lastLookingReason = reason;
        role = Role.LOOKING;
        leaderId = -1;
        leader = null;
        learner = null;
        roleDirty = true;
        election.start();
    }

    void protocolViolation(String what) {
        violations++;
        becomeLooking("protocol violation " + what);
    }

    void setAcceptedEpoch(long epoch) {
        if (epoch > hardState.acceptedEpoch()) {
            hardState = new HardState(epoch, hardState.currentEpoch());
            hardStateDirty = true;
        }
    }

    void setCurrentEpoch(long epoch) {
        if (epoch > hardState.acceptedEpoch()) {
            throw new IllegalStateException("currentEpoch " + epoch + " beyond acceptedEpoch " + hardState);
        }
        if (epoch > hardState.currentEpoch()) {
            hardState = new HardState(hardState.acceptedEpoch(), epoch);
            hardStateDirty = true;
        }
    }

    boolean append(Proposal p) {
        if (!history.append(p)) {
            return false;
        }
        pendingEntries.add(p);
        return true;
    }

    void truncate(long after) {
        if (after < commitZxid) {
            throw new IllegalStateException("refusing to truncate after " + Zxid.toString(after)
                    + ": entries through " + Zxid.toString(commitZxid) + " are committed");
        }
        history.truncateAfter(after);
        pendingEntries.removeIf(p -> p.zxid() > after);
        if (pendingSnapshot == null) {
            pendingTruncate = pendingTruncate == Ready.NO_TRUNCATION ? after : Math.min(pendingTruncate, after);
        }
        durableZxid = Math.min(durableZxid, after);
        truncatedSinceReady = Math.min(truncatedSinceReady, after);
        truncationsMade++;
    }

    void installSnapshot(Snapshot s) {
        if (s.zxid() < appliedZxid) {
            throw new IllegalStateException("refusing snapshot at " + Zxid.toString(s.zxid()) + " below applied "
                    + Zxid.toString(appliedZxid));
        }
        history.reset(s);
        pendingSnapshot = s;
        pendingTruncate = Ready.NO_TRUNCATION;
        pendingEntries.clear();
        // Whatever was delivered but not yet handed out is inside the snapshot, which the
        // application installs first.
        pendingCommitted.clear();
        appliedZxid = s.zxid();
        commitZxid = Math.max(commitZxid, s.zxid());
        durableZxid = -1;
        truncatedSinceReady = -1;
        truncationsMade++;
    }

    /** Everything through {@code zxid} is committed; deliver what the log holds of it, in order. */
    void commitTo(long zxid) {
        if (zxid > commitZxid) {
            commitZxid = zxid;
        }
        long through = Math.min(commitZxid, history.lastZxid());
        while (appliedZxid < through) {
            Proposal p = history.next(appliedZxid);
            pendingCommitted.add(p);
            appliedZxid = p.zxid();
        }
    }
}
