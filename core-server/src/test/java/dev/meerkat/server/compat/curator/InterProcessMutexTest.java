package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Curator's lock: ephemeral-sequential children, each waiter watching its predecessor. */
class InterProcessMutexTest extends CuratorCompatTest {

    @Test
    void onlyOneOfTwoClientsHoldsTheLockAndReleaseHandsItOver() throws Exception {
        String path = unique("lock");
        InterProcessMutex a = new InterProcessMutex(newClient(), path);
        InterProcessMutex b = new InterProcessMutex(newClient(), path);

        assertThat(a.acquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(b.acquire(200, TimeUnit.MILLISECONDS)).as("b while a holds the lock").isFalse();

        // Curator's lock belongs to the thread that acquired it, so b's thread also releases it
        CountDownLatch bHolds = new CountDownLatch(1);
        CountDownLatch bMayRelease = new CountDownLatch(1);
        Future<?> waiter = threads(1).submit(() -> {
            b.acquire();
            bHolds.countDown();
            bMayRelease.await();
            b.release();
            return null;
        });
        assertThat(bHolds.await(300, TimeUnit.MILLISECONDS)).as("b got the lock while a held it").isFalse();

        a.release();
        assertThat(bHolds.await(5, TimeUnit.SECONDS)).as("the release handed the lock to b").isTrue();
        assertThat(b.isAcquiredInThisProcess()).isTrue();
        assertThat(a.acquire(200, TimeUnit.MILLISECONDS)).as("a while b holds the lock").isFalse();
        bMayRelease.countDown();
        waiter.get(5, TimeUnit.SECONDS);
        assertThat(a.acquire(5, TimeUnit.SECONDS)).isTrue();
        a.release();
    }

    @Test
    void theLockIsReentrantForItsHolder() throws Exception {
        String path = unique("reentrant");
        InterProcessMutex a = new InterProcessMutex(newClient(), path);
        InterProcessMutex b = new InterProcessMutex(newClient(), path);

        assertThat(a.acquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(a.acquire(5, TimeUnit.SECONDS)).as("the holder acquires again").isTrue();
        a.release();
        assertThat(a.isAcquiredInThisProcess()).as("still held after one of two releases").isTrue();
        assertThat(b.acquire(200, TimeUnit.MILLISECONDS)).isFalse();
        a.release();
        assertThat(b.acquire(5, TimeUnit.SECONDS)).as("free after the second release").isTrue();
        b.release();
    }

    @Test
    void contendersFromSeveralClientsNeverOverlap() throws Exception {
        String path = unique("exclusive");
        int clients = 3;
        int rounds = 5;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        ExecutorService pool = threads(clients);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            InterProcessMutex lock = new InterProcessMutex(newClient(), path);
            workers.add(pool.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    if (!lock.acquire(10, TimeUnit.SECONDS)) {
                        throw new AssertionError("lock not acquired within 10 s");
                    }
                    try {
                        int now = inside.incrementAndGet();
                        maxInside.accumulateAndGet(now, Math::max);
                        entries.incrementAndGet();
                        inside.decrementAndGet();
                    } finally {
                        lock.release();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(30, TimeUnit.SECONDS);
        }
        assertThat(entries.get()).isEqualTo(clients * rounds);
        assertThat(maxInside.get()).as("holders at the same time").isEqualTo(1);
    }

    @Test
    void aHolderWhoseSessionExpiresLosesTheLockToTheWaiter() throws Exception {
        String path = unique("expiring");
        // a short session, so that the server expires it quickly once the holder goes silent
        CuratorFramework holderClient = newClient(SHORT_SESSION_MS);
        InterProcessMutex holder = new InterProcessMutex(holderClient, path);
        InterProcessMutex waiter = new InterProcessMutex(newClient(), path);
        assertThat(holder.acquire(5, TimeUnit.SECONDS)).isTrue();

        CountDownLatch waiterHolds = new CountDownLatch(1);
        threads(1).submit(() -> {
            waiter.acquire();
            waiterHolds.countDown();
            return null;
        });
        assertThat(waiterHolds.await(300, TimeUnit.MILLISECONDS)).isFalse();

        // Drops the holder's connection without a closeSession, as a crashed process would: only
        // the server's session expiry can delete its lock node.
        holderClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

        assertThat(waiterHolds.await(10, TimeUnit.SECONDS)).as("the waiter got the expired holder's lock").isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> waiter.getParticipantNodes().size() == 1);
    }

    @Test
    void aHolderThatOnlyLosesItsConnectionKeepsTheLock() throws Exception {
        String path = unique("reconnecting");
        CuratorFramework holderClient = newClient();
        InterProcessMutex holder = new InterProcessMutex(holderClient, path);
        InterProcessMutex other = new InterProcessMutex(newClient(), path);
        assertThat(holder.acquire(5, TimeUnit.SECONDS)).isTrue();
        String lockNode = holder.getParticipantNodes().iterator().next();

        CountDownLatch reconnected = new CountDownLatch(1);
        holderClient.getConnectionStateListenable().addListener((c, state) -> {
            if (state == ConnectionState.RECONNECTED) {
                reconnected.countDown();
            }
        });
        holderClient.getZookeeperClient().getZooKeeper().getTestable().closeSocket();
        assertThat(reconnected.await(10, TimeUnit.SECONDS)).isTrue();

        // same session on a new connection: the ephemeral lock node is still there
        assertThat(other.getParticipantNodes()).containsExactly(lockNode);
        assertThat(other.acquire(300, TimeUnit.MILLISECONDS)).isFalse();
        holder.release();
        assertThat(other.acquire(5, TimeUnit.SECONDS)).isTrue();
        other.release();
    }

    @Test
    void aHolderWhoseClientClosesLosesTheLockToTheWaiter() throws Exception {
        String path = unique("closing");
        CuratorFramework holderClient = newClient();
        InterProcessMutex holder = new InterProcessMutex(holderClient, path);
        InterProcessMutex waiter = new InterProcessMutex(newClient(), path);
        assertThat(holder.acquire(5, TimeUnit.SECONDS)).isTrue();

        CountDownLatch waiterHolds = new CountDownLatch(1);
        Future<?> waiting = threads(1).submit(() -> {
            waiter.acquire();
            waiterHolds.countDown();
            waiter.release();
            return null;
        });
        holderClient.close();
        assertThat(waiterHolds.await(5, TimeUnit.SECONDS)).isTrue();
        waiting.get(5, TimeUnit.SECONDS);
    }
}
