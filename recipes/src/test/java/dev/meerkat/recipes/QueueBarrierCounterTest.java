package dev.meerkat.recipes;

import dev.meerkat.testkit.TcpProxy;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class QueueBarrierCounterTest extends RecipeTestBase {

    @Test
    void aQueueIsFirstInFirstOut() throws Exception {
        DistributedQueue q = new DistributedQueue(connect(), p("queue"));
        assertThat(q.poll()).isNull();
        for (int i = 0; i < 5; i++) {
            q.offer(("item " + i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(q.size()).isEqualTo(5);
        assertThat(new String(q.peek(), StandardCharsets.UTF_8)).isEqualTo("item 0");
        for (int i = 0; i < 5; i++) {
            assertThat(new String(q.take(WAIT), StandardCharsets.UTF_8)).isEqualTo("item " + i);
        }
        assertThat(q.take(Duration.ofMillis(100))).isNull();
    }

    @Test
    void everyItemIsConsumedExactlyOnceByManyConsumers() throws Exception {
        int producers = 3;
        int consumers = 3;
        int perProducer = 20;
        ExecutorService pool = threads(producers + consumers);
        ConcurrentLinkedQueue<String> consumed = new ConcurrentLinkedQueue<>();
        AtomicInteger producing = new AtomicInteger(producers);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            DistributedQueue q = new DistributedQueue(connect(), p("queue"));
            done.add(pool.submit(() -> {
                for (;;) {
                    byte[] item = q.take(Duration.ofMillis(300));
                    if (item != null) {
                        consumed.add(new String(item, StandardCharsets.UTF_8));
                    } else if (producing.get() == 0 && q.size() == 0) {
                        return null;
                    }
                }
            }));
        }
        for (int p = 0; p < producers; p++) {
            DistributedQueue q = new DistributedQueue(connect(), p("queue"));
            int id = p;
            pool.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.offer((id + "-" + i).getBytes(StandardCharsets.UTF_8));
                }
                producing.decrementAndGet();
                return null;
            });
        }
        for (Future<?> f : done) {
            f.get();
        }
        assertThat(consumed).hasSize(producers * perProducer).doesNotHaveDuplicates();
    }

    @Test
    void itemsAreConsumedExactlyOnceWhileAConsumersConnectionKeepsDropping() throws Exception {
        int items = 30;
        DistributedQueue producer = new DistributedQueue(connect(), p("queue"));
        for (int i = 0; i < items; i++) {
            producer.offer(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        TcpProxy proxy = proxy();
        ExecutorService pool = threads(2);
        ConcurrentLinkedQueue<String> consumed = new ConcurrentLinkedQueue<>();
        List<Future<?>> done = new ArrayList<>();
        for (DistributedQueue q : List.of(new DistributedQueue(connect(proxy.connectString(), b -> { }), p("queue")),
                new DistributedQueue(connect(), p("queue")))) {
            done.add(pool.submit(() -> {
                for (;;) {
                    // a dropped connection is the queue's business: take neither fails nor loses an item
                    byte[] item = q.take(Duration.ofMillis(300));
                    if (item == null) {
                        return null;
                    }
                    consumed.add(new String(item, StandardCharsets.UTF_8));
                }
            }));
        }
        for (int cut = 1; cut <= 3; cut++) {
            int atLeast = cut * items / 5;
            Awaitility.await().until(() -> consumed.size() >= atLeast || done.stream().allMatch(Future::isDone));
            proxy.cutAll();
        }
        for (Future<?> f : done) {
            f.get();
        }
        assertThat(consumed).hasSize(items).doesNotHaveDuplicates();
        assertThat(producer.size()).isZero();
    }

    @Test
    void aBarrierHoldsWorkersUntilItIsRemoved() throws Exception {
        Barrier coordinator = new Barrier(connect(), p("barrier"));
        coordinator.set();
        assertThat(coordinator.isSet()).isTrue();
        int workers = 3;
        ExecutorService pool = threads(workers);
        AtomicInteger through = new AtomicInteger();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Barrier b = new Barrier(connect(), p("barrier"));
            results.add(pool.submit(() -> {
                boolean ok = b.waitOnBarrier(WAIT);
                through.incrementAndGet();
                return ok;
            }));
        }
        assertThat(new Barrier(connect(), p("barrier")).waitOnBarrier(Duration.ofMillis(100))).isFalse();
        assertThat(through.get()).isZero();

        coordinator.remove();

        for (Future<Boolean> r : results) {
            assertThat(r.get()).isTrue();
        }
        assertThat(coordinator.waitOnBarrier(Duration.ZERO)).isTrue();
    }

    @Test
    void aDoubleBarrierLetsMembersInTogetherAndOutTogether() throws Exception {
        int members = 3;
        await(admin.create(base, null, dev.meerkat.protocol.CreateMode.PERSISTENT));
        await(admin.create(p("double"), null, dev.meerkat.protocol.CreateMode.PERSISTENT));
        ExecutorService pool = threads(members);
        List<String> log = new CopyOnWriteArrayList<>();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            DoubleBarrier b = new DoubleBarrier(connect(), p("double"), members);
            int id = i;
            results.add(pool.submit(() -> {
                log.add("arrive");
                boolean in = b.enter(WAIT);
                log.add("enter");
                log.add("leave");
                boolean out = b.leave(WAIT);
                log.add("left");
                return in && out;
            }));
            if (i < members - 1) {
                int arrived = i + 1;
                // nobody enters before the last member has arrived
                Awaitility.await().until(() -> await(admin.getChildren(p("double"))).size() == arrived);
                assertThat(log).doesNotContain("enter");
            }
        }
        for (Future<Boolean> r : results) {
            assertThat(r.get()).isTrue();
        }
        assertThat(log.subList(0, members)).containsOnly("arrive");
        int lastLeave = log.lastIndexOf("leave");
        int firstLeft = log.indexOf("left");
        assertThat(firstLeft).isGreaterThan(lastLeave);
        Awaitility.await().untilAsserted(() -> assertThat(await(admin.getChildren(p("double")))).isEmpty());
    }

    @Test
    void aCounterAddsExactlyUnderContention() throws Exception {
        int clients = 3;
        int threadsPer = 2;
        int adds = 10;
        ExecutorService pool = threads(clients * threadsPer);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            DistributedCounter counter = new DistributedCounter(connect(), p("counter"));
            for (int t = 0; t < threadsPer; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < adds; i++) {
                        counter.increment();
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : done) {
            f.get();
        }
        DistributedCounter reader = new DistributedCounter(connect(), p("counter"));
        assertThat(reader.get()).isEqualTo(clients * threadsPer * adds);
        assertThat(reader.add(-5)).isEqualTo(clients * threadsPer * adds - 5);
        assertThat(reader.compareAndSet(55, 7)).isTrue();
        assertThat(reader.compareAndSet(55, 8)).isFalse();
        assertThat(reader.get()).isEqualTo(7);
    }
}
