package dev.meerkat.server.compat;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A watcher that keeps what it is told, in order, for a test to take out one by one. Node events
 * are described as {@code "<type> <path>"}, e.g. {@code "NodeCreated /a"}, so expectations read
 * like what a user would write down.
 */
final class EventRecorder implements Watcher {
    static final long WAIT_SECONDS = 10;

    private final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void process(WatchedEvent event) {
        events.add(event);
    }

    /** The next event of any kind, waiting for it. */
    WatchedEvent next() {
        try {
            WatchedEvent e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + WAIT_SECONDS + " s");
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for an event", ex);
        }
    }

    /** The next node event (connection-state events, type None, are skipped), waiting for it. */
    WatchedEvent nextNodeEvent() {
        while (true) {
            WatchedEvent e = next();
            if (e.getType() != Event.EventType.None) {
                return e;
            }
        }
    }

    /** {@link #nextNodeEvent()} as {@code "<type> <path>"}. */
    String nextNode() {
        return describe(nextNodeEvent());
    }

    /** Waits for a connection-state event with {@code state}, skipping everything before it. */
    WatchedEvent awaitState(Event.KeeperState state) {
        while (true) {
            WatchedEvent e = next();
            if (e.getType() == Event.EventType.None && e.getState() == state) {
                return e;
            }
        }
    }

    /** Everything received so far that has not been taken, as descriptions. */
    List<String> drain() {
        List<WatchedEvent> out = new ArrayList<>();
        events.drainTo(out);
        return out.stream().map(EventRecorder::describe).toList();
    }

    /** Everything the server sent before now (see {@link CompatTestBase#quiesce}), as descriptions. */
    List<String> drainAfter(ZooKeeper zk) throws InterruptedException {
        CompatTestBase.quiesce(zk);
        return drain();
    }

    /**
     * That nothing more has arrived. Only meaningful after {@link CompatTestBase#quiesce}, which
     * makes sure every event the server sent before that point has been delivered.
     */
    void assertNothingMore() {
        assertThat(drain()).as("events nobody expected").isEmpty();
    }

    static String describe(WatchedEvent e) {
        if (e.getType() == Event.EventType.None) {
            return "None " + e.getState();
        }
        return e.getType() + " " + e.getPath();
    }
}
