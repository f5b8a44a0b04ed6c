package dev.meerkat.server.watch;

import dev.meerkat.protocol.EventType;

/**
 * One notification for a watcher.
 *
 * @param type an {@link EventType} value (1 to 4 from the server)
 * @param path the full server-side path
 * @param zxid the zxid of the txn that fired it; {@link #NO_ZXID} for SetWatches catch-up events
 */
public record WatchedEvent(int type, String path, long zxid) {
    /** The zxid ZooKeeper 3.9 puts on events that no txn caused (SetWatches catch-up). */
    public static final long NO_ZXID = -1L;
}
