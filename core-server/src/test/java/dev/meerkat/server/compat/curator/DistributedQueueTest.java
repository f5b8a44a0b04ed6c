package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.queue.DistributedQueue;
import org.apache.curator.framework.recipes.queue.QueueBuilder;
import org.apache.curator.framework.recipes.queue.QueueConsumer;
import org.apache.curator.framework.recipes.queue.QueueSerializer;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Curator's queue: persistent-sequential items, taken by deleting them, in sequence order. */
class DistributedQueueTest extends CuratorCompatTest {
    private static final QueueSerializer<String> TEXT = new QueueSerializer<>() {
        @Override
        public byte[] serialize(String item) {
            return item.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    private static QueueConsumer<String> into(Queue<String> sink) {
        return new QueueConsumer<>() {
            @Override
            public void consumeMessage(String message) {
                sink.add(message);
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
            }
        };
    }

    private DistributedQueue<String> queue(CuratorFramework client, String path, QueueConsumer<String> consumer)
            throws Exception {
        DistributedQueue<String> q = closeAfter(QueueBuilder.builder(client, consumer, TEXT, path).buildQueue());
        q.start();
        return q;
    }

    @Test
    void aSingleConsumerGetsEveryItemOnceInOrder() throws Exception {
        String path = unique("queue");
        Queue<String> consumed = new ConcurrentLinkedQueue<>();
        DistributedQueue<String> producer = queue(newClient(), path, null);
        queue(newClient(), path, into(consumed));

        List<String> items = IntStream.range(0, 20).mapToObj(i -> "item-" + i).toList();
        for (String item : items) {
            producer.put(item);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> consumed.size() >= items.size());
        assertThat(new ArrayList<>(consumed)).containsExactlyElementsOf(items);
        CuratorFramework inspector = newClient();
        await().atMost(Duration.ofSeconds(5)).until(() -> inspector.getChildren().forPath(path).isEmpty());
    }

    @Test
    void competingConsumersTakeEachItemExactlyOnce() throws Exception {
        String path = unique("shared-queue");
        Queue<String> first = new ConcurrentLinkedQueue<>();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        queue(newClient(), path, into(first));
        queue(newClient(), path, into(second));
        DistributedQueue<String> producer = queue(newClient(), path, null);

        List<String> items = IntStream.range(0, 40).mapToObj(i -> "job-" + i).toList();
        for (String item : items) {
            producer.put(item);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> first.size() + second.size() >= items.size());
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).containsExactlyInAnyOrderElementsOf(items);
    }
}
