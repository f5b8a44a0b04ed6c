package dev.meerkat.server.zab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.meerkat.server.zab.LearnerRulesTest.p;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fast leader election on simulated clusters: who wins, and how long an ensemble is without a
 * serving leader once its leader dies, in ticks.
 */
class ElectionTest {

    /** A cluster whose servers start from the given disks. */
    private static Cluster startingFrom(long seed, PersistentState... disks) {
        Cluster c = Cluster.of(seed, disks.length, 0);
        for (SimServer s : c.servers()) {
            c.crash(s.id, 0);
            PersistentState d = disks[s.id - 1];
            s.disk.hardState = d.hardState();
            s.disk.snapshot = d.snapshot();
            s.disk.log.clear();
            s.disk.log.addAll(d.log());
        }
        for (SimServer s : c.servers()) {
            c.restart(s.id);
        }
        return c;
    }

    private static PersistentState log(long accepted, long current, Proposal... entries) {
        return new PersistentState(new HardState(accepted, current), Snapshot.EMPTY, List.of(entries));
    }

    @Test
    void electsTheServerWithTheLongestHistory() {
        Cluster c = startingFrom(1, log(1, 1, p(1, 1), p(1, 2), p(1, 3)),
                log(1, 1, p(1, 1), p(1, 2), p(1, 3), p(1, 4), p(1, 5)),
                log(1, 1, p(1, 1), p(1, 2), p(1, 3), p(1, 4)));
        assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
        assertThat(c.servingLeader().id).isEqualTo(2);
        assertThat(c.runUntil(c::allCaughtUp, 50)).isTrue();
        assertThat(c.server(1).disk.log).hasSize(5);
    }

    @Test
    void aLaterCurrentEpochBeatsALongerLog() {
        // Server 3 completed epoch 2's sync; server 2's longer log is from epoch 1 and was never
        // committed, or epoch 2's leader would have had it.
        Cluster c = startingFrom(2, log(1, 1, p(1, 1), p(1, 2)),
                log(1, 1, p(1, 1), p(1, 2), p(1, 3), p(1, 4), p(1, 5)),
                log(2, 2, p(1, 1), p(1, 2), p(2, 1)));
        assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
        assertThat(c.servingLeader().id).isEqualTo(3);
        assertThat(c.runUntil(c::allCaughtUp, 50)).isTrue();
        assertThat(c.server(2).disk.log).containsExactly(p(1, 1), p(1, 2), p(2, 1));
    }

    @Test
    void equalHistoriesElectTheHighestId() {
        Cluster c = startingFrom(3, log(1, 1, p(1, 1)), log(1, 1, p(1, 1)), log(1, 1, p(1, 1)));
        assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
        assertThat(c.servingLeader().id).isEqualTo(3);
    }

    @Test
    void aNewLeaderServesWithinAFewTicksOfTheOldOnesDeath() {
        // The figure ZooKeeper quotes is a new leader within 200 ms of the election starting; here
        // everything is in ticks: syncLimit (5) to notice, then election, discovery and sync.
        for (int voters : new int[] {3, 5}) {
            List<Long> gaps = new ArrayList<>();
            List<Long> elections = new ArrayList<>();
            for (long seed = 1; seed <= 100; seed++) {
                Cluster c = Cluster.of(seed, voters, 0);
                assertThat(c.runUntil(c::allCaughtUp, 100)).isTrue();
                c.commit(2);
                SimServer dead = c.servingLeader();
                c.crash(dead.id, Integer.MAX_VALUE);
                long t0 = c.ticks;
                assertThat(c.runUntil(() -> c.servers().stream().anyMatch(s -> s.up() && s.node.role() == Role.LOOKING),
                        100)).isTrue();
                long noticed = c.ticks;
                assertThat(c.runUntil(() -> c.servingLeader() != null, 100)).isTrue();
                gaps.add(c.ticks - t0);
                elections.add(c.ticks - noticed);
                c.commit(1);
            }
            Collections.sort(gaps);
            Collections.sort(elections);
            System.out.printf("%d voters, 100 seeds: leader dead to new leader serving: median %d, max %d ticks; "
                            + "first follower looking to new leader serving: median %d, max %d ticks "
                            + "(syncLimit 5, finalizeWait 1, delays up to 0.3 tick)%n", voters, gaps.get(50),
                    gaps.get(99), elections.get(50), elections.get(99));
            int syncLimit = 5;
            assertThat(gaps.get(99)).as("%d voters", voters).isLessThanOrEqualTo(syncLimit + 5);
            assertThat(elections.get(99)).as("%d voters", voters).isLessThanOrEqualTo(5);
        }
    }
}
