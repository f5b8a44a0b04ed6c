package dev.meerkat.server.request;

import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.DataNode;
import dev.meerkat.server.tree.DataTree;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree as it will be once the changes already prepared (but not yet applied) are applied.
 * ZooKeeper calls these outstanding changes. A multi needs it so that a later op sees the effect
 * of an earlier one (create /a then /a/b); once txns are logged before they are applied, every
 * write will need it.
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

    private final DataTree tree;
    private final Map<String, NodeState> pending = new HashMap<>();

    PrepView(DataTree tree) {
        this.tree = tree;
    }

    /** The node's state, or null if it does not exist (or a pending delete removed it). */
    NodeState get(String path) {
        if (pending.containsKey(path)) {
            return pending.get(path);
        }
        DataNode n = tree.getNode(path);
        return n == null ? null : new NodeState(n.acl(), n.version(), n.aversion(), n.rawEphemeralOwner(),
                n.numChildren(), n.childCreateCount());
    }

    void put(String path, NodeState state) {
        pending.put(path, state);
    }

    void remove(String path) {
        pending.put(path, null);
    }
}
