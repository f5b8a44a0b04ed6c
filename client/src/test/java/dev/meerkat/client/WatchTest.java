package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** One-shot, persistent and recursive watches; fan-out to local watchers; removal; delivery order. */
class WatchTest extends ServerTestBase {

    @Test
    void aDataWatchFiresOnceForTheNextChange() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder watcher = new EventRecorder();

        await(c.getData(p("n"), watcher));
        long firstChange = await(admin.setData(p("n"), bytes("1"))).mzxid();
        await(admin.setData(p("n"), bytes("2")));
        await(c.sync("/"));

        WatchedEvent event = watcher.next();
        assertThat(event.type()).isEqualTo(WatchedEvent.Type.NODE_DATA_CHANGED);
        assertThat(event.path()).isEqualTo(p("n"));
        assertThat(event.zxid()).isEqualTo(firstChange);
        assertThat(watcher.isEmpty()).isTrue();
    }

    @Test
    void anExistsWatchOnAMissingNodeFiresWhenItIsCreated() throws Exception {
        MeerkatClient c = connect();
        EventRecorder watcher = new EventRecorder();

        assertThat(await(c.exists(p("later"), watcher))).isEmpty();
        await(admin.create(p("later"), null, CreateMode.PERSISTENT));

        assertThat(watcher.nextDescribed()).isEqualTo("NodeCreated " + p("later"));
    }

    @Test
    void getDataOnAMissingNodeLeavesNoWatch() throws Exception {
        MeerkatClient c = connect();
        EventRecorder watcher = new EventRecorder();

        assertThat(failure(c.getData(p("n"), watcher)).code()).isEqualTo(Code.NONODE);
        assertThat(failure(c.getChildren(p("n"), watcher)).code()).isEqualTo(Code.NONODE);
        await(admin.create(p("n"), null, CreateMode.PERSISTENT));
        await(c.sync("/"));
        await(c.getData(p("n")));

        assertThat(watcher.isEmpty()).isTrue();
        assertThat(failure(c.removeAllWatches(p("n"), WatchType.ANY, false)).code()).isEqualTo(Code.NOWATCHER);
    }

    @Test
    void childWatchesHearChildrenAndDeletion() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder children = new EventRecorder();
        EventRecorder data = new EventRecorder();

        await(c.getChildrenWithStat(p("n"), children));
        await(admin.create(p("n/kid"), null, CreateMode.PERSISTENT));
        assertThat(children.nextDescribed()).isEqualTo("NodeChildrenChanged " + p("n"));

        await(c.getChildren(p("n"), children));
        await(c.exists(p("n"), data));
        await(admin.delete(p("n/kid")));
        assertThat(children.nextDescribed()).isEqualTo("NodeChildrenChanged " + p("n"));

        await(c.getChildren(p("n"), children));
        await(admin.delete(p("n")));
        assertThat(data.nextDescribed()).isEqualTo("NodeDeleted " + p("n"));
        assertThat(children.nextDescribed()).isEqualTo("NodeDeleted " + p("n"));
    }

    @Test
    void anEventComesBeforeTheReplyOfTheWriteThatCausedIt() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        List<String> seen = new ArrayList<>();

        // both callbacks run on the one event thread, so the list needs no lock
        await(c.getData(p("n"), e -> seen.add("event " + e.type().zooKeeperName())));
        await(c.setData(p("n"), bytes("x")).thenRun(() -> seen.add("reply")));

        assertThat(seen).containsExactly("event NodeDataChanged", "reply");
    }

    @Test
    void watchesRunOnTheClientsEventThreadOnly() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        List<String> watchThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch inWatcher = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        await(c.getData(p("n"), e -> {
            watchThreads.add(Thread.currentThread().getName());
            inWatcher.countDown();
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }));
        await(admin.setData(p("n"), bytes("x")));
        assertThat(inWatcher.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        // The event thread is held in the watcher, so this reply cannot complete its future before
        // the callback below is attached (a callback attached to a completed future would run on
        // the caller's thread, and prove nothing).
        List<String> futureThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = c.getData(p("n"))
                .thenRun(() -> futureThreads.add(Thread.currentThread().getName()));
        release.countDown();
        await(done);

        assertThat(watchThreads).singleElement().asString().startsWith("meerkat-events-");
        assertThat(futureThreads).containsExactly(watchThreads.get(0));
    }

    @Test
    void aPersistentWatchHearsEveryEventOfItsPathAndStays() throws Exception {
        MeerkatClient c = connect();
        EventRecorder watcher = new EventRecorder();

        await(c.addWatch(p("p"), watcher, WatchMode.PERSISTENT));
        await(admin.create(p("p"), null, CreateMode.PERSISTENT));
        await(admin.setData(p("p"), bytes("x")));
        await(admin.create(p("p/kid"), null, CreateMode.PERSISTENT));
        await(admin.create(p("p/kid/grandkid"), null, CreateMode.PERSISTENT));
        await(admin.setData(p("p"), bytes("y")));

        assertThat(watcher.nextDescribed()).isEqualTo("NodeCreated " + p("p"));
        assertThat(watcher.nextDescribed()).isEqualTo("NodeDataChanged " + p("p"));
        assertThat(watcher.nextDescribed()).isEqualTo("NodeChildrenChanged " + p("p"));
        assertThat(watcher.nextDescribed()).isEqualTo("NodeDataChanged " + p("p"));
    }

    @Test
    void aRecursiveWatchHearsTheWholeSubtreeButNoChildEvents() throws Exception {
        MeerkatClient c = connect();
        EventRecorder watcher = new EventRecorder();

        await(c.addWatch(p("r"), watcher, WatchMode.PERSISTENT_RECURSIVE));
        await(admin.create(p("r"), null, CreateMode.PERSISTENT));
        await(admin.create(p("r/a"), null, CreateMode.PERSISTENT));
        await(admin.create(p("r/a/b"), null, CreateMode.PERSISTENT));
        await(admin.setData(p("r/a/b"), bytes("x")));
        await(admin.delete(p("r/a/b")));
        await(admin.create(p("elsewhere"), null, CreateMode.PERSISTENT));
        await(c.sync("/"));

        assertThat(List.of(watcher.nextDescribed(), watcher.nextDescribed(), watcher.nextDescribed(),
                watcher.nextDescribed(), watcher.nextDescribed())).containsExactly(
                "NodeCreated " + p("r"),
                "NodeCreated " + p("r/a"),
                "NodeCreated " + p("r/a/b"),
                "NodeDataChanged " + p("r/a/b"),
                "NodeDeleted " + p("r/a/b"));
        assertThat(watcher.isEmpty()).isTrue();
    }

    @Test
    void oneNotificationReachesEveryMatchingLocalWatcherOnce() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder data = new EventRecorder();
        EventRecorder exists = new EventRecorder();
        EventRecorder persistent = new EventRecorder();
        EventRecorder recursive = new EventRecorder();
        EventRecorder both = new EventRecorder();

        await(c.getData(p("n"), data));
        await(c.exists(p("n"), exists));
        await(c.addWatch(p("n"), persistent, WatchMode.PERSISTENT));
        await(c.addWatch(base, recursive, WatchMode.PERSISTENT_RECURSIVE));
        // the same watcher as data and child watch: a deletion reaches it once, as in ZooKeeper
        await(c.getData(p("n"), both));
        await(c.getChildren(p("n"), both));
        await(admin.delete(p("n")));
        await(c.sync("/"));

        for (EventRecorder r : List.of(data, exists, persistent, recursive, both)) {
            assertThat(r.nextDescribed()).isEqualTo("NodeDeleted " + p("n"));
        }
        // the parent's child event goes to nobody here: the recursive watch does not hear child events
        assertThat(List.of(data, exists, persistent, recursive, both)).allMatch(EventRecorder::isEmpty);
    }

    @Test
    void removingAWatcherTellsItAndSilencesIt() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder removed = new EventRecorder();
        EventRecorder kept = new EventRecorder();
        await(c.getData(p("n"), removed));
        await(c.getData(p("n"), kept));

        await(c.removeWatches(p("n"), removed, WatchType.DATA, false));
        await(admin.setData(p("n"), bytes("x")));
        await(c.sync("/"));

        assertThat(removed.nextDescribed()).isEqualTo("DataWatchRemoved " + p("n"));
        assertThat(removed.isEmpty()).isTrue();
        assertThat(kept.nextDescribed()).isEqualTo("NodeDataChanged " + p("n"));
        assertThat(failure(c.removeWatches(p("n"), removed, WatchType.DATA, false)))
                .isInstanceOf(MeerkatException.NoWatcher.class);
    }

    @Test
    void removingTheLastWatcherStopsTheServersWatchToo() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder children = new EventRecorder();
        EventRecorder persistent = new EventRecorder();
        await(c.getChildren(p("n"), children));
        await(c.addWatch(p("n"), persistent, WatchMode.PERSISTENT));

        await(c.removeAllWatches(p("n"), WatchType.ANY, false));
        await(admin.create(p("n/kid"), null, CreateMode.PERSISTENT));
        await(c.sync("/"));

        assertThat(children.nextDescribed()).isEqualTo("ChildWatchRemoved " + p("n"));
        assertThat(persistent.nextDescribed()).isEqualTo("PersistentWatchRemoved " + p("n"));
        assertThat(children.isEmpty()).isTrue();
        assertThat(persistent.isEmpty()).isTrue();
        // the server has nothing left for this connection either
        assertThat(failure(c.removeAllWatches(p("n"), WatchType.ANY, false)).code()).isEqualTo(Code.NOWATCHER);
    }

    @Test
    void localRemovalNeedsNoServer() throws Exception {
        MeerkatClient c = connect();
        EventRecorder recursive = new EventRecorder();
        await(c.addWatch(p("r"), recursive, WatchMode.PERSISTENT_RECURSIVE));

        await(c.removeWatches(p("r"), recursive, WatchType.PERSISTENT_RECURSIVE, true));
        await(admin.create(p("r"), null, CreateMode.PERSISTENT));
        await(c.sync("/"));

        assertThat(recursive.nextDescribed()).isEqualTo("PersistentWatchRemoved " + p("r"));
        assertThat(recursive.isEmpty()).isTrue();
    }

    @Test
    void eventsArriveInServerOrderAcrossPaths() throws Exception {
        MeerkatClient c = connect();
        EventRecorder recursive = new EventRecorder();
        await(c.addWatch(base, recursive, WatchMode.PERSISTENT_RECURSIVE));
        List<CompletableFuture<Created>> creates = new ArrayList<>();

        for (int i = 0; i < 50; i++) {
            creates.add(admin.create(p("n" + i), null, CreateMode.PERSISTENT));
        }
        await(CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)));

        for (int i = 0; i < 50; i++) {
            WatchedEvent e = recursive.next();
            assertThat(e.path()).isEqualTo(p("n" + i));
            assertThat(e.zxid()).isEqualTo(await(creates.get(i)).stat().czxid());
        }
    }

    @Test
    void aThrowingWatcherDoesNotStopTheOthers() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        EventRecorder after = new EventRecorder();

        await(c.getData(p("n"), e -> {
            throw new IllegalStateException("a watcher with a bug");
        }));
        await(c.getData(p("n"), after));
        await(admin.setData(p("n"), bytes("x")));

        assertThat(after.nextDescribed()).isEqualTo("NodeDataChanged " + p("n"));
    }
}
