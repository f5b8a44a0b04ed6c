package dev.meerkat.client;

import dev.meerkat.protocol.AddWatchMode;

/** Modes of {@link MeerkatClient#addWatch}: watches that stay until removed. */
public enum WatchMode {
    /** Data and child changes of the path itself (all four event types). */
    PERSISTENT(AddWatchMode.PERSISTENT),
    /** Created, deleted and data-changed events of the path and every descendant; no child events. */
    PERSISTENT_RECURSIVE(AddWatchMode.PERSISTENT_RECURSIVE);

    private final int wire;

    WatchMode(int wire) {
        this.wire = wire;
    }

    int wireValue() {
        return wire;
    }
}
