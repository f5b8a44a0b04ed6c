package dev.meerkat.server.request;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.PathUtils;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.auth.AclChecker;
import dev.meerkat.server.auth.InvalidAclException;
import dev.meerkat.server.auth.MalformedAclException;
import dev.meerkat.server.request.PrepView.NodeState;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.tree.EphemeralType;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;

import java.util.List;
import java.util.Set;

/**
 * Turns write requests into txns, checking in ZooKeeper 3.9.5's order (PrepRequestProcessor), so
 * that a request failing several checks gets the same error code as it would from ZooKeeper.
 * Every check reads a {@link PrepView}, never the tree directly, and a successful preparation
 * records its effect in the view.
 */
final class Prep {
    private static final Set<String> UNDELETABLE = Set.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config");

    private final AclChecker acl;
    private final boolean extendedTypesEnabled;

    Prep(AclChecker acl, boolean extendedTypesEnabled) {
        this.acl = acl;
        this.extendedTypesEnabled = extendedTypesEnabled;
    }

    CreateTxn create(PrepView view, long sessionId, List<Id> identities, String path, byte[] data,
                     List<ACL> aclList, int flags, long ttl) throws PrepException {
        CreateMode mode = CreateMode.fromFlag(flags);
        if (mode == null) {
            throw new PrepException(Code.BADARGUMENTS);
        }
        if (mode.isTtl()) {
            if (!extendedTypesEnabled) {
                throw new PrepException(Code.UNIMPLEMENTED);
            }
            if (ttl <= 0 || ttl > EphemeralType.MAX_TTL) {
                throw new PrepException(Code.BADARGUMENTS);
            }
        } else if (ttl >= 0) {
            throw new PrepException(Code.BADARGUMENTS);
        }
        if (path == null || path.indexOf('\0') >= 0 || path.lastIndexOf('/') < 0) {
            throw new PrepException(Code.BADARGUMENTS);
        }
        String parentPath = parentOf(path);
        List<ACL> fixed = fixupAcl(aclList, identities);
        NodeState parent = view.get(parentPath);
        if (parent == null) {
            throw new PrepException(Code.NONODE);
        }
        checkAcl(parent.acl(), Perms.CREATE, identities);
        String finalPath = mode.isSequential() ? DataTree.sequentialPath(path, parent.createCount()) : path;
        validate(finalPath);
        if (view.get(finalPath) != null) {
            throw new PrepException(Code.NODEEXISTS);
        }
        if (EphemeralType.isEphemeral(parent.owner())) {
            throw new PrepException(Code.NOCHILDRENFOREPHEMERALS);
        }
        long owner = mode.isEphemeral() ? sessionId
                : mode.isContainer() ? EphemeralType.CONTAINER_OWNER
                : mode.isTtl() ? EphemeralType.ttlOwner(ttl)
                : 0;
        view.put(parentPath, parent.withChildAdded());
        view.put(finalPath, new NodeState(fixed, 0, 0, owner, 0, 0));
        return new CreateTxn(finalPath, data, fixed, owner);
    }

    DeleteTxn delete(PrepView view, List<Id> identities, String path, int version) throws PrepException {
        validate(path);
        if (UNDELETABLE.contains(path)) {
            throw new PrepException(Code.BADARGUMENTS);
        }
        String parentPath = parentOf(path);
        NodeState parent = view.get(parentPath);
        if (parent == null) {
            throw new PrepException(Code.NONODE);
        }
        checkAcl(parent.acl(), Perms.DELETE, identities);
        NodeState node = view.get(path);
        if (node == null) {
            throw new PrepException(Code.NONODE);
        }
        checkVersion(version, node.version());
        if (node.numChildren() > 0) {
            throw new PrepException(Code.NOTEMPTY);
        }
        view.remove(path);
        view.put(parentPath, parent.withChildRemoved());
        return new DeleteTxn(path);
    }

    /** The container reaper's delete: only containers and TTL nodes, no ACL check. */
    DeleteTxn deleteContainer(PrepView view, String path) throws PrepException {
        validate(path);
        if (UNDELETABLE.contains(path)) {
            throw new PrepException(Code.BADARGUMENTS);
        }
        NodeState node = view.get(path);
        if (node == null) {
            throw new PrepException(Code.NONODE);
        }
        if (node.numChildren() > 0) {
            throw new PrepException(Code.NOTEMPTY);
        }
        if (!EphemeralType.isContainer(node.owner()) && !EphemeralType.isTtl(node.owner())) {
            throw new PrepException(Code.BADVERSION);
        }
        String parentPath = parentOf(path);
        NodeState parent = view.get(parentPath);
        view.remove(path);
        if (parent != null) {
            view.put(parentPath, parent.withChildRemoved());
        }
        return new DeleteTxn(path);
    }

    SetDataTxn setData(PrepView view, List<Id> identities, String path, byte[] data, int version)
            throws PrepException {
        validate(path);
        NodeState node = view.get(path);
        if (node == null) {
            throw new PrepException(Code.NONODE);
        }
        checkAcl(node.acl(), Perms.WRITE, identities);
        checkVersion(version, node.version());
        int newVersion = node.version() + 1;
        view.put(path, new NodeState(node.acl(), newVersion, node.aversion(), node.owner(), node.numChildren(),
                node.createCount()));
        return new SetDataTxn(path, data, newVersion);
    }

    SetACLTxn setAcl(PrepView view, List<Id> identities, String path, List<ACL> aclList, int version)
            throws PrepException {
        validate(path);
        List<ACL> fixed = fixupAcl(aclList, identities);
        NodeState node = view.get(path);
        if (node == null) {
            throw new PrepException(Code.NONODE);
        }
        checkAcl(node.acl(), Perms.ADMIN, identities);
        checkVersion(version, node.aversion());
        int newVersion = node.aversion() + 1;
        view.put(path, new NodeState(fixed, node.version(), newVersion, node.owner(), node.numChildren(),
                node.createCount()));
        return new SetACLTxn(path, fixed, newVersion);
    }

    CheckVersionTxn check(PrepView view, List<Id> identities, String path, int version) throws PrepException {
        validate(path);
        NodeState node = view.get(path);
        if (node == null) {
            throw new PrepException(Code.NONODE);
        }
        checkAcl(node.acl(), Perms.READ, identities);
        checkVersion(version, node.version());
        return new CheckVersionTxn(path, version);
    }

    private List<ACL> fixupAcl(List<ACL> aclList, List<Id> identities) throws PrepException {
        try {
            return acl.fixupAcl(aclList, identities);
        } catch (MalformedAclException e) {
            throw new PrepException(Code.MARSHALLINGERROR);
        } catch (InvalidAclException e) {
            throw new PrepException(Code.INVALIDACL);
        }
    }

    private void checkAcl(List<ACL> nodeAcl, int perm, List<Id> identities) throws PrepException {
        if (!acl.check(nodeAcl, perm, identities)) {
            throw new PrepException(Code.NOAUTH);
        }
    }

    private static void checkVersion(int expected, int current) throws PrepException {
        if (expected != -1 && expected != current) {
            throw new PrepException(Code.BADVERSION);
        }
    }

    static void validate(String path) throws PrepException {
        try {
            PathUtils.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw new PrepException(Code.BADARGUMENTS);
        }
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
