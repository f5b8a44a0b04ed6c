package dev.meerkat.server.tree;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.EventType;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.watch.RecordingWatcher;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static dev.meerkat.server.tree.Txns.create;
import static dev.meerkat.server.tree.Txns.delete;
import static dev.meerkat.server.tree.Txns.hdr;
import static dev.meerkat.server.tree.Txns.setData;
import static dev.meerkat.server.tree.Txns.timeOf;
import static org.assertj.core.api.Assertions.assertThat;

class DataTreeEphemeralTest {

    private static final long S1 = 0x0100_0000_0000_0001L;
    private static final long S2 = 0x0100_0000_0000_0002L;

    private final DataTree tree = new DataTree();

    @Test
    void ephemeralsAreTrackedPerSessionAndForgottenOnDelete() {
        create(tree, 1, "/e1", "", S1);
        create(tree, 2, "/e2", "", S1);
        create(tree, 3, "/f1", "", S2);
        create(tree, 4, "/persistent", "", 0L);

        assertThat(tree.getEphemerals(S1)).containsExactly("/e1", "/e2");
        assertThat(tree.getEphemerals(S2)).containsExactly("/f1");
        assertThat(tree.getEphemerals(0x999L)).isEmpty();
        assertThat(tree.ephemeralCount()).isEqualTo(3);
        assertThat(tree.ephemeralsBySession())
                .isEqualTo(Map.of(S1, Set.of("/e1", "/e2"), S2, Set.of("/f1")));

        delete(tree, 5, "/f1");

        assertThat(tree.getEphemerals(S2)).isEmpty();
        assertThat(tree.ephemeralsBySession()).containsOnlyKeys(S1);
        assertThat(tree.ephemeralCount()).isEqualTo(2);
    }

    @Test
    void ephemeralCopiesDoNotWriteThrough() {
        create(tree, 1, "/e1", "", S1);

        tree.getEphemerals(S1).clear();
        tree.ephemeralsBySession().get(S1).clear();

        assertThat(tree.getEphemerals(S1)).containsExactly("/e1");
    }

    @Test
    void closeSessionDeletesOnlyThatSessionsEphemeralsInPathOrderFiringWatches() {
        create(tree, 1, "/b", "", S1);
        create(tree, 2, "/dir", "", 0L);
        create(tree, 3, "/dir/a", "", S1);
        create(tree, 4, "/c", "", S1);
        create(tree, 5, "/other", "", S2);
        RecordingWatcher recursive = new RecordingWatcher(S2);
        tree.addPersistentWatch("/", recursive, true);
        RecordingWatcher rootChildren = new RecordingWatcher(S2);
        tree.addPersistentWatch("/", rootChildren, false);

        ProcessTxnResult result = tree.processTxn(hdr(S1, 10, OpCode.CLOSE_SESSION), new CloseSessionTxn());

        assertThat(result).isEqualTo(new ProcessTxnResult(Code.OK.intValue(), null, null, null));
        assertThat(tree.getNode("/b")).isNull();
        assertThat(tree.getNode("/c")).isNull();
        assertThat(tree.getNode("/dir/a")).isNull();
        assertThat(tree.getNode("/dir")).isNotNull();
        assertThat(tree.getNode("/other")).isNotNull();
        assertThat(tree.getEphemerals(S1)).isEmpty();
        assertThat(tree.getEphemerals(S2)).containsExactly("/other");
        assertThat(tree.ephemeralCount()).isEqualTo(1);
        assertThat(tree.lastProcessedZxid()).isEqualTo(10);
        assertThat(tree.getNode("/").pzxid()).isEqualTo(10);
        assertThat(tree.getNode("/dir").pzxid()).isEqualTo(10);

        assertThat(recursive.events()).containsExactly(
                "NodeDeleted /b", "NodeDeleted /c", "NodeDeleted /dir/a");
        assertThat(recursive.deliveries()).allSatisfy(d -> assertThat(d.zxid()).isEqualTo(10));
        assertThat(rootChildren.events()).containsExactly(
                "NodeChildrenChanged /", "NodeChildrenChanged /");
    }

    @Test
    void closingASessionWithoutEphemeralsChangesNothingButTheZxid() {
        create(tree, 1, "/a", "", 0L);
        long size = tree.approximateDataSize();

        ProcessTxnResult result = tree.processTxn(hdr(S1, 2, OpCode.CLOSE_SESSION), new CloseSessionTxn());

        assertThat(result.err()).isZero();
        assertThat(tree.nodeCount()).isEqualTo(5);
        assertThat(tree.approximateDataSize()).isEqualTo(size);
        assertThat(tree.lastProcessedZxid()).isEqualTo(2);
    }

    @Test
    void createSessionLeavesTheTreeAlone() {
        ProcessTxnResult result = tree.processTxn(hdr(S1, 1, OpCode.CREATE_SESSION),
                new CreateSessionTxn(30_000, new byte[16]));

        assertThat(result).isEqualTo(new ProcessTxnResult(0, null, null, null));
        assertThat(tree.nodeCount()).isEqualTo(4);
        assertThat(tree.getNode("/").stat().pzxid()).isZero();
        assertThat(tree.lastProcessedZxid()).isEqualTo(1);
    }

