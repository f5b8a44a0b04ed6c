package dev.meerkat.server.zab;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.meerkat.server.zab.LearnerRulesTest.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of the core's API: what the shell may call when, and what it refuses to start from. */
class ZabNodeTest {
    private static final ZabConfig CONFIG = NodeDriver.threeVoters(1);

    @Test
    void startsLookingAndVotesForItself() {
        ZabNode n = new ZabNode(CONFIG, 1, PersistentState.empty());
        assertThat(n.role()).isEqualTo(Role.LOOKING);
        assertThat(n.leader()).isEqualTo(-1);
        Ready rd = n.ready();
        assertThat(rd.messages()).extracting(Envelope::to).containsExactly(2, 3);
        assertThat(rd.messages()).allMatch(e -> e.message() instanceof Message.Notification v && v.leader() == 1);
        assertThat(rd.mustPersist()).isFalse();
    }

    @Test
    void handsOutOneReadyAtATime() {
        ZabNode n = new ZabNode(CONFIG, 1, PersistentState.empty());
        Ready rd = n.ready();
        n.tick();
        n.tick();
        assertThatThrownBy(n::ready).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> n.advance(null)).isInstanceOf(IllegalStateException.class);
        n.advance(rd);
        assertThatThrownBy(() -> n.advance(rd)).isInstanceOf(IllegalStateException.class);
        assertThat(n.hasReady()).as("the votes re-sent while the Ready was out").isTrue();
        assertThat(n.ready().messages()).isNotEmpty();
    }

    @Test
    void takesProposalsOnlyAsAServingLeader() {
        ZabNode n = new ZabNode(CONFIG, 1, PersistentState.empty());
        assertThatThrownBy(() -> n.propose(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThat(n.isServing()).isFalse();
    }

    @Test
    void restartsFromItsDisk() {
        PersistentState disk = new PersistentState(new HardState(3, 2), new Snapshot(Zxid.of(1, 2), new byte[] {9}),
                List.of(p(1, 3), p(2, 1)));
        ZabNode n = new ZabNode(CONFIG, 2, disk);
        assertThat(n.lastZxid()).isEqualTo(Zxid.of(2, 1));
        assertThat(n.durableZxid()).isEqualTo(Zxid.of(2, 1));
        assertThat(n.snapshotZxid()).isEqualTo(Zxid.of(1, 2));
        assertThat(n.appliedZxid()).as("the application restores the snapshot itself").isEqualTo(Zxid.of(1, 2));
        assertThat(n.commitZxid()).as("the log after it is delivered once known committed").isEqualTo(Zxid.of(1, 2));
        assertThat(n.hardState()).isEqualTo(new HardState(3, 2));
        assertThat(n.selfVote()).isEqualTo(new Vote(1, Zxid.of(2, 1), 2));
    }

    @Test
    void refusesToStartFromADamagedDisk() {
        assertThatThrownBy(() -> new ZabNode(CONFIG, 1,
                new PersistentState(new HardState(1, 1), Snapshot.EMPTY, List.of(p(1, 1), p(1, 3)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contiguous");
        assertThatThrownBy(() -> new ZabNode(CONFIG, 1,
                new PersistentState(new HardState(1, 1), Snapshot.EMPTY, List.of(p(1, 1), p(2, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceptedEpoch");
    }

    @Test
    void refusesAnInvalidEnsemble() {
        assertThatThrownBy(() -> ZabConfig.of(4, Set.of(1, 2, 3), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZabConfig.of(1, Set.of(1, 2, 3), Set.of(3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ZabConfig.of(4, Set.of(1, 2, 3), Set.of(4)).quorum()).isEqualTo(2);
        assertThat(ZabConfig.of(1, Set.of(1, 2, 3, 4, 5), Set.of()).quorum()).isEqualTo(3);
    }

    @Test
    void compactsOnlyWhatIsAppliedAndDurable() {
        ZabNode n = new ZabNode(CONFIG, 1,
                new PersistentState(new HardState(1, 1), Snapshot.EMPTY, List.of(p(1, 1), p(1, 2))));
        assertThatThrownBy(() -> n.compact(Zxid.of(1, 1), new byte[0]))
                .as("not yet known committed, so not applied").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ignoresMessagesFromOutsideTheEnsembleAndFromItself() {
        ZabNode n = new ZabNode(CONFIG, 1, PersistentState.empty());
        n.ready();
        n.step(9, new Message.Notification(9, 1L << 40, 9, 5, Role.LOOKING, true));
        n.step(1, new Message.Notification(1, 1L << 40, 9, 5, Role.LOOKING, true));
        assertThat(n.hasReady()).isFalse();
        assertThat(n.electionRound()).isEqualTo(1);
    }

    @Test
    void aSingleVoterLeadsAlone() {
        NodeDriver d = new NodeDriver(ZabConfig.of(1, Set.of(1), Set.of()).withFinalizeWaitTicks(0));
        d.flush();
        assertThat(d.node.role()).isEqualTo(Role.LEADING);
        assertThat(d.node.isServing()).isTrue();
        long z = d.node.propose(new byte[] {5});
        d.flush();
        assertThat(d.delivered).extracting(Proposal::zxid).containsExactly(z);
        assertThat(d.disk.log).extracting(Proposal::zxid).containsExactly(z);
    }
}
