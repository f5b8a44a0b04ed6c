package dev.meerkat.client;

/**
 * A watch callback. It runs on the client's single event thread, in the order the server sent the
 * events, and before the callbacks of any reply that came after the event. It must not block for
 * long: while it runs, later events and future completions of this client wait (I/O does not).
 *
 * <p>The same Watcher object registered twice for the same path and kind is called once, as in
 * ZooKeeper; use distinct objects for distinct registrations.
 */
@FunctionalInterface
public interface Watcher {
    void process(WatchedEvent event);
}
