package dev.meerkat.server.storage;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.tree.EphemeralType;
import dev.meerkat.server.tree.NodeImage;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.meerkat.server.storage.SnapshotFixtures.DIGEST_ACL;
import static dev.meerkat.server.storage.SnapshotFixtures.assertSameTree;
import static dev.meerkat.server.storage.SnapshotFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotRoundTripTest {

    private static final long S1 = 0x0100_0000_0000_0001L;
    private static final long S2 = 0x0200_0000_0000_0002L;

    @TempDir
    Path dir;

    private final DataTree tree = new DataTree();
    private long zxid;

    @Test
    void everyKindOfNodeComesBackAsItWas() throws Exception {
        create("/app", bytes("config"), ACL.OPEN_ACL_UNSAFE, 0L);
        create("/app/empty", null, ACL.OPEN_ACL_UNSAFE, 0L);
        for (int i = 0; i < 3; i++) {
            create(DataTree.sequentialPath("/app/job-", tree.getNode("/app").childCreateCount()), bytes("job"),
                    ACL.OPEN_ACL_UNSAFE, 0L);
        }
        apply(new DeleteTxn("/app/job-0000000003"));
        create("/app/lock", new byte[0], ACL.OPEN_ACL_UNSAFE, S1);
        create("/members-" + "x", bytes("m"), ACL.OPEN_ACL_UNSAFE, S2);
        create("/queues", null, ACL.OPEN_ACL_UNSAFE, EphemeralType.CONTAINER_OWNER);
        create("/queues/q1", null, ACL.OPEN_ACL_UNSAFE, 0L);
        apply(new DeleteTxn("/queues/q1"));
        create("/fresh-container", null, ACL.OPEN_ACL_UNSAFE, EphemeralType.CONTAINER_OWNER);
        create("/leases", bytes("ttl"), ACL.OPEN_ACL_UNSAFE, EphemeralType.ttlOwner(1_000));
        create("/secret", bytes("s3cr3t"), DIGEST_ACL, 0L);
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        create("/binary-ünïcødé", everyByte, ACL.READ_ACL_UNSAFE, 0L);
        apply(new SetDataTxn("/app", bytes("config v2"), 1));
        apply(new SetDataTxn("/app/lock", null, 1));
        apply(new SetACLTxn("/app/empty", DIGEST_ACL, 1));
        apply(new SetDataTxn("/zookeeper/config", bytes("server.1=localhost:2888:3888"), 1));
        List<SnapshotSession> sessions = List.of(new SnapshotSession(S1, 30_000, bytes("password-one-16b")),
                new SnapshotSession(S2, 4_000, new byte[16]));

        int nodes = tree.nodeCount();
        SnapshotTask task = SnapshotTask.start(tree, dir, sessions);
        while (!task.step(3)) {
            // the owner thread would apply requests here
        }
        Path file = task.completion().get(10, TimeUnit.SECONDS);

        assertThat(file).isEqualTo(dir.resolve(String.format("snapshot.%016x", zxid)));
        assertThat(listDir()).containsExactly(file);
        Snapshot snapshot = SnapshotReader.read(file);
        assertThat(snapshot.startZxid()).isEqualTo(zxid);
        assertThat(snapshot.endZxid()).isEqualTo(zxid);
        assertThat(snapshot.sessions()).isEqualTo(sessions);
        assertThat(snapshot.tree().isRecovering()).isTrue();
        snapshot.tree().finishRecovery();
        assertSameTree(snapshot.tree(), tree, "round trip");
        assertThat(snapshot.tree().getNode("/app/empty").data()).isNull();
        assertThat(snapshot.tree().getNode("/binary-ünïcødé").data()).isEqualTo(everyByte);
        assertThat(snapshot.tree().reapCandidates(Long.MAX_VALUE / 2, 10)).containsExactly("/queues", "/leases");

        // The stored counter came back, not the derived cversion: the next sequential name is unused.
        long next = ++zxid;
        TxnHeader hdr = new TxnHeader(S1, 1, next, next, OpCode.CREATE2);
        Txn create = new CreateTxn(DataTree.sequentialPath("/app/job-", snapshot.tree().getNode("/app")
                .childCreateCount()), null, ACL.OPEN_ACL_UNSAFE, 0L);
        assertThat(snapshot.tree().processTxn(hdr, create)).isEqualTo(tree.processTxn(hdr, create));
        assertSameTree(snapshot.tree(), tree, "after a new create");

        SnapshotSummary summary = SnapshotReader.summarize(file);
        assertThat(summary).isEqualTo(new SnapshotSummary(file, Files.size(file), true, snapshot.startZxid(),
                snapshot.endZxid(), nodes, 2, null));
        assertThat(summary.describe()).contains("Nodes: " + nodes).contains("CRC: ok");
    }

    @Test
    void aFreshTreeRoundTrips() throws Exception {
        SnapshotTask task = SnapshotTask.start(tree, dir, List.of());
        while (!task.step(1_000)) {
            // nothing else to do
        }
        Snapshot snapshot = SnapshotReader.read(task.completion().get(10, TimeUnit.SECONDS));

        assertThat(snapshot.startZxid()).isZero();
        assertThat(snapshot.sessions()).isEmpty();
        snapshot.tree().finishRecovery();
        assertSameTree(snapshot.tree(), new DataTree(), "fresh tree");
    }

    /** Images go out as they are copied; a change after the copy must not leak into the file. */
    @Test
    void imagesAreValuesNotViews() throws Exception {
        create("/a", bytes("before"), ACL.OPEN_ACL_UNSAFE, 0L);
        var cursor = tree.snapshotCursor();
        SnapshotWriter writer = SnapshotWriter.start(dir, cursor.startZxid(), List.of());
        cursor.next(Integer.MAX_VALUE, writer);
        apply(new SetDataTxn("/a", bytes("after"), 1));
        apply(new SetACLTxn("/a", DIGEST_ACL, 1));
        Snapshot snapshot = SnapshotReader.read(writer.finish(cursor.endZxid()).get(10, TimeUnit.SECONDS));

        assertThat(snapshot.tree().getNode("/a").data()).isEqualTo(bytes("before"));
        assertThat(snapshot.tree().getNode("/a").acl()).isEqualTo(ACL.OPEN_ACL_UNSAFE);
    }

    @Test
    void anAbortedSnapshotLeavesNothingBehind() throws Exception {
        create("/a", bytes("x"), ACL.OPEN_ACL_UNSAFE, 0L);
        SnapshotTask task = SnapshotTask.start(tree, dir, List.of());
        task.step(1);
        task.abort();

        assertThatThrownBy(() -> task.completion().join()).isInstanceOf(CancellationException.class);
        assertThat(task.step(1)).isTrue();
        assertThat(listDir()).isEmpty();
    }

    @Test
    void aWriteThatFailsSaysSoAndStopsTheTask() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        SnapshotTask task = SnapshotTask.start(tree, notADirectory, List.of());

        assertThatThrownBy(() -> task.completion().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(task.step(1)).isTrue();
        assertThat(listDir()).containsExactly(notADirectory);
    }

    @Test
    void anEndZxidOlderThanAnImageIsRefusedByTheWriter() {
        create("/a", null, ACL.OPEN_ACL_UNSAFE, 0L);
        SnapshotWriter writer = SnapshotWriter.start(dir, 0, List.of());
        SnapshotFixtures.images(tree).stream()
                .map(n -> new NodeImage(n.path(), n.data(), n.acl(), n.czxid(), n.mzxid(), n.ctime(), n.mtime(),
                        n.version(), n.aversion(), n.childCreateCount(), n.pzxid(), n.ephemeralOwner(), 1))
                .forEach(writer::node);

        assertThatThrownBy(() -> writer.finish(0).join()).hasCauseInstanceOf(IllegalArgumentException.class);
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private void create(String path, byte[] data, List<ACL> acl, long owner) {
        apply(new CreateTxn(path, data, acl, owner));
    }

    private void apply(Txn txn) {
        zxid++;
        long session = txn instanceof CreateTxn c && EphemeralType.isEphemeral(c.ephemeralOwner()) ? c.ephemeralOwner() : S1;
        ProcessTxnResult result = tree.processTxn(new TxnHeader(session, (int) zxid, zxid, 1_700_000_000_000L + zxid,
                OpCode.CREATE), txn);
        assertThat(result.ok()).as("%s", txn).isTrue();
    }
}
