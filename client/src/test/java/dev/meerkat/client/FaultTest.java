package dev.meerkat.client;

import dev.meerkat.testkit.TcpProxy;

import dev.meerkat.protocol.CreateMode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections cut under load: no request is applied twice, every future completes (with its result
 * or ConnectionLoss), and the watches still fire after the reconnects.
 */
class FaultTest extends ServerTestBase {
    private static final int SLOTS = 32;

    @Test
    void cutsUnderLoadLoseNothingAndDuplicateNothing() throws Exception {
        TcpProxy proxy = proxy();
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(proxy.connectString(), b -> b
                .maxOutstandingRequests(SLOTS)
                .connectionStateListener(states));
        EventRecorder flag = new EventRecorder();
        EventRecorder oneShot = new EventRecorder();
        await(c.addWatch(p("flag"), flag, WatchMode.PERSISTENT));
        await(c.exists(p("one-shot"), oneShot));
        await(c.create(p("jobs"), null, CreateMode.PERSISTENT));

        List<CompletableFuture<Created>> futures = new CopyOnWriteArrayList<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread loader = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                // each request carries its own number, so a duplicate would show as a repeated value
                CompletableFuture<Created> f = c.create(p("jobs/job-"), bytes(Integer.toString(i)),
                        CreateMode.PERSISTENT_SEQUENTIAL);
                f.whenComplete((v, e) -> completed.incrementAndGet());
                futures.add(f);
            }
        }, "loader");
        loader.start();

        // cut 1: requests held back, so everything in flight is lost unapplied
        Awaitility.await().until(() -> completed.get() >= 100);
        proxy.holdRequests(true);
        Awaitility.await().until(() -> c.freeSlots() == 0);
        proxy.cutAll();
        proxy.holdRequests(false);
        states.awaitCount(ConnectionState.RECONNECTED, 1);

        // cut 2: replies held back, so what is in flight may have been applied without an answer
        int before = completed.get();
        Awaitility.await().until(() -> completed.get() >= before + 100);
        proxy.holdReplies(true);
        Awaitility.await().until(() -> c.freeSlots() == 0);
        proxy.cutAll();
        proxy.holdReplies(false);
        states.awaitCount(ConnectionState.RECONNECTED, 2);

        int before2 = completed.get();
        Awaitility.await().until(() -> completed.get() >= before2 + 100);
        stop.set(true);
        loader.join(10_000);
        await(CompletableFuture.allOf(futures.stream()
                .map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new)));

        Map<String, Integer> succeeded = new HashMap<>();
        int lost = 0;
        for (int i = 0; i < futures.size(); i++) {
            try {
                succeeded.put(futures.get(i).join().path(), i);
            } catch (RuntimeException e) {
                assertThat(e.getCause()).isInstanceOf(MeerkatException.ConnectionLoss.class);
                lost++;
            }
        }
        assertThat(lost).isGreaterThanOrEqualTo(SLOTS);
        List<String> nodes = await(admin.getChildren(p("jobs")));
        Map<String, String> dataByNode = new HashMap<>();
        for (String node : nodes) {
            dataByNode.put(p("jobs/" + node), string(await(admin.getData(p("jobs/" + node))).data()));
        }
        assertThat(dataByNode.values()).doesNotHaveDuplicates();
        succeeded.forEach((path, index) -> assertThat(dataByNode).containsEntry(path, Integer.toString(index)));
        assertThat(nodes.size()).isBetween(succeeded.size(), succeeded.size() + lost);

        await(admin.create(p("flag"), null, CreateMode.PERSISTENT));
        await(admin.create(p("one-shot"), null, CreateMode.PERSISTENT));
        assertThat(flag.nextDescribed()).isEqualTo("NodeCreated " + p("flag"));
        assertThat(oneShot.nextDescribed()).isEqualTo("NodeCreated " + p("one-shot"));
        assertThat(c.state()).isEqualTo(ConnectionState.RECONNECTED);
    }
}
