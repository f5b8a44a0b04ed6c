package dev.meerkat.server.watch;

import dev.meerkat.protocol.WatcherType;
import dev.meerkat.protocol.record.ACL;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WatchManagerTest {

    private static final List<ACL> ACL_OPEN = ACL.OPEN_ACL_UNSAFE;

    private final WatchManager manager = new WatchManager();
    private final RecordingWatcher a = new RecordingWatcher(1);
    private final RecordingWatcher b = new RecordingWatcher(2);

    @Test
    void addingTheSameModeTwiceIsOneEntry() {
        assertThat(manager.addDataWatch("/x", a)).isTrue();
        assertThat(manager.addDataWatch("/x", a)).isFalse();
        assertThat(manager.addChildWatch("/x", a)).isTrue();
        assertThat(manager.addChildWatch("/x", a)).isFalse();
        manager.addPersistentWatch("/x", a, false);
        manager.addPersistentWatch("/x", a, false);

        assertThat(manager.watchCount()).isEqualTo(1);
        assertThat(manager.totalWatchCount()).isEqualTo(2);

        manager.triggerDataChanged("/x", 5, ACL_OPEN);
        assertThat(a.events()).containsExactly("NodeDataChanged /x");
    }

    @Test
    void recursiveCountFollowsAddsAndEveryKindOfRemoval() {
        manager.addPersistentWatch("/r1", a, true);
        manager.addPersistentWatch("/r1", a, true);
        manager.addPersistentWatch("/r2", a, true);
        manager.addPersistentWatch("/r3", b, true);
        manager.addDataWatch("/r3", b);
        assertThat(manager.recursiveWatchCount()).isEqualTo(3);

        manager.removeWatch("/r1", WatcherType.PERSISTENT_RECURSIVE, a);
        assertThat(manager.recursiveWatchCount()).isEqualTo(2);

        manager.removeWatch("/r3", WatcherType.DATA, b);
        assertThat(manager.recursiveWatchCount()).isEqualTo(2);

        manager.removeWatch("/r3", WatcherType.ANY, b);
        assertThat(manager.recursiveWatchCount()).isEqualTo(1);

        manager.removeWatcher(a);
        assertThat(manager.recursiveWatchCount()).isZero();
        assertThat(manager.totalWatchCount()).isZero();
    }

    @Test
    void withoutRecursiveWatchesAncestorsAreNotNotified() {
        manager.addDataWatch("/a", a);
        manager.addPersistentWatch("/a", b, false);

        manager.triggerCreated("/a/b", 1, ACL_OPEN, ACL_OPEN);
        manager.triggerDataChanged("/a/b", 2, ACL_OPEN);

        assertThat(a.deliveries()).isEmpty();
        assertThat(b.events()).containsExactly("NodeChildrenChanged /a");
    }

    @Test
    void recursiveWatchOnRootSeesEveryDataEventAndNoChildEvents() {
        manager.addPersistentWatch("/", a, true);

        manager.triggerCreated("/x", 1, ACL_OPEN, ACL_OPEN);
        manager.triggerCreated("/x/y", 2, ACL_OPEN, ACL_OPEN);
        manager.triggerDataChanged("/x/y", 3, ACL_OPEN);
        manager.triggerDeleted("/x/y", 4, ACL_OPEN, ACL_OPEN);
        manager.triggerDataChanged("/", 5, ACL_OPEN);

        assertThat(a.events()).containsExactly(
                "NodeCreated /x", "NodeCreated /x/y", "NodeDataChanged /x/y", "NodeDeleted /x/y",
                "NodeDataChanged /");
        assertThat(a.deliveries()).extracting(RecordingWatcher.Delivery::zxid).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void recursiveWatchOnASiblingPrefixIsNotAnAncestor() {
        manager.addPersistentWatch("/ab", a, true);

        manager.triggerCreated("/abc", 1, ACL_OPEN, ACL_OPEN);
        manager.triggerCreated("/ab/c", 2, ACL_OPEN, ACL_OPEN);

        assertThat(a.events()).containsExactly("NodeCreated /ab/c");
    }

    @Test
    void watchersAreToldInRegistrationOrderThenNearestAncestorFirst() {
        List<String> order = new ArrayList<>();
        Watcher first = recorder("first", order);
        Watcher second = recorder("second", order);
        Watcher nearAncestor = recorder("near", order);
        Watcher rootAncestor = recorder("root", order);
        manager.addPersistentWatch("/", rootAncestor, true);
        manager.addPersistentWatch("/a", nearAncestor, true);
        manager.addDataWatch("/a/b", first);
        manager.addDataWatch("/a/b", second);

        manager.triggerDataChanged("/a/b", 1, ACL_OPEN);

        assertThat(order).containsExactly("first", "second", "near", "root");
    }

    @Test
    void aWatcherThatRegistersAgainWhileBeingToldKeepsItsNewWatch() {
        Watcher reRegistering = new Watcher() {
            @Override
            public void process(WatchedEvent event, List<ACL> nodeAcl) {
                manager.addDataWatch(event.path(), this);
            }

            @Override
            public long sessionId() {
                return 9;
            }
        };
        manager.addDataWatch("/x", reRegistering);

        manager.triggerDataChanged("/x", 1, ACL_OPEN);

        assertThat(manager.containsWatch("/x", WatcherType.DATA, reRegistering)).isTrue();
    }

    @Test
    void persistentRemovalTakesBothTablesAndReportsWhetherAnythingWent() {
        manager.addPersistentWatch("/p", a, false);
        manager.addChildWatch("/p", a);

        assertThat(manager.removeWatch("/p", WatcherType.PERSISTENT, a)).isTrue();
        assertThat(manager.removeWatch("/p", WatcherType.PERSISTENT, a)).isFalse();
        assertThat(manager.containsWatch("/p", WatcherType.CHILDREN, a)).isTrue();
        assertThat(manager.watchCount()).isZero();
        assertThat(manager.totalWatchCount()).isEqualTo(1);
    }

    @Test
    void unknownWatcherTypesMatchNothing() {
        manager.addDataWatch("/x", a);

        assertThat(manager.containsWatch("/x", 0, a)).isFalse();
        assertThat(manager.containsWatch("/x", 6, a)).isFalse();
        assertThat(manager.removeWatch("/x", 99, a)).isFalse();
        assertThat(manager.containsWatch("/x", WatcherType.DATA, a)).isTrue();
    }

    @Test
    void removeWatcherOfAnUnknownWatcherIsHarmless() {
        manager.addDataWatch("/x", a);

        manager.removeWatcher(b);

        assertThat(manager.watchCount()).isEqualTo(1);
    }

    @Test
    void deleteTellsChildTableWatchersThatHadNoDataWatch() {
        manager.addChildWatch("/n", a);
        manager.addChildWatch("/", b);

        manager.triggerDeleted("/n", 3, List.of(), ACL_OPEN);

        assertThat(a.deliveries()).containsExactly(
                new RecordingWatcher.Delivery(dev.meerkat.protocol.EventType.NODE_DELETED, "/n", 3, List.of()));
        assertThat(b.events()).containsExactly("NodeChildrenChanged /");
    }

    private static Watcher recorder(String name, List<String> order) {
        return new Watcher() {
            @Override
            public void process(WatchedEvent event, List<ACL> nodeAcl) {
                order.add(name);
            }

            @Override
            public long sessionId() {
                return 0;
            }
        };
    }
}
