package dev.meerkat.server.tree;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.protocol.record.Stat;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meerkat.server.tree.Txns.apply;
import static dev.meerkat.server.tree.Txns.bytes;
import static dev.meerkat.server.tree.Txns.create;
import static dev.meerkat.server.tree.Txns.delete;
import static dev.meerkat.server.tree.Txns.setData;
import static dev.meerkat.server.tree.Txns.timeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataTreeStatTest {

    private final DataTree tree = new DataTree();

    @Test
    void freshTreeHasTheBuiltInNodesWithZooKeepersObservedStats() {
        DataNode root = tree.getNode("/");
        assertThat(root.stat()).isEqualTo(new Stat(0, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0));
        assertThat(root.children()).containsExactly("zookeeper");
        assertThat(root.data()).isEmpty();
        assertThat(root.acl()).isEqualTo(ACL.OPEN_ACL_UNSAFE);

        DataNode proc = tree.getNode("/zookeeper");
        assertThat(proc.stat()).isEqualTo(new Stat(0, 0, 0, 0, 0, -2, 0, 0, 0, 2, 0));
        assertThat(proc.children()).containsExactlyInAnyOrder("quota", "config");
        assertThat(proc.acl()).isEqualTo(ACL.OPEN_ACL_UNSAFE);

        DataNode quota = tree.getNode("/zookeeper/quota");
        assertThat(quota.stat()).isEqualTo(new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(quota.acl()).isEqualTo(ACL.OPEN_ACL_UNSAFE);

        DataNode config = tree.getNode("/zookeeper/config");
        assertThat(config.stat()).isEqualTo(new Stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0));
        assertThat(config.acl()).containsExactly(new ACL(Perms.READ, Id.ANYONE));
        assertThat(config.data()).isEmpty();

        assertThat(tree.nodeCount()).isEqualTo(4);
        assertThat(tree.countDescendants("/")).isEqualTo(3);
        assertThat(tree.lastProcessedZxid()).isZero();
        assertThat(tree.getNode("")).isNull();
    }

    @Test
    void createSetsEveryStatFieldFromTheHeader() {
        ProcessTxnResult result = create(tree, 5, "/a", "hi", 0L);

        Stat expected = new Stat(5, 5, timeOf(5), timeOf(5), 0, 0, 0, 0, 2, 0, 5);
        assertThat(result.err()).isEqualTo(Code.OK.intValue());
        assertThat(result.path()).isEqualTo("/a");
        assertThat(result.stat()).isEqualTo(expected);
        assertThat(result.multiResults()).isNull();
        assertThat(tree.getNode("/a").stat()).isEqualTo(expected);
        assertThat(tree.getNode("/a").data()).isEqualTo(bytes("hi"));
        assertThat(tree.lastProcessedZxid()).isEqualTo(5);
    }

    @Test
    void childCreateMovesParentPzxidAndCounterButNotItsDataFields() {
        setData(tree, 1, "/", "root", 3);
        create(tree, 7, "/a");

        Stat root = tree.getNode("/").stat();
        assertThat(root.pzxid()).isEqualTo(7);
        assertThat(root.mzxid()).isEqualTo(1);
        assertThat(root.mtime()).isEqualTo(timeOf(1));
        assertThat(root.version()).isEqualTo(3);
        // stored counter 1, two children (zookeeper, a): 2*1-2
        assertThat(root.cversion()).isZero();
        assertThat(root.numChildren()).isEqualTo(2);
        assertThat(tree.getNode("/").childCreateCount()).isEqualTo(1);
    }

    @Test
    void cversionIsTwiceTheCreatesMinusThePresentChildren() {
        create(tree, 1, "/p");
        create(tree, 2, "/p/a");
        create(tree, 3, "/p/b");
        create(tree, 4, "/p/c");
        delete(tree, 5, "/p/b");

        DataNode p = tree.getNode("/p");
        assertThat(p.stat().cversion()).isEqualTo(4);
        assertThat(p.stat().numChildren()).isEqualTo(2);
        assertThat(p.childCreateCount()).isEqualTo(3);
        assertThat(p.pzxid()).isEqualTo(5);
        assertThat(p.stat().mzxid()).isEqualTo(1);
        assertThat(p.stat().version()).isZero();
        assertThat(p.children()).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void deletingAChildOfARootLevelNodeMovesOnlyThatParentsPzxid() {
        create(tree, 1, "/p");
        create(tree, 2, "/p/a");
        delete(tree, 3, "/p/a");

        assertThat(tree.getNode("/p").pzxid()).isEqualTo(3);
        assertThat(tree.getNode("/").pzxid()).isEqualTo(1);
    }

    @Test
    void anOlderChildChangeReplayedLateDoesNotMoveThePzxidBack() {
        create(tree, 10, "/p");
        create(tree, 20, "/p/new");
        create(tree, 15, "/p/old");
        assertThat(tree.getNode("/p").pzxid()).isEqualTo(20);

        delete(tree, 12, "/p/old");
        assertThat(tree.getNode("/p").pzxid()).isEqualTo(20);
        assertThat(tree.lastProcessedZxid()).isEqualTo(20);
    }

    @Test
    void setDataTakesTheVersionFromTheTxnAndKeepsCreationFields() {
        create(tree, 1, "/a", "one", 0L);
        create(tree, 2, "/a/child");
        ProcessTxnResult result = setData(tree, 9, "/a", "three", 7);

        Stat expected = new Stat(1, 9, timeOf(1), timeOf(9), 7, 1, 0, 0, 5, 1, 2);
        assertThat(result.stat()).isEqualTo(expected);
        assertThat(result.path()).isEqualTo("/a");
        assertThat(tree.getNode("/a").stat()).isEqualTo(expected);
        assertThat(tree.getNode("/a").data()).isEqualTo(bytes("three"));
        assertThat(tree.getNode("/a").version()).isEqualTo(7);
        assertThat(tree.getNode("/a").mzxid()).isEqualTo(9);
        assertThat(tree.getNode("/a").mtime()).isEqualTo(timeOf(9));
    }

    @Test
    void setAclChangesOnlyTheAclAndTheAversion() {
        create(tree, 1, "/a", "x", 0L);
        List<ACL> readOnly = List.of(new ACL(Perms.READ, new Id("digest", "bob:hash")));
        ProcessTxnResult result = apply(tree, 2, new SetACLTxn("/a", readOnly, 4));

        Stat expected = new Stat(1, 1, timeOf(1), timeOf(1), 0, 0, 4, 0, 1, 0, 1);
        assertThat(result.stat()).isEqualTo(expected);
        assertThat(tree.getNode("/a").aversion()).isEqualTo(4);
        assertThat(tree.getNode("/a").acl()).isEqualTo(readOnly);
        assertThat(tree.lastProcessedZxid()).isEqualTo(2);
    }

    @Test
    void nullDataStaysNullWithZeroLength() {
        apply(tree, 1, new CreateTxn("/n", null, Txns.OPEN, 0L));

        assertThat(tree.getNode("/n").data()).isNull();
        assertThat(tree.getNode("/n").stat().dataLength()).isZero();

        apply(tree, 2, new SetDataTxn("/n", bytes("abc"), 1));
        apply(tree, 3, new SetDataTxn("/n", null, 2));
        assertThat(tree.getNode("/n").data()).isNull();
        assertThat(tree.getNode("/n").stat().dataLength()).isZero();
    }

    @Test
    void ephemeralOwnerIsReportedForRealEphemerals() {
        create(tree, 1, "/e", "", 0x1234L);

        assertThat(tree.getNode("/e").stat().ephemeralOwner()).isEqualTo(0x1234L);
        assertThat(tree.getNode("/e").rawEphemeralOwner()).isEqualTo(0x1234L);
    }

    @Test
    void sequentialCounterCountsCreatesAndIsNotAdvancedByDeletes() {
        create(tree, 1, "/q");
        create(tree, 2, "/q/a");
        DataNode q = tree.getNode("/q");
        String first = DataTree.sequentialPath("/q/s-", q.childCreateCount());
        create(tree, 3, first);
        delete(tree, 4, "/q/a");
        String second = DataTree.sequentialPath("/q/s-", q.childCreateCount());
        create(tree, 5, second);

        assertThat(first).isEqualTo("/q/s-0000000001");
        assertThat(second).isEqualTo("/q/s-0000000002");
        assertThat(q.childCreateCount()).isEqualTo(3);
        assertThat(q.children()).containsExactlyInAnyOrder("s-0000000001", "s-0000000002");
    }

    @Test
    void sequentialPathFormatsTenDigitsAndKeepsTheSignOfAWrappedCounter() {
        assertThat(DataTree.sequentialPath("/p/", 0)).isEqualTo("/p/0000000000");
        assertThat(DataTree.sequentialPath("/lock-", 42)).isEqualTo("/lock-0000000042");
        assertThat(DataTree.sequentialPath("/x", Integer.MAX_VALUE)).isEqualTo("/x2147483647");
        assertThat(DataTree.sequentialPath("/x", Integer.MAX_VALUE + 1)).isEqualTo("/x-2147483648");
        assertThat(DataTree.sequentialPath("/x", -5)).isEqualTo("/x-000000005");
    }

    @Test
    void statIsASnapshotNotALiveView() {
        create(tree, 1, "/a", "x", 0L);
        Stat before = tree.getNode("/a").stat();
        setData(tree, 2, "/a", "yy", 1);

        assertThat(before.version()).isZero();
        assertThat(before.dataLength()).isEqualTo(1);
    }

    @Test
    void childrenViewIsUnmodifiable() {
        create(tree, 1, "/a");
        create(tree, 2, "/a/b");

        assertThatThrownBy(() -> tree.getNode("/a").children().remove("b"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> tree.getNode("/a/b").children().add("c"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void countDescendantsCountsTheWholeSubtreeButNotTheNode() {
        create(tree, 1, "/a");
        create(tree, 2, "/a/b");
        create(tree, 3, "/a/b/c");
        create(tree, 4, "/a/d");
        create(tree, 5, "/e");

        assertThat(tree.countDescendants("/a")).isEqualTo(3);
        assertThat(tree.countDescendants("/a/b")).isEqualTo(1);
        assertThat(tree.countDescendants("/a/b/c")).isZero();
        assertThat(tree.countDescendants("/zookeeper")).isEqualTo(2);
        assertThat(tree.countDescendants("/")).isEqualTo(8);
        assertThat(tree.countDescendants("/missing")).isZero();
        assertThat(tree.nodeCount()).isEqualTo(9);
    }

    @Test
    void approximateDataSizeIsPathCharsPlusDataBytes() {
        // "/" + "/zookeeper" + "/zookeeper/quota" + "/zookeeper/config" = 1 + 10 + 16 + 17
        assertThat(tree.approximateDataSize()).isEqualTo(44);

        create(tree, 1, "/ab", "12345", 0L);
        assertThat(tree.approximateDataSize()).isEqualTo(44 + 3 + 5);

        setData(tree, 2, "/ab", "1", 1);
        assertThat(tree.approximateDataSize()).isEqualTo(44 + 3 + 1);

        apply(tree, 3, new SetDataTxn("/ab", null, 2));
        assertThat(tree.approximateDataSize()).isEqualTo(44 + 3);

        setData(tree, 4, "/", "rootdata", 1);
        assertThat(tree.approximateDataSize()).isEqualTo(44 + 3 + 8);

        delete(tree, 5, "/ab");
        assertThat(tree.approximateDataSize()).isEqualTo(44 + 8);
    }
}
