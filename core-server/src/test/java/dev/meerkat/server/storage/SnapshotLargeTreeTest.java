package dev.meerkat.server.storage;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.tree.SnapshotCursor;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.meerkat.server.storage.SnapshotFixtures.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 znodes snapshotted in slices of 1,000 while writes go on between slices. The slice
 * times are printed, not asserted: speed targets belong in the benchmarks, and a loaded CI
 * machine must not fail this test.
 */
class SnapshotLargeTreeTest {

    private static final int PARENTS = 100;
    private static final int CHILDREN = 1_000;
    private static final int SLICE = 1_000;

    @TempDir
    Path dir;

    private record Logged(TxnHeader hdr, Txn txn) {
    }

    private final DataTree tree = new DataTree();
    private final List<Logged> log = new ArrayList<>();
    private long zxid;

    @Test
    void aHundredThousandNodesInSlicesWhileWritesContinue() throws Exception {
        Random rnd = new Random(42);
        byte[] data = new byte[100];
        for (int p = 0; p < PARENTS; p++) {
            String parent = "/service-" + p;
            apply(new CreateTxn(parent, data, ACL.OPEN_ACL_UNSAFE, 0L));
            for (int c = 0; c < CHILDREN - 1; c++) {
                rnd.nextBytes(data);
                apply(new CreateTxn(parent + "/instance-" + c, data.clone(), ACL.OPEN_ACL_UNSAFE, 0L));
            }
        }
        assertThat(tree.nodeCount()).isGreaterThanOrEqualTo(PARENTS * CHILDREN);

        SnapshotCursor cursor = tree.snapshotCursor();
        SnapshotWriter writer = SnapshotWriter.start(dir, cursor.startZxid(), List.of());
        List<Long> sliceNanos = new ArrayList<>();
        while (!cursor.isDone()) {
            long started = System.nanoTime();
            cursor.next(SLICE, writer);
            sliceNanos.add(System.nanoTime() - started);
            // A few writes between slices, some into parts of the tree not yet copied.
            for (int i = 0; i < 5; i++) {
                String path = "/service-" + rnd.nextInt(PARENTS) + "/instance-" + rnd.nextInt(CHILDREN - 1);
                apply(new SetDataTxn(path, new byte[] {(byte) i}, tree.getNode(path).version() + 1));
            }
        }
        Path file = writer.finish(cursor.endZxid()).get(30, TimeUnit.SECONDS);

        long[] sorted = sliceNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("snapshot of %d nodes in %d slices of %d: max slice %.2f ms, p99 %.2f ms, median %.2f ms,"
                        + " max after the first 10 slices %.2f ms; file %d bytes%n",
                cursor.nodesEmitted(), sorted.length, SLICE, sorted[sorted.length - 1] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length / 2] / 1e6,
                sliceNanos.subList(Math.min(10, sliceNanos.size()), sliceNanos.size()).stream()
                        .mapToLong(Long::longValue).max().orElse(0) / 1e6,
                Files.size(file));
        assertThat(sorted.length).isEqualTo((tree.nodeCount() + SLICE - 1) / SLICE);

        long started = System.nanoTime();
        Snapshot snapshot = SnapshotReader.read(file);
        System.out.printf("read back in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        for (Logged txn : log) {
            if (txn.hdr().zxid() > snapshot.startZxid()) {
                snapshot.tree().processTxnForRecovery(txn.hdr(), txn.txn());
            }
        }
        snapshot.tree().finishRecovery();
        assertSameTree(snapshot.tree(), tree, "100k nodes");
        assertThat(Arrays.equals(snapshot.tree().getNode("/service-7/instance-7").data(),
                tree.getNode("/service-7/instance-7").data())).isTrue();
    }

    private void apply(Txn txn) {
        zxid++;
        TxnHeader hdr = new TxnHeader(1L, (int) zxid, zxid, zxid, OpCode.CREATE);
        if (!tree.processTxn(hdr, txn).ok()) {
            throw new AssertionError("did not apply: " + txn);
        }
        log.add(new Logged(hdr, txn));
    }
}
