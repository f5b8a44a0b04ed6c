package dev.meerkat.server.tree;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.record.Stat;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ErrorTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.watch.RecordingWatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static dev.meerkat.server.tree.Txns.apply;
import static dev.meerkat.server.tree.Txns.bytes;
import static dev.meerkat.server.tree.Txns.create;
import static org.assertj.core.api.Assertions.assertThat;

/** Txns that do not fit the tree are answered with a code and change nothing. */
class DataTreeInconsistentTxnTest {

    private final DataTree tree = new DataTree();
    private final RecordingWatcher watcher = new RecordingWatcher(1);
    private Map<String, Stat> before;
    private long sizeBefore;

    @BeforeEach
    void populate() {
        create(tree, 1, "/a", "data", 0L);
        create(tree, 2, "/a/b");
        create(tree, 3, "/e", "", 0x55L);
        tree.addPersistentWatch("/", watcher, true);
        tree.addPersistentWatch("/", watcher, false);
        tree.addPersistentWatch("/a", watcher, false);
        before = snapshot();
        sizeBefore = tree.approximateDataSize();
    }

    private Map<String, Stat> snapshot() {
        Map<String, Stat> stats = new HashMap<>();
        for (String p : new String[] {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config", "/a", "/a/b", "/e"}) {
            DataNode n = tree.getNode(p);
            stats.put(p, n == null ? null : n.stat());
        }
        return stats;
    }

    private void assertUnchanged(ProcessTxnResult result, int expectedErr) {
        assertThat(result.err()).isEqualTo(expectedErr);
        assertThat(result.stat()).isNull();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(tree.nodeCount()).isEqualTo(7);
        assertThat(tree.approximateDataSize()).isEqualTo(sizeBefore);
        assertThat(tree.getEphemerals(0x55L)).containsExactly("/e");
        assertThat(watcher.deliveries()).isEmpty();
        assertThat(tree.lastProcessedZxid()).isEqualTo(10);
    }

    @Test
    void createUnderAMissingParentIsNoNode() {
        ProcessTxnResult result = apply(tree, 10, Txns.create("/missing/x"));

        assertUnchanged(result, Code.NONODE.intValue());
        assertThat(result.path()).isEqualTo("/missing/x");
    }

    @Test
    void createOfAnExistingNodeIsNodeExistsAndKeepsTheOldNodeAndParentCounter() {
        ProcessTxnResult result = apply(tree, 10, new CreateTxn("/a/b", bytes("new"), Txns.OPEN, 0x55L));

        assertUnchanged(result, Code.NODEEXISTS.intValue());
        assertThat(tree.getNode("/a").childCreateCount()).isEqualTo(1);
        assertThat(tree.getNode("/a/b").data()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "a", "", "/a/", "/a/b/"})
    void createOfAPathWithoutAParentIsBadArguments(String path) {
        assertUnchanged(apply(tree, 10, Txns.create(path)), Code.BADARGUMENTS.intValue());
    }

    @Test
    void deleteOfAMissingNodeIsNoNode() {
        assertUnchanged(apply(tree, 10, new DeleteTxn("/a/zz")), Code.NONODE.intValue());
        assertThat(apply(tree, 10, new DeleteTxn("/nope/zz")).err()).isEqualTo(Code.NONODE.intValue());
    }

    @Test
    void deleteOfANodeWithChildrenIsNotEmpty() {
        assertUnchanged(apply(tree, 10, new DeleteTxn("/a")), Code.NOTEMPTY.intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config", "", "x"})
    void deleteOfABuiltInOrOfNoPathIsBadArguments(String path) {
        assertUnchanged(apply(tree, 10, new DeleteTxn(path)), Code.BADARGUMENTS.intValue());
    }

    @Test
    void setDataAndSetAclOfAMissingNodeAreNoNode() {
        assertUnchanged(apply(tree, 10, new SetDataTxn("/zz", bytes("x"), 1)), Code.NONODE.intValue());
        assertUnchanged(apply(tree, 10, new SetACLTxn("/zz", Txns.OPEN, 1)), Code.NONODE.intValue());
    }

    @Test
    void errorTxnReportsItsCodeAndOnlyTakesTheZxid() {
        ProcessTxnResult result = apply(tree, 10, new ErrorTxn(Code.BADVERSION.intValue()));

        assertUnchanged(result, Code.BADVERSION.intValue());
        assertThat(result.path()).isNull();
    }

    @Test
    void checkVersionChangesNothing() {
        ProcessTxnResult result = apply(tree, 10, new CheckVersionTxn("/a", 0));

        assertUnchanged(result, Code.OK.intValue());
        assertThat(result.path()).isEqualTo("/a");
    }

    @Test
    void lastProcessedZxidNeverGoesBackwards() {
        Txn any = new ErrorTxn(Code.OK.intValue());
        apply(tree, 10, any);
        apply(tree, 4, any);

        assertThat(tree.lastProcessedZxid()).isEqualTo(10);
    }
}
