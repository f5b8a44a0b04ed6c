package dev.meerkat.recipes;

import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.server.EmbeddedEnsemble;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recipes on a three-server ensemble while servers die: the server a lock holder, a leader or a
 * registered instance is connected to is stopped. If the session survives (the client moves to
 * another server within its timeout) the recipe keeps what it had; if it does not, the next in
 * line takes over and the old one was told first.
 */
class EnsembleFaultTest {
    private static final Duration SESSION = Duration.ofSeconds(4);
    private EmbeddedEnsemble ensemble;
    private final List<MeerkatClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        ensemble = EmbeddedEnsemble.start(3, 0, 500, b -> b);
    }

    @AfterEach
    void stop() {
        for (MeerkatClient c : clients) {
            c.close();
        }
        ensemble.close();
    }

    private MeerkatClient connect(String connectString) throws Exception {
        MeerkatClient c = MeerkatClient.connect(connectString, ClientOptions.builder().sessionTimeout(SESSION).build())
                .get(15, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    /** The member a connected client talks to. */
    private int memberOf(MeerkatClient c) {
        String server = c.connectedServer().orElseThrow();
        for (int id = 1; id <= 3; id++) {
            if (server.endsWith(":" + ensemble.clientPort(id))) {
                return id;
            }
        }
        throw new IllegalStateException("not a member: " + server);
    }

    @Test
    void aLockHolderWhoseServerDiesKeepsTheLockWhenItsSessionMoves() throws Exception {
        List<DistributedLock.Event> events = new CopyOnWriteArrayList<>();
        MeerkatClient holderClient = connect(ensemble.connectString());
        DistributedLock holder = new DistributedLock(holderClient, "/locks/a", events::add);
        DistributedLock waiter = new DistributedLock(connect(ensemble.connectString()), "/locks/a");
        holder.lock();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                waiter.lock();
                return true;
            } catch (Exception e) {
                return false;
            }
        });

        ensemble.stopMember(memberOf(holderClient));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> events.contains(DistributedLock.Event.RESTORED));
        assertThat(events).containsExactly(DistributedLock.Event.SUSPENDED, DistributedLock.Event.RESTORED);
        assertThat(holder.isHeldByCurrentThread()).isTrue();
        assertThat(waiting).isNotDone();

        holder.unlock();
        assertThat(waiting.get(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLockHolderWhoseSessionExpiresIsToldBeforeTheNextWaiterHasTheLock() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        int lonely = ensemble.followers().get(0);
        // Connected to one server only: when it dies, the session cannot move and expires.
        MeerkatClient holderClient = connect(ensemble.connectString(lonely));
        DistributedLock holder = new DistributedLock(holderClient, "/locks/b", e -> order.add("holder " + e));
        DistributedLock waiter = new DistributedLock(connect(ensemble.connectString()), "/locks/b");
        holder.lock();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                waiter.lock();
                order.add("waiter has it");
            } catch (Exception e) {
                order.add("waiter failed " + e);
            }
        });
        ensemble.stopMember(lonely);
        waiting.get(30, TimeUnit.SECONDS);
        assertThat(order.get(0)).isEqualTo("holder SUSPENDED");
        assertThat(order).contains("waiter has it");
        assertThat(order.indexOf("holder SUSPENDED")).isLessThan(order.indexOf("waiter has it"));
    }

    @Test
    void neverTwoLeadersWhileTheLeadersServerDies() throws Exception {
        AtomicInteger leaders = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<LeaderElection> elections = new ArrayList<>();
        List<MeerkatClient> cs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MeerkatClient c = connect(ensemble.connectString());
            cs.add(c);
            LeaderElection e = LeaderElection.latch(c, "/master", "job-" + i).addListener(new LeaderElection.Listener() {
                @Override
                public void isLeader() {
                    most.accumulateAndGet(leaders.incrementAndGet(), Math::max);
                }

                @Override
                public void notLeader() {
                    leaders.decrementAndGet();
                }
            });
            e.start();
            elections.add(e);
        }
        Awaitility.await().until(() -> elections.stream().filter(LeaderElection::hasLeadership).count() == 1);
        int leaderIndex = 0;
        while (!elections.get(leaderIndex).hasLeadership()) {
            leaderIndex++;
        }
        ensemble.stopMember(memberOf(cs.get(leaderIndex)));
        // Suspended, the leader stops at once; a leader is elected again (it, or another job).
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> elections.stream().filter(LeaderElection::hasLeadership).count() == 1 && leaders.get() == 1);
        assertThat(most.get()).as("never two leaders at once").isEqualTo(1);
        for (LeaderElection e : elections) {
            e.close();
        }
    }

    @Test
    void aRegisteredInstanceStaysWhileItsServerDiesAndGoesWithItsClient() throws Exception {
        MeerkatClient instanceClient = connect(ensemble.connectString());
        ServiceDiscovery registry = new ServiceDiscovery(instanceClient, "/services");
        registry.register(new ServiceInstance("OrderService", "orders-1", "10.0.0.1", 8080));
        ServiceDiscovery consumer = new ServiceDiscovery(connect(ensemble.connectString()), "/services");
        Awaitility.await().until(() -> consumer.instances("OrderService").size() == 1);

        ensemble.stopMember(memberOf(instanceClient));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(instanceClient::isConnected);
        assertThat(consumer.instances("OrderService")).extracting(ServiceInstance::id).containsExactly("orders-1");

        instanceClient.close();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> consumer.instances("OrderService").isEmpty());
    }
}
