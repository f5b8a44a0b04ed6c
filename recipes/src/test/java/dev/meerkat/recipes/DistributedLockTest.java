package dev.meerkat.recipes;

import dev.meerkat.testkit.TcpProxy;

import dev.meerkat.client.MeerkatClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistributedLockTest extends RecipeTestBase {

    @Test
    void onlyOneHolderAtATimeUnderContention() throws Exception {
        int clients = 3;
        int threadsPerClient = 2;
        int rounds = 5;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        int[] counter = {0};
        ExecutorService pool = threads(clients * threadsPerClient);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            DistributedLock lock = new DistributedLock(connect(), p("lock"));
            for (int t = 0; t < threadsPerClient; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        lock.lock();
                        try {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            int seen = counter[0];
                            Thread.yield();
                            counter[0] = seen + 1;
                            inside.decrementAndGet();
                        } finally {
                            lock.unlock();
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : done) {
            f.get();
        }
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(counter[0]).isEqualTo(clients * threadsPerClient * rounds);
        // Another client may be on another member of an ensemble, which applies the last delete a
        // moment later (a reader on another server is only promised to catch up, not to be current).
        Awaitility.await().untilAsserted(() -> assertThat(await(admin.getChildren(p("lock")))).isEmpty());
    }

    @Test
    void theHoldingThreadMayTakeItAgainAndMustReleaseAsOften() throws Exception {
        DistributedLock mine = new DistributedLock(connect(), p("lock"));
        DistributedLock theirs = new DistributedLock(connect(), p("lock"));
        mine.lock();
        assertThat(mine.tryLock(Duration.ZERO)).isTrue();
        assertThat(mine.holdCount()).isEqualTo(2);
        assertThat(mine.participants()).hasSize(1);

        mine.unlock();
        assertThat(mine.isHeldByCurrentThread()).isTrue();
        assertThat(theirs.tryLock(Duration.ofMillis(100))).isFalse();
        mine.unlock();

        assertThat(theirs.tryLock(WAIT)).isTrue();
        assertThatThrownBy(mine::unlock).isInstanceOf(IllegalMonitorStateException.class);
        theirs.unlock();
    }

    @Test
    void aTimedOutAttemptLeavesNothingBehind() throws Exception {
        DistributedLock holder = new DistributedLock(connect(), p("lock"));
        DistributedLock other = new DistributedLock(connect(), p("lock"));
        holder.lock();

        assertThat(other.tryLock(Duration.ofMillis(200))).isFalse();

        Awaitility.await().until(() -> await(admin.getChildren(p("lock"))).size() == 1);
        holder.unlock();
        assertThat(other.tryLock(WAIT)).isTrue();
        other.unlock();
    }

    @Test
    void aReleaseWakesOnlyTheNextWaiterAndWaitersAreServedInArrivalOrder() throws Exception {
        int waiters = 20;
        DistributedLock holder = new DistributedLock(connect(), p("lock"));
        holder.lock();
        List<DistributedLock> locks = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < waiters; i++) {
            DistributedLock lock = new DistributedLock(connect(), p("lock"));
            locks.add(lock);
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    lock.lock();
                    order.add(id);
                    lock.unlock();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
            closeLater(() -> {
                t.interrupt();
                t.join();
            });
            // one at a time, so arrival order is known; then until it sleeps on its watch
            Awaitility.await().until(() -> holder.participants().size() == id + 2);
            Awaitility.await().until(() -> sleepsOnItsWatch(t));
        }
        assertThat(locks.stream().mapToLong(DistributedLock::watchWakeups).sum()).isZero();

        holder.unlock();

        for (Thread t : threads) {
            t.join(WAIT.toMillis());
        }
        assertThat(order).containsExactlyElementsOf(java.util.stream.IntStream.range(0, waiters).boxed().toList());
        // each of the twenty releases woke exactly one waiter; a herd would have woken 20+19+...+1
        assertThat(locks.stream().mapToLong(DistributedLock::watchWakeups).sum()).isEqualTo(waiters);
        for (DistributedLock l : locks) {
            assertThat(l.watchWakeups()).isEqualTo(1);
        }
    }

    /** Whether {@code t} waits for its watch to fire (not for a reply, which also parks it). */
    private static boolean sleepsOnItsWatch(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(LockInternals.class.getName()) && frame.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void whenTheHoldersSessionExpiresTheNextWaiterGetsItAndTheHolderIsTold() throws Exception {
        TcpProxy proxy = proxy();
        MeerkatClient holderClient = connect(proxy.connectString(), b -> { });
        List<DistributedLock.Event> events = new CopyOnWriteArrayList<>();
        DistributedLock holder = new DistributedLock(holderClient, p("lock"), events::add);
        DistributedLock waiter = new DistributedLock(connect(), p("lock"));
        holder.lock();
        AtomicInteger acquired = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                waiter.lock();
                acquired.incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        closeLater(t::join);
        Awaitility.await().until(() -> waiter.participants().size() == 2);

        expire(holderClient, proxy);

        Awaitility.await().until(() -> acquired.get() == 1);
        Awaitility.await().until(() -> events.contains(DistributedLock.Event.LOST));
        assertThat(events).containsExactly(DistributedLock.Event.SUSPENDED, DistributedLock.Event.LOST);
        assertThat(holder.isHeldByCurrentThread()).isFalse();
        holder.unlock(); // only forgets the hold
        assertThat(waiter.participants()).hasSize(1);
    }

    @Test
    void aConnectionDropAndReconnectKeepsTheLockAndSaysSo() throws Exception {
        TcpProxy proxy = proxy();
        List<DistributedLock.Event> events = new CopyOnWriteArrayList<>();
        DistributedLock lock = new DistributedLock(connect(proxy.connectString(), b -> { }), p("lock"), events::add);
        lock.lock();

        proxy.cutAll();

        Awaitility.await().until(() -> events.contains(DistributedLock.Event.RESTORED));
        assertThat(events).containsExactly(DistributedLock.Event.SUSPENDED, DistributedLock.Event.RESTORED);
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.unlock();
    }

    @Test
    void aWaiterKeepsItsPlaceAcrossAReconnect() throws Exception {
        DistributedLock holder = new DistributedLock(connect(), p("lock"));
        holder.lock();
        TcpProxy proxy = proxy();
        DistributedLock waiter = new DistributedLock(connect(proxy.connectString(), b -> { }), p("lock"));
        AtomicInteger acquired = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                waiter.lock();
                acquired.incrementAndGet();
                waiter.unlock();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        closeLater(t::join);
        Awaitility.await().until(() -> sleepsOnItsWatch(t));
        List<String> queue = holder.participants();

        proxy.refuse(true);
        proxy.cutAll();
        holder.unlock();
        proxy.refuse(false);

        Awaitility.await().until(() -> acquired.get() == 1);
        assertThat(queue).hasSize(2);
        assertThat(waiter.watchWakeups()).isEqualTo(1);
    }

    @Test
    void aCreateWhoseReplyIsLostIsFoundAgainInsteadOfLeftBehind() throws Exception {
        TcpProxy proxy = proxy();
        DistributedLock lock = new DistributedLock(connect(proxy.connectString(), b -> { }), p("lock"));
        await(admin.create(base, null, dev.meerkat.protocol.CreateMode.PERSISTENT));
        await(admin.create(p("lock"), null, dev.meerkat.protocol.CreateMode.PERSISTENT));
        proxy.holdReplies(true);
        AtomicInteger acquired = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                lock.lock();
                acquired.incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        closeLater(t::join);
        // the create reached the server; its reply did not reach the client
        Awaitility.await().until(() -> await(admin.getChildren(p("lock"))).size() == 1);

        proxy.cutAll();
        proxy.holdReplies(false);

        Awaitility.await().until(() -> acquired.get() == 1);
        List<String> nodes = await(admin.getChildren(p("lock")));
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0)).startsWith("_c_").contains("-lock-");
    }
}
