package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CuratorCache mirrors a subtree through one persistent recursive watch (addWatch, op 106) and
 * reads the data of each node the watch reports.
 */
class CuratorCacheTest extends CuratorCompatTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits for exactly these events, in this order, then forgets them. */
    private static void awaitEvents(Queue<String> events, String... expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(new ArrayList<>(events)).containsExactly(expected));
        for (int i = 0; i < expected.length; i++) {
            events.poll();
        }
    }

    private static String text(ChildData d) {
        return d.getData() == null ? null : new String(d.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void seesCreatesUpdatesAndDeletesAnywhereInTheSubtree() throws Exception {
        String root = unique("cache");
        CuratorFramework writer = newClient();
        writer.create().forPath(root, bytes("root"));
        writer.create().forPath(root + "/existing", bytes("old"));

        Queue<String> events = new ConcurrentLinkedQueue<>();
        CountDownLatch initialized = new CountDownLatch(1);
        CuratorCache cache = closeAfter(CuratorCache.build(newClient(), root));
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(d -> events.add("created " + d.getPath() + " " + text(d)))
                .forChanges((before, after) -> events.add("changed " + after.getPath() + " " + text(before)
                        + " -> " + text(after)))
                .forDeletes(d -> events.add("deleted " + d.getPath()))
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
        assertThat(initialized.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new ArrayList<>(events)).containsExactlyInAnyOrder(
                "created " + root + " root", "created " + root + "/existing old");
        events.clear();

        // In phases: the cache reads a node's data after the event, so a write racing that read would
        // legitimately fold two changes into one.
        writer.create().forPath(root + "/a", bytes("1"));
        writer.create().forPath(root + "/a/b", bytes("deep"));
        writer.create().withMode(CreateMode.EPHEMERAL).forPath(root + "/a/b/c", bytes("deeper"));
        awaitEvents(events,
                "created " + root + "/a 1",
                "created " + root + "/a/b deep",
                "created " + root + "/a/b/c deeper");

        writer.setData().forPath(root + "/a", bytes("2"));
        writer.setData().forPath(root + "/a/b/c", bytes("changed"));
        awaitEvents(events,
                "changed " + root + "/a 1 -> 2",
                "changed " + root + "/a/b/c deeper -> changed");

        writer.delete().forPath(root + "/a/b/c");
        writer.delete().forPath(root + "/a/b");
        writer.delete().forPath(root + "/existing");
        awaitEvents(events,
                "deleted " + root + "/a/b/c",
                "deleted " + root + "/a/b",
                "deleted " + root + "/existing");

        assertThat(cache.get(root + "/a")).hasValueSatisfying(d -> assertThat(text(d)).isEqualTo("2"));
        assertThat(cache.get(root + "/a/b")).isEmpty();
        assertThat(cache.stream().map(ChildData::getPath)).containsExactlyInAnyOrder(root, root + "/a");
    }

    @Test
    void seesTheRootItselfComeAndGo() throws Exception {
        String root = unique("cache-root");
        CuratorFramework writer = newClient();
        Queue<String> events = new ConcurrentLinkedQueue<>();
        CountDownLatch initialized = new CountDownLatch(1);
        CuratorCache cache = closeAfter(CuratorCache.build(newClient(), root));
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(d -> events.add("created " + d.getPath()))
                .forDeletes(d -> events.add("deleted " + d.getPath()))
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
        assertThat(initialized.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).isEmpty();

        writer.create().forPath(root);
        writer.create().forPath(root + "/child");
        awaitEvents(events, "created " + root, "created " + root + "/child");
        writer.delete().deletingChildrenIfNeeded().forPath(root);
        awaitEvents(events, "deleted " + root + "/child", "deleted " + root);
    }
}
