package dev.meerkat.server.storage;

import dev.meerkat.server.tree.DataTree;

import java.nio.file.Path;
import java.util.List;

/**
 * A snapshot read back from disk, its CRC checked.
 *
 * @param startZxid the last zxid the snapshot fully includes: replay the log from the next one
 * @param endZxid the last zxid applied when the snapshot's walk ended; replay must reach at
 *     least this far ({@link DataTree#finishRecovery()} refuses otherwise)
 * @param sessions the sessions that were live at startZxid
 * @param tree in recovery: apply the log with {@link DataTree#processTxnForRecovery}, then call
 *     {@link DataTree#finishRecovery()}
 */
public record Snapshot(Path file, long startZxid, long endZxid, List<SnapshotSession> sessions, DataTree tree) {
    public Snapshot {
        sessions = List.copyOf(sessions);
    }
}
