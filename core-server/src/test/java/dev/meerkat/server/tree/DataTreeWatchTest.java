package dev.meerkat.server.tree;

import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.WatcherType;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.watch.RecordingWatcher;
import dev.meerkat.server.watch.RecordingWatcher.Delivery;
import dev.meerkat.server.watch.WatchedEvent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.meerkat.protocol.EventType.NODE_CHILDREN_CHANGED;
import static dev.meerkat.protocol.EventType.NODE_CREATED;
import static dev.meerkat.protocol.EventType.NODE_DATA_CHANGED;
import static dev.meerkat.protocol.EventType.NODE_DELETED;
import static dev.meerkat.server.tree.Txns.apply;
import static dev.meerkat.server.tree.Txns.create;
import static dev.meerkat.server.tree.Txns.delete;
import static dev.meerkat.server.tree.Txns.setData;
import static org.assertj.core.api.Assertions.assertThat;

/** §7.2–7.5 of the protocol notes, through the tree. */
class DataTreeWatchTest {

    private static final List<ACL> PARENT_ACL = List.of(new ACL(Perms.ALL, new Id("digest", "parent:x")));
    private static final List<ACL> CHILD_ACL = List.of(new ACL(Perms.READ, new Id("digest", "child:y")));

    private final DataTree tree = new DataTree();
    private final RecordingWatcher w = new RecordingWatcher(0x11);
    private final RecordingWatcher other = new RecordingWatcher(0x22);

    private void createWithAcl(long zxid, String path, List<ACL> acl) {
        apply(tree, zxid, new CreateTxn(path, new byte[0], acl, 0L));
    }

    @Nested
    class Create {
        @Test
        void existsWatchGetsNodeCreatedWithTheNodesAclThenParentWatchGetsChildrenChangedWithTheParentsAcl() {
            createWithAcl(1, "/p", PARENT_ACL);
            tree.addDataWatch("/p/c", w);
            tree.addChildWatch("/p", w);

            createWithAcl(2, "/p/c", CHILD_ACL);

            assertThat(w.deliveries()).containsExactly(
                    new Delivery(NODE_CREATED, "/p/c", 2, CHILD_ACL),
                    new Delivery(NODE_CHILDREN_CHANGED, "/p", 2, PARENT_ACL));
        }

        @Test
        void standardWatchesAreConsumed() {
            create(tree, 1, "/p");
            tree.addDataWatch("/p/c", w);
            tree.addChildWatch("/p", w);
            create(tree, 2, "/p/c");
            w.clear();

            delete(tree, 3, "/p/c");
            create(tree, 4, "/p/c");

            assertThat(w.deliveries()).isEmpty();
            assertThat(tree.containsWatch("/p/c", WatcherType.ANY, w)).isFalse();
            assertThat(tree.containsWatch("/p", WatcherType.ANY, w)).isFalse();
        }

        @Test
        void recursiveWatchersOnAnyAncestorGetNodeCreatedButNeverChildrenChanged() {
            create(tree, 1, "/a");
            create(tree, 2, "/a/b");
            tree.addPersistentWatch("/a", w, true);
            tree.addPersistentWatch("/", other, true);

            create(tree, 3, "/a/b/c");
            create(tree, 4, "/a/b/c/d");
            create(tree, 5, "/z");

            assertThat(w.events()).containsExactly("NodeCreated /a/b/c", "NodeCreated /a/b/c/d");
            assertThat(other.events()).containsExactly(
                    "NodeCreated /a/b/c", "NodeCreated /a/b/c/d", "NodeCreated /z");
        }

        @Test
        void recursiveWatchOnThePathItselfGetsNodeCreated() {
            tree.addPersistentWatch("/r", w, true);

            create(tree, 1, "/r");
            create(tree, 2, "/r/kid");

            assertThat(w.events()).containsExactly("NodeCreated /r", "NodeCreated /r/kid");
        }

        @Test
        void persistentWatchHearsItsOwnCreationAndItsChildListButNotGrandchildren() {
            tree.addPersistentWatch("/p", w, false);

            create(tree, 1, "/p");
            create(tree, 2, "/p/c");
            create(tree, 3, "/p/c/g");
            setData(tree, 4, "/p", "x", 1);
            setData(tree, 5, "/p/c", "x", 1);

            assertThat(w.events()).containsExactly(
                    "NodeCreated /p", "NodeChildrenChanged /p", "NodeDataChanged /p");
            assertThat(tree.containsWatch("/p", WatcherType.PERSISTENT, w)).isTrue();
        }

