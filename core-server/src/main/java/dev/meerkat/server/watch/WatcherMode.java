package dev.meerkat.server.watch;

/**
 * How a watch entry behaves. One (watcher, path) entry can carry several modes at once, e.g. a
 * one-shot getData watch on a path that also has a persistent watch.
 */
public enum WatcherMode {
    /** One-shot: consumed by the first event that reaches it. */
    STANDARD,
    /** Stays until removed; events for its own path only. */
    PERSISTENT,
    /** Stays until removed; data events for its path and every descendant, never NodeChildrenChanged. */
    PERSISTENT_RECURSIVE;

    int bit() {
        return 1 << ordinal();
    }
}
