package dev.meerkat.client;

import dev.meerkat.protocol.WatcherType;

/** Which watches {@link MeerkatClient#removeWatches} and {@link MeerkatClient#removeAllWatches} remove. */
public enum WatchType {
    /** One-shot child watches (getChildren). */
    CHILDREN(WatcherType.CHILDREN),
    /** One-shot data watches (getData and exists). */
    DATA(WatcherType.DATA),
    /** Every kind, persistent ones included. */
    ANY(WatcherType.ANY),
    /** Persistent watches from addWatch(PERSISTENT). */
    PERSISTENT(WatcherType.PERSISTENT),
    /** Persistent recursive watches from addWatch(PERSISTENT_RECURSIVE). */
    PERSISTENT_RECURSIVE(WatcherType.PERSISTENT_RECURSIVE);

    private final int wire;

    WatchType(int wire) {
        this.wire = wire;
    }

    int wireValue() {
        return wire;
    }
}