    @Test
    void noChildrenUnderAnEphemeral() {
        create(tree, 1, "/e", "", S1);

        ProcessTxnResult result = create(tree, 2, "/e/child");

        assertThat(result.err()).isEqualTo(Code.NOCHILDRENFOREPHEMERALS.intValue());
        assertThat(tree.getNode("/e/child")).isNull();
        assertThat(tree.getNode("/e").childCreateCount()).isZero();
    }

    @Test
    void containersAndTtlNodesReportOwnerZeroAndAreNotEphemerals() {
        create(tree, 1, "/container", "", EphemeralType.CONTAINER_OWNER);
        create(tree, 2, "/ttl", "", EphemeralType.ttlOwner(5000));
        create(tree, 3, "/container/kid", "", 0L);
        create(tree, 4, "/ttl/kid", "", 0L);

        assertThat(tree.getNode("/container").stat().ephemeralOwner()).isZero();
        assertThat(tree.getNode("/container").rawEphemeralOwner()).isEqualTo(Long.MIN_VALUE);
        assertThat(tree.getNode("/ttl").stat().ephemeralOwner()).isZero();
        assertThat(tree.getNode("/ttl").rawEphemeralOwner()).isEqualTo(0xFF00_0000_0000_1388L);
        assertThat(tree.ephemeralCount()).isZero();
        assertThat(tree.ephemeralsBySession()).isEmpty();
        assertThat(tree.getNode("/container/kid")).isNotNull();
        assertThat(tree.getNode("/ttl/kid")).isNotNull();
    }

    @Test
    void containerIsACandidateOnlyOnceItHadChildrenAndHasNoneLeft() {
        create(tree, 1, "/never-used", "", EphemeralType.CONTAINER_OWNER);
        create(tree, 2, "/used", "", EphemeralType.CONTAINER_OWNER);
        create(tree, 3, "/used/kid", "", 0L);
        create(tree, 4, "/busy", "", EphemeralType.CONTAINER_OWNER);
        create(tree, 5, "/busy/kid", "", 0L);

        assertThat(tree.reapCandidates(Long.MAX_VALUE, 10)).isEmpty();

        delete(tree, 6, "/used/kid");

        assertThat(tree.reapCandidates(0L, 10)).containsExactly("/used");

        delete(tree, 7, "/used");

        assertThat(tree.reapCandidates(0L, 10)).isEmpty();
    }

    @Test
    void ttlNodeIsACandidateWhenChildlessAndUnmodifiedForLongerThanItsTtl() {
        create(tree, 1, "/ttl", "", EphemeralType.ttlOwner(100));
        long mtime = timeOf(1);

        assertThat(tree.reapCandidates(mtime + 100, 10)).isEmpty();
        assertThat(tree.reapCandidates(mtime + 101, 10)).containsExactly("/ttl");

        create(tree, 2, "/ttl/kid", "", 0L);
        assertThat(tree.reapCandidates(mtime + 1_000, 10)).isEmpty();

        delete(tree, 3, "/ttl/kid");
        assertThat(tree.reapCandidates(mtime + 1_000, 10)).containsExactly("/ttl");

        // A write keeps it alive: the TTL counts from the last modification.
        setData(tree, 4, "/ttl", "touch", 1);
        assertThat(tree.reapCandidates(timeOf(4) + 100, 10)).isEmpty();
        assertThat(tree.reapCandidates(timeOf(4) + 101, 10)).containsExactly("/ttl");
    }

    @Test
    void candidatesComeContainersFirstInPathOrderUpToTheLimit() {
        create(tree, 1, "/t2", "", EphemeralType.ttlOwner(1));
        create(tree, 2, "/t1", "", EphemeralType.ttlOwner(1));
        create(tree, 3, "/c2", "", EphemeralType.CONTAINER_OWNER);
        create(tree, 4, "/c2/k", "", 0L);
        delete(tree, 5, "/c2/k");
        create(tree, 6, "/c1", "", EphemeralType.CONTAINER_OWNER);
        create(tree, 7, "/c1/k", "", 0L);
        delete(tree, 8, "/c1/k");

        long later = timeOf(100);
        assertThat(tree.reapCandidates(later, 10)).containsExactly("/c1", "/c2", "/t1", "/t2");
        assertThat(tree.reapCandidates(later, 3)).containsExactly("/c1", "/c2", "/t1");
        assertThat(tree.reapCandidates(later, 1)).containsExactly("/c1");
        assertThat(tree.reapCandidates(later, 0)).isEmpty();
    }

    @Test
    void closeSessionEventsAreNodeDeletedThenParentChildrenChangedPerNode() {
        create(tree, 1, "/x", "", S1);
        RecordingWatcher w = new RecordingWatcher(S2);
        tree.addDataWatch("/x", w);
        tree.addChildWatch("/", w);

        tree.processTxn(hdr(S1, 2, OpCode.CLOSE_SESSION), new CloseSessionTxn());

        assertThat(w.deliveries()).extracting(RecordingWatcher.Delivery::type)
                .containsExactly(EventType.NODE_DELETED, EventType.NODE_CHILDREN_CHANGED);
    }
}
