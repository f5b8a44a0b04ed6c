package dev.meerkat.server.storage;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.tree.DataNode;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.tree.EphemeralType;
import dev.meerkat.server.tree.NodeImage;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Random well-formed txns, and a node-by-node comparison of two trees, for the snapshot tests. */
final class SnapshotFixtures {

    static final long[] SESSIONS = {0x0100_0000_0000_0001L, 0x0100_0000_0000_0002L, 0x0100_0000_0000_0003L};
    static final List<ACL> DIGEST_ACL = List.of(
            new ACL(Perms.ALL, new Id("digest", "alice:CRxfz9nL5aB6zNRnYu8jL7wJ8gw=")), new ACL(Perms.READ, Id.ANYONE));
    private static final List<List<ACL>> ACLS = List.of(ACL.OPEN_ACL_UNSAFE, ACL.READ_ACL_UNSAFE, DIGEST_ACL);
    private static final String[] NAMES = {"a", "b", "c"};
    private static final int MAX_DEPTH = 4;

    private SnapshotFixtures() {
    }

    record Step(TxnHeader hdr, Txn txn) {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Builds txns that fit the tree they are applied to (as the request pipeline's do), from
     * every kind: creates of every node type, sequential names, deletes, setData, setACL, session
     * txns, failed txns and multis, including multis that delete a subtree and rebuild it under
     * the same names in one zxid. Each is applied to the tree as it is made, and a txn meant to
     * fit that does not is a bug in the generator, so it fails the test.
     */
    static final class RandomTxns {
        private final Random rnd;
        private final DataTree tree;
        private long zxid;

        RandomTxns(Random rnd, DataTree tree) {
            this.rnd = rnd;
            this.tree = tree;
            this.zxid = tree.lastProcessedZxid();
        }

        Step apply() {
            Step step = next();
            ProcessTxnResult result = tree.processTxn(step.hdr(), step.txn());
            boolean meantToFail = step.txn() instanceof ErrorTxn
                    || step.txn() instanceof MultiTxn m && m.txns().stream().anyMatch(t -> t instanceof ErrorTxn);
            assertThat(result.ok()).as("generated %s at 0x%s: %s", step.txn(), Long.toHexString(step.hdr().zxid()),
                    result).isEqualTo(!meantToFail);
            return step;
        }

        private Step next() {
            // Now and then a new epoch, so that zxids are not always consecutive.
            zxid = rnd.nextInt(200) == 0 ? ((zxid >>> 32) + 1) << 32 | 1 : zxid + 1;
            long session = SESSIONS[rnd.nextInt(SESSIONS.length)];
            int dice = rnd.nextInt(100);
            Txn txn;
            int type;
            if (dice < 28) {
                txn = randomCreate(session, Map.of(), Set.of(), Set.of());
                type = OpCode.CREATE2;
            } else if (dice < 42) {
                txn = randomDelete(Set.of());
                type = OpCode.DELETE;
            } else if (dice < 56) {
                txn = randomSetData(Set.of());
                type = OpCode.SET_DATA;
            } else if (dice < 61) {
                String path = randomExisting();
                txn = new SetACLTxn(path, ACLS.get(rnd.nextInt(ACLS.size())), tree.getNode(path).aversion() + 1);
                type = OpCode.SET_ACL;
            } else if (dice < 67) {
                txn = new CloseSessionTxn();
                type = OpCode.CLOSE_SESSION;
            } else if (dice < 69) {
                txn = new CreateSessionTxn(30_000, new byte[16]);
                type = OpCode.CREATE_SESSION;
            } else if (dice < 72) {
                txn = new ErrorTxn(Code.NONODE.intValue());
                type = OpCode.CREATE;
            } else if (dice < 82) {
                txn = rebuildMulti(session);
                type = OpCode.MULTI;
            } else {
                txn = randomMulti(session);
                type = OpCode.MULTI;
            }
            if (txn == null) {
                txn = new SetDataTxn("/", bytes("root " + zxid), tree.getNode("/").version() + 1);
                type = OpCode.SET_DATA;
            }
            return new Step(new TxnHeader(session, (int) zxid, zxid, 1_000_000L + zxid, type), txn);
        }

        /**
         * @param createsInMulti creates under each parent earlier in the same multi
         * @param taken paths earlier ops of the multi touched
         * @param deleted paths earlier ops of the multi deleted
         */
        private CreateTxn randomCreate(long session, Map<String, Integer> createsInMulti, Set<String> taken,
                                       Set<String> deleted) {
            for (int attempt = 0; attempt < 10; attempt++) {
                String parent = randomExisting();
                DataNode parentNode = tree.getNode(parent);
                if (EphemeralType.isEphemeral(parentNode.rawEphemeralOwner()) || depth(parent) >= MAX_DEPTH
                        || parent.startsWith("/zookeeper") || deleted.contains(parent)) {
                    continue;
                }
                String base = child(parent, NAMES[rnd.nextInt(NAMES.length)]);
                String path = rnd.nextInt(6) == 0
                        ? DataTree.sequentialPath(base + "-",
                                parentNode.childCreateCount() + createsInMulti.getOrDefault(parent, 0))
                        : base;
                if (tree.getNode(path) != null || taken.contains(path)) {
                    continue;
                }
                return new CreateTxn(path, randomData(), ACLS.get(rnd.nextInt(ACLS.size())), randomOwner(session));
            }
            return null;
        }

        private long randomOwner(long session) {
            int kind = rnd.nextInt(10);
            if (kind < 4) {
                return 0L;
            }
            if (kind < 7) {
                return session;
            }
            return kind < 9 ? EphemeralType.CONTAINER_OWNER : EphemeralType.ttlOwner(1 + rnd.nextInt(5_000));
        }

        private DeleteTxn randomDelete(Set<String> taken) {
            List<String> leaves = new ArrayList<>();
            for (String path : allPaths(tree)) {
                if (tree.getNode(path).numChildren() == 0 && !path.equals("/") && !path.startsWith("/zookeeper")
                        && !taken.contains(path)) {
                    leaves.add(path);
                }
            }
            return leaves.isEmpty() ? null : new DeleteTxn(leaves.get(rnd.nextInt(leaves.size())));
        }

        private SetDataTxn randomSetData(Set<String> taken) {
            String path = randomExisting();
            return taken.contains(path) ? null : new SetDataTxn(path, randomData(), tree.getNode(path).version() + 1);
        }

        /** Independent ops on distinct paths, and sometimes the shape of a multi that failed in prep. */
        private MultiTxn randomMulti(long session) {
            List<Txn> ops = new ArrayList<>();
            Map<String, Integer> createsInMulti = new HashMap<>();
            Set<String> taken = new HashSet<>();
            Set<String> deleted = new HashSet<>();
            int size = 1 + rnd.nextInt(4);
            for (int i = 0; i < size; i++) {
                int kind = rnd.nextInt(5);
                Txn op;
                String path;
                if (kind <= 1) {
                    CreateTxn create = randomCreate(session, createsInMulti, taken, deleted);
                    op = create;
                    path = create == null ? null : create.path();
                    if (create != null) {
                        createsInMulti.merge(parentOf(path), 1, Integer::sum);
                        // the parent now has a child: nothing else in this multi may delete it
                        taken.add(parentOf(path));
                    }
                } else if (kind == 2) {
                    DeleteTxn delete = randomDelete(taken);
                    op = delete;
                    path = delete == null ? null : delete.path();
                    if (delete != null) {
                        deleted.add(path);
                    }
                } else if (kind == 3) {
                    SetDataTxn setData = randomSetData(taken);
                    op = setData;
                    path = setData == null ? null : setData.path();
                } else {
                    path = randomExisting();
                    op = taken.contains(path) ? null : new CheckVersionTxn(path, tree.getNode(path).version());
                }
                if (op != null) {
                    taken.add(path);
                    ops.add(op);
                }
            }
            if (!ops.isEmpty() && rnd.nextInt(5) == 0) {
                int failAt = rnd.nextInt(ops.size());
                ops.set(failAt, new ErrorTxn(Code.BADVERSION.intValue()));
                for (int i = failAt + 1; i < ops.size(); i++) {
                    ops.set(i, new ErrorTxn(Code.RUNTIMEINCONSISTENCY.intValue()));
                }
            }
            return new MultiTxn(ops);
        }

        /**
         * Delete a node's whole subtree, deepest first, and create the node again in the same zxid,
         * perhaps with some of the same child names: the same paths, new node objects.
         */
        private MultiTxn rebuildMulti(long session) {
            List<String> candidates = new ArrayList<>();
            for (String path : allPaths(tree)) {
                if (!path.equals("/") && !path.startsWith("/zookeeper") && subtree(path).size() <= 8) {
                    candidates.add(path);
                }
            }
            if (candidates.isEmpty()) {
                return null;
            }
            String top = candidates.get(rnd.nextInt(candidates.size()));
            List<String> doomed = subtree(top);
            doomed.sort(Comparator.comparingInt(SnapshotFixtures::depth).reversed());
            List<Txn> ops = new ArrayList<>();
            for (String path : doomed) {
                ops.add(new DeleteTxn(path));
            }
            if (rnd.nextInt(4) == 0) {
                // Only the deletes, so that the parent's pzxid moves without its counter.
                return new MultiTxn(ops);
            }
            boolean ephemeral = rnd.nextInt(4) == 0;
            ops.add(new CreateTxn(top, randomData(), ACLS.get(rnd.nextInt(ACLS.size())), ephemeral ? session : 0L));
            if (!ephemeral && depth(top) < MAX_DEPTH) {
                for (String name : NAMES) {
                    if (rnd.nextBoolean()) {
                        ops.add(new CreateTxn(child(top, name), randomData(), ACL.OPEN_ACL_UNSAFE, randomOwner(session)));
                    }
                }
            }
            return new MultiTxn(ops);
        }

        private List<String> subtree(String top) {
            List<String> out = new ArrayList<>();
            Deque<String> pending = new ArrayDeque<>();
            pending.push(top);
            while (!pending.isEmpty()) {
                String path = pending.pop();
                out.add(path);
                for (String name : tree.getNode(path).children()) {
                    pending.push(child(path, name));
                }
            }
            return out;
        }

        private String randomExisting() {
            List<String> paths = allPaths(tree);
            return paths.get(rnd.nextInt(paths.size()));
        }

        private byte[] randomData() {
            int kind = rnd.nextInt(8);
            if (kind == 0) {
                return null;
            }
            byte[] data = new byte[kind == 1 ? 0 : rnd.nextInt(40)];
            rnd.nextBytes(data);
            return data;
        }
    }

    /** Every path in the tree, sorted, so that random choices do not depend on hash order. */
    static List<String> allPaths(DataTree tree) {
        List<String> out = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.push("/");
        while (!pending.isEmpty()) {
            String path = pending.pop();
            out.add(path);
            for (String name : tree.getNode(path).children()) {
                pending.push(child(path, name));
            }
        }
        out.sort(null);
        return out;
    }

    static String child(String parent, String name) {
        return "/".equals(parent) ? "/" + name : parent + "/" + name;
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    static int depth(String path) {
        return "/".equals(path) ? 0 : (int) path.chars().filter(c -> c == '/').count();
    }

    /** Every node of a finished tree as a snapshot would hold it, sorted by path. */
    static List<NodeImage> images(DataTree tree) {
        List<NodeImage> out = new ArrayList<>();
        tree.snapshotCursor().next(Integer.MAX_VALUE, out::add);
        out.sort(Comparator.comparing(NodeImage::path));
        return out;
    }

    /**
     * Node by node: every stored field (through a snapshot image of each side), the client's
     * Stat, the child names, and the tables derived from the nodes.
     */
    static void assertSameTree(DataTree actual, DataTree expected, String where) {
        assertThat(actual.lastProcessedZxid()).as(where + ": lastProcessedZxid").isEqualTo(expected.lastProcessedZxid());
        assertThat(allPaths(actual)).as(where + ": paths").isEqualTo(allPaths(expected));
        assertThat(images(actual)).as(where + ": stored fields").isEqualTo(images(expected));
        // Plain comparisons first: a hundred thousand AssertJ assertions would dominate the test.
        List<String> differences = new ArrayList<>();
        for (String path : allPaths(expected)) {
            DataNode mine = actual.getNode(path);
            DataNode theirs = expected.getNode(path);
            if (!mine.stat().equals(theirs.stat())) {
                differences.add("stat of " + path + ": " + mine.stat() + " instead of " + theirs.stat());
            }
            if (!mine.children().equals(theirs.children())) {
                differences.add("children of " + path + ": " + mine.children() + " instead of " + theirs.children());
            }
        }
        assertThat(differences).as(where).isEmpty();
        assertThat(actual.nodeCount()).as(where + ": node count").isEqualTo(expected.nodeCount());
        assertThat(actual.approximateDataSize()).as(where + ": data size").isEqualTo(expected.approximateDataSize());
        assertThat(actual.ephemeralsBySession()).as(where + ": ephemerals").isEqualTo(expected.ephemeralsBySession());
        assertThat(actual.ephemeralCount()).as(where + ": ephemeral count").isEqualTo(expected.ephemeralCount());
        // Reaping candidates are drawn from the container and TTL sets.
        assertThat(actual.reapCandidates(Long.MAX_VALUE / 2, Integer.MAX_VALUE)).as(where + ": reap candidates")
                .isEqualTo(expected.reapCandidates(Long.MAX_VALUE / 2, Integer.MAX_VALUE));
    }
}
