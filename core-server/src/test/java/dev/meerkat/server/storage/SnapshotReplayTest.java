package dev.meerkat.server.storage;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.storage.SnapshotFixtures.RandomTxns;
import dev.meerkat.server.storage.SnapshotFixtures.Step;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.tree.DataTreeBuilder;
import dev.meerkat.server.tree.NodeImage;
import dev.meerkat.server.tree.SnapshotCursor;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.meerkat.server.storage.SnapshotFixtures.assertSameTree;
import static dev.meerkat.server.storage.SnapshotFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A fuzzy snapshot plus the log after its start zxid gives back exactly the tree the log built:
 * every stored field, every Stat, every child set and table, not merely something close.
 */
class SnapshotReplayTest {

    private static final long S1 = SnapshotFixtures.SESSIONS[0];
    private static final long S2 = SnapshotFixtures.SESSIONS[1];

    @TempDir
    Path dir;

    /** What one run produced: the live tree, the snapshot taken of it, and the whole log. */
    private record Run(DataTree live, long startZxid, long endZxid, List<NodeImage> images, List<Step> log) {
    }

    /**
     * Random txns on tree A; a cursor started at a random point; slices of one to three nodes
     * interleaved with up to three more txns each, so that deletes, closeSessions and rebuilt
     * subtrees land while the walk is halfway; more txns after it. Tree B, restored from the
     * images and fed every txn after the start zxid, must equal A.
     */
    @Test
    void replayOverFuzzySnapshotIsExact() {
        for (long seed = 1; seed <= 1_000; seed++) {
            Run run = fuzzyRun(seed);
            DataTree restored = restore(run.startZxid(), run.endZxid(), run.images());
            replay(restored, run.log());
            restored.finishRecovery();
            assertSameTree(restored, run.live(), "seed " + seed);
        }
    }

    @Test
    void replayOverFuzzySnapshotIsExactThroughTheFile() throws Exception {
        for (long seed = 1_001; seed <= 1_020; seed++) {
            Run run = fuzzyRun(seed);
            SnapshotWriter writer = SnapshotWriter.start(dir, run.startZxid(), List.of());
            run.images().forEach(writer::node);
            Path file = writer.finish(run.endZxid()).get(10, TimeUnit.SECONDS);
            Snapshot snapshot = SnapshotReader.read(file);
            replay(snapshot.tree(), run.log());
            snapshot.tree().finishRecovery();
            assertSameTree(snapshot.tree(), run.live(), "seed " + seed);
        }
    }

    /** Replay from the snapshot's start also comes out the same if it is repeated from further back. */
    @Test
    void txnsAlreadyInTheSnapshotAreSkipped() {
        for (long seed = 2_001; seed <= 2_050; seed++) {
            Run run = fuzzyRun(seed);
            DataTree restored = restore(run.startZxid(), run.endZxid(), run.images());
            for (Step step : run.log()) {
                restored.processTxnForRecovery(step.hdr(), step.txn());
            }
            restored.finishRecovery();
            assertSameTree(restored, run.live(), "seed " + seed);
        }
    }

    /**
     * The parent is copied, then a closeSession deletes its ephemeral child before the walk gets
     * there. The closeSession txn names no paths, so only the ghost image of the child lets the
     * replay know that it moved the parent's pzxid.
     */
    @Test
    void closeSessionDuringSnapshotMovesTheParentsPzxidOnReplay() {
        DataTree live = new DataTree();
        List<Step> log = new ArrayList<>();
        apply(live, log, hdr(S2, 1, OpCode.CREATE), new CreateTxn("/app", null, ACL.OPEN_ACL_UNSAFE, 0L));
        apply(live, log, hdr(S1, 2, OpCode.CREATE), new CreateTxn("/app/lock", bytes("x"), ACL.OPEN_ACL_UNSAFE, S1));
        SnapshotCursor cursor = live.snapshotCursor();
        List<NodeImage> images = new ArrayList<>();
        // root, /zookeeper subtree order is hash order: walk until /app has been copied
        while (images.stream().noneMatch(i -> i.path().equals("/app"))) {
            cursor.next(1, images::add);
        }
        apply(live, log, hdr(S1, 3, OpCode.CLOSE_SESSION), new CloseSessionTxn());
        cursor.next(Integer.MAX_VALUE, images::add);
        assertThat(images).filteredOn(i -> i.path().equals("/app/lock")).singleElement()
                .satisfies(ghost -> assertThat(ghost.serializedAt()).isEqualTo(2));

        DataTree restored = restore(cursor.startZxid(), cursor.endZxid(), images);
        replay(restored, log);
        restored.finishRecovery();

        assertThat(restored.getNode("/app").pzxid()).isEqualTo(3);
        assertSameTree(restored, live, "closeSession");
    }

