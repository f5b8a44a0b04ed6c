package dev.meerkat.server.storage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.TxnHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static dev.meerkat.server.storage.SnapshotFixtures.assertSameTree;
import static dev.meerkat.server.storage.SnapshotFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotCorruptionTest {

    private static final long SESSION = 0x0100_0000_0000_0001L;

    @TempDir
    Path dir;

    private final DataTree tree = new DataTree();
    private long zxid;
    private ListAppender<ILoggingEvent> logs;

    enum Damage {
        FLIPPED_BYTE {
            @Override
            byte[] apply(byte[] file) {
                byte[] out = file.clone();
                out[out.length / 2] ^= 0x5A;
                return out;
            }
        },
        TRUNCATED {
            @Override
            byte[] apply(byte[] file) {
                return Arrays.copyOf(file, file.length * 2 / 3);
            }
        },
        MISSING_FOOTER {
            @Override
            byte[] apply(byte[] file) {
                return Arrays.copyOf(file, file.length - 8);
            }
        };

        abstract byte[] apply(byte[] file);
    }

    @BeforeEach
    void captureWarnings() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(Snapshots.class)).addAppender(logs);
    }

    @AfterEach
    void releaseWarnings() {
        ((Logger) LoggerFactory.getLogger(Snapshots.class)).detachAppender(logs);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedNewestSnapshotFallsBackToTheOlderOne(Damage damage) throws Exception {
        Path older = snapshotAfter(5);
        DataTree olderTree = copyOf(older);
        Path newer = snapshotAfter(5);
        damage(newer, damage);

        Optional<Snapshot> loaded = Snapshots.loadNewest(dir);

        assertThat(loaded).isPresent();
        assertThat(loaded.get().file()).isEqualTo(older);
        loaded.get().tree().finishRecovery();
        assertSameTree(loaded.get().tree(), olderTree, damage.name());
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains(newer.toString());
        });
    }

    @Test
    void whenEverySnapshotIsCorruptLoadingFailsInsteadOfReturningAnEmptyTree() throws Exception {
        Path first = snapshotAfter(3);
        Path second = snapshotAfter(3);
        damage(first, Damage.FLIPPED_BYTE);
        damage(second, Damage.TRUNCATED);

        assertThatThrownBy(() -> Snapshots.loadNewest(dir))
                .isInstanceOfSatisfying(SnapshotCorruptException.class, e -> {
                    assertThat(e.file()).isEqualTo(dir);
                    assertThat(e.getMessage()).contains("all 2 snapshots").contains(first.getFileName().toString())
                            .contains(second.getFileName().toString());
                    assertThat(e.getSuppressed()).hasSize(2);
                });
    }

    @Test
    void noSnapshotAtAllIsTheOnlyEmptyAnswer() throws Exception {
        assertThat(Snapshots.loadNewest(dir)).isEmpty();
        assertThat(Snapshots.loadNewest(dir.resolve("never-created"))).isEmpty();
        assertThat(Snapshots.list(dir.resolve("never-created"))).isEmpty();
    }

    /** CRC32C catches every burst of up to 32 bits; structure checks must not let anything else escape. */
    @Test
    void everyFlippedByteAndEveryTruncationIsReportedAsCorruption() throws Exception {
        Path file = snapshotAfter(2);
        byte[] good = Files.readAllBytes(file);
        Path bad = dir.resolve("bad");
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= (byte) 0xFF;
            Files.write(bad, flipped);
            int offset = i;
            assertThatThrownBy(() -> SnapshotReader.read(bad)).as("byte %d flipped", offset)
                    .isInstanceOf(SnapshotCorruptException.class);
            assertThat(SnapshotReader.summarize(bad).crcOk()).as("byte %d flipped", offset).isFalse();
        }
        for (int length = 0; length < good.length; length++) {
            Files.write(bad, Arrays.copyOf(good, length));
            int size = length;
            assertThatThrownBy(() -> SnapshotReader.read(bad)).as("truncated to %d", size)
                    .isInstanceOf(SnapshotCorruptException.class);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        Files.write(bad, longer);
        assertThatThrownBy(() -> SnapshotReader.read(bad)).isInstanceOf(SnapshotCorruptException.class);
    }

    @Test
    void aSummarySaysWhatIsWrong() throws Exception {
        Path torn = snapshotAfter(4);
        Path flipped = snapshotAfter(4);
        damage(torn, Damage.TRUNCATED);
        damage(flipped, Damage.FLIPPED_BYTE);

        SnapshotSummary tornSummary = SnapshotReader.summarize(torn);
        assertThat(tornSummary.crcOk()).isFalse();
        assertThat(tornSummary.problem()).contains("no footer");
        assertThat(tornSummary.fileSize()).isEqualTo(Files.size(torn));
        assertThat(tornSummary.describe()).contains("CORRUPT");

        SnapshotSummary flippedSummary = SnapshotReader.summarize(flipped);
        assertThat(flippedSummary.crcOk()).isFalse();
        assertThat(flippedSummary.startZxid()).isEqualTo(Snapshots.zxidOf(flipped).getAsLong());
        assertThat(flippedSummary.problem()).isNotBlank();
    }

    @Test
    void unfinishedTemporaryFilesAreNeverLoadedAndAreRemovedAtStartUp() throws Exception {
        Path good = snapshotAfter(2);
        Path unfinished = dir.resolve(Snapshots.fileName(zxid + 100) + ".tmp");
        Files.write(unfinished, new byte[] {1, 2, 3});

        assertThat(Snapshots.list(dir)).containsExactly(good);
        assertThat(Snapshots.loadNewest(dir)).map(Snapshot::file).contains(good);
        assertThat(Snapshots.deleteTempFiles(dir)).isEqualTo(1);
        assertThat(unfinished).doesNotExist();
        assertThat(good).exists();
    }

    @Test
    void purgeKeepsTheNewestAndNamesTheOldestKept() throws Exception {
        Path[] snapshots = new Path[5];
        for (int i = 0; i < snapshots.length; i++) {
            snapshots[i] = snapshotAfter(2);
        }

        OptionalLong oldestKept = Snapshots.purge(dir, 3);

        assertThat(Snapshots.list(dir)).containsExactly(snapshots[4], snapshots[3], snapshots[2]);
        assertThat(oldestKept).hasValue(Snapshots.zxidOf(snapshots[2]).getAsLong());
    }

    @Test
    void purgeNeverKeepsFewerThanThree() throws Exception {
        Path[] snapshots = new Path[4];
        for (int i = 0; i < snapshots.length; i++) {
            snapshots[i] = snapshotAfter(1);
        }

        Snapshots.purge(dir, 1);

        assertThat(Snapshots.list(dir)).containsExactly(snapshots[3], snapshots[2], snapshots[1]);
    }

    /** A run of corrupt new snapshots must not push the last good ones out. */
    @Test
    void purgeCountsOnlySnapshotsThatRead() throws Exception {
        Path[] snapshots = new Path[5];
        for (int i = 0; i < snapshots.length; i++) {
            snapshots[i] = snapshotAfter(1);
        }
        damage(snapshots[4], Damage.FLIPPED_BYTE);

        OptionalLong oldestKept = Snapshots.purge(dir, 3);

        assertThat(Snapshots.list(dir)).containsExactly(snapshots[4], snapshots[3], snapshots[2], snapshots[1]);
        assertThat(oldestKept).hasValue(Snapshots.zxidOf(snapshots[1]).getAsLong());
    }

    @Test
    void purgeWithoutAGoodSnapshotDeletesNothing() throws Exception {
        Path[] snapshots = new Path[4];
        for (int i = 0; i < snapshots.length; i++) {
            snapshots[i] = snapshotAfter(1);
            damage(snapshots[i], Damage.MISSING_FOOTER);
        }

        assertThat(Snapshots.purge(dir, 3)).isEmpty();
        assertThat(Snapshots.list(dir)).hasSize(4);
    }

    private Path snapshotAfter(int creates) throws Exception {
        for (int i = 0; i < creates; i++) {
            zxid++;
            tree.processTxn(new TxnHeader(SESSION, (int) zxid, zxid, zxid, OpCode.CREATE),
                    new CreateTxn("/n" + zxid, bytes("data " + zxid), ACL.OPEN_ACL_UNSAFE, i % 2 == 0 ? 0 : SESSION));
        }
        SnapshotTask task = SnapshotTask.start(tree, dir, List.of(new SnapshotSession(SESSION, 10_000, new byte[16])));
        while (!task.step(2)) {
            // no requests in between here
        }
        return task.completion().get(10, TimeUnit.SECONDS);
    }

    private static DataTree copyOf(Path snapshot) throws Exception {
        DataTree copy = SnapshotReader.read(snapshot).tree();
        copy.finishRecovery();
        return copy;
    }

    private static void damage(Path file, Damage damage) throws IOException {
        Files.write(file, damage.apply(Files.readAllBytes(file)));
    }
}
