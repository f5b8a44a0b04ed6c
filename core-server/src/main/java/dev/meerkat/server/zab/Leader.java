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
import dev.meerkat.server.zab.Message.SyncKind;
import dev.meerkat.server.zab.Message.UpToDate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * One term of leadership: ZooKeeper's Leader and its LearnerHandlers. It lives from the election's
 * decision until the server steps down.
 *
 * <ol>
 *   <li><b>Discovery.</b> Collect FOLLOWERINFO from a quorum (this server included), choose an
 *       epoch above every accepted epoch among them, send LEADERINFO, and wait for a quorum of
 *       counted ACKEPOCHs. If any of them is more recent than this server (higher currentEpoch, or
 *       the same and a higher zxid), give up: that server may hold a committed txn this one lacks.
 *       This server counts its own ACKEPOCH only once its acceptedEpoch is durable.</li>
 *   <li><b>Synchronisation.</b> Send each learner one {@link Sync} (DIFF, TRUNC or SNAP computed
 *       from its {@link LogSummary}) then NEWLEADER; once a quorum (again this server only when its
 *       history and currentEpoch are durable) has acknowledged NEWLEADER, the initial history is
 *       committed, the leader serves, and learners that acknowledged get UPTODATE.</li>
 *   <li><b>Broadcast.</b> Proposals go to every follower whose sync has been sent; the commit point
 *       is the highest zxid a quorum has durably acknowledged (this server's own durable log
 *       counting as its acknowledgement); COMMIT goes to followers and INFORM to observers.</li>
 * </ol>
 */
final class Leader {
    enum Stage {
        AWAIT_EPOCH_ACK, EPOCH_ACKED, SYNCED, ACKED, UPTODATE
    }

    /** ZooKeeper's LearnerHandler: one learner's session and the stream to it. */
    static final class Session {
        final int sid;
        final long id;
        final boolean observer;
        Stage stage = Stage.AWAIT_EPOCH_ACK;
        boolean leaderInfoSent;
        AckEpoch ackEpoch;
        long nextSeq;
        /** Sent and not yet confirmed by the learner's nextSeq: what a stall re-sends. */
        final ArrayDeque<LeaderMessage> unconfirmed = new ArrayDeque<>();
        long confirmedSeq;
        long lastProgress;
        long acked = -1;
        long lastHeard;
        long informedThrough = -1;

        Session(int sid, long id, boolean observer, long now) {
            this.sid = sid;
            this.id = id;
            this.observer = observer;
            this.lastHeard = now;
            this.lastProgress = now;
        }
    }

    /** Ticks without progress in a learner's stream before the unconfirmed part is sent again. */
    private static final int RESEND_AFTER_TICKS = 2;

    private final ZabNode node;
    private final ZabConfig config;
    private final History history;
    private final long startTick;
    /** acceptedEpoch of each voter that has asked to follow, this server included. */
    private final Map<Integer, Long> candidates = new TreeMap<>();
    private long epoch = -1;
    private final TreeSet<Integer> epochAcks = new TreeSet<>();
    private boolean established;
    private long initialEnd = -1;
    private boolean serving;
    private boolean exhausted;
    private final Map<Integer, Session> sessions = new TreeMap<>();

    Leader(ZabNode node) {
        this.node = node;
        this.config = node.config;
        this.history = node.history;
        this.startTick = node.now;
        candidates.put(node.myid, node.hardState().acceptedEpoch());
        maybeChooseEpoch();
    }

    long epoch() {
        return epoch;
    }

    boolean established() {
        return established;
    }

    boolean canPropose() {
        return serving && !exhausted;
    }

    void onFollowerInfo(int from, FollowerInfo fi) {
        if (fi.observer() != config.isObserver(from)) {
            return;
        }
        Session s = sessions.get(from);
        if (s != null && s.id == fi.session()) {
            resend(s);
            return;
        }
        if (s != null && s.id > fi.session()) {
            return;
        }
        s = new Session(from, fi.session(), fi.observer(), node.now);
        sessions.put(from, s);
        if (!fi.observer() && epoch < 0) {
            candidates.merge(from, fi.acceptedEpoch(), Math::max);
            maybeChooseEpoch();
        } else if (!fi.observer() && fi.acceptedEpoch() > epoch) {
            // The voter has promised a later epoch (to a would-be leader that failed, or to a newer
            // one): it can never follow this one. Leaving it out forever would cost a voter for
            // good; a new election picks an epoch it can accept.
            node.becomeLooking("voter " + from + " has accepted epoch " + fi.acceptedEpoch() + " beyond " + epoch);
            return;
        }
        if (epoch >= 0) {
            sendLeaderInfo(s);
        }
    }

