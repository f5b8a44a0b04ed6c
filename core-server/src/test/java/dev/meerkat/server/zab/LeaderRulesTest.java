package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.Ack;
import dev.meerkat.server.zab.Message.AckEpoch;
import dev.meerkat.server.zab.Message.Commit;
import dev.meerkat.server.zab.Message.FollowerInfo;
import dev.meerkat.server.zab.Message.LeaderInfo;
import dev.meerkat.server.zab.Message.NewLeader;
import dev.meerkat.server.zab.Message.Notification;
import dev.meerkat.server.zab.Message.PingReply;
import dev.meerkat.server.zab.Message.Propose;
import dev.meerkat.server.zab.Message.Sync;
import dev.meerkat.server.zab.Message.SyncKind;
import dev.meerkat.server.zab.Message.UpToDate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.meerkat.server.zab.LearnerRulesTest.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A leader's rules, with the test playing its followers. */
class LeaderRulesTest {
    private static final long S2 = 2_000_000_001L;
    private static final long S3 = 3_000_000_001L;
    private static final LogSummary EMPTY = new LogSummary(List.of(new LogSummary.Span(0, 0)));

    /** Server 1, elected by its own vote and those of {@code voters}. */
    private NodeDriver leader(ZabConfig config, int... voters) {
        NodeDriver l = new NodeDriver(config);
        for (int v : voters) {
            l.step(v, new Notification(1, 0, 0, 1, Role.LOOKING, true));
        }
        l.flush();
        assertThat(l.node.role()).isEqualTo(Role.LEADING);
        return l;
    }

    private NodeDriver leader() {
        return leader(NodeDriver.threeVoters(1), 2);
    }

    private static ZabConfig fiveVoters() {
        return ZabConfig.of(1, Set.of(1, 2, 3, 4, 5), Set.of()).withFinalizeWaitTicks(0);
    }

    /** Leader 1 with follower 2 joined and acknowledged: serving epoch 1. */
    private NodeDriver serving() {
        NodeDriver l = leader();
        l.step(2, new FollowerInfo(S2, false, 0));
        l.flush();
        l.step(2, new AckEpoch(S2, 1, true, 0, 0, EMPTY));
        l.flush();
        l.step(2, new Ack(S2, 1, 0));
        l.flush();
        assertThat(l.node.isServing()).isTrue();
        return l;
    }

    /** Followers ask to join, then accept epoch 1, then (if {@code ack}) acknowledge NEWLEADER. */
    private static void joinFollowers(NodeDriver l, boolean ack, int... ids) {
        for (int id : ids) {
            l.step(id, new FollowerInfo(id * 1_000_000_000L + 1, false, 0));
        }
        l.flush();
        for (int id : ids) {
            l.step(id, new AckEpoch(id * 1_000_000_000L + 1, 1, true, 0, 0, EMPTY));
        }
        l.flush();
        for (int id : ids) {
            if (ack) {
                l.step(id, new Ack(id * 1_000_000_000L + 1, 1, 0));
            }
        }
        l.flush();
    }

    @Test
    void choosesAnEpochAboveEveryAcceptedOneOfItsQuorum() {
        NodeDriver l = leader();
        assertThat(l.sentTo(2, LeaderInfo.class)).isEmpty();
        l.step(2, new FollowerInfo(S2, false, 6));
        l.flush();
        assertThat(l.lastSentTo(2, LeaderInfo.class).epoch()).isEqualTo(7);
        assertThat(l.disk.hardState.acceptedEpoch()).isEqualTo(7);
    }

    @Test
    void anEpochAlreadyAcceptedDoesNotCountTowardEstablishingIt() {
        // A follower that had promised epoch 1 to another would-be leader may be synced but must not
        // help establish it: two leaders could each count it and both establish epoch 1.
        NodeDriver l = leader();
        l.step(3, new FollowerInfo(S3, false, 0));
        l.flush();
        l.step(3, new AckEpoch(S3, 1, false, 0, 0, EMPTY));
        l.flush();
        assertThat(l.node.establishedEpoch()).isEqualTo(-1);
        assertThat(l.sentTo(3, Sync.class)).isEmpty();

        l.step(2, new FollowerInfo(S2, false, 0));
        l.step(2, new AckEpoch(S2, 1, true, 0, 0, EMPTY));
        l.flush();
        assertThat(l.node.establishedEpoch()).isEqualTo(1);
        assertThat(l.sentTo(3, Sync.class)).hasSize(1);
    }