        @Test
        void oneNotificationPerWatcherPerEventEvenWhenSeveralEntriesMatch() {
            create(tree, 1, "/a");
            tree.addDataWatch("/a/b", w);
            tree.addPersistentWatch("/a/b", w, false);
            tree.addPersistentWatch("/a/b", w, true);
            tree.addPersistentWatch("/a", w, true);
            tree.addPersistentWatch("/", w, true);

            create(tree, 2, "/a/b");

            assertThat(w.events()).containsExactly("NodeCreated /a/b");
            // the one-shot part was consumed, the persistent parts stay
            assertThat(tree.containsWatch("/a/b", WatcherType.DATA, w)).isFalse();
            assertThat(tree.containsWatch("/a/b", WatcherType.PERSISTENT, w)).isTrue();
            assertThat(tree.containsWatch("/a/b", WatcherType.PERSISTENT_RECURSIVE, w)).isTrue();
        }

        @Test
        void topLevelCreateNotifiesTheRootsChildWatchers() {
            tree.addChildWatch("/", w);

            createWithAcl(1, "/top", CHILD_ACL);

            assertThat(w.deliveries()).containsExactly(
                    new Delivery(NODE_CHILDREN_CHANGED, "/", 1, ACL.OPEN_ACL_UNSAFE));
        }
    }

    @Nested
    class Delete {
        @Test
        void dataAndChildWatchersOfTheNodeGetNodeDeletedOnceThenParentWatchersGetChildrenChanged() {
            createWithAcl(1, "/p", PARENT_ACL);
            createWithAcl(2, "/p/c", CHILD_ACL);
            tree.addDataWatch("/p/c", w);
            tree.addChildWatch("/p/c", w);
            tree.addChildWatch("/p/c", other);
            tree.addChildWatch("/p", other);

            delete(tree, 3, "/p/c");

            assertThat(w.deliveries()).containsExactly(new Delivery(NODE_DELETED, "/p/c", 3, CHILD_ACL));
            assertThat(other.deliveries()).containsExactly(
                    new Delivery(NODE_DELETED, "/p/c", 3, CHILD_ACL),
                    new Delivery(NODE_CHILDREN_CHANGED, "/p", 3, PARENT_ACL));
            // both of w's one-shot watches are used up, though it was told only once
            assertThat(tree.containsWatch("/p/c", WatcherType.ANY, w)).isFalse();
            assertThat(tree.containsWatch("/p/c", WatcherType.ANY, other)).isFalse();
        }

        @Test
        void nodeDeletedCarriesTheAclTheNodeHadWhenDeleted() {
            create(tree, 1, "/n");
            apply(tree, 2, new SetACLTxn("/n", CHILD_ACL, 1));
            tree.addDataWatch("/n", w);

            delete(tree, 3, "/n");

            assertThat(w.deliveries()).containsExactly(new Delivery(NODE_DELETED, "/n", 3, CHILD_ACL));
        }

        @Test
        void recursiveWatcherGetsNodeDeletedOnlyAndPersistentOnesStay() {
            create(tree, 1, "/a");
            create(tree, 2, "/a/b");
            tree.addPersistentWatch("/a", w, true);
            tree.addPersistentWatch("/a", other, false);

            delete(tree, 3, "/a/b");
            delete(tree, 4, "/a");

            assertThat(w.events()).containsExactly("NodeDeleted /a/b", "NodeDeleted /a");
            assertThat(other.events()).containsExactly("NodeChildrenChanged /a", "NodeDeleted /a");
            assertThat(tree.containsWatch("/a", WatcherType.PERSISTENT_RECURSIVE, w)).isTrue();
            assertThat(tree.containsWatch("/a", WatcherType.PERSISTENT, other)).isTrue();
        }

        @Test
        void persistentWatcherOnTheDeletedNodeIsToldOnceThoughItSitsInBothTables() {
            create(tree, 1, "/a");
            tree.addPersistentWatch("/a", w, false);

            delete(tree, 2, "/a");

            assertThat(w.events()).containsExactly("NodeDeleted /a");
        }
    }

