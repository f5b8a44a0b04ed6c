package dev.meerkat.server.tree;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.EventType;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ErrorTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import dev.meerkat.server.watch.WatchManager;
import dev.meerkat.server.watch.WatchedEvent;
import dev.meerkat.server.watch.Watcher;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated state: znodes by path, ephemerals by session, containers and TTL nodes, and the
 * watches that changes to them fire.
 *
 * <p>Not thread-safe, by design: one owner thread applies txns in zxid order and answers reads.
 * {@link #processTxn} is deterministic: it depends only on the tree, the header and the txn (no
 * clock, no randomness, no iteration over hash order), so replaying a log rebuilds the same tree.
 *
 * <p>Txns arrive validated. A txn that does not fit the tree anyway (a corrupt log, a bug upstream)
 * is answered with an error code and changes nothing, never half of something.
 */
public final class DataTree {

    static final String ROOT = "/";
    private static final String PROC = "/zookeeper";
    private static final String QUOTA = "/zookeeper/quota";
    private static final String CONFIG = "/zookeeper/config";

    private static final int OK = Code.OK.intValue();
    private static final int NONODE = Code.NONODE.intValue();
    private static final int NODEEXISTS = Code.NODEEXISTS.intValue();
    private static final int NOTEMPTY = Code.NOTEMPTY.intValue();
    private static final int BADARGUMENTS = Code.BADARGUMENTS.intValue();
    private static final int NOCHILDRENFOREPHEMERALS = Code.NOCHILDRENFOREPHEMERALS.intValue();
    private static final int RUNTIMEINCONSISTENCY = Code.RUNTIMEINCONSISTENCY.intValue();

    private final Map<String, DataNode> nodes = new HashMap<>();
    private final Map<Long, Set<String>> ephemerals = new HashMap<>();
    private int ephemeralCount;
    // Sorted so that the reaper sees candidates in the same order on every replica and every run.
    private final NavigableSet<String> containers = new TreeSet<>();
    private final NavigableSet<String> ttls = new TreeSet<>();
    private final WatchManager watches = new WatchManager();
    /** Kept up to date on every change so that mntr does not walk the tree. */
    private long dataSize;
    private long lastProcessedZxid;
    /** True from a restore from a snapshot until {@link #finishRecovery}. */
    private boolean recovering;
    /**
     * The snapshot's end zxid (the last zxid applied when its walk ended): up to here the tree is
     * a mix of times and the log is replayed effect by effect; past it the ordinary path is exact.
     */
    private long recoveryHorizon = DataNode.NO_ZXID;
    /** Set while replaying: a restarted server has no watchers to tell. */
    private boolean quiet;

    private final View treeView = new View() {
        @Override
        public boolean exists(String path) {
            return nodes.containsKey(path);
        }

        @Override
        public long owner(String path) {
            return nodes.get(path).rawEphemeralOwner();
        }

        @Override
        public int numChildren(String path) {
            return nodes.get(path).numChildren();
        }
    };

    public DataTree() {
        this(true);
    }

    private DataTree(boolean withBuiltIns) {
        if (!withBuiltIns) {
            return;
        }
        List<ACL> open = ACL.OPEN_ACL_UNSAFE;
        DataNode root = new DataNode(new byte[0], open, 0L, 0L, 0L);
        DataNode proc = new DataNode(new byte[0], open, 0L, 0L, 0L);
        DataNode quota = new DataNode(new byte[0], open, 0L, 0L, 0L);
        DataNode config = new DataNode(new byte[0], open, 0L, 0L, 0L);
        // ZooKeeper builds /zookeeper/config with a setACL(-1) after the fact, which is where the
        // aversion of -1 that clients observe comes from.
        config.setAcl(ACL.READ_ACL_UNSAFE, -1);
        // addChild without childCreated: ZooKeeper does not count built-ins as created, which is
        // why a fresh root reports cversion -1 and /zookeeper -2.
        root.addChild(PROC.substring(1));
        proc.addChild(QUOTA.substring(PROC.length() + 1));
        proc.addChild(CONFIG.substring(PROC.length() + 1));
        putNode(ROOT, root);
        putNode(PROC, proc);
        putNode(QUOTA, quota);
        putNode(CONFIG, config);
    }

