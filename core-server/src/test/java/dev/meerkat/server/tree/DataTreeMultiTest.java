package dev.meerkat.server.tree;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.Stat;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ErrorTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.watch.RecordingWatcher;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meerkat.server.tree.Txns.bytes;
import static dev.meerkat.server.tree.Txns.create;
import static dev.meerkat.server.tree.Txns.hdr;
import static dev.meerkat.server.tree.Txns.setData;
import static dev.meerkat.server.tree.Txns.timeOf;
import static org.assertj.core.api.Assertions.assertThat;

class DataTreeMultiTest {

    private static final int OK = Code.OK.intValue();
    private static final int RTI = Code.RUNTIMEINCONSISTENCY.intValue();

    private final DataTree tree = new DataTree();

    private ProcessTxnResult multi(long zxid, Txn... txns) {
        return tree.processTxn(hdr(Txns.SESSION, zxid, OpCode.MULTI), new MultiTxn(List.of(txns)));
    }

    private static List<Integer> errs(ProcessTxnResult result) {
        return result.multiResults().stream().map(ProcessTxnResult::err).toList();
    }

    @Test
    void laterOpsSeeEarlierOnesAndAllShareTheMultisZxid() {
        ProcessTxnResult result = multi(7,
                Txns.create("/a"),
                Txns.create("/a/b"),
                new SetDataTxn("/a", bytes("v"), 1),
                new CheckVersionTxn("/a", 1));

        assertThat(result.err()).isEqualTo(OK);
        assertThat(result.path()).isNull();
        assertThat(result.stat()).isNull();
        assertThat(errs(result)).containsExactly(OK, OK, OK, OK);
        List<ProcessTxnResult> subs = result.multiResults();
        assertThat(subs).extracting(ProcessTxnResult::path).containsExactly("/a", "/a/b", "/a", "/a");
        // create's stat is taken right after the create, before the setData in the same multi
        assertThat(subs.get(0).stat()).isEqualTo(new Stat(7, 7, timeOf(7), timeOf(7), 0, 0, 0, 0, 0, 0, 7));
        assertThat(subs.get(1).stat().czxid()).isEqualTo(7);
        assertThat(subs.get(2).stat()).isEqualTo(new Stat(7, 7, timeOf(7), timeOf(7), 1, 1, 0, 0, 1, 1, 7));
        assertThat(subs.get(3).stat()).isNull();
        assertThat(tree.getNode("/a/b").stat().czxid()).isEqualTo(7);
        assertThat(tree.getNode("/a").childCreateCount()).isEqualTo(1);
        assertThat(tree.lastProcessedZxid()).isEqualTo(7);
    }

    @Test
    void parentCreateCounterAdvancesPerCreateInsideOneMulti() {
        create(tree, 1, "/q");
        String first = DataTree.sequentialPath("/q/n-", 0);
        String second = DataTree.sequentialPath("/q/n-", 1);

        ProcessTxnResult result = multi(2, Txns.create(first), Txns.create(second));

        assertThat(result.err()).isEqualTo(OK);
        assertThat(tree.getNode("/q").childCreateCount()).isEqualTo(2);
        assertThat(tree.getNode("/q").children()).containsExactlyInAnyOrder("n-0000000000", "n-0000000001");
    }

    @Test
    void multiBuiltWithAnErrorChangesNothingAndReportsZooKeepersResultShape() {
        create(tree, 1, "/x");
        RecordingWatcher w = new RecordingWatcher(1);
        tree.addChildWatch("/", w);
        tree.addDataWatch("/x", w);
        tree.addDataWatch("/new", w);
        long size = tree.approximateDataSize();
        Stat rootBefore = tree.getNode("/").stat();

        ProcessTxnResult result = multi(2,
                Txns.create("/new"),
                new SetDataTxn("/x", bytes("zz"), 1),
                new ErrorTxn(Code.BADVERSION.intValue()),
                new ErrorTxn(RTI),
                new ErrorTxn(RTI));

        assertThat(result.err()).isEqualTo(Code.BADVERSION.intValue());
        assertThat(errs(result)).containsExactly(OK, OK, Code.BADVERSION.intValue(), RTI, RTI);
        assertThat(result.multiResults()).allSatisfy(r -> {
            assertThat(r.path()).isNull();
            assertThat(r.stat()).isNull();
        });
        assertThat(tree.getNode("/new")).isNull();
        assertThat(tree.getNode("/x").data()).isEmpty();
        assertThat(tree.getNode("/").stat()).isEqualTo(rootBefore);
        assertThat(tree.approximateDataSize()).isEqualTo(size);
        assertThat(w.deliveries()).isEmpty();
        assertThat(tree.lastProcessedZxid()).isEqualTo(2);
    }

