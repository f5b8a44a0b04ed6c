package dev.meerkat.server.tree;

/**
 * Rebuilds a {@link DataTree} from a snapshot's node images, parents first (the order a
 * {@link SnapshotCursor} hands them out). Child sets, the ephemeral, container and TTL tables and
 * the data size are derived from the nodes, so a snapshot cannot contradict itself about them.
 *
 * <p>The tree comes back in recovery: each node keeps its serializedAt, its
 * {@link DataTree#lastProcessedZxid()} is the snapshot's start zxid, and the log from there on is
 * applied with {@link DataTree#processTxnForRecovery} before {@link DataTree#finishRecovery}.
 */
public final class DataTreeBuilder {

    private final long startZxid;
    private final DataTree tree;
    private long newestImage;
    private boolean built;

    /** @param startZxid the last zxid the snapshot fully includes ({@link SnapshotCursor#startZxid()}) */
    public DataTreeBuilder(long startZxid) {
        this.startZxid = startZxid;
        this.newestImage = startZxid;
        this.tree = DataTree.restoring(startZxid);
    }

    /**
     * @throws IllegalArgumentException if the image cannot belong to a snapshot that started at
     *     {@code startZxid}: the first image is not the root, its parent has not been added, its
     *     path was already added or is not a znode path, or it claims to be older than the start
     */
    public void add(NodeImage image) {
        if (built) {
            throw new IllegalStateException("already built");
        }
        if (tree.nodeCount() == 0 && !DataTree.ROOT.equals(image.path())) {
            throw new IllegalArgumentException("the first node must be the root, was " + image.path());
        }
        if (image.serializedAt() < startZxid) {
            throw new IllegalArgumentException("node " + image.path() + " was serialized at 0x"
                    + Long.toHexString(image.serializedAt()) + ", before the snapshot started at 0x"
                    + Long.toHexString(startZxid));
        }
        tree.restoreNode(image);
        newestImage = Math.max(newestImage, image.serializedAt());
    }

    public int nodeCount() {
        return tree.nodeCount();
    }

    /**
     * @param endZxid the last zxid applied when the snapshot's walk ended ({@link SnapshotCursor#endZxid()})
     * @throws IllegalArgumentException if {@code endZxid} is older than an image
     * @throws IllegalStateException if no root was added
     */
    public DataTree build(long endZxid) {
        if (tree.nodeCount() == 0) {
            throw new IllegalStateException("a snapshot without a root");
        }
        if (endZxid < newestImage) {
            throw new IllegalArgumentException("end zxid 0x" + Long.toHexString(endZxid)
                    + " is older than a node image from 0x" + Long.toHexString(newestImage));
        }
        built = true;
        tree.endRestore(endZxid);
        return tree;
    }
}
