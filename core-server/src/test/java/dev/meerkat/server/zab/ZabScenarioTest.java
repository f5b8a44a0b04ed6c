package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.NewLeader;
import dev.meerkat.server.zab.Message.Propose;
import dev.meerkat.server.zab.Message.Sync;
import dev.meerkat.server.zab.Message.SyncKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole-ensemble scenarios behind ZooKeeper's known data-loss bugs (../shared/reference/zab-traps.md)
 * and the list, each on a simulated cluster with the {@link Checker} watching every event.
 */
class ZabScenarioTest {

    private static Cluster stable(int voters, int observers) {
        Cluster c = Cluster.of(7, voters, observers);
        assertThat(c.runUntil(c::allCaughtUp, 100)).as("an ensemble forms").isTrue();
        return c;
    }

    private static SimServer aFollower(Cluster c, SimServer leader) {
        for (SimServer s : c.voters()) {
            if (s != leader) {
                return s;
            }
        }
        throw new AssertionError();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFollowerThatLosesItsConnectionLooksAgainAndRejoinsTheSameLeader() {
        Cluster c = stable(3, 0);
        c.commit(2);
        SimServer leader = c.servingLeader();
        SimServer follower = aFollower(c, leader);
        long epoch = leader.node.establishedEpoch();
        follower.node.disconnected(leader.id);
        assertThat(follower.node.role()).isEqualTo(Role.LOOKING);
        assertThat(follower.node.lastLookingReason()).contains("connection to leader");
        c.pump(follower);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        assertThat(follower.node.leader()).isEqualTo(leader.id);
        assertThat(leader.node.establishedEpoch()).as("the leader was not disturbed").isEqualTo(epoch);
        // A notice about a server that is not its leader changes nothing.
        SimServer other = c.voters().stream().filter(s -> s != leader && s != follower).findFirst().orElseThrow();
        follower.node.disconnected(other.id);
        assertThat(follower.node.role()).isEqualTo(Role.FOLLOWING);
    }

    @Test
    void followersLookAgainAsSoonAsTheirLeaderDoesNotWhenItFallsSilent() {
        Cluster c = stable(3, 0);
        c.commit(2);
        SimServer leader = c.servingLeader();
        // The followers' messages no longer reach the leader: it loses its quorum and steps down,
        // while its own messages still reach them.
        c.dropFilter = (from, env) -> env.to() == leader.id;
        assertThat(c.runUntil(() -> leader.node.role() == Role.LOOKING, 200)).isTrue();
        long steppedDown = c.ticks;
        List<SimServer> followers = c.voters().stream().filter(s -> s != leader).toList();
        assertThat(c.runUntil(() -> followers.stream().allMatch(f -> f.node.role() != Role.FOLLOWING
                || f.node.leader() != leader.id), 20)).isTrue();
        assertThat(c.ticks - steppedDown).as("well before syncLimit (5) ticks of silence").isLessThanOrEqualTo(2);
        assertThat(followers).anyMatch(f -> f.node.lastLookingReason().contains("is looking again"));
        c.dropFilter = (from, env) -> false;
        assertThat(c.runUntil(c::allCaughtUp, 200)).isTrue();
    }

    @Test
    void aCrashedLeaderNoticedAtOnceIsReplacedFasterThanBySilence() {
        int bySilence = failoverTicks(false);
        int byNotice = failoverTicks(true);
        assertThat(byNotice).isLessThan(bySilence);
    }

    private static int failoverTicks(boolean notices) {
        Cluster c = stable(3, 0);
        c.connectionNotices = notices;
        SimServer leader = c.servingLeader();
        long start = c.ticks;
        c.crash(leader.id, Integer.MAX_VALUE);
        assertThat(c.runUntil(() -> c.servingLeader() != null, 200)).isTrue();
        return (int) (c.ticks - start);
    }

    @Test
    void aRestartedServerTruncatesExactlyToTheNewLeadersHistory() {
        // ZOOKEEPER-1154/1156: the old leader's unreplicated proposals are cut, nothing before them.
        Cluster c = stable(3, 0);
        List<Proposal> before = c.commit(3);
        SimServer old = c.servingLeader();
        c.dropFilter = (from, env) -> from == old.id && env.message() instanceof Propose;
        long lost1 = c.propose(old, bytes("lost-1"));
        long lost2 = c.propose(old, bytes("lost-2"));
        assertThat(c.runUntil(() -> old.node.durableZxid() == lost2, 10)).isTrue();
        c.crash(old.id, Integer.MAX_VALUE);
        c.dropFilter = (from, env) -> false;

        assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
        SimServer next = c.servingLeader();
        List<Sync> toOld = new ArrayList<>();
        c.dropFilter = (from, env) -> {
            if (env.to() == old.id && env.message() instanceof Sync s) {
                toOld.add(s);
            }
            return false;
        };
        List<Proposal> after = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] payload = bytes("after-" + i);
            after.add(new Proposal(c.propose(next, payload), payload));
        }
        c.restart(old.id);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();