    @Nested
    class DataAndAcl {
        @Test
        void setDataNotifiesDataWatchersAndRecursiveAncestorsWithTheTxnZxid() {
            createWithAcl(1, "/a", PARENT_ACL);
            createWithAcl(2, "/a/b", CHILD_ACL);
            tree.addDataWatch("/a/b", w);
            tree.addChildWatch("/a/b", other);
            tree.addChildWatch("/a", other);
            tree.addPersistentWatch("/a", other, true);

            setData(tree, 3, "/a/b", "v", 1);
            setData(tree, 4, "/a/b", "w", 2);

            assertThat(w.deliveries()).containsExactly(new Delivery(NODE_DATA_CHANGED, "/a/b", 3, CHILD_ACL));
            assertThat(other.deliveries()).containsExactly(
                    new Delivery(NODE_DATA_CHANGED, "/a/b", 3, CHILD_ACL),
                    new Delivery(NODE_DATA_CHANGED, "/a/b", 4, CHILD_ACL));
            assertThat(tree.containsWatch("/a/b", WatcherType.CHILDREN, other)).isTrue();
        }

        @Test
        void setAclFiresNothing() {
            create(tree, 1, "/a");
            tree.addDataWatch("/a", w);
            tree.addChildWatch("/", w);
            tree.addPersistentWatch("/", w, true);

            apply(tree, 2, new SetACLTxn("/a", CHILD_ACL, 1));

            assertThat(w.deliveries()).isEmpty();
            assertThat(tree.containsWatch("/a", WatcherType.DATA, w)).isTrue();
        }
    }

    @Nested
    class Removal {
        @Test
        void containsAndRemoveFollowTheWatcherTypeNumbers() {
            tree.addChildWatch("/c", w);
            tree.addDataWatch("/d", w);
            tree.addPersistentWatch("/p", w, false);
            tree.addPersistentWatch("/r", w, true);

            assertThat(tree.containsWatch("/c", WatcherType.CHILDREN, w)).isTrue();
            assertThat(tree.containsWatch("/c", WatcherType.DATA, w)).isFalse();
            assertThat(tree.containsWatch("/d", WatcherType.DATA, w)).isTrue();
            assertThat(tree.containsWatch("/d", WatcherType.CHILDREN, w)).isFalse();
            assertThat(tree.containsWatch("/p", WatcherType.PERSISTENT, w)).isTrue();
            assertThat(tree.containsWatch("/p", WatcherType.DATA, w)).isFalse();
            assertThat(tree.containsWatch("/p", WatcherType.CHILDREN, w)).isFalse();
            assertThat(tree.containsWatch("/r", WatcherType.PERSISTENT_RECURSIVE, w)).isTrue();
            assertThat(tree.containsWatch("/r", WatcherType.PERSISTENT, w)).isFalse();
            for (String path : List.of("/c", "/d", "/p", "/r")) {
                assertThat(tree.containsWatch(path, WatcherType.ANY, w)).isTrue();
                assertThat(tree.containsWatch(path, WatcherType.ANY, other)).isFalse();
            }

            assertThat(tree.removeWatch("/c", WatcherType.DATA, w)).isFalse();
            assertThat(tree.removeWatch("/c", WatcherType.CHILDREN, w)).isTrue();
            assertThat(tree.removeWatch("/c", WatcherType.CHILDREN, w)).isFalse();
            assertThat(tree.removeWatch("/d", WatcherType.DATA, w)).isTrue();
            assertThat(tree.removeWatch("/r", WatcherType.PERSISTENT, w)).isFalse();
            assertThat(tree.removeWatch("/r", WatcherType.PERSISTENT_RECURSIVE, w)).isTrue();
            assertThat(tree.removeWatch("/p", WatcherType.PERSISTENT, other)).isFalse();
            assertThat(tree.removeWatch("/p", WatcherType.PERSISTENT, w)).isTrue();
            for (String path : List.of("/c", "/d", "/p", "/r")) {
                assertThat(tree.containsWatch(path, WatcherType.ANY, w)).isFalse();
            }

            create(tree, 1, "/c");
            create(tree, 2, "/d");
            create(tree, 3, "/p");
            create(tree, 4, "/r");
            create(tree, 5, "/p/kid");
            assertThat(w.deliveries()).isEmpty();
        }