    @Test
    void countsItsOwnEpochAckOnlyOnceAcceptedEpochIsOnDisk() {
        NodeDriver l = leader();
        l.step(2, new FollowerInfo(S2, false, 0));
        Ready rd = l.cut();
        assertThat(rd.hardState().acceptedEpoch()).isEqualTo(1);
        l.step(2, new AckEpoch(S2, 1, true, 0, 0, EMPTY));
        assertThat(l.node.establishedEpoch()).as("its own promise is not on disk yet").isEqualTo(-1);
        l.persist();
        assertThat(l.node.establishedEpoch()).isEqualTo(1);
    }

    @Test
    void givesUpWhenAFollowerIsAheadOfIt() {
        // The follower may hold a committed txn this leader lacks (ZOOKEEPER-1154).
        NodeDriver l = leader();
        l.step(2, new FollowerInfo(S2, false, 0));
        l.flush();
        l.step(2, new AckEpoch(S2, 1, true, 0, Zxid.of(0, 0) + 5, EMPTY));
        assertThat(l.node.role()).isEqualTo(Role.LOOKING);
        assertThat(l.node.lastLookingReason()).contains("ahead");
    }

    @Test
    void stepsDownForAVoterThatHasAcceptedALaterEpoch() {
        NodeDriver l = serving();
        l.step(3, new FollowerInfo(S3, false, 4));
        assertThat(l.node.role()).isEqualTo(Role.LOOKING);
        assertThat(l.node.lastLookingReason()).contains("accepted epoch 4");
    }

    @Test
    void truncatesAFollowerExactlyToTheCommonPoint() {
        // Leader's history (1:1 1:2 2:1); the follower holds (1:1 1:2 1:3 3:1) from a leader that failed.
        HardState hs = new HardState(3, 2);
        PersistentState mine = new PersistentState(hs, Snapshot.EMPTY, List.of(p(1, 1), p(1, 2), p(2, 1)));
        NodeDriver l = new NodeDriver(NodeDriver.threeVoters(1), mine);
        l.step(2, new Notification(1, Zxid.of(2, 1), 2, 1, Role.LOOKING, true));
        l.flush();
        l.step(2, new FollowerInfo(S2, false, 3));
        l.flush();
        LogSummary theirs = new LogSummary(List.of(new LogSummary.Span(0, 0),
                new LogSummary.Span(Zxid.of(1, 1), Zxid.of(1, 3)), new LogSummary.Span(Zxid.of(3, 1), Zxid.of(3, 1))));
        l.step(2, new AckEpoch(S2, 4, true, 1, Zxid.of(3, 1), theirs));
        l.flush();
        Sync sync = l.lastSentTo(2, Sync.class);
        assertThat(sync.kind()).isEqualTo(SyncKind.TRUNC);
        assertThat(sync.after()).isEqualTo(Zxid.of(1, 2));
        assertThat(sync.entries()).containsExactly(p(2, 1));
        assertThat(l.lastSentTo(2, NewLeader.class).epoch()).isEqualTo(4);
    }

    @Test
    void sendsItsSnapshotToAFollowerBehindIt() {
        NodeDriver l = serving();
        for (int i = 0; i < 3; i++) {
            l.node.propose(new byte[] {(byte) i});
        }
        l.flush();
        l.step(2, new Ack(S2, 1, Zxid.of(1, 3)));
        l.flush();
        l.node.compact(Zxid.of(1, 2), new byte[] {42});
        l.step(3, new FollowerInfo(S3, false, 0));
        l.flush();
        l.step(3, new AckEpoch(S3, 1, true, 0, 0, EMPTY));
        l.flush();
        Sync sync = l.lastSentTo(3, Sync.class);
        assertThat(sync.kind()).isEqualTo(SyncKind.SNAP);
        assertThat(sync.snapshot().zxid()).isEqualTo(Zxid.of(1, 2));
        assertThat(sync.entries()).extracting(Proposal::zxid).containsExactly(Zxid.of(1, 3));
    }

