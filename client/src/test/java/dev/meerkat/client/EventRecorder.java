package dev.meerkat.client;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A watcher that keeps what it hears, and on which thread, for a test to check in order. */
final class EventRecorder implements Watcher {
    private final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void process(WatchedEvent event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    /** The next event, waiting for it if need be. */
    WatchedEvent next() throws InterruptedException {
        WatchedEvent e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within 10 s");
        }
        return e;
    }

    /** The next event as {@code "NodeDataChanged /path"}. */
    String nextDescribed() throws InterruptedException {
        WatchedEvent e = next();
        return e.type().zooKeeperName() + " " + e.path();
    }

    /**
     * Whether nothing (more) was heard. Meaningful after a round trip of the same client has
     * completed through an async future: events the server sent before that reply are delivered
     * before the future completes.
     */
    boolean isEmpty() {
        return events.isEmpty();
    }

    int size() {
        return events.size();
    }
}