    /** The node at a full path, or null. */
    public DataNode getNode(String path) {
        return nodes.get(path);
    }

    /** The zxid of the last whole txn applied, failed ones included: they take a zxid too. */
    public long lastProcessedZxid() {
        return lastProcessedZxid;
    }

    /**
     * A sequential node's path: the parent's create counter as 10 zero-padded digits, with the
     * sign of a counter that has wrapped past Integer.MAX_VALUE ({@code -000000001}), as
     * ZooKeeper formats it. The locale is fixed so that no server prints other digits.
     */
    public static String sequentialPath(String path, int counter) {
        return path + String.format(Locale.ENGLISH, "%010d", counter);
    }

    /**
     * Apply one txn (a whole multi counts as one) and fire the watches it triggers, in op order,
     * with the header's zxid.
     */
    public ProcessTxnResult processTxn(TxnHeader hdr, Txn txn) {
        Objects.requireNonNull(hdr, "hdr");
        Objects.requireNonNull(txn, "txn");
        if (recovering) {
            throw new IllegalStateException("the tree is still being recovered; call finishRecovery first");
        }
        ProcessTxnResult result = apply(hdr, txn);
        // Only now: a snapshot taken at lastProcessedZxid must contain all of a multi, not a prefix.
        if (hdr.zxid() > lastProcessedZxid) {
            lastProcessedZxid = hdr.zxid();
        }
        return result;
    }

    private ProcessTxnResult apply(TxnHeader hdr, Txn txn) {
        if (txn instanceof MultiTxn multi) {
            return multi(hdr, multi);
        }
        if (txn instanceof CloseSessionTxn) {
            closeSession(hdr);
            return new ProcessTxnResult(OK, null, null, null);
        }
        if (txn instanceof CreateSessionTxn) {
            return new ProcessTxnResult(OK, null, null, null);
        }
        if (txn instanceof ErrorTxn error) {
            return new ProcessTxnResult(error.err(), null, null, null);
        }
        int err = check(treeView, txn);
        if (err != OK) {
            return new ProcessTxnResult(err, pathOf(txn), null, null);
        }
        return applyChecked(hdr, txn);
    }

    /** Create, delete, setData, setACL or check, after {@link #check} said it fits. */
    private ProcessTxnResult applyChecked(TxnHeader hdr, Txn txn) {
        if (txn instanceof CreateTxn create) {
            return create(hdr, create);
        }
        if (txn instanceof DeleteTxn delete) {
            delete(delete.path(), hdr.zxid());
            return new ProcessTxnResult(OK, delete.path(), null, null);
        }
        if (txn instanceof SetDataTxn setData) {
            return setData(hdr, setData);
        }
        if (txn instanceof SetACLTxn setAcl) {
            DataNode node = nodes.get(setAcl.path());
            // No watch fires for an ACL change; ZooKeeper never had an event type for it.
            node.setAcl(setAcl.acl(), setAcl.version());
            return new ProcessTxnResult(OK, setAcl.path(), node.stat(), null);
        }
        if (txn instanceof CheckVersionTxn checkVersion) {
            return new ProcessTxnResult(OK, checkVersion.path(), null, null);
        }
        throw new IllegalStateException("not a node txn: " + txn);
    }

    private ProcessTxnResult create(TxnHeader hdr, CreateTxn txn) {
        String path = txn.path();
        DataNode parent = nodes.get(parentOf(path));
        DataNode node = new DataNode(txn.data(), txn.acl(), txn.ephemeralOwner(), hdr.zxid(), hdr.time());
        insertNode(path, node, parent);
        parent.childCreated(hdr.zxid());
        ProcessTxnResult result = new ProcessTxnResult(OK, path, node.stat(), null);
        if (!quiet) {
            watches.triggerCreated(path, hdr.zxid(), node.acl(), parent.acl());
        }
        return result;
    }

    /** Map, parent's child set, size and the owner tables; the parent's counters are the caller's. */
    private void insertNode(String path, DataNode node, DataNode parent) {
        parent.addChild(path.substring(path.lastIndexOf('/') + 1));
        putNode(path, node);
        long owner = node.rawEphemeralOwner();
        if (EphemeralType.isContainer(owner)) {
            containers.add(path);
        } else if (EphemeralType.isTtl(owner)) {
            ttls.add(path);
        } else if (owner != 0) {
            ephemerals.computeIfAbsent(owner, k -> new HashSet<>()).add(path);
            ephemeralCount++;
        }
    }