        @Test
        void anyRemovesEveryModeFromBothTables() {
            tree.addDataWatch("/x", w);
            tree.addChildWatch("/x", w);
            tree.addPersistentWatch("/x", w, false);
            tree.addPersistentWatch("/x", w, true);

            assertThat(tree.removeWatch("/x", WatcherType.ANY, w)).isTrue();
            assertThat(tree.removeWatch("/x", WatcherType.ANY, w)).isFalse();

            create(tree, 1, "/x");
            create(tree, 2, "/x/y");
            assertThat(w.deliveries()).isEmpty();
        }

        @Test
        void removingOneModeKeepsTheOthersOfTheSameEntry() {
            tree.addDataWatch("/x", w);
            tree.addPersistentWatch("/x", w, false);

            assertThat(tree.removeWatch("/x", WatcherType.DATA, w)).isTrue();
            assertThat(tree.containsWatch("/x", WatcherType.PERSISTENT, w)).isTrue();

            create(tree, 1, "/x");
            setData(tree, 2, "/x", "v", 1);
            assertThat(w.events()).containsExactly("NodeCreated /x", "NodeDataChanged /x");
        }

        @Test
        void removeWatcherDropsEverythingOfThatWatcherOnly() {
            tree.addDataWatch("/a", w);
            tree.addChildWatch("/", w);
            tree.addPersistentWatch("/", w, true);
            tree.addPersistentWatch("/b", w, false);
            tree.addDataWatch("/a", other);

            tree.removeWatcher(w);
            create(tree, 1, "/a");
            create(tree, 2, "/b");

            assertThat(w.deliveries()).isEmpty();
            assertThat(other.events()).containsExactly("NodeCreated /a");
            assertThat(tree.watchingConnectionCount()).isZero();
        }
    }

    @Nested
    class SetWatches {
        /** /changed: mzxid 5; /same: mzxid 2, pzxid 2 (no children); /kids: pzxid 6. */
        private void populate() {
            create(tree, 1, "/changed");
            create(tree, 2, "/same");
            create(tree, 3, "/kids");
            setData(tree, 5, "/changed", "v", 1);
            create(tree, 6, "/kids/k");
            apply(tree, 7, new SetACLTxn("/changed", CHILD_ACL, 1));
        }

        @Test
        void dataWatchesCatchUpOnDeletesAndChangesAndAreRegisteredOtherwise() {
            populate();

            tree.setWatches(4, List.of("/gone", "/changed", "/same"), null, null, null, null, w);

            assertThat(w.deliveries()).containsExactly(
                    new Delivery(NODE_DELETED, "/gone", WatchedEvent.NO_ZXID, null),
                    new Delivery(NODE_DATA_CHANGED, "/changed", WatchedEvent.NO_ZXID, CHILD_ACL));
            assertThat(tree.containsWatch("/same", WatcherType.DATA, w)).isTrue();
            assertThat(tree.containsWatch("/gone", WatcherType.ANY, w)).isFalse();
            assertThat(tree.containsWatch("/changed", WatcherType.ANY, w)).isFalse();
        }

        @Test
        void aDataChangeAtExactlyTheRelativeZxidIsNotMissed() {
            populate();

            tree.setWatches(5, List.of("/changed"), List.of(), List.of(), List.of(), List.of(), w);

            assertThat(w.deliveries()).isEmpty();
            assertThat(tree.containsWatch("/changed", WatcherType.DATA, w)).isTrue();
        }

        @Test
        void existWatchesCatchUpWithNodeCreatedWheneverTheNodeExists() {
            populate();

            tree.setWatches(100, null, List.of("/same", "/absent"), null, null, null, w);

            assertThat(w.deliveries()).containsExactly(
                    new Delivery(NODE_CREATED, "/same", WatchedEvent.NO_ZXID, Txns.OPEN));
            assertThat(tree.containsWatch("/absent", WatcherType.DATA, w)).isTrue();
            assertThat(tree.containsWatch("/same", WatcherType.ANY, w)).isFalse();

            create(tree, 101, "/absent");
            assertThat(w.events()).containsExactly("NodeCreated /same", "NodeCreated /absent");
        }

        @Test
        void childWatchesCatchUpOnDeletesAndChildChangesAndAreRegisteredOtherwise() {
            populate();

            tree.setWatches(5, null, null, List.of("/gone", "/kids", "/same"), null, null, w);

            assertThat(w.deliveries()).containsExactly(
                    new Delivery(NODE_DELETED, "/gone", WatchedEvent.NO_ZXID, null),
                    new Delivery(NODE_CHILDREN_CHANGED, "/kids", WatchedEvent.NO_ZXID, Txns.OPEN));
            assertThat(tree.containsWatch("/same", WatcherType.CHILDREN, w)).isTrue();
            assertThat(tree.containsWatch("/kids", WatcherType.ANY, w)).isFalse();
        }

