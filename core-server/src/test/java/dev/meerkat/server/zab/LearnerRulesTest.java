package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.Ack;
import dev.meerkat.server.zab.Message.AckEpoch;
import dev.meerkat.server.zab.Message.Commit;
import dev.meerkat.server.zab.Message.LeaderInfo;
import dev.meerkat.server.zab.Message.NewLeader;
import dev.meerkat.server.zab.Message.PingReply;
import dev.meerkat.server.zab.Message.Ping;
import dev.meerkat.server.zab.Message.Propose;
import dev.meerkat.server.zab.Message.Sync;
import dev.meerkat.server.zab.Message.SyncKind;
import dev.meerkat.server.zab.Message.UpToDate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A follower's rules, one message at a time, with the test playing the leader: the orders between
 * disk and messages that ZooKeeper got wrong, and the continuity checks.
 */
class LearnerRulesTest {
    private final NodeDriver f = new NodeDriver(NodeDriver.threeVoters(3));
    private long session;
    private long seq;

    static Proposal p(long epoch, long counter) {
        return new Proposal(Zxid.of(epoch, counter), (epoch + ":" + counter).getBytes(StandardCharsets.UTF_8));
    }

    private void fromLeader(Message.LeaderMessage m) {
        seq++;
        f.step(1, m);
    }

    /** Follows server 1 in {@code epoch} and gets as far as a durable acceptedEpoch (ACKEPOCH sent). */
    private void acceptEpoch(long epoch) {
        session = f.follow(1, 2, epoch - 1);
        seq = 0;
        fromLeader(new LeaderInfo(session, seq, epoch));
        f.flush();
    }

    /** Goes on to broadcast with a DIFF of {@code entries}. */
    private void syncAndServe(long epoch, List<Proposal> entries, long commit) {
        fromLeader(new Sync(session, seq, SyncKind.DIFF, 0, null, entries, commit));
        fromLeader(new NewLeader(session, seq, epoch));
        f.flush();
        fromLeader(new UpToDate(session, seq, commit));
        f.flush();
    }

    @Test
    void acksTheEpochOnlyOnceAcceptedEpochIsOnDisk() {
        // ZOOKEEPER-2307/1653: the promise must be on disk before anyone is told of it.
        session = f.follow(1, 2, 0);
        fromLeader(new LeaderInfo(session, 0, 1));
        Ready rd = f.cut();
        assertThat(rd.hardState()).isEqualTo(new HardState(1, 0));
        assertThat(f.sentTo(1, AckEpoch.class)).isEmpty();
        assertThat(f.node.durableHardState().acceptedEpoch()).isZero();

        f.persist();
        f.cut();
        AckEpoch ack = f.lastSentTo(1, AckEpoch.class);
        assertThat(ack).isNotNull();
        assertThat(ack.epoch()).isEqualTo(1);
        assertThat(ack.counted()).isTrue();
        assertThat(f.disk.hardState.acceptedEpoch()).isEqualTo(1);
    }

    @Test
    void anEpochAcceptedBeforeIsAcknowledgedButNotCounted() {
        acceptEpoch(1);
        f.node.becomeLooking("test: leave the leader");
        f.flush();
        long second = f.follow(1, 2, 0);
        f.step(1, new LeaderInfo(second, 0, 1));
        f.flush();
        AckEpoch again = f.lastSentTo(1, AckEpoch.class);
        assertThat(again.session()).isEqualTo(second);
        assertThat(again.counted()).isFalse();
    }

    @Test
    void refusesALeaderOfAnEpochOlderThanTheOneItAccepted() {
        acceptEpoch(3);
        f.node.becomeLooking("test: leave the leader");
        f.flush();
        long second = f.follow(1, 2, 0);
        f.step(1, new LeaderInfo(second, 0, 2));
        f.flush();
        assertThat(f.node.role()).isEqualTo(Role.LOOKING);
        assertThat(f.node.lastLookingReason()).contains("older than accepted");
        assertThat(f.sentTo(1, AckEpoch.class)).allMatch(a -> a.epoch() == 3);
    }

    @Test
    void acksNewLeaderOnlyAfterTheHistoryAndThenTheEpochAreOnDisk() {
        // ZOOKEEPER-3911, 3023, 4646, 4643: persist txns, then currentEpoch, then ACK, each step
        // confirmed by the shell before the next.
        acceptEpoch(2);
        fromLeader(new Sync(session, seq, SyncKind.DIFF, 0, null, List.of(p(1, 1), p(1, 2)), 0));
        fromLeader(new NewLeader(session, seq, 2));

        Ready history = f.cut();
        assertThat(history.entries()).containsExactly(p(1, 1), p(1, 2));
        assertThat(history.hardState()).as("currentEpoch must not ride with the entries it vouches for").isNull();
        assertThat(f.sentTo(1, Ack.class)).isEmpty();
        f.persist();

        Ready epoch = f.cut();
        assertThat(epoch.hardState()).isEqualTo(new HardState(2, 2));
        assertThat(epoch.entries()).isEmpty();
        assertThat(f.sentTo(1, Ack.class)).isEmpty();
        f.persist();

        f.cut();
        Ack ack = f.lastSentTo(1, Ack.class);
        assertThat(ack).isNotNull();
        assertThat(ack.epoch()).isEqualTo(2);
        assertThat(ack.zxid()).isEqualTo(Zxid.of(1, 2));
        assertThat(f.disk.log).containsExactly(p(1, 1), p(1, 2));
        assertThat(f.disk.hardState.currentEpoch()).isEqualTo(2);
    }