    @Test
    void opsAfterAnErrorOpThatAreNotErrorsThemselvesReportRuntimeInconsistency() {
        ProcessTxnResult result = multi(1,
                new ErrorTxn(Code.NONODE.intValue()),
                Txns.create("/late"));

        assertThat(errs(result)).containsExactly(Code.NONODE.intValue(), RTI);
        assertThat(result.err()).isEqualTo(Code.NONODE.intValue());
        assertThat(tree.getNode("/late")).isNull();
    }

    @Test
    void multiThatDoesNotFitTheTreeIsRejectedWholeWithoutWatches() {
        create(tree, 1, "/x");
        RecordingWatcher w = new RecordingWatcher(1);
        tree.addPersistentWatch("/", w, true);
        tree.addChildWatch("/", w);
        Stat rootBefore = tree.getNode("/").stat();
        int createsBefore = tree.getNode("/").childCreateCount();

        ProcessTxnResult result = multi(2,
                Txns.create("/m"),
                new SetDataTxn("/x", bytes("data"), 1),
                new DeleteTxn("/nope"),
                new SetDataTxn("/m", bytes("v"), 1));

        assertThat(result.err()).isEqualTo(Code.NONODE.intValue());
        assertThat(errs(result)).containsExactly(OK, OK, Code.NONODE.intValue(), RTI);
        assertThat(tree.getNode("/m")).isNull();
        assertThat(tree.getNode("/x").data()).isEmpty();
        assertThat(tree.getNode("/x").version()).isZero();
        assertThat(tree.getNode("/").stat()).isEqualTo(rootBefore);
        assertThat(tree.getNode("/").childCreateCount()).isEqualTo(createsBefore);
        assertThat(w.deliveries()).isEmpty();
        assertThat(tree.containsWatch("/", dev.meerkat.protocol.WatcherType.CHILDREN, w)).isTrue();
        assertThat(tree.lastProcessedZxid()).isEqualTo(2);
    }

    @Test
    void duplicateCreateInOneMultiFailsAtTheSecond() {
        ProcessTxnResult result = multi(1, Txns.create("/d"), Txns.create("/d"));

        assertThat(errs(result)).containsExactly(OK, Code.NODEEXISTS.intValue());
        assertThat(tree.getNode("/d")).isNull();
    }

    @Test
    void multiTracksDeletesAndRecreatesOfTheSameName() {
        create(tree, 1, "/p");
        create(tree, 2, "/p/c");

        ProcessTxnResult result = multi(3,
                new DeleteTxn("/p/c"),
                new DeleteTxn("/p"),
                Txns.create("/p"),
                Txns.create("/p/c2"),
                new DeleteTxn("/p/c2"),
                Txns.create("/p/c3"));

        assertThat(result.err()).isEqualTo(OK);
        assertThat(tree.getNode("/p").stat().czxid()).isEqualTo(3);
        assertThat(tree.getNode("/p").children()).containsExactly("c3");
        assertThat(tree.getNode("/p").childCreateCount()).isEqualTo(2);
        assertThat(tree.getNode("/p/c")).isNull();
    }

    @Test
    void deletingAParentWhoseChildWasCreatedEarlierInTheMultiIsNotEmpty() {
        create(tree, 1, "/p");

        ProcessTxnResult result = multi(2, Txns.create("/p/kid"), new DeleteTxn("/p"));

        assertThat(errs(result)).containsExactly(OK, Code.NOTEMPTY.intValue());
        assertThat(tree.getNode("/p").numChildren()).isZero();
    }

