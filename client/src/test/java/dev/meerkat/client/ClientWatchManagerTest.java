package dev.meerkat.client;

import dev.meerkat.client.ClientWatchManager.Kind;
import dev.meerkat.client.ClientWatchManager.Removal;
import dev.meerkat.client.WatchedEvent.Type;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ZKWatchManager's fan-out rules, on the client's own tables. */
class ClientWatchManagerTest {
    private final ClientWatchManager m = new ClientWatchManager();
    private final Watcher a = e -> { };
    private final Watcher b = e -> { };
    private final Watcher c = e -> { };

    @Test
    void dataAndExistWatchersAreConsumedByCreationAndDataChanges() {
        m.add(Kind.DATA, "/n", a);
        m.add(Kind.EXIST, "/n", b);
        m.add(Kind.CHILD, "/n", c);

        assertThat(m.materialize(Type.NODE_DATA_CHANGED, "/n")).containsExactly(a, b);
        assertThat(m.materialize(Type.NODE_DATA_CHANGED, "/n")).isEmpty();
        assertThat(m.materialize(Type.NODE_CHILDREN_CHANGED, "/n")).containsExactly(c);
    }

    @Test
    void deletionConsumesEveryOneShotWatcherOfThePathOnce() {
        m.add(Kind.DATA, "/n", a);
        m.add(Kind.CHILD, "/n", a);
        m.add(Kind.CHILD, "/n", b);

        assertThat(m.materialize(Type.NODE_DELETED, "/n")).containsExactly(a, b);
        assertThat(m.registered().isEmpty()).isTrue();
    }

    @Test
    void persistentWatchersStayAndRecursiveOnesHearDescendantsButNoChildEvents() {
        m.add(Kind.PERSISTENT, "/p", a);
        m.add(Kind.RECURSIVE, "/", b);
        m.add(Kind.RECURSIVE, "/p", c);

        assertThat(m.materialize(Type.NODE_CHILDREN_CHANGED, "/p")).containsExactly(a);
        assertThat(m.materialize(Type.NODE_CREATED, "/p/q/r")).containsExactly(c, b);
        assertThat(m.materialize(Type.NODE_DATA_CHANGED, "/p")).containsExactly(a, c, b);
        assertThat(m.materialize(Type.NODE_DATA_CHANGED, "/other")).containsExactly(b);
        assertThat(m.registered().persistent()).containsExactly("/p");
    }

    @Test
    void removalTellsEachWatcherOncePerKindOfEvent() {
        m.add(Kind.DATA, "/n", a);
        m.add(Kind.EXIST, "/n", a);
        m.add(Kind.CHILD, "/n", a);
        m.add(Kind.PERSISTENT, "/n", b);

        assertThat(m.othersRemain("/n", a, WatchType.ANY)).isTrue();
        assertThat(m.othersRemain("/n", a, WatchType.DATA)).isFalse();
        assertThat(m.remove("/n", null, WatchType.ANY)).containsExactly(
                new Removal(a, Type.DATA_WATCH_REMOVED),
                new Removal(a, Type.CHILD_WATCH_REMOVED),
                new Removal(b, Type.PERSISTENT_WATCH_REMOVED));
        assertThat(m.contains("/n", null, WatchType.ANY)).isFalse();
    }
}
