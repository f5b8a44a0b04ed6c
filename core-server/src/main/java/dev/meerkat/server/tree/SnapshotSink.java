package dev.meerkat.server.tree;

/**
 * Where a {@link SnapshotCursor} puts node images. Called on the tree's owner thread, between
 * txns, so it must return quickly: hand the image on, do not write it out here.
 */
@FunctionalInterface
public interface SnapshotSink {
    void node(NodeImage image);
}