    @Test
    void deletingANodeRecreatedInTheMultiSeesItsNewChildren() {
        create(tree, 1, "/p");
        create(tree, 2, "/p/old");

        ProcessTxnResult ok = multi(3,
                new DeleteTxn("/p/old"), new DeleteTxn("/p"), Txns.create("/p"), new DeleteTxn("/p"));
        assertThat(ok.err()).isEqualTo(OK);
        assertThat(tree.getNode("/p")).isNull();

        create(tree, 4, "/r");
        ProcessTxnResult notEmpty = multi(5,
                new DeleteTxn("/r"), Txns.create("/r"), Txns.create("/r/kid"), new DeleteTxn("/r"));
        assertThat(errs(notEmpty)).containsExactly(OK, OK, OK, Code.NOTEMPTY.intValue());
        assertThat(tree.getNode("/r")).isNotNull();
        assertThat(tree.getNode("/r").stat().czxid()).isEqualTo(4);
    }

    @Test
    void ephemeralCreatedEarlierInTheMultiCannotGetChildren() {
        ProcessTxnResult result = multi(1,
                new CreateTxn("/e", new byte[0], Txns.OPEN, 0x77L),
                Txns.create("/e/kid"));

        assertThat(errs(result)).containsExactly(OK, Code.NOCHILDRENFOREPHEMERALS.intValue());
        assertThat(tree.getNode("/e")).isNull();
        assertThat(tree.ephemeralCount()).isZero();
    }

    @Test
    void sessionTxnsAndNestedMultisAreNotValidInsideAMulti() {
        assertThat(errs(multi(1, Txns.create("/a"), new CloseSessionTxn())))
                .containsExactly(OK, Code.BADARGUMENTS.intValue());
        assertThat(errs(multi(2, new CreateSessionTxn(1000, new byte[16]))))
                .containsExactly(Code.BADARGUMENTS.intValue());
        assertThat(errs(multi(3, new MultiTxn(List.of(Txns.create("/b"))), Txns.create("/c"))))
                .containsExactly(Code.BADARGUMENTS.intValue(), RTI);
        assertThat(tree.nodeCount()).isEqualTo(4);
    }

    @Test
    void emptyMultiSucceedsWithNoResults() {
        ProcessTxnResult result = multi(1);

        assertThat(result.err()).isEqualTo(OK);
        assertThat(result.multiResults()).isEmpty();
        assertThat(tree.lastProcessedZxid()).isEqualTo(1);
    }

    @Test
    void watchEventsOfAMultiAreDeliveredInOpOrderWithTheMultisZxid() {
        create(tree, 1, "/x");
        RecordingWatcher w = new RecordingWatcher(1);
        tree.addPersistentWatch("/", w, true);
        RecordingWatcher rootKids = new RecordingWatcher(2);
        tree.addChildWatch("/", rootKids);

        multi(9,
                Txns.create("/a"),
                new SetDataTxn("/x", bytes("1"), 1),
                Txns.create("/a/b"),
                new DeleteTxn("/x"));

        assertThat(w.events()).containsExactly(
                "NodeCreated /a", "NodeDataChanged /x", "NodeCreated /a/b", "NodeDeleted /x");
        assertThat(w.deliveries()).allSatisfy(d -> assertThat(d.zxid()).isEqualTo(9));
        // one-shot: fires on the first child change of the multi only
        assertThat(rootKids.events()).containsExactly("NodeChildrenChanged /");
        assertThat(rootKids.deliveries().get(0).zxid()).isEqualTo(9);
    }

    @Test
    void lastProcessedZxidMovesOncePerMultiAndNeverBackwards() {
        setData(tree, 10, "/", "r", 1);
        multi(4, Txns.create("/old"));

        assertThat(tree.lastProcessedZxid()).isEqualTo(10);

        multi(11, Txns.create("/a"), Txns.create("/b"));

        assertThat(tree.lastProcessedZxid()).isEqualTo(11);
    }
}
