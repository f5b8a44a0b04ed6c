package dev.meerkat.server.tree;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A fuzzy snapshot of a {@link DataTree}, taken a slice at a time on the tree's owner thread
 * while txns keep being applied in between. Parents always come before their children.
 *
 * <p>Each image carries its own serializedAt, the tree's last processed zxid when that node was
 * copied, so a restored tree knows, node by node, which later txns its image already reflects
 * (see {@link DataTree#processTxnForRecovery}).
 *
 * <p>The walk remembers the node object it expects at each pending path, not only the name. If
 * that object has been deleted by the time the walk gets there, its last state (frozen at
 * deletion) is written as a ghost image with serializedAt one below the deleting zxid, and its
 * children (it had none left by then) are not visited. If the same multi deleted those children
 * first, the ghost's pzxid already shows it; that is harmless, since replaying the multi deletes
 * the ghost. A node that has since appeared under the same name is left to the
 * log, whose every txn on it is newer than the snapshot's start. Without ghosts a replayed
 * closeSession could not know which ephemerals it deleted (the txn names none), and a node
 * recreated under a recreated parent would sit under a parent image that the replay then
 * deletes.
 *
 * <p>Owner thread only, like the tree. A cursor holds on to nodes that are still to be visited,
 * nothing else; dropping an unfinished cursor is enough to abandon it.
 */
public final class SnapshotCursor {

    private record Pending(String path, DataNode node) {
    }

    private final DataTree tree;
    private final long startZxid;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private long emitted;
    private long endZxid;

    SnapshotCursor(DataTree tree, DataNode root) {
        this.tree = tree;
        this.startZxid = tree.lastProcessedZxid();
        this.endZxid = startZxid;
        pending.push(new Pending(DataTree.ROOT, root));
    }

    /** The tree's last processed zxid when the cursor was made: the last txn the snapshot fully includes. */
    public long startZxid() {
        return startZxid;
    }

    /**
     * The tree's last processed zxid at the latest slice that handed out an image. Up to it, a
     * restored tree is a mix of times and the log must be replayed effect by effect; after it,
     * the ordinary checked path is exact. It can be larger than every serializedAt: a ghost's
     * serializedAt is one below its delete, and that same txn may also have deleted nodes below
     * the ghost that the walk never saw, which only the effect-by-effect replay can skip.
     */
    public long endZxid() {
        return endZxid;
    }

    public boolean isDone() {
        return pending.isEmpty();
    }

    /** Images handed to sinks so far, ghosts included. */
    public long nodesEmitted() {
        return emitted;
    }

    /**
     * Hand up to {@code maxNodes} more images to {@code sink}.
     *
     * @return how many were handed over; fewer than {@code maxNodes} only when the walk is done
     */
    public int next(int maxNodes, SnapshotSink sink) {
        if (maxNodes <= 0) {
            throw new IllegalArgumentException("maxNodes must be positive, was " + maxNodes);
        }
        long at = tree.lastProcessedZxid();
        int count = 0;
        while (count < maxNodes && !pending.isEmpty()) {
            Pending next = pending.pop();
            DataNode live = tree.getNode(next.path());
            if (live == next.node()) {
                sink.node(live.image(next.path(), at));
                for (String name : live.children()) {
                    String child = DataTree.childPath(next.path(), name);
                    pending.push(new Pending(child, tree.getNode(child)));
                }
            } else {
                DataNode gone = next.node();
                sink.node(gone.image(next.path(), gone.deletedAt() - 1));
            }
            count++;
        }
        if (count > 0) {
            endZxid = at;
        }
        emitted += count;
        return count;
    }
}