    @Test
    void servesOnlyOnceAQuorumHasAcknowledgedNewLeader() {
        NodeDriver l = leader(fiveVoters(), 2, 3);
        joinFollowers(l, false, 2, 3);
        assertThat(l.node.establishedEpoch()).isEqualTo(1);
        l.step(2, new Ack(S2, 1, 0));
        l.flush();
        assertThat(l.node.isServing()).as("itself and one follower are two of five").isFalse();
        assertThat(l.sentTo(2, UpToDate.class)).isEmpty();
        l.step(3, new Ack(3_000_000_001L, 1, 0));
        l.flush();
        assertThat(l.node.isServing()).isTrue();
        assertThat(l.sentTo(2, UpToDate.class)).hasSize(1);
        assertThat(l.sentTo(3, UpToDate.class)).hasSize(1);
    }

    @Test
    void commitsAtAQuorumCountingItsOwnWriteOnlyOnceDurable() {
        NodeDriver l = serving();
        long z = l.node.propose(new byte[] {1});
        Ready rd = l.cut();
        assertThat(rd.entries()).extracting(Proposal::zxid).containsExactly(z);
        assertThat(l.lastSentTo(2, Propose.class).proposal().zxid()).as("sent before its own write").isEqualTo(z);
        l.step(2, new Ack(S2, 1, z));
        assertThat(l.node.commitZxid()).as("its own write is not on disk").isLessThan(z);
        l.persist();
        assertThat(l.node.commitZxid()).isEqualTo(z);
        l.flush();
        assertThat(l.delivered).extracting(Proposal::zxid).containsExactly(z);
        assertThat(l.lastSentTo(2, Commit.class).zxid()).isEqualTo(z);
    }

    @Test
    void aMinorityOfAcksCommitsNothing() {
        NodeDriver l = leader(fiveVoters(), 2, 3);
        joinFollowers(l, true, 2, 3);
        long z = l.node.propose(new byte[] {1});
        l.flush();
        l.step(2, new Ack(S2, 1, z));
        l.flush();
        assertThat(l.node.commitZxid()).isLessThan(z);
        assertThat(l.delivered).isEmpty();
        l.step(3, new PingReply(3_000_000_001L, 1, z, 0));
        l.flush();
        assertThat(l.node.commitZxid()).as("a ping reply carries the ack too").isEqualTo(z);
    }

    @Test
    void stepsDownWhenItCannotHearAQuorumForSyncLimit() {
        NodeDriver l = serving();
        for (int i = 0; i < 4; i++) {
            l.node.tick();
            l.flush();
        }
        assertThat(l.node.role()).isEqualTo(Role.LEADING);
        l.node.tick();
        assertThat(l.node.role()).isEqualTo(Role.LOOKING);
        assertThat(l.node.lastLookingReason()).contains("quorum");
    }

    @Test
    void finishesOutstandingProposalsThenStepsDownWhenTheCounterIsExhausted() {
        NodeDriver l = leader(NodeDriver.threeVoters(1).withMaxCounter(2), 2);
        l.step(2, new FollowerInfo(S2, false, 0));
        l.flush();
        l.step(2, new AckEpoch(S2, 1, true, 0, 0, EMPTY));
        l.flush();
        l.step(2, new Ack(S2, 1, 0));
        l.flush();
        l.node.propose(new byte[] {1});
        long last = l.node.propose(new byte[] {2});
        assertThat(Zxid.counter(last)).isEqualTo(2);
        assertThat(l.node.isServing()).isFalse();
        assertThatThrownBy(() -> l.node.propose(new byte[] {3})).isInstanceOf(IllegalStateException.class);
        l.flush();
        assertThat(l.node.role()).isEqualTo(Role.LEADING);
        l.step(2, new Ack(S2, 1, last));
        l.flush();
        assertThat(l.delivered).extracting(Proposal::zxid).contains(last);
        assertThat(l.node.role()).isEqualTo(Role.LOOKING);
        assertThat(l.node.lastLookingReason()).contains("exhausted");
    }

    @Test
    void answersALookingServerWithTheLeader() {
        NodeDriver l = serving();
        l.step(3, new Notification(3, 0, 0, 1, Role.LOOKING, true));
        l.flush();
        Notification answer = l.lastSentTo(3, Notification.class);
        assertThat(answer.state()).isEqualTo(Role.LEADING);
        assertThat(answer.leader()).isEqualTo(1);
        assertThat(answer.peerEpoch()).as("the epoch it runs, not the one it was elected with").isEqualTo(1);
    }
}