    @Test
    void aCrashBetweenHistoryAndEpochRestartsFromAConsistentDisk() {
        acceptEpoch(2);
        fromLeader(new Sync(session, seq, SyncKind.DIFF, 0, null, List.of(p(1, 1), p(1, 2)), 0));
        fromLeader(new NewLeader(session, seq, 2));
        f.cut();
        f.persist();
        f.cut(); // the currentEpoch write is lost in the crash

        ZabNode restarted = new ZabNode(NodeDriver.threeVoters(3), 2, f.disk.load());
        assertThat(restarted.hardState()).isEqualTo(new HardState(2, 0));
        assertThat(restarted.lastZxid()).isEqualTo(Zxid.of(1, 2));
        // It votes with the epoch it completed, so it cannot win on the strength of one it did not.
        assertThat(restarted.selfVote()).isEqualTo(new Vote(3, Zxid.of(1, 2), 0));
    }

    @Test
    void acksAProposalOnlyOnceItIsOnDisk() {
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        fromLeader(new Propose(session, seq, p(1, 1)));
        Ready rd = f.cut();
        assertThat(rd.entries()).containsExactly(p(1, 1));
        assertThat(f.sentTo(1, Ack.class)).noneMatch(a -> a.zxid() == Zxid.of(1, 1));
        fromLeader(new Ping(session, seq));
        f.persist();
        f.cut();
        assertThat(f.sentTo(1, PingReply.class)).allMatch(r -> r.ack() < Zxid.of(1, 1));
        assertThat(f.lastSentTo(1, Ack.class).zxid()).isEqualTo(Zxid.of(1, 1));
    }

    @Test
    void rejectsAProposalThatWouldLeaveAHole() {
        // ZOOKEEPER-4925: a hole in a follower's log later becomes a hole in a leader's history.
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        fromLeader(new Propose(session, seq, p(1, 1)));
        fromLeader(new Propose(session, seq, p(1, 3)));
        f.flush();
        assertThat(f.node.role()).isEqualTo(Role.LOOKING);
        assertThat(f.node.protocolViolations()).isEqualTo(1);
        assertThat(f.node.lastZxid()).isEqualTo(Zxid.of(1, 1));
        assertThat(f.disk.log).containsExactly(p(1, 1));
    }

    @Test
    void rejectsASyncThatWouldLeaveAHole() {
        acceptEpoch(2);
        fromLeader(new Sync(session, seq, SyncKind.DIFF, 0, null, List.of(p(1, 1), p(1, 3)), 0));
        f.flush();
        assertThat(f.node.role()).isEqualTo(Role.LOOKING);
        assertThat(f.node.protocolViolations()).isEqualTo(1);
        assertThat(f.disk.log).containsExactly(p(1, 1));
        assertThat(f.sentTo(1, Ack.class)).isEmpty();
    }

    @Test
    void rejectsADiffMeantForAnotherLog() {
        // (2:1) would follow (1:3) by the numbers; the leader computed the DIFF for a log ending at
        // (1:5), so taking it would leave this log without (1:4) and (1:5).
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        for (int c = 1; c <= 3; c++) {
            fromLeader(new Propose(session, seq, p(1, c)));
        }
        f.flush();
        f.node.becomeLooking("test: the leader died");
        f.flush();
        acceptEpoch(2);
        fromLeader(new Sync(session, seq, SyncKind.DIFF, Zxid.of(1, 5), null, List.of(p(2, 1)), 0));
        f.flush();
        assertThat(f.node.role()).isEqualTo(Role.LOOKING);
        assertThat(f.node.protocolViolations()).isEqualTo(1);
        assertThat(f.disk.log).containsExactly(p(1, 1), p(1, 2), p(1, 3));
    }

    @Test
    void rejectsACommitForAnEntryItDoesNotHold() {
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        fromLeader(new Propose(session, seq, p(1, 1)));
        fromLeader(new Commit(session, seq, Zxid.of(1, 2)));
        f.flush();
        assertThat(f.node.role()).isEqualTo(Role.LOOKING);
        assertThat(f.delivered).isEmpty();
    }