    /**
     * A subtree deleted and rebuilt under the same names while the walk is inside it: the child
     * the walk reaches is a new object under a new parent, and only the old ones may be written.
     */
    @Test
    void subtreeRebuiltDuringSnapshotReplaysExactly() {
        DataTree live = new DataTree();
        List<Step> log = new ArrayList<>();
        apply(live, log, hdr(S2, 1, OpCode.CREATE), new CreateTxn("/p", bytes("v1"), ACL.OPEN_ACL_UNSAFE, 0L));
        apply(live, log, hdr(S2, 2, OpCode.CREATE), new CreateTxn("/p/c", bytes("v1"), ACL.OPEN_ACL_UNSAFE, 0L));
        SnapshotCursor cursor = live.snapshotCursor();
        List<NodeImage> images = new ArrayList<>();
        while (images.stream().noneMatch(i -> i.path().equals("/p"))) {
            cursor.next(1, images::add);
        }
        apply(live, log, hdr(S2, 3, OpCode.MULTI), new MultiTxn(List.of(
                new DeleteTxn("/p/c"), new DeleteTxn("/p"),
                new CreateTxn("/p", bytes("v2"), ACL.OPEN_ACL_UNSAFE, 0L),
                new CreateTxn("/p/c", bytes("v2"), ACL.OPEN_ACL_UNSAFE, 0L))));
        apply(live, log, hdr(S2, 4, OpCode.SET_DATA), new SetDataTxn("/p/c", bytes("v3"), 1));
        cursor.next(Integer.MAX_VALUE, images::add);

        DataTree restored = restore(cursor.startZxid(), cursor.endZxid(), images);
        replay(restored, log);
        restored.finishRecovery();

        assertThat(restored.getNode("/p/c").data()).isEqualTo(bytes("v3"));
        assertSameTree(restored, live, "rebuilt subtree");
    }

    /**
     * After the multi, the walk finds only a ghost, one below the multi's zxid, and never sees
     * the grandchild the multi also deleted. The multi must still be replayed effect by effect
     * (the end zxid, not the newest serializedAt, bounds the fuzzy part): checked as a whole
     * against the restored tree, its delete of the missing grandchild would fail it.
     */
    @Test
    void aGhostsDeleteIsReplayedEffectByEffectEvenAboveEveryImage() {
        // The walk must reach /p last, after every other node; the order of a node's children is
        // hash order, so pick a name that gets there (two more root children make room for one).
        String p = "/" + IntStream.range(0, 26 * 26).mapToObj(i -> "" + (char) ('a' + i / 26) + (char) ('a' + i % 26))
                .filter(SnapshotReplayTest::walkedLast).findFirst().orElseThrow();
        DataTree live = new DataTree();
        List<Step> log = new ArrayList<>();
        for (String path : List.of("/f1", "/f2", p, p + "/c", p + "/c/g")) {
            apply(live, log, hdr(S2, log.size() + 1, OpCode.CREATE), new CreateTxn(path, null, ACL.OPEN_ACL_UNSAFE, 0L));
        }
        SnapshotCursor cursor = live.snapshotCursor();
        List<NodeImage> images = new ArrayList<>();
        while (images.stream().noneMatch(i -> i.path().equals(p))) {
            cursor.next(1, images::add);
        }
        apply(live, log, hdr(S2, 6, OpCode.MULTI), new MultiTxn(List.of(new DeleteTxn(p + "/c/g"), new DeleteTxn(p + "/c"))));
        cursor.next(Integer.MAX_VALUE, images::add);
        assertThat(images).extracting(NodeImage::serializedAt).allMatch(at -> at <= 5);
        assertThat(cursor.endZxid()).isEqualTo(6);

        DataTree restored = restore(cursor.startZxid(), cursor.endZxid(), images);
        replay(restored, log);
        restored.finishRecovery();

        assertThat(restored.getNode(p + "/c")).isNull();
        assertSameTree(restored, live, "ghost above every image");
    }

    private static boolean walkedLast(String name) {
        DataTree tree = new DataTree();
        long zxid = 0;
        for (String path : List.of("/f1", "/f2", "/" + name, "/" + name + "/c")) {
            zxid++;
            tree.processTxn(hdr(S2, zxid, OpCode.CREATE), new CreateTxn(path, null, ACL.OPEN_ACL_UNSAFE, 0L));
        }
        List<NodeImage> order = new ArrayList<>();
        tree.snapshotCursor().next(Integer.MAX_VALUE, order::add);
        return order.get(order.size() - 2).path().equals("/" + name);
    }

