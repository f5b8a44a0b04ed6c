package dev.meerkat.server.request;

import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.DataNode;
import dev.meerkat.server.tree.DataTree;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree as it will be once the changes already prepared, but not yet applied, are applied.
 * ZooKeeper calls these outstanding changes. Writes are prepared as soon as they arrive while
 * earlier ones wait for their fsync, so every check must see the earlier writes' effects; a multi
 * prepares its ops in an {@link #overlay()} so a failing op leaves no trace.
 *
 * <p>Each change is tagged with the zxid of its txn; {@link #applied} forgets changes once the tree
 * holds them.
 */
final class PrepView {
    /** What preparation needs to know of a node. */
    record NodeState(List<ACL> acl, int version, int aversion, long owner, int numChildren, int createCount) {
        NodeState withChildAdded() {
            return new NodeState(acl, version, aversion, owner, numChildren + 1, createCount + 1);
        }

        NodeState withChildRemoved() {
            return new NodeState(acl, version, aversion, owner, numChildren - 1, createCount);
        }
    }

    /** A pending change; a null state means the node will not exist. */
    private record Change(NodeState state, long zxid) {
    }

    private record Tag(String path, long zxid) {
    }

    private final DataTree tree;
    private final PrepView base;
    private final Map<String, Change> pending = new HashMap<>();
    private final ArrayDeque<Tag> order = new ArrayDeque<>();
    private long zxid;

    PrepView(DataTree tree) {
        this(tree, null);
    }

    private PrepView(DataTree tree, PrepView base) {
        this.tree = tree;
        this.base = base;
        this.zxid = base == null ? 0 : base.zxid;
    }

    /** Changes recorded from now on belong to the txn with this zxid. */
    void beginTxn(long txnZxid) {
        this.zxid = txnZxid;
    }

    /** A scratch view on top of this one; {@link #mergeInto()} keeps its changes, dropping it discards them. */
    PrepView overlay() {
        return new PrepView(tree, this);
    }

    void mergeInto() {
        for (Tag t : order) {
            Change c = pending.get(t.path());
            if (c != null && c.zxid() == t.zxid()) {
                base.record(t.path(), c.state());
            }
        }
    }

    /** The node's state, or null if it does not exist (or a pending delete removed it). */
    NodeState get(String path) {
        Change c = pending.get(path);
        if (c != null) {
            return c.state();
        }
        if (base != null) {
            return base.get(path);
        }
        DataNode n = tree.getNode(path);
        return n == null ? null : new NodeState(n.acl(), n.version(), n.aversion(), n.rawEphemeralOwner(),
                n.numChildren(), n.childCreateCount());
    }

    void put(String path, NodeState state) {
        record(path, state);
    }

    void remove(String path) {
        record(path, null);
    }

    private void record(String path, NodeState state) {
        pending.put(path, new Change(state, zxid));
        order.add(new Tag(path, zxid));
    }

    /** Forgets the changes of every txn up to {@code appliedZxid}: the tree shows them now. */
    void applied(long appliedZxid) {
        while (!order.isEmpty() && order.peekFirst().zxid() <= appliedZxid) {
            Tag t = order.pollFirst();
            Change c = pending.get(t.path());
            if (c != null && c.zxid() == t.zxid()) {
                pending.remove(t.path());
            }
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
