package dev.meerkat.recipes;

import dev.meerkat.testkit.TcpProxy;

import dev.meerkat.client.MeerkatClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderElectionTest extends RecipeTestBase {

    /** Counts leaders as their listeners hear it, and remembers the most there ever were. */
    static final class Tally {
        final AtomicInteger leaders = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final List<String> log = new CopyOnWriteArrayList<>();

        LeaderElection.Listener listener(String id) {
            return new LeaderElection.Listener() {
                @Override
                public void isLeader() {
                    most.accumulateAndGet(leaders.incrementAndGet(), Math::max);
                    log.add("leader " + id);
                }

                @Override
                public void notLeader() {
                    leaders.decrementAndGet();
                    log.add("not leader " + id);
                }
            };
        }
    }

    private LeaderElection latch(MeerkatClient client, String id, Tally tally) {
        LeaderElection e = LeaderElection.latch(client, p("master"), id).addListener(tally.listener(id));
        closeLater(e);
        e.start();
        return e;
    }

    @Test
    void exactlyOneLeaderAndLeadershipMovesWhenTheLeaderGoes() throws Exception {
        Tally tally = new Tally();
        List<MeerkatClient> clients = new ArrayList<>();
        List<LeaderElection> elections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MeerkatClient c = connect();
            clients.add(c);
            elections.add(latch(c, "job-" + i, tally));
        }
        Awaitility.await().until(() -> elections.stream().filter(LeaderElection::hasLeadership).count() == 1);
        LeaderElection first = elections.stream().filter(LeaderElection::hasLeadership).findFirst().orElseThrow();
        assertThat(first.leaderId()).contains(first.participantId());
        assertThat(first.participantIds()).hasSize(3);

        clients.get(elections.indexOf(first)).close();

        Awaitility.await().until(() -> elections.stream().filter(e -> e != first && e.hasLeadership()).count() == 1);
        assertThat(first.hasLeadership()).isFalse();
        Awaitility.await().until(() -> tally.leaders.get() == 1);
        assertThat(elections.get((elections.indexOf(first) + 1) % 3).participantIds()).hasSize(2);
    }

    @Test
    void aTaskLeadsWhileItRunsAndReturningHandsLeadershipOn() throws Exception {
        Tally tally = new Tally();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        List<String> terms = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            String id = "job-" + i;
            LeaderElection e = LeaderElection.withTask(connect(), p("master"), id, ctx -> {
                mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                assertThat(ctx.hasLeadership()).isTrue();
                terms.add(ctx.participantId());
                running.decrementAndGet();
            }).addListener(tally.listener(id));
            closeLater(e);
            e.start();
        }
        // each returns at once and queues again: leadership goes round, never to two at a time (the
        // first may have several terms alone before the second has joined)
        Awaitility.await().until(() -> terms.size() >= 6 && terms.contains("job-0") && terms.contains("job-1"));
        assertThat(mostRunning.get()).isEqualTo(1);
        assertThat(tally.most.get()).isEqualTo(1);
    }

    @Test
    void whenTheLeadersSessionEndsItIsToldFirstAndAnotherLeads() throws Exception {
        Tally tally = new Tally();
        TcpProxy proxy = proxy();
        MeerkatClient leaderClient = connect(proxy.connectString(), b -> { });
        AtomicInteger interrupted = new AtomicInteger();
        LeaderElection leader = LeaderElection.withTask(leaderClient, p("master"), "old", ctx -> {
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
        }).addListener(tally.listener("old"));
        closeLater(leader);
        leader.start();
        assertThat(leader.await(WAIT)).isTrue();
        LeaderElection next = latch(connect(), "new", tally);

        expire(leaderClient, proxy);

        assertThat(next.await(WAIT)).isTrue();
        assertThat(interrupted.get()).isEqualTo(1);
        assertThat(leader.hasLeadership()).isFalse();
        assertThat(tally.log).containsExactly("leader old", "not leader old", "leader new");
        assertThat(next.participantIds()).containsExactly("new");
    }

    @Test
    void aSuspendedLeaderStopsAtOnceAndWinsOnlyByQueueingAgain() throws Exception {
        Tally tally = new Tally();
        TcpProxy proxy = proxy();
        LeaderElection leader = latch(connect(proxy.connectString(), b -> { }), "flaky", tally);
        assertThat(leader.await(WAIT)).isTrue();
        LeaderElection other = latch(connect(), "steady", tally);
        Awaitility.await().until(() -> other.participantIds().size() == 2);

        proxy.cutAll();

        // the flaky one gave up at SUSPENDED and queued again behind the steady one
        assertThat(other.await(WAIT)).isTrue();
        Awaitility.await().until(() -> other.participantIds().equals(List.of("steady", "flaky")));
        assertThat(leader.hasLeadership()).isFalse();
        assertThat(tally.log).containsExactly("leader flaky", "not leader flaky", "leader steady");
    }
}