    @Test
    void finishingBeforeTheSnapshotsNewestImageIsRefused() {
        DataTree live = new DataTree();
        List<Step> log = new ArrayList<>();
        apply(live, log, hdr(S2, 1, OpCode.CREATE), new CreateTxn("/a", null, ACL.OPEN_ACL_UNSAFE, 0L));
        SnapshotCursor cursor = live.snapshotCursor();
        List<NodeImage> images = new ArrayList<>();
        cursor.next(1, images::add);
        apply(live, log, hdr(S2, 2, OpCode.SET_DATA), new SetDataTxn("/a", bytes("x"), 1));
        cursor.next(Integer.MAX_VALUE, images::add);
        DataTree restored = restore(cursor.startZxid(), cursor.endZxid(), images);
        assertThat(restored.isRecovering()).isTrue();
        assertThat(restored.recoveryHorizon()).isEqualTo(2);

        assertThatThrownBy(restored::finishRecovery).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("log is missing txns");

        replay(restored, log);
        restored.finishRecovery();
        assertThat(restored.isRecovering()).isFalse();
        assertSameTree(restored, live, "after the whole log");
    }

    @Test
    void aTreeBeingRecoveredTakesNoOrdinaryTxnsAndNoSnapshot() {
        DataTree restored = restore(0, 0, SnapshotFixtures.images(new DataTree()));

        assertThatThrownBy(() -> restored.processTxn(hdr(S1, 1, OpCode.CREATE),
                new CreateTxn("/x", null, ACL.OPEN_ACL_UNSAFE, 0L))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(restored::snapshotCursor).isInstanceOf(IllegalStateException.class);

        restored.finishRecovery();
        assertThat(restored.processTxn(hdr(S1, 1, OpCode.CREATE),
                new CreateTxn("/x", null, ACL.OPEN_ACL_UNSAFE, 0L)).ok()).isTrue();
    }

    /** With no snapshot at all, recovery replays the whole log into a new tree, with the same result. */
    @Test
    void recoveryIntoAFreshTreeEqualsTheLiveTree() {
        for (long seed = 3_001; seed <= 3_020; seed++) {
            DataTree live = new DataTree();
            RandomTxns txns = new RandomTxns(new Random(seed), live);
            DataTree recovered = new DataTree();
            for (int i = 0; i < 300; i++) {
                Step step = txns.apply();
                recovered.processTxnForRecovery(step.hdr(), step.txn());
            }
            recovered.finishRecovery();
            assertSameTree(recovered, live, "seed " + seed);
        }
    }

    private static Run fuzzyRun(long seed) {
        Random rnd = new Random(seed);
        DataTree live = new DataTree();
        RandomTxns txns = new RandomTxns(rnd, live);
        List<Step> log = new ArrayList<>();
        int before = rnd.nextInt(250);
        for (int i = 0; i < before; i++) {
            log.add(txns.apply());
        }
        SnapshotCursor cursor = live.snapshotCursor();
        List<NodeImage> images = new ArrayList<>();
        while (!cursor.isDone()) {
            cursor.next(1 + rnd.nextInt(3), images::add);
            int during = rnd.nextInt(4);
            for (int i = 0; i < during; i++) {
                log.add(txns.apply());
            }
        }
        int after = rnd.nextInt(40);
        for (int i = 0; i < after; i++) {
            log.add(txns.apply());
        }
        return new Run(live, cursor.startZxid(), cursor.endZxid(), images, log);
    }

    private static DataTree restore(long startZxid, long endZxid, List<NodeImage> images) {
        DataTreeBuilder builder = new DataTreeBuilder(startZxid);
        images.forEach(builder::add);
        return builder.build(endZxid);
    }

    private static void replay(DataTree tree, List<Step> log) {
        long from = tree.lastProcessedZxid();
        for (Step step : log) {
            if (step.hdr().zxid() > from) {
                tree.processTxnForRecovery(step.hdr(), step.txn());
            }
        }
    }

    private static TxnHeader hdr(long session, long zxid, int type) {
        return new TxnHeader(session, (int) zxid, zxid, 1_000_000L + zxid, type);
    }

    private static void apply(DataTree tree, List<Step> log, TxnHeader hdr, Txn txn) {
        assertThat(tree.processTxn(hdr, txn).ok()).as("%s", txn).isTrue();
        log.add(new Step(hdr, txn));
    }
}
