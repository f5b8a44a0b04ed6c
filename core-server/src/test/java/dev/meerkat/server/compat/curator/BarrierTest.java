package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.recipes.barriers.DistributedBarrier;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Curator's barriers: a node whose deletion releases waiters, and an enter/leave double barrier. */
class BarrierTest extends CuratorCompatTest {
    private static final int MEMBERS = 3;

    @Test
    void waitersPassOnlyOnceTheBarrierIsRemoved() throws Exception {
        String path = unique("barrier");
        DistributedBarrier controller = new DistributedBarrier(newClient(), path);
        controller.setBarrier();

        ExecutorService pool = threads(MEMBERS);
        CountDownLatch passed = new CountDownLatch(MEMBERS);
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            DistributedBarrier barrier = new DistributedBarrier(newClient(), path);
            waiters.add(pool.submit(() -> {
                boolean ok = barrier.waitOnBarrier(10, TimeUnit.SECONDS);
                passed.countDown();
                return ok;
            }));
        }
        DistributedBarrier probe = new DistributedBarrier(newClient(), path);
        assertThat(probe.waitOnBarrier(300, TimeUnit.MILLISECONDS)).as("the barrier holds").isFalse();
        assertThat(passed.getCount()).isEqualTo(MEMBERS);

        controller.removeBarrier();
        assertThat(passed.await(5, TimeUnit.SECONDS)).isTrue();
        for (Future<Boolean> w : waiters) {
            assertThat(w.get()).isTrue();
        }
        assertThat(probe.waitOnBarrier(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void doubleBarrierLetsMembersEnterTogetherAndLeaveTogether() throws Exception {
        String path = unique("double-barrier");
        ExecutorService pool = threads(MEMBERS);
        CountDownLatch entered = new CountDownLatch(MEMBERS);
        CountDownLatch mayLeave = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(MEMBERS);
        List<Future<?>> members = new ArrayList<>();
        List<DistributedDoubleBarrier> barriers = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            barriers.add(new DistributedDoubleBarrier(newClient(), path, MEMBERS));
        }
        for (int i = 0; i < MEMBERS - 1; i++) {
            DistributedDoubleBarrier barrier = barriers.get(i);
            members.add(pool.submit(() -> {
                assertThat(barrier.enter(10, TimeUnit.SECONDS)).isTrue();
                entered.countDown();
                mayLeave.await();
                assertThat(barrier.leave(10, TimeUnit.SECONDS)).isTrue();
                left.countDown();
                return null;
            }));
        }
        assertThat(entered.await(300, TimeUnit.MILLISECONDS)).as("entered before the last member came").isFalse();
        assertThat(entered.getCount()).isEqualTo(MEMBERS);

        DistributedDoubleBarrier last = barriers.get(MEMBERS - 1);
        members.add(pool.submit(() -> {
            assertThat(last.enter(10, TimeUnit.SECONDS)).isTrue();
            entered.countDown();
            mayLeave.await();
            // the last member is slow to leave; the others must wait for it
            assertThat(left.await(300, TimeUnit.MILLISECONDS)).as("left before the last member").isFalse();
            assertThat(last.leave(10, TimeUnit.SECONDS)).isTrue();
            left.countDown();
            return null;
        }));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("all members entered").isTrue();
        mayLeave.countDown();
        assertThat(left.await(10, TimeUnit.SECONDS)).as("all members left").isTrue();
        for (Future<?> m : members) {
            m.get(5, TimeUnit.SECONDS);
        }
    }
}
