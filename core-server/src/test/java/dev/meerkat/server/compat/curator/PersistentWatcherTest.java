package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Curator's PersistentWatcher: addWatch (106) in PERSISTENT or PERSISTENT_RECURSIVE mode, never consumed. */
class PersistentWatcherTest extends CuratorCompatTest {

    private Queue<String> watch(CuratorFramework client, String path, boolean recursive) throws InterruptedException {
        Queue<String> events = new ConcurrentLinkedQueue<>();
        PersistentWatcher watcher = closeAfter(new PersistentWatcher(client, path, recursive));
        CountDownLatch registered = new CountDownLatch(1);
        watcher.getResetListenable().addListener(registered::countDown);
        watcher.getListenable().addListener((WatchedEvent e) -> {
            if (e.getType() != EventType.None) {
                events.add(e.getType() + " " + e.getPath());
            }
        });
        watcher.start();
        assertThat(registered.await(10, TimeUnit.SECONDS)).as("addWatch answered").isTrue();
        return events;
    }

    private static void awaitEvents(Queue<String> events, List<String> expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(new ArrayList<>(events)).containsExactlyElementsOf(expected));
    }

    @Test
    void recursiveWatchSeesEveryChangeBelowButNoChildListChanges() throws Exception {
        String root = unique("pw-recursive");
        CuratorFramework writer = newClient();
        Queue<String> events = watch(newClient(), root, true);

        writer.create().forPath(root);
        writer.create().forPath(root + "/a");
        writer.create().forPath(root + "/a/b");
        writer.setData().forPath(root + "/a/b", new byte[] {1});
        writer.setData().forPath(root + "/a/b", new byte[] {2});
        writer.delete().forPath(root + "/a/b");
        writer.create().forPath(root + "-sibling");

        awaitEvents(events, List.of(
                "NodeCreated " + root,
                "NodeCreated " + root + "/a",
                "NodeCreated " + root + "/a/b",
                "NodeDataChanged " + root + "/a/b",
                "NodeDataChanged " + root + "/a/b",
                "NodeDeleted " + root + "/a/b"));
        // a marker after everything above, to show nothing else (e.g. the sibling) slipped in
        writer.setData().forPath(root, new byte[] {9});
        awaitEvents(events, List.of(
                "NodeCreated " + root,
                "NodeCreated " + root + "/a",
                "NodeCreated " + root + "/a/b",
                "NodeDataChanged " + root + "/a/b",
                "NodeDataChanged " + root + "/a/b",
                "NodeDeleted " + root + "/a/b",
                "NodeDataChanged " + root));
    }

    @Test
    void recursiveWatchSurvivesAConnectionDropAndFiresOncePerChange() throws Exception {
        String root = unique("pw-reconnect");
        CuratorFramework writer = newClient();
        CuratorFramework watching = newClient();
        writer.create().forPath(root);
        Queue<String> events = new ConcurrentLinkedQueue<>();
        PersistentWatcher watcher = closeAfter(new PersistentWatcher(watching, root, true));
        Semaphore registrations = new Semaphore(0);
        watcher.getResetListenable().addListener(registrations::release);
        watcher.getListenable().addListener((WatchedEvent e) -> {
            if (e.getType() != EventType.None) {
                events.add(e.getType() + " " + e.getPath());
            }
        });
        watcher.start();
        assertThat(registrations.tryAcquire(10, TimeUnit.SECONDS)).as("addWatch answered").isTrue();

        // The client re-attaches its session on a new connection and restores the watch twice over:
        // its own SetWatches2, then Curator's fresh addWatch, whose answer is the reset signal.
        // The server must still notify once per change.
        watching.getZookeeperClient().getZooKeeper().getTestable().closeSocket();
        assertThat(registrations.tryAcquire(10, TimeUnit.SECONDS)).as("addWatch re-issued after reconnecting")
                .isTrue();

        writer.create().forPath(root + "/after");
        writer.setData().forPath(root + "/after", new byte[] {1});
        writer.delete().forPath(root + "/after");
        awaitEvents(events, List.of(
                "NodeCreated " + root + "/after",
                "NodeDataChanged " + root + "/after",
                "NodeDeleted " + root + "/after"));
        writer.setData().forPath(root, new byte[] {1});
        awaitEvents(events, List.of(
                "NodeCreated " + root + "/after",
                "NodeDataChanged " + root + "/after",
                "NodeDeleted " + root + "/after",
                "NodeDataChanged " + root));
    }

    @Test
    void nonRecursiveWatchSeesItsNodeAndItsChildListOnly() throws Exception {
        String root = unique("pw-flat");
        CuratorFramework writer = newClient();
        Queue<String> events = watch(newClient(), root, false);

        writer.create().forPath(root);
        writer.create().forPath(root + "/a");
        writer.create().forPath(root + "/a/b");
        writer.setData().forPath(root + "/a", new byte[] {1});
        writer.setData().forPath(root, new byte[] {1});
        writer.setData().forPath(root, new byte[] {2});
        writer.delete().forPath(root + "/a/b");
        writer.delete().forPath(root + "/a");
        writer.delete().forPath(root);

        awaitEvents(events, List.of(
                "NodeCreated " + root,
                "NodeChildrenChanged " + root,
                "NodeDataChanged " + root,
                "NodeDataChanged " + root,
                "NodeChildrenChanged " + root,
                "NodeDeleted " + root));
    }
}