        Sync sync = toOld.get(toOld.size() - 1);
        assertThat(sync.kind()).isEqualTo(SyncKind.TRUNC);
        assertThat(sync.after()).isEqualTo(before.get(2).zxid());
        assertThat(old.disk.log).containsAll(before).containsAll(after)
                .noneMatch(p -> p.zxid() == lost1 || p.zxid() == lost2);
        assertThat(old.node.logSummary()).isEqualTo(next.node.logSummary());
    }

    @Test
    void aSnapshotSyncSurvivesItsLeaderDyingBeforeNewLeader() {
        // ZOOKEEPER-3642: the learner must keep the snapshot (on disk) before it counts as its state;
        // a later DIFF from that point and a restart must lose nothing.
        Cluster c = stable(3, 0);
        SimServer leader = c.servingLeader();
        SimServer behind = aFollower(c, leader);
        c.crash(behind.id, Integer.MAX_VALUE);
        c.commit(5);
        for (SimServer s : c.voters()) {
            c.snapshot(s.id);
        }
        c.commit(2);
        assertThat(leader.node.snapshotZxid()).isPositive();

        AtomicBoolean snapSent = new AtomicBoolean();
        c.dropFilter = (from, env) -> {
            if (env.to() == behind.id && env.message() instanceof Sync s && s.kind() == SyncKind.SNAP) {
                snapSent.set(true);
            }
            return env.to() == behind.id && env.message() instanceof NewLeader;
        };
        c.restart(behind.id);
        assertThat(c.runUntil(() -> behind.disk.snapshot.zxid() == leader.node.snapshotZxid(), 50)).isTrue();
        assertThat(snapSent).isTrue();
        c.crash(leader.id, Integer.MAX_VALUE);
        c.dropFilter = (from, env) -> false;

        assertThat(c.runUntil(() -> behind.up() && behind.node.isServing()
                && behind.appCount == c.checker.global.size(), 100)).isTrue();
        SimServer next = c.servingLeader();
        assertThat(next).isNotSameAs(leader);
        c.propose(next, bytes("after-snap"));
        assertThat(c.runUntil(() -> behind.appCount == c.checker.global.size(), 50)).isTrue();
        c.crash(behind.id, 0);
        c.restart(behind.id);
        c.restart(leader.id);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
    }

    @Test
    void aSnapshotSyncLostInACrashIsRedoneFromTheOldState() {
        Cluster c = stable(3, 0);
        SimServer leader = c.servingLeader();
        SimServer behind = aFollower(c, leader);
        c.crash(behind.id, Integer.MAX_VALUE);
        c.commit(4);
        c.snapshot(leader.id);
        c.restart(behind.id);
        c.holdDiskWhen(behind.id, rd -> rd.snapshot() != null);
        assertThat(c.runUntil(() -> behind.inflight != null && behind.inflight.snapshot() != null, 50)).isTrue();
        c.crash(behind.id, 0);
        assertThat(behind.disk.snapshot.zxid()).isZero();
        c.restart(behind.id);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
    }

    @Test
    void theWholeQuorumCrashingRightAfterNewLeaderLosesNothing() {
        // ZOOKEEPER-3911/3023: acknowledged NEWLEADER must mean the synced txns are on disk, because
        // the leader commits them on the strength of those acks.
        Cluster c = stable(3, 0);
        SimServer behind = aFollower(c, c.servingLeader());
        c.crash(behind.id, Integer.MAX_VALUE);
        c.maxDiskDelay = 8;
        SimServer leader = c.servingLeader();
        for (int i = 0; i < 4; i++) {
            c.propose(leader, bytes("w" + i));
        }
        assertThat(c.runUntil(() -> c.checker.global.size() == 4, 50)).isTrue();
        c.restart(behind.id);
        assertThat(c.runUntil(() -> behind.node.isServing(), 50)).isTrue();
        for (SimServer s : c.servers()) {
            c.crash(s.id, 0);
        }
        for (SimServer s : c.servers()) {
            c.restart(s.id);
        }
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        assertThat(behind.appCount).isEqualTo(4);
    }

    @Test
    void aFollowerCrashingBetweenLoggingAndAcknowledgingNewLeaderRejoins() {
        // ZOOKEEPER-4646/4643: history on disk, currentEpoch not yet; nothing is lost and it rejoins.
        Cluster c = stable(3, 0);
        SimServer first = c.servingLeader();
        SimServer behind = aFollower(c, first);
        c.crash(behind.id, Integer.MAX_VALUE);
        // A new epoch while it is away, so that rejoining moves its currentEpoch.
        c.crash(first.id, Integer.MAX_VALUE);
        c.restart(first.id);
        assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
        SimServer leader = c.servingLeader();
        c.commit(3);
        long epochBefore = behind.disk.hardState.currentEpoch();
        assertThat(leader.node.establishedEpoch()).isGreaterThan(epochBefore);
        c.restart(behind.id);
        c.holdDiskWhen(behind.id, rd -> !rd.entries().isEmpty()
                || rd.hardState() != null && rd.hardState().currentEpoch() != epochBefore);
        assertThat(c.runUntil(() -> behind.inflight != null && !behind.inflight.entries().isEmpty(), 50)).isTrue();
        assertThat(behind.inflight.hardState()).isNull();
        c.writeHeld(behind.id);
        assertThat(behind.disk.log).hasSize(3);
        assertThat(c.runUntil(() -> behind.inflight != null && behind.inflight.hardState() != null, 10)).isTrue();
        c.crash(behind.id, 0);
        assertThat(behind.disk.hardState.currentEpoch()).isEqualTo(epochBefore);
        c.restart(behind.id);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        assertThat(behind.disk.hardState.currentEpoch()).isEqualTo(leader.node.establishedEpoch());
    }

    @Test
    void aProposalOnlyOneFollowerLoggedIsKeptWhenThatFollowerLeadsNext() {
        Cluster c = stable(5, 0);
        SimServer leader = c.servingLeader();
        SimServer keeper = aFollower(c, leader);
        c.dropFilter = (from, env) -> env.message() instanceof Propose && env.to() != keeper.id;
        byte[] payload = bytes("minority");
        long z = c.propose(leader, payload);
        assertThat(c.runUntil(() -> keeper.node.durableZxid() == z, 10)).isTrue();
        c.crash(leader.id, Integer.MAX_VALUE);
        c.dropFilter = (from, env) -> false;
        assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
        assertThat(c.servingLeader()).as("the only server holding the newest zxid wins").isSameAs(keeper);
        c.restart(leader.id);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        assertThat(c.checker.global).contains(new Proposal(z, payload));
    }

    @Test
    void aProposalOnlyACrashedMinorityLoggedIsDroppedEverywhere() {
        Cluster c = stable(5, 0);
        SimServer leader = c.servingLeader();
        SimServer keeper = aFollower(c, leader);
        c.dropFilter = (from, env) -> env.message() instanceof Propose && env.to() != keeper.id;
        long z = c.propose(leader, bytes("minority"));
        assertThat(c.runUntil(() -> keeper.node.durableZxid() == z, 10)).isTrue();
        c.crash(leader.id, Integer.MAX_VALUE);
        c.crash(keeper.id, Integer.MAX_VALUE);
        c.dropFilter = (from, env) -> false;
        assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
        c.commit(2);
        c.restart(leader.id);
        c.restart(keeper.id);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        assertThat(c.checker.global).noneMatch(p -> p.zxid() == z);
        for (SimServer s : c.servers()) {
            assertThat(s.disk.log).noneMatch(p -> p.zxid() == z);
        }
    }

    @Test
    void aRestartedFollowerJoinsWithoutAnElection() {
        Cluster c = stable(3, 0);
        SimServer leader = c.servingLeader();
        SimServer follower = aFollower(c, leader);
        SimServer other = null;
        for (SimServer s : c.voters()) {
            if (s != leader && s != follower) {
                other = s;
            }
        }
        long epoch = leader.node.establishedEpoch();
        SimServer bystander = other;
        AtomicBoolean disturbed = new AtomicBoolean();
        c.crash(follower.id, Integer.MAX_VALUE);
        c.commit(2);
        c.restart(follower.id);
        assertThat(c.runUntil(() -> {
            disturbed.compareAndSet(false, leader.node.role() != Role.LEADING
                    || bystander.node.role() != Role.FOLLOWING);
            return c.allCaughtUp();
        }, 100)).isTrue();
        assertThat(disturbed).isFalse();
        assertThat(c.servingLeader()).isSameAs(leader);
        assertThat(leader.node.establishedEpoch()).isEqualTo(epoch);
        assertThat(follower.node.leader()).isEqualTo(leader.id);
    }

    @Test
    void observersNeitherVoteNorCount() {
        Cluster c = stable(3, 1);
        SimServer observer = c.server(4);
        assertThat(observer.node.role()).isEqualTo(Role.OBSERVING);
        c.commit(2);
        assertThat(observer.appCount).isEqualTo(2);
        SimServer leader = c.servingLeader();
        List<SimServer> down = new ArrayList<>();
        for (SimServer s : c.voters()) {
            if (s != leader) {
                down.add(s);
                c.crash(s.id, Integer.MAX_VALUE);
            }
        }
        long z = c.propose(leader, bytes("no quorum"));
        c.runTicks(60);
        assertThat(c.checker.global).noneMatch(p -> p.zxid() == z);
        for (SimServer s : c.servers()) {
            if (s.up()) {
                assertThat(s.node.isServing()).as("server %d with only an observer beside it", s.id).isFalse();
            }
        }
        assertThat(observer.node.role()).isNotEqualTo(Role.LEADING);
        for (SimServer s : down) {
            c.restart(s.id);
        }
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        c.commit(1);
        assertThat(observer.appCount).isEqualTo(c.checker.global.size());
    }

    @Test
    void anIsolatedLeaderStepsDownAndTheRestElectANewOne() {
        Cluster c = stable(3, 0);
        SimServer old = c.servingLeader();
        long epoch = old.node.establishedEpoch();
        c.isolate(old.id);
        assertThat(c.runUntil(() -> old.node.role() == Role.LOOKING, 10)).isTrue();
        assertThat(c.runUntil(() -> c.servingLeader() != null, 50)).isTrue();
        assertThat(c.servingLeader().node.establishedEpoch()).isGreaterThan(epoch);
        c.propose(c.servingLeader(), bytes("while cut off"));
        assertThat(c.runUntil(() -> c.checker.global.size() == 1, 20)).isTrue();
        c.heal();
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        assertThat(old.appCount).isEqualTo(c.checker.global.size());
    }

    @Test
    void aLostProposalIsResentWithoutAHoleOrARejoin() {
        // ZOOKEEPER-2355: a proposal that does not arrive whole must not leave the rest half-applied.
        Cluster c = stable(3, 0);
        SimServer leader = c.servingLeader();
        SimServer f = aFollower(c, leader);
        AtomicBoolean dropped = new AtomicBoolean();
        AtomicBoolean rejoined = new AtomicBoolean();
        c.dropFilter = (from, env) -> env.to() == f.id && env.message() instanceof Propose
                && dropped.compareAndSet(false, true);
        for (int i = 0; i < 4; i++) {
            c.propose(leader, bytes("p" + i));
        }
        assertThat(c.runUntil(() -> {
            rejoined.compareAndSet(false, f.node.role() != Role.FOLLOWING);
            return c.checker.global.size() == 4 && c.allCaughtUp();
        }, 50)).isTrue();
        assertThat(dropped).isTrue();
        assertThat(rejoined).as("the gap was filled by a re-send, not by joining again").isFalse();
        assertThat(f.node.protocolViolations()).isZero();
        assertThat(f.disk.log).hasSize(4);
    }

    @Test
    void exhaustingTheZxidCounterMovesToANewEpochWithoutLosingWrites() {
        Cluster c = new Cluster(3, 3, 0, id -> Cluster.config(id, 3, 0).withMaxCounter(4), 0);
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        int n = 0;
        while (c.checker.global.size() < 12) {
            SimServer l = c.servingLeader();
            if (l != null) {
                c.propose(l, bytes("w" + n++));
            }
            c.runTicks(1);
            assertThat(c.ticks).isLessThan(1000);
        }
        assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
        long epochs = c.checker.global.stream().mapToLong(p -> Zxid.epoch(p.zxid())).distinct().count();
        assertThat(epochs).isGreaterThanOrEqualTo(3);
        assertThat(c.checker.global).allMatch(p -> Zxid.counter(p.zxid()) <= 4);
    }
}
