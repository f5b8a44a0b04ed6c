package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Curator's leader election: the lowest ephemeral-sequential node leads. */
class LeaderLatchTest extends CuratorCompatTest {

    private static List<LeaderLatch> leaders(List<LeaderLatch> latches) {
        return latches.stream().filter(LeaderLatch::hasLeadership).toList();
    }

    private List<LeaderLatch> startLatches(String path, List<CuratorFramework> clients) throws Exception {
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            LeaderLatch latch = closeAfter(new LeaderLatch(clients.get(i), path, "member-" + i));
            latch.start();
            latches.add(latch);
        }
        return latches;
    }

    @Test
    void exactlyOneOfThreeLeadsAndLeadershipMovesWhenTheLeaderCloses() throws Exception {
        String path = unique("latch");
        List<LeaderLatch> latches = startLatches(path, List.of(newClient(), newClient(), newClient()));

        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(latches).size() == 1);
        for (LeaderLatch latch : latches) {
            assertThat(latch.getParticipants()).hasSize(3);
            assertThat(latch.getLeader().getId()).isEqualTo(leaders(latches).get(0).getId());
        }

        List<LeaderLatch> remaining = new ArrayList<>(latches);
        while (remaining.size() > 1) {
            LeaderLatch leader = leaders(remaining).get(0);
            remaining.remove(leader);
            leader.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> leaders(remaining).size() == 1);
            assertThat(leaders(remaining).get(0).getId()).isNotEqualTo(leader.getId());
            assertThat(leader.hasLeadership()).isFalse();
        }
        assertThat(remaining.get(0).await(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLeaderWhoseSessionExpiresStepsDownAndRejoinsAsAFollower() throws Exception {
        String path = unique("latch-expiry");
        CuratorFramework shortLived = newClient(SHORT_SESSION_MS);
        LeaderLatch first = closeAfter(new LeaderLatch(shortLived, path, "first"));
        first.start();
        assertThat(first.await(10, TimeUnit.SECONDS)).as("the only member leads").isTrue();
        List<LeaderLatch> latches = new ArrayList<>(List.of(first));
        latches.addAll(startLatches(path, List.of(newClient(), newClient())));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.getParticipants().size() == 3);
        assertThat(leaders(latches)).containsExactly(first);

        // the leader's process goes silent without closing its session; the server expires it
        shortLived.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> leaders(latches).size() == 1 && !first.hasLeadership());
        // Curator starts a new session for the old leader, which joins again at the back of the line
        await().atMost(Duration.ofSeconds(10)).until(() -> latches.get(1).getParticipants().size() == 3);
        assertThat(leaders(latches)).hasSize(1).doesNotContain(first);
        assertThat(first.getLeader().getId()).isEqualTo(leaders(latches).get(0).getId());
    }

    @Test
    void leadershipMovesWhenTheLeadersClientGoesAway() throws Exception {
        String path = unique("latch-client");
        List<CuratorFramework> clients = List.of(newClient(), newClient(), newClient());
        List<LeaderLatch> latches = startLatches(path, clients);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(latches).size() == 1);

        LeaderLatch leader = leaders(latches).get(0);
        clients.get(latches.indexOf(leader)).close();
        List<LeaderLatch> others = new ArrayList<>(latches);
        others.remove(leader);

        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(others).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> others.get(0).getParticipants().size() == 2);
    }
}
