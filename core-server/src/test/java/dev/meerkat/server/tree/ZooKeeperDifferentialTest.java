package dev.meerkat.server.tree;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.WatcherType;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
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
import dev.meerkat.server.watch.RecordingWatcher;
import dev.meerkat.server.watch.RecordingWatcher.Delivery;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.server.watch.WatchesSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded random walk of well-formed txns and watch operations, applied both to our tree and to
 * Apache ZooKeeper 3.9.5's DataTree; after every step every node, every result and every watch
 * event must agree. A failure names the seed and step to replay.
 *
 * <p>Known, intended differences that the comparison allows for: ZooKeeper deletes a closing
 * session's ephemerals in hash order (we sort), ZooKeeper counts the root twice in its node count
 * and the root's data twice in approximateDataSize, its wchs "connections" figure keeps watchers
 * whose watches have all fired, and its SetWatches catch-up events carry no ACL.
 */
class ZooKeeperDifferentialTest {

    private static final String EXTENDED_TYPES = "zookeeper.extendedTypesEnabled";
    private static final int STEPS = 600;
    private static final long[] SESSIONS = {0x0100_0000_0000_0001L, 0x0100_0000_0000_0002L, 0x0100_0000_0000_0003L};
    private static final String[] NAMES = {"a", "b", "c"};
    private static final List<List<ACL>> ACLS = List.of(
            ACL.OPEN_ACL_UNSAFE,
            ACL.READ_ACL_UNSAFE,
            List.of(new ACL(Perms.ALL, new Id("digest", "u:h")), new ACL(Perms.READ, Id.ANYONE)));
    private static final int[] ERRORS = {
        Code.NONODE.intValue(), Code.NODEEXISTS.intValue(), Code.BADVERSION.intValue(), Code.NOTEMPTY.intValue()};

    private static String previousExtendedTypes;

    private Random rnd;
    private DataTree ours;
    private ZooKeeperTwin zk;
    private long zxid;
    private final List<RecordingWatcher> myWatchers = new ArrayList<>();
    private final List<ZooKeeperTwin.Recorder> zkWatchers = new ArrayList<>();

    @BeforeAll
    static void enableTtlNodesInZooKeeper() {
        // Without it ZooKeeper reads a TTL owner as a plain session owner.
        previousExtendedTypes = System.setProperty(EXTENDED_TYPES, "true");
    }