    private void delete(String path, long zxid) {
        DataNode parent = nodes.get(parentOf(path));
        DataNode node = removeNode(path, parent, zxid);
        // pzxid moves, the create counter does not: the next sequential name must stay unused.
        parent.advancePzxid(zxid);
        if (!quiet) {
            watches.triggerDeleted(path, zxid, node.acl(), parent.acl());
        }
    }

    /** The inverse of {@link #insertNode}; the parent's pzxid is the caller's. */
    private DataNode removeNode(String path, DataNode parent, long zxid) {
        DataNode node = nodes.remove(path);
        dataSize -= sizeOf(path, node.data());
        parent.removeChild(path.substring(path.lastIndexOf('/') + 1));
        // A snapshot cursor that still holds this node writes it as it was just before this zxid.
        node.markDeleted(zxid);
        long owner = node.rawEphemeralOwner();
        if (EphemeralType.isContainer(owner)) {
            containers.remove(path);
        } else if (EphemeralType.isTtl(owner)) {
            ttls.remove(path);
        } else if (owner != 0) {
            Set<String> paths = ephemerals.get(owner);
            if (paths != null && paths.remove(path)) {
                ephemeralCount--;
                if (paths.isEmpty()) {
                    ephemerals.remove(owner);
                }
            }
        }
        return node;
    }

    private ProcessTxnResult setData(TxnHeader hdr, SetDataTxn txn) {
        DataNode node = nodes.get(txn.path());
        dataSize += sizeOf(txn.path(), txn.data()) - sizeOf(txn.path(), node.data());
        node.setData(txn.data(), txn.version(), hdr.zxid(), hdr.time());
        ProcessTxnResult result = new ProcessTxnResult(OK, txn.path(), node.stat(), null);
        if (!quiet) {
            watches.triggerDataChanged(txn.path(), hdr.zxid(), node.acl());
        }
        return result;
    }

    /** Sorted so that replicas delete (and notify) in the same order; ZooKeeper uses hash order. */
    private void closeSession(TxnHeader hdr) {
        Set<String> paths = ephemerals.get(hdr.sessionId());
        if (paths == null) {
            return;
        }
        List<String> sorted = new ArrayList<>(paths);
        Collections.sort(sorted);
        for (String path : sorted) {
            // Ephemerals cannot have children, so this only fails if the tree was already
            // inconsistent; skipping keeps the rest of the close going, as ZooKeeper does.
            if (check(treeView, new DeleteTxn(path)) == OK) {
                delete(path, hdr.zxid());
            }
        }
    }

    /**
     * All or nothing. The whole multi is checked first against a view of the tree with the earlier
     * ops applied; only when every op fits is anything changed or any watch fired. A multi that
     * already failed when it was built (it carries an ErrorTxn) changes nothing either.
     */
    private ProcessTxnResult multi(TxnHeader hdr, MultiTxn multi) {
        List<Txn> txns = multi.txns();
        if (txns.stream().anyMatch(t -> t instanceof ErrorTxn)) {
            return failedMulti(txns);
        }
        MultiView view = new MultiView();
        for (int i = 0; i < txns.size(); i++) {
            Txn sub = txns.get(i);
            int err = check(view, sub);
            if (err != OK) {
                return failedMultiAt(txns.size(), i, err);
            }
            view.stage(sub);
        }
        List<ProcessTxnResult> results = new ArrayList<>(txns.size());
        for (Txn sub : txns) {
            results.add(applyChecked(hdr, sub));
        }
        return new ProcessTxnResult(OK, null, null, results);
    }