    @Test
    void putsEarlyStreamMessagesInOrderAndDropsDuplicates() {
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        long s1 = seq;
        f.step(1, new Propose(session, s1 + 1, p(1, 2)));
        f.step(1, new Propose(session, s1 + 2, p(1, 3)));
        f.flush();
        assertThat(f.node.lastZxid()).as("held behind the gap").isZero();
        f.step(1, new Propose(session, s1, p(1, 1)));
        f.step(1, new Propose(session, s1, p(1, 1)));
        f.step(1, new Commit(session, s1 + 3, Zxid.of(1, 3)));
        f.flush();
        assertThat(f.disk.log).containsExactly(p(1, 1), p(1, 2), p(1, 3));
        assertThat(f.delivered).containsExactly(p(1, 1), p(1, 2), p(1, 3));
        assertThat(f.node.protocolViolations()).isZero();
    }

    @Test
    void ignoresTheStreamOfAnOlderSession() {
        acceptEpoch(1);
        long old = session;
        f.node.becomeLooking("test: leave the leader");
        f.flush();
        acceptEpoch(1);
        f.step(1, new Sync(old, 1, SyncKind.DIFF, 0, null, List.of(p(1, 1)), 0));
        f.flush();
        assertThat(f.node.lastZxid()).isZero();
        assertThat(f.node.role()).isEqualTo(Role.FOLLOWING);
    }

    @Test
    void aTruncationAfterAReadyWasCutIsNotTakenForDurable() {
        // The Ready carrying ACKEPOCH is still out when the TRUNC arrives; advancing it must not make
        // the log in memory count as written, or currentEpoch would ride with the truncation.
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        for (int c = 1; c <= 5; c++) {
            fromLeader(new Propose(session, seq, p(1, c)));
        }
        fromLeader(new Commit(session, seq, Zxid.of(1, 2)));
        f.flush();
        f.node.becomeLooking("test: the leader died");
        f.flush();
        session = f.follow(1, 2, 1);
        seq = 0;
        fromLeader(new LeaderInfo(session, seq, 2));
        f.cut();
        f.persist();
        assertThat(f.cut()).as("the Ready that carries ACKEPOCH").isNotNull();
        fromLeader(new Sync(session, seq, SyncKind.TRUNC, Zxid.of(1, 3), null, List.of(), Zxid.of(1, 2)));
        fromLeader(new NewLeader(session, seq, 2));
        f.persist();
        assertThat(f.node.durableZxid()).isEqualTo(Zxid.of(1, 3));

        Ready truncation = f.cut();
        assertThat(truncation.truncateAfter()).isEqualTo(Zxid.of(1, 3));
        assertThat(truncation.hardState()).isNull();
        assertThat(f.sentTo(1, Ack.class)).noneMatch(a -> a.epoch() == 2);
        f.persist();
        f.flush();
        assertThat(f.disk.log).containsExactly(p(1, 1), p(1, 2), p(1, 3));
        assertThat(f.lastSentTo(1, Ack.class)).isEqualTo(new Ack(session, 2, Zxid.of(1, 3)));
    }

    @Test
    void refusesToTruncateWhatItKnowsIsCommitted() {
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        fromLeader(new Propose(session, seq, p(1, 1)));
        fromLeader(new Propose(session, seq, p(1, 2)));
        fromLeader(new Commit(session, seq, Zxid.of(1, 2)));
        f.flush();
        f.node.becomeLooking("test: the leader died");
        f.flush();
        session = f.follow(1, 2, 1);
        seq = 0;
        fromLeader(new LeaderInfo(session, seq, 2));
        f.flush();
        assertThatThrownBy(() -> f.step(1, new Sync(session, 1, SyncKind.TRUNC, Zxid.of(1, 1), null, List.of(), 0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("committed");
    }

    @Test
    void looksForAnotherLeaderAfterSyncLimitTicksOfSilence() {
        acceptEpoch(1);
        syncAndServe(1, List.of(), 0);
        for (int i = 0; i < 4; i++) {
            f.node.tick();
        }
        assertThat(f.node.role()).isEqualTo(Role.FOLLOWING);
        f.node.tick();
        assertThat(f.node.role()).isEqualTo(Role.LOOKING);
        assertThat(f.node.lastLookingReason()).contains("silent");
    }

    @Test
    void looksAgainWhenNotSyncedWithinInitLimit() {
        session = f.follow(1, 2, 0);
        for (int i = 0; i < 9; i++) {
            f.node.tick();
            f.flush();
        }
        assertThat(f.node.role()).isEqualTo(Role.FOLLOWING);
        assertThat(f.sentTo(1, Message.FollowerInfo.class)).as("FOLLOWERINFO is re-sent while unanswered")
                .hasSizeGreaterThan(5);
        f.node.tick();
        assertThat(f.node.role()).isEqualTo(Role.LOOKING);
    }
}