    @AfterAll
    static void restoreProperty() {
        if (previousExtendedTypes == null) {
            System.clearProperty(EXTENDED_TYPES);
        } else {
            System.setProperty(EXTENDED_TYPES, previousExtendedTypes);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void behavesLikeZooKeepersDataTree(long seed) {
        rnd = new Random(seed);
        ours = new DataTree();
        zk = new ZooKeeperTwin();
        zxid = 0;
        for (int i = 0; i < 4; i++) {
            // two watchers share a session, as an old and a new connection of one session would
            myWatchers.add(new RecordingWatcher(SESSIONS[Math.min(i, 2)]));
            zkWatchers.add(new ZooKeeperTwin.Recorder());
        }
        compareTrees("seed " + seed + " initial");
        for (int step = 0; step < STEPS; step++) {
            String where = "seed " + seed + " step " + step + ": ";
            String op = step(where);
            compareTrees(where + op);
        }
    }

    /** One random operation on both sides; returns what it did, for failure messages. */
    private String step(String where) {
        int dice = rnd.nextInt(100);
        if (dice < 30) {
            CreateTxn create = randomCreate(0, Map.of(), Set.of());
            if (create != null) {
                long session = EphemeralType.isEphemeral(create.ephemeralOwner())
                        ? create.ephemeralOwner() : randomSession();
                return applyTxn(where, session, OpCode.CREATE2, create, false);
            }
            return "no create possible";
        }
        if (dice < 40) {
            DeleteTxn delete = randomDelete(Set.of(), Set.of());
            return delete == null ? "no delete possible" : applyTxn(where, randomSession(), OpCode.DELETE, delete, false);
        }
        if (dice < 50) {
            return applyTxn(where, randomSession(), OpCode.SET_DATA, randomSetData(Set.of()), false);
        }
        if (dice < 53) {
            String path = randomExisting();
            Txn setAcl = new SetACLTxn(path, ACLS.get(rnd.nextInt(ACLS.size())), ours.getNode(path).aversion() + 1);
            return applyTxn(where, randomSession(), OpCode.SET_ACL, setAcl, false);
        }
        if (dice < 57) {
            return applyTxn(where, randomSession(), OpCode.CLOSE_SESSION, new CloseSessionTxn(), true);
        }
        if (dice < 58) {
            return applyTxn(where, randomSession(), OpCode.CREATE_SESSION, new CreateSessionTxn(30_000, new byte[16]), false);
        }
        if (dice < 60) {
            return applyTxn(where, randomSession(), OpCode.CREATE, new ErrorTxn(ERRORS[rnd.nextInt(ERRORS.length)]), false);
        }
        if (dice < 70) {
            long session = randomSession();
            return applyTxn(where, session, OpCode.MULTI, randomMulti(session), false);
        }
        return watchOp(where);
    }

    private String applyTxn(String where, long session, int type, Txn txn, boolean unorderedEvents) {
        zxid++;
        TxnHeader hdr = new TxnHeader(session, (int) zxid, zxid, Txns.timeOf(zxid), type);
        ProcessTxnResult mine = ours.processTxn(hdr, txn);
        ProcessTxnResult theirs = zk.apply(hdr, txn);
        String what = txn + " by 0x" + Long.toHexString(session);
        assertThat(mine).as(where + what).isEqualTo(theirs);
        compareEvents(where + what, unorderedEvents);
        return what;
    }

    /** @param session the owner of an ephemeral; 0 for any session (ZooKeeper takes it from the header) */
    private CreateTxn randomCreate(long session, Map<String, Integer> createsInMulti, Set<String> taken) {
        for (int attempt = 0; attempt < 10; attempt++) {
            String parent = randomExisting();
            DataNode parentNode = ours.getNode(parent);
            if (EphemeralType.isEphemeral(parentNode.rawEphemeralOwner()) || taken.contains(parent)) {
                continue;
            }
            String name = NAMES[rnd.nextInt(NAMES.length)];
            String base = "/".equals(parent) ? "/" + name : parent + "/" + name;
            int mode = rnd.nextInt(100);
            String path = mode < 15
                    ? DataTree.sequentialPath(base + "-",
                            parentNode.childCreateCount() + createsInMulti.getOrDefault(parent, 0))
                    : base;
            if (ours.getNode(path) != null || taken.contains(path)) {
                continue;
            }
            long owner;
            if (mode < 10 || mode >= 60 && mode < 80) {
                owner = session != 0 ? session : randomSession();
            } else if (mode >= 80 && mode < 90) {
                owner = EphemeralType.CONTAINER_OWNER;
            } else if (mode >= 90) {
                owner = EphemeralType.ttlOwner(1 + rnd.nextInt(2_000));
            } else {
                owner = 0;
            }
            return new CreateTxn(path, randomData(), ACLS.get(rnd.nextInt(ACLS.size())), owner);
        }
        return null;
    }

    private DeleteTxn randomDelete(Set<String> taken, Set<String> gettingChildren) {
        List<String> leaves = new ArrayList<>();
        for (String path : allPaths()) {
            DataNode node = ours.getNode(path);
            if (node.numChildren() == 0 && !path.startsWith("/zookeeper") && !taken.contains(path)
                    && !gettingChildren.contains(path)) {
                leaves.add(path);
            }
        }
        return leaves.isEmpty() ? null : new DeleteTxn(leaves.get(rnd.nextInt(leaves.size())));
    }

    private SetDataTxn randomSetData(Set<String> taken) {
        String path = randomExisting();
        if (taken.contains(path)) {
            return null;
        }
        return new SetDataTxn(path, randomData(), ours.getNode(path).version() + 1);
    }

    /**
     * Ops on distinct nodes built against the current tree (plus creates under nodes created
     * earlier in the same multi), and sometimes ZooKeeper's shape of a multi that failed in prep.
     */
    private MultiTxn randomMulti(long session) {
        List<Txn> ops = new ArrayList<>();
        Map<String, Integer> createsInMulti = new HashMap<>();
        Set<String> taken = new HashSet<>();
        int size = 1 + rnd.nextInt(4);
        for (int i = 0; i < size; i++) {
            int kind = rnd.nextInt(5);
            Txn op;
            if (kind == 0 && !ops.isEmpty() && ops.get(ops.size() - 1) instanceof CreateTxn parent
                    && !EphemeralType.isEphemeral(parent.ephemeralOwner())) {
                op = new CreateTxn(parent.path() + "/" + NAMES[rnd.nextInt(NAMES.length)], randomData(),
                        ACL.OPEN_ACL_UNSAFE, rnd.nextBoolean() ? session : 0L);
            } else if (kind <= 1) {
                op = randomCreate(session, createsInMulti, taken);
            } else if (kind == 2) {
                op = randomDelete(taken, createsInMulti.keySet());
            } else if (kind == 3) {
                op = randomSetData(taken);
            } else {
                String path = randomExisting();
                op = taken.contains(path) ? null : new CheckVersionTxn(path, ours.getNode(path).version());
            }
            if (op == null) {
                continue;
            }
            String path = pathOf(op);
            taken.add(path);
            if (op instanceof CreateTxn) {
                createsInMulti.merge(path.substring(0, Math.max(1, path.lastIndexOf('/'))), 1, Integer::sum);
            }
            ops.add(op);
        }
        if (!ops.isEmpty() && rnd.nextInt(4) == 0) {
            int failAt = rnd.nextInt(ops.size());
            ops.set(failAt, new ErrorTxn(ERRORS[rnd.nextInt(ERRORS.length)]));
            for (int i = failAt + 1; i < ops.size(); i++) {
                ops.set(i, new ErrorTxn(Code.RUNTIMEINCONSISTENCY.intValue()));
            }
        }
        return new MultiTxn(ops);
    }

    private static String pathOf(Txn op) {
        if (op instanceof CreateTxn c) {
            return c.path();
        }
        if (op instanceof DeleteTxn d) {
            return d.path();
        }
        if (op instanceof SetDataTxn s) {
            return s.path();
        }
        return ((CheckVersionTxn) op).path();
    }

    private String watchOp(String where) {
        int i = rnd.nextInt(myWatchers.size());
        RecordingWatcher mine = myWatchers.get(i);
        ZooKeeperTwin.Recorder theirs = zkWatchers.get(i);
        int kind = rnd.nextInt(9);
        String path = rnd.nextBoolean() ? randomExisting() : randomPath();
        boolean exists = ours.getNode(path) != null;
        String what;
        switch (kind) {
            case 0 -> {
                ours.addDataWatch(path, mine);
                try {
                    zk.tree.statNode(path, theirs);
                } catch (KeeperException.NoNodeException e) {
                    // exists() on a missing node still registers the watch, on both sides
                }
                what = "exists watch " + path;
            }
            case 1 -> {
                if (exists) {
                    ours.addDataWatch(path, mine);
                    getData(path, theirs);
                }
                what = "getData watch " + path;
            }
            case 2 -> {
                if (exists) {
                    ours.addChildWatch(path, mine);
                    getChildren(path, theirs);
                }
                what = "getChildren watch " + path;
            }
            case 3 -> {
                boolean recursive = rnd.nextBoolean();
                ours.addPersistentWatch(path, mine, recursive);
                zk.tree.addWatch(path, theirs, recursive ? 1 : 0);
                what = "addWatch " + (recursive ? "recursive " : "") + path;
            }
            case 4 -> {
                int type = 1 + rnd.nextInt(5);
                what = "removeWatch " + type + " " + path;
                assertThat(ours.removeWatch(path, type, mine)).as(where + what)
                        .isEqualTo(zk.tree.removeWatch(path, Watcher.WatcherType.fromInt(type), theirs));
            }
            case 5 -> {
                int type = 1 + rnd.nextInt(5);
                what = "containsWatch " + type + " " + path;
                assertThat(ours.containsWatch(path, type, mine)).as(where + what)
                        .isEqualTo(zk.tree.containsWatcher(path, Watcher.WatcherType.fromInt(type), theirs));
            }
            case 6 -> {
                ours.removeWatcher(mine);
                zk.tree.removeCnxn(theirs);
                what = "connection closed " + i;
            }
            default -> {
                long relative = (long) (rnd.nextDouble() * (zxid + 1));
                List<List<String>> lists = new ArrayList<>();
                for (int l = 0; l < 5; l++) {
                    List<String> paths = new ArrayList<>();
                    for (int n = rnd.nextInt(3); n > 0; n--) {
                        paths.add(rnd.nextBoolean() ? randomExisting() : randomPath());
                    }
                    lists.add(paths);
                }
                // ZooKeeper needs real lists; ours must take null for an empty one.
                ours.setWatches(relative, orNull(lists.get(0)), orNull(lists.get(1)), orNull(lists.get(2)),
                        orNull(lists.get(3)), orNull(lists.get(4)), mine);
                zk.tree.setWatches(relative, lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4), theirs);
                what = "setWatches " + relative + " " + lists;
                // 3.9.5 hands catch-up events to the connection without an ACL, so they skip the
                // READ filter; ours carry the node's ACL (as later ZooKeeper does): compare the rest.
                for (int w = 0; w < myWatchers.size(); w++) {
                    stripAcls(myWatchers.get(w).deliveries());
                    stripAcls(zkWatchers.get(w).deliveries);
                }
            }
        }
        compareEvents(where + what, false);
        return what;
    }

    private static void stripAcls(List<Delivery> deliveries) {
        deliveries.replaceAll(d -> new Delivery(d.type(), d.path(), d.zxid(), null));
    }

    private List<String> orNull(List<String> paths) {
        return paths.isEmpty() && rnd.nextBoolean() ? null : paths;
    }

    private void getData(String path, ZooKeeperTwin.Recorder watcher) {
        try {
            zk.tree.getData(path, new org.apache.zookeeper.data.Stat(), watcher);
        } catch (KeeperException.NoNodeException e) {
            throw new AssertionError("ZooKeeper lacks " + path, e);
        }
    }

    private void getChildren(String path, ZooKeeperTwin.Recorder watcher) {
        try {
            zk.tree.getChildren(path, null, watcher);
        } catch (KeeperException.NoNodeException e) {
            throw new AssertionError("ZooKeeper lacks " + path, e);
        }
    }

    private void compareEvents(String what, boolean unordered) {
        for (int i = 0; i < myWatchers.size(); i++) {
            List<Delivery> mine = new ArrayList<>(myWatchers.get(i).deliveries());
            List<Delivery> theirs = new ArrayList<>(zkWatchers.get(i).deliveries);
            if (unordered) {
                Comparator<Delivery> order = Comparator.comparing(Delivery::path).thenComparing(Delivery::type);
                mine.sort(order);
                theirs.sort(order);
            }
            assertThat(mine).as(what + " events of watcher " + i).isEqualTo(theirs);
            myWatchers.get(i).clear();
            zkWatchers.get(i).deliveries.clear();
        }
    }

    private void compareTrees(String what) {
        List<String> paths = allPaths();
        List<String> zkPaths = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(List.of("/"));
        while (!pending.isEmpty()) {
            String path = pending.pop();
            zkPaths.add(path);
            for (String child : zk.tree.getNode(path).getChildren()) {
                pending.push("/".equals(path) ? "/" + child : path + "/" + child);
            }
        }
        zkPaths.sort(null);
        assertThat(paths).as(what + ": paths").isEqualTo(zkPaths);

        long rootData = 0;
        for (String path : paths) {
            DataNode mine = ours.getNode(path);
            org.apache.zookeeper.server.DataNode theirs = zk.tree.getNode(path);
            assertThat(mine.stat()).as(what + ": stat of " + path).isEqualTo(zk.stat(theirs));
            assertThat(mine.acl()).as(what + ": acl of " + path).isEqualTo(zk.acl(theirs));
            assertThat(mine.children()).as(what + ": children of " + path).isEqualTo(theirs.getChildren());
            assertThat(mine.childCreateCount()).as(what + ": create counter of " + path)
                    .isEqualTo(theirs.stat.getCversion());
            assertThat(mine.rawEphemeralOwner()).as(what + ": raw owner of " + path)
                    .isEqualTo(theirs.stat.getEphemeralOwner());
            assertThat(Arrays.equals(mine.data(), theirs.getData())).as(what + ": data of " + path).isTrue();
            if ("/".equals(path) && mine.data() != null) {
                rootData = mine.data().length;
            }
        }
        for (int i = 0; i < 3; i++) {
            String path = paths.get(rnd.nextInt(paths.size()));
            assertThat(ours.countDescendants(path)).as(what + ": descendants of " + path)
                    .isEqualTo(zk.tree.getAllChildrenNumber(path));
        }

        assertThat(ours.lastProcessedZxid()).as(what + ": zxid").isEqualTo(zk.tree.lastProcessedZxid);
        assertThat(ours.nodeCount() + 1).as(what + ": node count (ZooKeeper stores the root twice)")
                .isEqualTo(zk.tree.getNodeCount());
        assertThat(ours.approximateDataSize() + rootData).as(what + ": data size (ZooKeeper counts root data twice)")
                .isEqualTo(zk.tree.approximateDataSize());

        Map<Long, Set<String>> zkEphemerals = new TreeMap<>();
        zk.tree.getEphemerals().forEach((session, set) -> {
            if (!set.isEmpty()) {
                zkEphemerals.put(session, new TreeSet<>(set));
            }
        });
        assertThat(ours.ephemeralsBySession()).as(what + ": ephemerals").isEqualTo(zkEphemerals);
        assertThat(ours.ephemeralCount()).as(what + ": ephemeral count").isEqualTo(zk.tree.getEphemeralsCount());
        for (long session : SESSIONS) {
            assertThat(ours.getEphemerals(session)).isEqualTo(zk.tree.getEphemerals(session));
        }

        long now = Txns.timeOf(zxid) + rnd.nextInt(3_000);
        assertThat(new TreeSet<>(ours.reapCandidates(now, Integer.MAX_VALUE)))
                .as(what + ": reap candidates at " + now).isEqualTo(zooKeeperCandidates(now));

        WatchesSummary summary = zk.tree.getWatchesSummary();
        assertThat(ours.watchCount()).as(what + ": data watches").isEqualTo(summary.getTotalWatches());
        assertThat(ours.watchedPathCount()).as(what + ": watched paths").isEqualTo(summary.getNumPaths());
        assertThat(ours.totalWatchCount()).as(what + ": watches in both tables").isEqualTo(zk.tree.getWatchCount());
        assertThat(ours.watchingConnectionCount()).as(what + ": watching connections")
                .isLessThanOrEqualTo(summary.getNumConnections());
    }

    /** ContainerManager.getCandidates of 3.9.5, evaluated on ZooKeeper's tree. */
    private Set<String> zooKeeperCandidates(long now) {
        Set<String> out = new TreeSet<>();
        for (String path : zk.tree.getContainers()) {
            org.apache.zookeeper.server.DataNode node = zk.tree.getNode(path);
            if (node.stat.getCversion() > 0 && node.getChildren().isEmpty()) {
                out.add(path);
            }
        }
        for (String path : zk.tree.getTtls()) {
            org.apache.zookeeper.server.DataNode node = zk.tree.getNode(path);
            long ttl = org.apache.zookeeper.server.EphemeralType.TTL.getValue(node.stat.getEphemeralOwner());
            if (node.getChildren().isEmpty() && ttl != 0 && now - node.stat.getMtime() > ttl) {
                out.add(path);
            }
        }
        return out;
    }

    private List<String> allPaths() {
        List<String> out = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(List.of("/"));
        while (!pending.isEmpty()) {
            String path = pending.pop();
            out.add(path);
            for (String child : ours.getNode(path).children()) {
                pending.push("/".equals(path) ? "/" + child : path + "/" + child);
            }
        }
        // Sorted, so that a seed replays the same walk whatever the hash order of children.
        out.sort(null);
        return out;
    }

    private String randomExisting() {
        List<String> paths = allPaths();
        return paths.get(rnd.nextInt(paths.size()));
    }

    private String randomPath() {
        StringBuilder path = new StringBuilder();
        for (int depth = 1 + rnd.nextInt(3); depth > 0; depth--) {
            path.append('/').append(NAMES[rnd.nextInt(NAMES.length)]);
        }
        return path.toString();
    }

    private long randomSession() {
        return SESSIONS[rnd.nextInt(SESSIONS.length)];
    }

    private byte[] randomData() {
        int n = rnd.nextInt(6) - 1;
        if (n < 0) {
            return null;
        }
        byte[] data = new byte[n];
        rnd.nextBytes(data);
        return data;
    }
}