    /**
     * ZooKeeper's reading of a multi built with errors: ops before the first error report OK, the
     * error ops their own code, the ops after them RUNTIMEINCONSISTENCY; the multi's code is the
     * first non-zero one.
     */
    private static ProcessTxnResult failedMulti(List<Txn> txns) {
        List<ProcessTxnResult> results = new ArrayList<>(txns.size());
        boolean afterError = false;
        int err = OK;
        for (Txn sub : txns) {
            int subErr;
            if (sub instanceof ErrorTxn error) {
                subErr = error.err();
                afterError = true;
            } else {
                subErr = afterError ? RUNTIMEINCONSISTENCY : OK;
            }
            if (err == OK) {
                err = subErr;
            }
            results.add(new ProcessTxnResult(subErr, null, null, null));
        }
        return new ProcessTxnResult(err, null, null, results);
    }

    private static ProcessTxnResult failedMultiAt(int size, int failedIndex, int err) {
        List<ProcessTxnResult> results = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int subErr = i < failedIndex ? OK : i == failedIndex ? err : RUNTIMEINCONSISTENCY;
            results.add(new ProcessTxnResult(subErr, null, null, null));
        }
        return new ProcessTxnResult(err, null, null, results);
    }

    /**
     * Whether a node txn fits the tree as {@code view} shows it. Session txns and nested multis are
     * only valid at the top level, so inside a multi they are bad arguments.
     */
    private static int check(View view, Txn txn) {
        if (txn instanceof CreateTxn create) {
            String path = create.path();
            if (!isChildPath(path)) {
                return BADARGUMENTS;
            }
            String parent = parentOf(path);
            if (!view.exists(parent)) {
                return NONODE;
            }
            if (view.exists(path)) {
                return NODEEXISTS;
            }
            if (EphemeralType.isEphemeral(view.owner(parent))) {
                return NOCHILDRENFOREPHEMERALS;
            }
            return OK;
        }
        if (txn instanceof DeleteTxn delete) {
            String path = delete.path();
            // The built-ins are part of the protocol (Curator reads /zookeeper/config on every
            // connect); request validation refuses to delete them, and so does the tree.
            if (!isChildPath(path) || isBuiltIn(path)) {
                return BADARGUMENTS;
            }
            if (!view.exists(path)) {
                return NONODE;
            }
            return view.numChildren(path) > 0 ? NOTEMPTY : OK;
        }
        if (txn instanceof SetDataTxn setData) {
            return view.exists(setData.path()) ? OK : NONODE;
        }
        if (txn instanceof SetACLTxn setAcl) {
            return view.exists(setAcl.path()) ? OK : NONODE;
        }
        if (txn instanceof CheckVersionTxn) {
            // The version was compared when the txn was built; as in ZooKeeper, applying it is a no-op.
            return OK;
        }
        return BADARGUMENTS;
    }

    private static String pathOf(Txn txn) {
        if (txn instanceof CreateTxn t) {
            return t.path();
        }
        if (txn instanceof DeleteTxn t) {
            return t.path();
        }
        if (txn instanceof SetDataTxn t) {
            return t.path();
        }
        if (txn instanceof SetACLTxn t) {
            return t.path();
        }
        if (txn instanceof CheckVersionTxn t) {
            return t.path();
        }
        return null;
    }

    /** An absolute path below the root with a non-empty last segment: something that has a parent. */
    private static boolean isChildPath(String path) {
        return path.length() > 1 && path.charAt(0) == '/' && path.charAt(path.length() - 1) != '/';
    }

    private static boolean isBuiltIn(String path) {
        return PROC.equals(path) || QUOTA.equals(path) || CONFIG.equals(path);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? ROOT : path.substring(0, slash);
    }

    static String childPath(String parent, String name) {
        return ROOT.equals(parent) ? ROOT + name : parent + "/" + name;
    }

    private static long sizeOf(String path, byte[] data) {
        return path.length() + (data == null ? 0 : data.length);
    }

    private void putNode(String path, DataNode node) {
        nodes.put(path, node);
        dataSize += sizeOf(path, node.data());
    }

    // ---------------------------------------------------------------- snapshots and recovery

    /**
     * Start a fuzzy snapshot of this tree; see {@link SnapshotCursor}. Call its {@code next} on the
     * owner thread between txns until it is done.
     *
     * @throws IllegalStateException while the tree is being recovered: its state is not yet one
     *     that ever existed
     */
    public SnapshotCursor snapshotCursor() {
        if (recovering) {
            throw new IllegalStateException("cannot snapshot a tree that is still being recovered");
        }
        return new SnapshotCursor(this, nodes.get(ROOT));
    }

    /** An empty tree, not even a root, for {@link DataTreeBuilder} to fill. */
    static DataTree restoring(long startZxid) {
        DataTree tree = new DataTree(false);
        tree.recovering = true;
        tree.lastProcessedZxid = startZxid;
        return tree;
    }

    /** All nodes are in; the builder has checked that no image is newer than {@code endZxid}. */
    void endRestore(long endZxid) {
        recoveryHorizon = endZxid;
    }

    /** One node of a snapshot, parents first; the builder has checked the order and the zxids. */
    void restoreNode(NodeImage image) {
        String path = image.path();
        if (nodes.containsKey(path)) {
            throw new IllegalArgumentException("node " + path + " appears twice");
        }
        DataNode node = new DataNode(image);
        if (ROOT.equals(path)) {
            putNode(path, node);
        } else {
            if (!isChildPath(path)) {
                throw new IllegalArgumentException("not a znode path: " + path);
            }
            DataNode parent = nodes.get(parentOf(path));
            if (parent == null) {
                throw new IllegalArgumentException("node " + path + " comes before its parent");
            }
            insertNode(path, node, parent);
        }
    }

    /** True from a restore from a snapshot until {@link #finishRecovery}. */
    public boolean isRecovering() {
        return recovering;
    }

    /**
     * The restored snapshot's end zxid, {@link SnapshotCursor#endZxid()}; -1 if the tree was not
     * restored. Replay must reach at least this far before the tree is a state that existed.
     */
    public long recoveryHorizon() {
        return recoveryHorizon;
    }

    /**
     * Apply one txn from the log on start-up: after a snapshot restore (txns newer than the
     * snapshot's start, in zxid order), or to a new tree when there is no snapshot. Txns at or
     * below {@link #lastProcessedZxid()} are already in the tree and are skipped. No watch fires.
     *
     * <p>Up to the {@link #recoveryHorizon()} the tree is a fuzzy snapshot, each node as of its own
     * serializedAt, and a txn is applied effect by effect: its effect on a node X happens only if
     * the zxid is above X's serializedAt, since X's image already reflects everything up to it.
     * A create under a parent whose image already reflects it still makes the node if it is
     * missing (it was deleted again before the cursor saw it; that delete comes later in the
     * log), and a create of a node whose image reflects it still bumps a parent whose image does
     * not. A delete, setData or setACL of a node that is missing is skipped: the node existed
     * when the txn was first applied, and the snapshot lacks it only because a later txn deleted
     * it and an ancestor's image already reflects all of that. The result is exactly the tree
     * that applying the same txns with {@link #processTxn} produced, not merely an idempotent
     * approximation (ZOOKEEPER-3249: replay must never revert a cversion or pzxid), for every txn
     * that fitted the tree when it was first applied, which is every txn the pipeline logs; a txn
     * that did not fit (only a bug upstream makes one) is answered with an error by processTxn,
     * while here it may apply where it fits. Past the horizon the ordinary path is used, checks
     * included.
     */
    public void processTxnForRecovery(TxnHeader hdr, Txn txn) {
        Objects.requireNonNull(hdr, "hdr");
        Objects.requireNonNull(txn, "txn");
        long zxid = hdr.zxid();
        if (zxid <= lastProcessedZxid) {
            return;
        }
        quiet = true;
        try {
            if (recovering && zxid <= recoveryHorizon) {
                replay(hdr, txn);
            } else {
                apply(hdr, txn);
            }
        } finally {
            quiet = false;
        }
        lastProcessedZxid = zxid;
    }

    /**
     * End recovery: the tree is now the state after {@link #lastProcessedZxid()} and may take
     * ordinary txns and snapshots. Harmless on a tree that was not being recovered.
     *
     * @throws IllegalStateException if replay stopped below the {@link #recoveryHorizon()}: the
     *     tree would be a mix of times (the log lacks txns the snapshot already reflects)
     */
    public void finishRecovery() {
        if (!recovering) {
            return;
        }
        if (lastProcessedZxid < recoveryHorizon) {
            throw new IllegalStateException("replay stopped at zxid 0x" + Long.toHexString(lastProcessedZxid)
                    + " but the snapshot was taken up to 0x" + Long.toHexString(recoveryHorizon)
                    + "; the log is missing txns");
        }
        for (DataNode node : nodes.values()) {
            node.clearSerializedAt();
        }
        recovering = false;
        recoveryHorizon = DataNode.NO_ZXID;
    }

    private void replay(TxnHeader hdr, Txn txn) {
        if (txn instanceof MultiTxn multi) {
            for (Txn sub : multi.txns()) {
                // An error op or an op that can never fit made the whole multi fail when it was
                // first applied; that does not depend on the tree.
                if (!fitsAnyTree(sub)) {
                    return;
                }
            }
            for (Txn sub : multi.txns()) {
                replayOp(hdr, sub);
            }
        } else if (txn instanceof CloseSessionTxn) {
            Set<String> paths = ephemerals.get(hdr.sessionId());
            if (paths == null) {
                return;
            }
            List<String> sorted = new ArrayList<>(paths);
            Collections.sort(sorted);
            for (String path : sorted) {
                replayDelete(path, hdr.zxid());
            }
        } else if (fitsAnyTree(txn)) {
            replayOp(hdr, txn);
        }
    }

    /** The tree-independent part of {@link #check}: a node op on a path it may touch. */
    private static boolean fitsAnyTree(Txn txn) {
        if (txn instanceof CreateTxn create) {
            return isChildPath(create.path());
        }
        if (txn instanceof DeleteTxn delete) {
            return isChildPath(delete.path()) && !isBuiltIn(delete.path());
        }
        return txn instanceof SetDataTxn || txn instanceof SetACLTxn || txn instanceof CheckVersionTxn;
    }

    private void replayOp(TxnHeader hdr, Txn txn) {
        long zxid = hdr.zxid();
        if (txn instanceof CreateTxn create) {
            replayCreate(hdr, create);
        } else if (txn instanceof DeleteTxn delete) {
            replayDelete(delete.path(), zxid);
        } else if (txn instanceof SetDataTxn setData) {
            DataNode node = nodes.get(setData.path());
            if (node != null && node.serializedAt() < zxid) {
                setData(hdr, setData);
            }
        } else if (txn instanceof SetACLTxn setAcl) {
            DataNode node = nodes.get(setAcl.path());
            if (node != null && node.serializedAt() < zxid) {
                node.setAcl(setAcl.acl(), setAcl.version());
            }
        }
    }

    private void replayCreate(TxnHeader hdr, CreateTxn txn) {
        long zxid = hdr.zxid();
        String path = txn.path();
        DataNode parent = nodes.get(parentOf(path));
        if (parent == null) {
            // The parent is gone from the snapshot: deleted later, before the cursor reached it,
            // which means this node was deleted before that, and an ancestor's image has it all.
            return;
        }
        DataNode existing = nodes.get(path);
        if (existing == null) {
            insertNode(path, new DataNode(txn.data(), txn.acl(), txn.ephemeralOwner(), zxid, hdr.time()), parent);
        } else if (existing.serializedAt() < zxid) {
            // The node was there when this txn was first applied: it failed (NODEEXISTS) and
            // changed nothing, the parent included.
            return;
        }
        if (parent.serializedAt() < zxid) {
            parent.childCreated(zxid);
        }
    }

    private void replayDelete(String path, long zxid) {
        DataNode node = nodes.get(path);
        if (node == null) {
            return;
        }
        DataNode parent = nodes.get(parentOf(path));
        if (node.serializedAt() < zxid) {
            if (node.numChildren() > 0) {
                // NOTEMPTY when first applied: nothing changed.
                return;
            }
            removeNode(path, parent, zxid);
        }
        if (parent.serializedAt() < zxid) {
            parent.advancePzxid(zxid);
        }
    }

    // ---------------------------------------------------------------- ephemerals, sizes, reaping

    /** The session's ephemeral paths (a sorted copy; empty if none). */
    public Set<String> getEphemerals(long sessionId) {
        Set<String> paths = ephemerals.get(sessionId);
        return paths == null ? new TreeSet<>() : new TreeSet<>(paths);
    }

    /** Every session that owns ephemerals, with its paths (sorted copies). */
    public Map<Long, Set<String>> ephemeralsBySession() {
        Map<Long, Set<String>> out = new TreeMap<>();
        for (Map.Entry<Long, Set<String>> e : ephemerals.entrySet()) {
            out.put(e.getKey(), new TreeSet<>(e.getValue()));
        }
        return out;
    }

    public int ephemeralCount() {
        return ephemeralCount;
    }

    /**
     * The real number of nodes, root included: 4 on a fresh tree. ZooKeeper's "Node count" says 5
     * because it also stores the root under "".
     */
    public int nodeCount() {
        return nodes.size();
    }

    /** Sum over all nodes of path length (in chars) plus data length, as ZooKeeper reports it. */
    public long approximateDataSize() {
        return dataSize;
    }

    /** Every node below {@code path}, not the node itself (getAllChildrenNumber); 0 if it is missing. */
    public int countDescendants(String path) {
        if (ROOT.equals(path)) {
            return nodes.size() - 1;
        }
        DataNode start = nodes.get(path);
        if (start == null) {
            return 0;
        }
        int count = 0;
        Deque<String> pending = new ArrayDeque<>();
        pending.push(path);
        while (!pending.isEmpty()) {
            String current = pending.pop();
            for (String name : nodes.get(current).children()) {
                count++;
                pending.push(childPath(current, name));
            }
        }
        return count;
    }

    /**
     * What the container/TTL reaper should try to delete, as ZooKeeper's
     * ContainerManager.getCandidates decides: a container that has had children and has none now
     * (a container that never had one is spared so that it is not reaped before its first child
     * arrives), and a childless TTL node not modified for longer than its TTL. Containers come
     * first, each group in path order; at most {@code limit} paths.
     *
     * @param nowMillis the reaper's clock; the tree itself never reads one
     */
    public List<String> reapCandidates(long nowMillis, int limit) {
        List<String> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        for (String path : containers) {
            DataNode node = nodes.get(path);
            if (node.numChildren() == 0 && node.childCreateCount() > 0) {
                out.add(path);
                if (out.size() >= limit) {
                    return out;
                }
            }
        }
        for (String path : ttls) {
            DataNode node = nodes.get(path);
            long ttl = EphemeralType.ttlOf(node.rawEphemeralOwner());
            if (node.numChildren() == 0 && ttl != 0 && nowMillis - node.mtime() > ttl) {
                out.add(path);
                if (out.size() >= limit) {
                    return out;
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- watches

    /** getData or exists with watch=true. */
    public void addDataWatch(String path, Watcher watcher) {
        watches.addDataWatch(path, watcher);
    }

    /** getChildren with watch=true. */
    public void addChildWatch(String path, Watcher watcher) {
        watches.addChildWatch(path, watcher);
    }

    /** addWatch, PERSISTENT or PERSISTENT_RECURSIVE. */
    public void addPersistentWatch(String path, Watcher watcher, boolean recursive) {
        watches.addPersistentWatch(path, watcher, recursive);
    }

    /** checkWatches; {@code watcherType} is a WatcherType number. */
    public boolean containsWatch(String path, int watcherType, Watcher watcher) {
        return watches.containsWatch(path, watcherType, watcher);
    }

    /** removeWatches; {@code watcherType} is a WatcherType number. False means NOWATCHER. */
    public boolean removeWatch(String path, int watcherType, Watcher watcher) {
        return watches.removeWatch(path, watcherType, watcher);
    }

    /** The connection closed: every watch it had goes. */
    public void removeWatcher(Watcher watcher) {
        watches.removeWatcher(watcher);
    }

    /**
     * SetWatches / SetWatches2 after a reconnect (§7.5): a watch whose event the client missed while
     * away is answered at once with that event (zxid -1, straight to {@code watcher}) instead of
     * being registered; the others are registered again. Null lists count as empty.
     *
     * @param relativeZxid the highest zxid the client has seen
     */
    public void setWatches(long relativeZxid, List<String> dataWatches, List<String> existWatches,
                           List<String> childWatches, List<String> persistentWatches,
                           List<String> persistentRecursiveWatches, Watcher watcher) {
        for (String path : orEmpty(dataWatches)) {
            DataNode node = nodes.get(path);
            if (node == null) {
                catchUp(watcher, EventType.NODE_DELETED, path, null);
            } else if (node.mzxid() > relativeZxid) {
                catchUp(watcher, EventType.NODE_DATA_CHANGED, path, node.acl());
            } else {
                watches.addDataWatch(path, watcher);
            }
        }
        for (String path : orEmpty(existWatches)) {
            DataNode node = nodes.get(path);
            if (node != null) {
                // Even if the node existed before the client went away: ZooKeeper cannot tell.
                catchUp(watcher, EventType.NODE_CREATED, path, node.acl());
            } else {
                watches.addDataWatch(path, watcher);
            }
        }
        for (String path : orEmpty(childWatches)) {
            DataNode node = nodes.get(path);
            if (node == null) {
                catchUp(watcher, EventType.NODE_DELETED, path, null);
            } else if (node.pzxid() > relativeZxid) {
                catchUp(watcher, EventType.NODE_CHILDREN_CHANGED, path, node.acl());
            } else {
                watches.addChildWatch(path, watcher);
            }
        }
        for (String path : orEmpty(persistentWatches)) {
            watches.addPersistentWatch(path, watcher, false);
        }
        for (String path : orEmpty(persistentRecursiveWatches)) {
            watches.addPersistentWatch(path, watcher, true);
        }
    }

    private static void catchUp(Watcher watcher, int type, String path, List<ACL> acl) {
        watcher.process(new WatchedEvent(type, path, WatchedEvent.NO_ZXID), acl);
    }

    private static List<String> orEmpty(List<String> paths) {
        return paths == null ? List.of() : paths;
    }

    /** Data-table (watcher, path) entries: wchs "Total watches". */
    public int watchCount() {
        return watches.watchCount();
    }

    /** Paths in the data table: wchs "watching N paths". */
    public int watchedPathCount() {
        return watches.watchedPathCount();
    }

    /** Watchers in the data table: wchs "N connections". */
    public int watchingConnectionCount() {
        return watches.watchingConnectionCount();
    }

    /**
     * (watcher, path) entries over both tables: mntr's zk_watch_count, which unlike the wchs
     * figures also counts child watches.
     */
    public int totalWatchCount() {
        return watches.totalWatchCount();
    }

    /** wchc: data-table paths by session, sorted. */
    public Map<Long, Set<String>> dataWatchesBySession() {
        return watches.dataWatchesBySession();
    }

    /** wchp: data-table sessions by path, sorted. */
    public Map<String, Set<Long>> dataWatchesByPath() {
        return watches.dataWatchesByPath();
    }

    // ---------------------------------------------------------------- views for checking txns

    /** The parts of the tree that decide whether a node txn fits. */
    private interface View {
        boolean exists(String path);

        /** Raw owner of an existing node. */
        long owner(String path);

        /** Children of an existing node. */
        int numChildren(String path);
    }

    /**
     * The tree as a multi's later ops see it: the real tree plus the earlier ops' creates and
     * deletes, recorded without touching the real tree.
     */
    private final class MultiView implements View {
        private final Map<String, Long> created = new HashMap<>();
        private final Set<String> deleted = new HashSet<>();
        private final Map<String, Integer> childDelta = new HashMap<>();

        @Override
        public boolean exists(String path) {
            if (created.containsKey(path)) {
                return true;
            }
            return !deleted.contains(path) && nodes.containsKey(path);
        }

        @Override
        public long owner(String path) {
            Long owner = created.get(path);
            return owner != null ? owner : nodes.get(path).rawEphemeralOwner();
        }

        @Override
        public int numChildren(String path) {
            // A node created in this multi starts empty even if one of that name existed before.
            int base = created.containsKey(path) ? 0 : nodes.get(path).numChildren();
            return base + childDelta.getOrDefault(path, 0);
        }

        void stage(Txn txn) {
            if (txn instanceof CreateTxn create) {
                String path = create.path();
                created.put(path, create.ephemeralOwner());
                childDelta.merge(parentOf(path), 1, Integer::sum);
            } else if (txn instanceof DeleteTxn delete) {
                String path = delete.path();
                if (created.remove(path) == null) {
                    deleted.add(path);
                }
                // A node deleted here had no children left, so a later create of the same name
                // starts from zero.
                childDelta.remove(path);
                childDelta.merge(parentOf(path), -1, Integer::sum);
            }
        }
    }
}