    private void maybeChooseEpoch() {
        if (epoch >= 0 || candidates.size() < config.quorum()) {
            return;
        }
        long max = 0;
        for (long e : candidates.values()) {
            max = Math.max(max, e);
        }
        epoch = max + 1;
        node.setAcceptedEpoch(epoch);
        for (Session s : sessions.values()) {
            sendLeaderInfo(s);
        }
    }

    private void sendLeaderInfo(Session s) {
        if (!s.leaderInfoSent) {
            s.leaderInfoSent = true;
            send(s, seq -> new LeaderInfo(s.id, seq, epoch));
        }
    }

    void onAckEpoch(int from, AckEpoch a) {
        Session s = sessions.get(from);
        if (s == null || s.id != a.session() || a.epoch() != epoch) {
            return;
        }
        s.lastHeard = node.now;
        if (s.stage != Stage.AWAIT_EPOCH_ACK) {
            if (s.stage.compareTo(Stage.SYNCED) >= 0) {
                resend(s);
            }
            return;
        }
        if (!established && moreRecentThanMe(a)) {
            node.becomeLooking("learner " + from + " (" + a.currentEpoch() + "/" + Zxid.toString(a.lastZxid())
                    + ") is ahead of this leader");
            return;
        }
        confirm(s, 1);
        s.ackEpoch = a;
        s.stage = Stage.EPOCH_ACKED;
        if (a.counted() && !s.observer) {
            epochAcks.add(from);
        }
        if (established) {
            syncIfDue(s);
        }
        progress();
    }

    private boolean moreRecentThanMe(AckEpoch a) {
        long mine = node.hardState().currentEpoch();
        return a.currentEpoch() > mine || a.currentEpoch() == mine && a.lastZxid() > history.lastZxid();
    }

    private void syncIfDue(Session s) {
        if (s.stage != Stage.EPOCH_ACKED || !established || s.observer && !serving) {
            return;
        }
        // Observers only ever hold committed entries, so they are synced to the commit point.
        long limit = s.observer ? node.commitZxid() : history.lastZxid();
        long common = history.summaryThrough(limit).commonPoint(s.ackEpoch.log());
        SyncKind kind;
        long from;
        if (common < 0) {
            kind = SyncKind.SNAP;
            from = history.baseZxid();
        } else if (common < s.ackEpoch.log().lastZxid()) {
            kind = SyncKind.TRUNC;
            from = common;
        } else {
            kind = SyncKind.DIFF;
            from = common;
        }
        List<Proposal> entries = history.between(from, limit);
        Snapshot snapshot = kind == SyncKind.SNAP ? history.base() : null;
        long commit = Math.min(node.commitZxid(), limit);
        send(s, seq -> new Sync(s.id, seq, kind, from, snapshot, entries, commit));
        send(s, seq -> new NewLeader(s.id, seq, epoch));
        s.stage = Stage.SYNCED;
        s.informedThrough = limit;
    }

    void onAck(int from, Ack a) {
        Session s = sessions.get(from);
        if (s == null || s.id != a.session()) {
            return;
        }
        s.lastHeard = node.now;
        acknowledge(s, a.epoch(), a.zxid());
    }

    void onPingReply(int from, PingReply r) {
        Session s = sessions.get(from);
        if (s == null || s.id != r.session()) {
            return;
        }
        s.lastHeard = node.now;
        confirm(s, r.nextSeq());
        if (r.ack() >= 0) {
            acknowledge(s, r.epoch(), r.ack());
        }
    }

    /** The learner has processed its stream up to (not including) {@code nextSeq}. */
    private void confirm(Session s, long nextSeq) {
        if (nextSeq <= s.confirmedSeq) {
            return;
        }
        s.confirmedSeq = nextSeq;
        s.lastProgress = node.now;
        while (!s.unconfirmed.isEmpty() && s.unconfirmed.peekFirst().seq() < nextSeq) {
            s.unconfirmed.removeFirst();
        }
    }

    private void acknowledge(Session s, long ackEpoch, long zxid) {
        if (ackEpoch != epoch || s.stage.compareTo(Stage.SYNCED) < 0 || zxid > history.lastZxid()) {
            return;
        }
        s.acked = Math.max(s.acked, zxid);
        if (s.stage == Stage.SYNCED) {
            s.stage = Stage.ACKED;
            if (serving) {
                upToDate(s);
            }
        }
        progress();
    }

    private void upToDate(Session s) {
        s.stage = Stage.UPTODATE;
        long commit = node.commitZxid();
        send(s, seq -> new UpToDate(s.id, seq, commit));
    }

    long nextZxid() {
        long last = history.lastZxid();
        return Zxid.of(epoch, Zxid.epoch(last) == epoch ? Zxid.counter(last) + 1 : 1);
    }

