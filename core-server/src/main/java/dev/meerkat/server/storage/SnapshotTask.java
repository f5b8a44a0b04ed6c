package dev.meerkat.server.storage;

import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.tree.SnapshotCursor;

import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * One snapshot in progress: a cursor over the tree and the writer it feeds, driven a slice at a
 * time by the tree's owner thread (see {@link SnapshotWriter} for the design). Typical use, in
 * the request processor:
 *
 * <pre>{@code
 * SnapshotTask task = SnapshotTask.start(tree, dataDir, liveSessions);   // on the owner thread
 * ...between requests:
 * if (task != null && task.step(1000)) {
 *     task.completion().whenCompleteAsync(...);   // durable, or failed
 *     task = null;
 * }
 * }</pre>
 */
public final class SnapshotTask {

    private final SnapshotCursor cursor;
    private final SnapshotWriter writer;
    private boolean stepping = true;

    private SnapshotTask(SnapshotCursor cursor, SnapshotWriter writer) {
        this.cursor = cursor;
        this.writer = writer;
    }

    /**
     * Start a snapshot of {@code tree}. Owner thread, between txns.
     *
     * @param sessions the sessions live right now, at the tree's last processed zxid
     */
    public static SnapshotTask start(DataTree tree, Path dir, Collection<SnapshotSession> sessions) {
        SnapshotCursor cursor = tree.snapshotCursor();
        return new SnapshotTask(cursor, SnapshotWriter.start(dir, cursor.startZxid(), sessions));
    }

    public long startZxid() {
        return cursor.startZxid();
    }

    /**
     * Owner thread, between txns: hand up to {@code maxNodes} more nodes to the writer, or none
     * while the writer is backlogged; once all are handed over, finish the file.
     *
     * @return true once there is nothing more to step: the file is being completed, or the
     *     writer failed ({@link #completion()} says which)
     */
    public boolean step(int maxNodes) {
        if (!stepping) {
            return true;
        }
        if (writer.completion().isDone()) {
            stepping = false;
            return true;
        }
        if (!writer.backlogged()) {
            cursor.next(maxNodes, writer);
        }
        if (cursor.isDone()) {
            writer.finish(cursor.endZxid());
            stepping = false;
        }
        return !stepping;
    }

    /** Completes with the snapshot's path once it is durable, or exceptionally. */
    public CompletableFuture<Path> completion() {
        return writer.completion();
    }

    /** Give up, e.g. on shutdown; a file that is not yet complete is removed. */
    public void abort() {
        stepping = false;
        writer.abort();
    }
}