        @Test
        void persistentWatchesAreRegisteredAgainWithoutCatchUpEvents() {
            populate();

            tree.setWatches(0, null, null, null, List.of("/changed", "/gone"), List.of("/kids", "/gone2"), w);

            assertThat(w.deliveries()).isEmpty();
            assertThat(tree.containsWatch("/changed", WatcherType.PERSISTENT, w)).isTrue();
            assertThat(tree.containsWatch("/gone", WatcherType.PERSISTENT, w)).isTrue();
            assertThat(tree.containsWatch("/kids", WatcherType.PERSISTENT_RECURSIVE, w)).isTrue();
            assertThat(tree.containsWatch("/gone2", WatcherType.PERSISTENT_RECURSIVE, w)).isTrue();

            create(tree, 8, "/kids/k2");
            create(tree, 9, "/changed/c");
            assertThat(w.events()).containsExactly("NodeCreated /kids/k2", "NodeChildrenChanged /changed");
        }

        @Test
        void catchUpEventsGoOnlyToTheReconnectingWatcher() {
            populate();
            tree.addDataWatch("/changed", other);

            tree.setWatches(0, List.of("/changed"), null, null, null, null, w);

            assertThat(other.deliveries()).isEmpty();
            assertThat(tree.containsWatch("/changed", WatcherType.DATA, other)).isTrue();
        }
    }

    @Test
    void aWatcherThatThrowsDoesNotStopTheTxnOrTheOtherWatchers() {
        dev.meerkat.server.watch.Watcher broken = new dev.meerkat.server.watch.Watcher() {
            @Override
            public void process(WatchedEvent event, List<ACL> nodeAcl) {
                throw new IllegalStateException("connection bug");
            }

            @Override
            public long sessionId() {
                return 0x33;
            }
        };
        tree.addDataWatch("/a", broken);
        tree.addDataWatch("/a", w);
        tree.addChildWatch("/", other);

        create(tree, 1, "/a");

        assertThat(w.events()).containsExactly("NodeCreated /a");
        assertThat(other.events()).containsExactly("NodeChildrenChanged /");
        assertThat(tree.getNode("/a")).isNotNull();
        assertThat(tree.lastProcessedZxid()).isEqualTo(1);
    }

    @Test
    void reportsCountTheDataTableBySessionAndByPath() {
        RecordingWatcher sameSessionNewConnection = new RecordingWatcher(0x11);
        tree.addDataWatch("/b", w);
        tree.addDataWatch("/a", w);
        tree.addPersistentWatch("/a", other, true);
        tree.addDataWatch("/c", sameSessionNewConnection);
        tree.addChildWatch("/only-child-table", w);

        assertThat(tree.watchCount()).isEqualTo(4);
        assertThat(tree.totalWatchCount()).isEqualTo(5);
        assertThat(tree.watchedPathCount()).isEqualTo(3);
        assertThat(tree.watchingConnectionCount()).isEqualTo(3);
        assertThat(tree.dataWatchesBySession()).isEqualTo(Map.of(
                0x11L, Set.of("/a", "/b", "/c"),
                0x22L, Set.of("/a")));
        assertThat(tree.dataWatchesBySession().keySet()).containsExactly(0x11L, 0x22L);
        assertThat(tree.dataWatchesByPath()).isEqualTo(Map.of(
                "/a", Set.of(0x11L, 0x22L),
                "/b", Set.of(0x11L),
                "/c", Set.of(0x11L)));
        assertThat(tree.dataWatchesByPath().keySet()).containsExactly("/a", "/b", "/c");
        assertThat(tree.dataWatchesBySession().get(0x11L)).containsExactly("/a", "/b", "/c");
    }

    @Test
    void firedOneShotWatchesLeaveTheReports() {
        tree.addDataWatch("/a", w);
        create(tree, 1, "/a");

        assertThat(tree.watchCount()).isZero();
        assertThat(tree.watchedPathCount()).isZero();
        assertThat(tree.watchingConnectionCount()).isZero();
        assertThat(tree.dataWatchesByPath()).isEmpty();
    }
}