    long propose(byte[] payload) {
        if (!canPropose()) {
            throw new IllegalStateException("not serving");
        }
        long last = history.lastZxid();
        long counter = Zxid.epoch(last) == epoch ? Zxid.counter(last) + 1 : 1;
        Proposal p = new Proposal(Zxid.of(epoch, counter), payload);
        if (!node.append(p)) {
            throw new IllegalStateException(p + " does not follow " + Zxid.toString(last));
        }
        for (Session s : sessions.values()) {
            if (!s.observer && s.stage.compareTo(Stage.SYNCED) >= 0) {
                send(s, seq -> new Propose(s.id, seq, p));
            }
        }
        if (counter >= config.maxCounter()) {
            // The counter must not roll over into the epoch bits: finish what is outstanding, then
            // step down so that the next leader starts a new epoch.
            exhausted = true;
        }
        return p.zxid();
    }

    /** Re-evaluates everything that depends on what is durable here or acknowledged by others. */
    void progress() {
        if (epoch >= 0 && node.durableHardState().acceptedEpoch() >= epoch) {
            epochAcks.add(node.myid);
        }
        if (!established && epoch >= 0 && epochAcks.size() >= config.quorum()) {
            established = true;
            initialEnd = history.lastZxid();
            for (Session s : sessions.values()) {
                syncIfDue(s);
            }
        }
        if (!established) {
            return;
        }
        boolean historyDurable = node.logDurableThrough(initialEnd);
        if (historyDurable && node.hardState().currentEpoch() < epoch) {
            node.setCurrentEpoch(epoch);
        }
        if (!serving) {
            maybeServe(historyDurable);
        }
        if (serving) {
            advanceCommit();
        }
    }

    private boolean selfAcked() {
        return node.durableHardState().currentEpoch() == epoch && node.logDurableThrough(initialEnd);
    }

    private void maybeServe(boolean historyDurable) {
        int acks = historyDurable && selfAcked() ? 1 : 0;
        for (Session s : sessions.values()) {
            if (!s.observer && s.stage.compareTo(Stage.ACKED) >= 0) {
                acks++;
            }
        }
        if (acks < config.quorum()) {
            return;
        }
        serving = true;
        node.commitTo(initialEnd);
        for (Session s : sessions.values()) {
            if (s.stage == Stage.ACKED) {
                upToDate(s);
            } else if (s.observer) {
                syncIfDue(s);
            }
        }
    }

    private void advanceCommit() {
        List<Long> acks = new ArrayList<>();
        if (selfAcked()) {
            acks.add(node.durableZxid());
        }
        for (Session s : sessions.values()) {
            if (!s.observer && s.stage.compareTo(Stage.ACKED) >= 0) {
                acks.add(s.acked);
            }
        }
        if (acks.size() >= config.quorum()) {
            acks.sort(null);
            long commit = acks.get(acks.size() - config.quorum());
            if (commit > node.commitZxid()) {
                node.commitTo(commit);
                for (Session s : sessions.values()) {
                    if (s.stage.compareTo(Stage.SYNCED) >= 0) {
                        if (s.observer) {
                            inform(s, commit);
                        } else {
                            send(s, seq -> new Commit(s.id, seq, commit));
                        }
                    }
                }
            }
        }
        if (exhausted && node.commitZxid() == history.lastZxid()) {
            node.becomeLooking("zxid counter of epoch " + epoch + " exhausted");
        }
    }

    private void inform(Session s, long through) {
        for (Proposal p : history.between(s.informedThrough, through)) {
            send(s, seq -> new Inform(s.id, seq, p));
        }
        s.informedThrough = through;
    }

    void tick() {
        if (!serving && node.now - startTick >= config.initLimit()) {
            node.becomeLooking("epoch not established within initLimit");
            return;
        }
        int heard = 1;
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            int limit = s.stage.compareTo(Stage.ACKED) >= 0 ? config.syncLimit() : config.initLimit();
            if (node.now - s.lastHeard >= limit) {
                it.remove();
                continue;
            }
            if (s.stage.compareTo(Stage.SYNCED) >= 0) {
                send(s, seq -> new Ping(s.id, seq));
            }
            if (!s.unconfirmed.isEmpty() && node.now - s.lastProgress >= RESEND_AFTER_TICKS) {
                resend(s);
            }
            if (!s.observer && s.stage.compareTo(Stage.ACKED) >= 0) {
                heard++;
            }
        }
        if (serving && heard < config.quorum()) {
            node.becomeLooking("lost contact with a quorum for syncLimit");
        }
    }

    private void send(Session s, LongFunction<LeaderMessage> make) {
        LeaderMessage m = make.apply(s.nextSeq++);
        s.unconfirmed.addLast(m);
        node.send(s.sid, m);
    }

    /** Sends the unconfirmed part of a stream again; the learner drops what it already has. */
    private void resend(Session s) {
        s.lastProgress = node.now;
        for (LeaderMessage m : s.unconfirmed) {
            node.send(s.sid, m);
        }
    }
}
