package dev.meerkat.server.storage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meerkat.server.storage.TxnLog.Options;
import dev.meerkat.server.storage.TxnLog.Recovery;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class TxnLogTest {
    /** Small blocks and segments so that a few dozen txns span several files. */
    private static final Options SMALL = Options.defaults().withPreallocBytes(4096).withSegmentBytes(1024);

    @TempDir
    Path dir;

    private static void write(Path dir, Options opts, long from, long to) throws IOException {
        try (TxnLog log = TxnLog.open(dir, opts)) {
            for (long z = from; z <= to; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
        }
    }

    private static List<Entry> readAll(Path dir, long fromZxid) throws IOException {
        List<Entry> out = new ArrayList<>();
        TxnLog.read(dir, fromZxid, out::add);
        return out;
    }

    private static List<Entry> expected(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(Txns::entry).toList();
    }

    @Test
    void appendsSpanSeveralSegmentsAndReadBackInOrder() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            for (long z = 1; z <= 60; z++) {
                log.append(Txns.header(z), Txns.txn(z));
                if (z % 10 == 0) {
                    assertThat(log.sync()).isEqualTo(z);
                }
            }
        }

        List<Path> segs = LogFiles.segments(dir);
        assertThat(segs).hasSizeGreaterThanOrEqualTo(3);
        List<Entry> all = new ArrayList<>();
        Recovery r = TxnLog.read(dir, -1, all::add);
        assertThat(all).isEqualTo(expected(1, 60));
        assertThat(r.lastZxid()).isEqualTo(60);
        assertThat(r.replayed()).isEqualTo(60);
        assertThat(r.torn()).isFalse();
        for (Path seg : segs) {
            // each file is named for its first txn, 16 hex digits
            List<Entry> first = new ArrayList<>();
            TxnLog.read(dir, Long.parseLong(seg.getFileName().toString().substring(4), 16) - 1,
                    e -> first.add(e));
            assertThat(seg.getFileName().toString()).isEqualTo(String.format("log.%016x", first.get(0).zxid()));
        }
        for (Path finished : segs.subList(0, segs.size() - 1)) {
            assertThat(Files.size(finished)).isEqualTo(LogFiles.recordsEnd(finished));
        }
        Path newest = segs.get(segs.size() - 1);
        assertThat(Files.size(newest) % 4096).isZero();
        assertThat(Files.size(newest)).isGreaterThan(LogFiles.recordsEnd(newest));
    }

    @Test
    void readStartsAfterTheGivenZxid() throws IOException {
        write(dir, SMALL, 1, 60);

        assertThat(readAll(dir, 30)).isEqualTo(expected(31, 60));
        assertThat(readAll(dir, 59)).isEqualTo(expected(60, 60));
        Recovery none = TxnLog.read(dir, 60, e -> { });
        assertThat(none.replayed()).isZero();
        assertThat(none.lastZxid()).isEqualTo(60);
    }

    @Test
    void syncReportsTheDurableZxidAndForcesOnlyWhenThereIsSomethingNew() throws IOException {
        AtomicInteger forces = new AtomicInteger();
        Options counting = SMALL.withSegmentBytes(1 << 20).withSyncer(ch -> {
            forces.incrementAndGet();
            ch.force(false);
        });
        try (TxnLog log = TxnLog.open(dir, counting)) {
            assertThat(log.sync()).isEqualTo(-1);
            log.append(Txns.header(1), Txns.txn(1));
            log.append(Txns.header(2), Txns.txn(2));
            assertThat(log.lastZxid()).isEqualTo(2);
            assertThat(log.durableZxid()).isEqualTo(-1);
            assertThat(log.sync()).isEqualTo(2);
            assertThat(log.sync()).isEqualTo(2);
            assertThat(forces).hasValue(1);
            assertThat(log.syncStats().count()).isEqualTo(1);
        }
    }

    @Test
    void withoutForceSyncTheSyncerIsNeverCalled() throws IOException {
        AtomicInteger forces = new AtomicInteger();
        Options noForce = SMALL.withForceSync(false).withSyncer(ch -> forces.incrementAndGet());
        try (TxnLog log = TxnLog.open(dir, noForce)) {
            for (long z = 1; z <= 40; z++) {
                log.append(Txns.header(z), Txns.txn(z));
                log.sync();
            }
        }

        assertThat(forces).hasValue(0);
        assertThat(readAll(dir, -1)).isEqualTo(expected(1, 40));
    }

    @Test
    void aReopenedLogContinuesAfterItsLastTxn() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);

        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            assertThat(log.lastZxid()).isEqualTo(10);
            assertThat(log.durableZxid()).isEqualTo(10);
            for (long z = 11; z <= 20; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
        }

        assertThat(LogFiles.segments(dir)).hasSize(1);
        assertThat(readAll(dir, -1)).isEqualTo(expected(1, 20));
    }

    @Test
    void rollStartsANewSegmentAtTheNextAppend() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            log.append(Txns.header(1), Txns.txn(1));
            log.append(Txns.header(2), Txns.txn(2));
            log.roll();
            log.roll();
            log.append(Txns.header(7), Txns.txn(7));
        }

        assertThat(LogFiles.segments(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("log.0000000000000001", "log.0000000000000007");
        assertThat(readAll(dir, -1)).containsExactly(Txns.entry(1), Txns.entry(2), Txns.entry(7));
    }

    @Test
    void aTxnLargerThanAPreallocationBlockGrowsTheFile() throws IOException {
        Txn big = Txns.sized(10_000);
        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            log.append(Txns.header(1), big);
            log.append(Txns.header(2), Txns.txn(2));
        }

        Path seg = LogFiles.segments(dir).get(0);
        assertThat(Files.size(seg) % 4096).isZero();
        assertThat(Files.size(seg)).isGreaterThan(10_000);
        assertThat(readAll(dir, -1)).extracting(Entry::txn).containsExactly(big, Txns.txn(2));
    }

    @Test
    void zxidsMustStrictlyIncrease() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            log.append(Txns.header(5), Txns.txn(5));
            assertThatThrownBy(() -> log.append(Txns.header(5), Txns.txn(5)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("0x5");
            assertThatThrownBy(() -> log.append(Txns.header(4), Txns.txn(4)))
                    .isInstanceOf(IllegalStateException.class);
            log.append(Txns.header(6), Txns.txn(6));
        }
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            assertThatThrownBy(() -> log.append(Txns.header(6), Txns.txn(6)))
                    .isInstanceOf(IllegalStateException.class);
        }

        assertThat(readAll(dir, -1)).containsExactly(Txns.entry(5), Txns.entry(6));
    }

    @Test
    void aCutOffLastRecordIsATornEndThatTheWriterTruncates() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path seg = LogFiles.segments(dir).get(0);
        long tenth = LogFiles.recordOffsets(seg).get(9);
        LogFiles.truncate(seg, tenth + 20);

        List<Entry> seen = new ArrayList<>();
        Recovery r = TxnLog.read(dir, -1, seen::add);
        assertThat(seen).isEqualTo(expected(1, 9));
        assertThat(r.torn()).isTrue();
        assertThat(r.tornSegment()).isEqualTo(seg);
        assertThat(r.tornOffset()).isEqualTo(tenth);
        assertThat(r.lastZxid()).isEqualTo(9);

        Txn replacement = new DeleteTxn("/another-history");
        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            assertThat(log.lastZxid()).isEqualTo(9);
            log.append(Txns.header(10), replacement);
            log.append(Txns.header(11), Txns.txn(11));
        }
        List<Entry> after = new ArrayList<>();
        assertThat(TxnLog.read(dir, -1, after::add).torn()).isFalse();
        assertThat(after).hasSize(11);
        assertThat(after.get(9).txn()).isEqualTo(replacement);
        assertThat(after.get(10)).isEqualTo(Txns.entry(11));
    }

    @Test
    void aFlippedBitInTheLastRecordIsATornEndAndItsBytesDoNotOutliveTheReopen() throws IOException {
        // A large last record, so that the shorter one written after the reopen leaves its remains behind.
        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            for (long z = 1; z <= 9; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            byte[] data = new byte[2000];
            Arrays.fill(data, (byte) 0x5a);
            log.append(Txns.header(10), new SetDataTxn("/big", data, 1));
        }
        Path seg = LogFiles.segments(dir).get(0);
        long tenth = LogFiles.recordOffsets(seg).get(9);
        LogFiles.flipBit(seg, tenth + 1500, 3);

        Recovery r = TxnLog.read(dir, -1, e -> { });
        assertThat(r.torn()).isTrue();
        assertThat(r.tornOffset()).isEqualTo(tenth);
        assertThat(r.tornReason()).contains("checksum");
        assertThat(r.lastZxid()).isEqualTo(9);

        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            log.append(Txns.header(10), Txns.txn(10));
        }
        List<Entry> after = new ArrayList<>();
        Recovery clean = TxnLog.read(dir, -1, after::add);
        assertThat(clean.torn()).isFalse();
        assertThat(after).isEqualTo(expected(1, 10));
    }

    @Test
    void aFlippedBitInARecordFollowedByIntactOnesIsCorruption() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path seg = LogFiles.segments(dir).get(0);
        long fifth = LogFiles.recordOffsets(seg).get(4);
        LogFiles.flipBit(seg, fifth + 30, 0);

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(seg);
                    assertThat(e.offset()).isEqualTo(fifth);
                })
                .hasMessageContaining(seg.toString()).hasMessageContaining("offset " + fifth)
                .hasMessageContaining("intact record follows");
        assertThatThrownBy(() -> TxnLog.open(dir, SMALL)).isInstanceOf(CorruptLogException.class);
    }

    @Test
    void aDamagedLengthFollowedByIntactRecordsIsCorruption() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path seg = LogFiles.segments(dir).get(0);
        long fourth = LogFiles.recordOffsets(seg).get(3);
        LogFiles.overwrite(seg, fourth, new byte[] {0x7f, 0x00, 0x10, 0x00});

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.offset()).isEqualTo(fourth))
                .hasMessageContaining("impossible record length");
    }

    @Test
    void aFlippedBitInAFinishedSegmentIsCorruptionNamingFileAndOffset() throws IOException {
        write(dir, SMALL, 1, 60);
        List<Path> segs = LogFiles.segments(dir);
        Path middle = segs.get(1);
        long last = LogFiles.recordOffsets(middle).get(LogFiles.recordOffsets(middle).size() - 1);
        LogFiles.flipBit(middle, last + 12, 6);

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(middle);
                    assertThat(e.offset()).isEqualTo(last);
                })
                .hasMessageContaining("not the last");
    }

    @Test
    void aZeroFilledTailIsTheEndOfTheLogWhileTheWriterIsStillRunning() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            for (long z = 1; z <= 10; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            log.sync();
            // What a crash now would leave: ten records, then the zeros of the preallocated block.
            Path seg = LogFiles.segments(dir).get(0);
            assertThat(Files.size(seg)).isGreaterThan(LogFiles.recordsEnd(seg));

            Recovery r = TxnLog.read(dir, -1, e -> { });
            assertThat(r.torn()).isFalse();
            assertThat(r.lastZxid()).isEqualTo(10);
        }
    }

    @Test
    void zerosInPlaceOfRecordsFollowedByIntactOnesAreAGapNotAnEnd() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path seg = LogFiles.segments(dir).get(0);
        List<Long> offsets = LogFiles.recordOffsets(seg);
        long fifth = offsets.get(4);
        LogFiles.overwrite(seg, fifth, new byte[(int) (offsets.get(6) - fifth)]);

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.offset()).isEqualTo(fifth))
                .hasMessageContaining("intact record follows at offset " + offsets.get(6));
    }

    @Test
    void anEmptyNewestSegmentIsFineAndTheWriterReplacesIt() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path zeroBytes = Files.createFile(dir.resolve(Segments.fileName(11)));

        assertThat(readAll(dir, -1)).isEqualTo(expected(1, 10));
        assertThat(TxnLog.read(dir, -1, e -> { }).torn()).isFalse();

        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            assertThat(zeroBytes).doesNotExist();
            assertThat(log.lastZxid()).isEqualTo(10);
            // a different history than the one the empty file was named for
            log.append(Txns.header(12), Txns.txn(12));
        }
        assertThat(readAll(dir, -1)).isEqualTo(LongStream.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12)
                .mapToObj(Txns::entry).toList());
    }

    @Test
    void aHeaderOnlyNewestSegmentIsFineIfItFollowsTheLog() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path headerOnly = dir.resolve(Segments.fileName(11));
        Files.write(headerOnly, LogFiles.header(Segments.MAGIC, 1, 10));

        assertThat(readAll(dir, -1)).isEqualTo(expected(1, 10));
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            assertThat(log.lastZxid()).isEqualTo(10);
            log.append(Txns.header(11), Txns.txn(11));
        }
        assertThat(readAll(dir, -1)).isEqualTo(expected(1, 11));
    }

    @Test
    void aHeaderOnlySegmentThatDoesNotFollowTheLogIsCorruption() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path headerOnly = dir.resolve(Segments.fileName(11));
        Files.write(headerOnly, LogFiles.header(Segments.MAGIC, 1, 7));

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(headerOnly);
                    assertThat(e.offset()).isEqualTo(Segments.PREV_ZXID_OFFSET);
                });
        assertThatThrownBy(() -> TxnLog.open(dir, SMALL)).isInstanceOf(CorruptLogException.class);
        assertThat(headerOnly).exists();
    }

    @Test
    void emptySegmentsBetweenOthersAreFine() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            for (long z = 1; z <= 5; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            log.roll();
            for (long z = 20; z <= 25; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
        }
        Files.createFile(dir.resolve(Segments.fileName(10)));
        Files.write(dir.resolve(Segments.fileName(15)), LogFiles.header(Segments.MAGIC, 1, 5));

        List<Entry> all = readAll(dir, -1);
        assertThat(all).extracting(Entry::zxid).containsExactly(1L, 2L, 3L, 4L, 5L, 20L, 21L, 22L, 23L, 24L, 25L);
        assertThat(readAll(dir, 12)).extracting(Entry::zxid).containsExactly(20L, 21L, 22L, 23L, 24L, 25L);
    }

    @Test
    void aHeaderCutShortInAFinishedSegmentIsCorruption() throws IOException {
        write(dir, SMALL, 1, 60);
        Path middle = LogFiles.segments(dir).get(1);
        LogFiles.truncate(middle, 10);

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.file()).isEqualTo(middle))
                .hasMessageContaining("header cut short");
    }

    @Test
    void aMissingSegmentIsCorruption() throws IOException {
        write(dir, SMALL, 1, 60);
        List<Path> segs = LogFiles.segments(dir);
        Files.delete(segs.get(1));

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(segs.get(2));
                    assertThat(e.offset()).isEqualTo(Segments.PREV_ZXID_OFFSET);
                })
                .hasMessageContaining("missing");
    }

    @Test
    void aLogThatStartsAfterTheReplayPointIsMissingTxns() throws IOException {
        write(dir, SMALL, 1, 60);
        List<Path> segs = LogFiles.segments(dir);
        Files.delete(segs.get(0));

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.file()).isEqualTo(segs.get(1)))
                .hasMessageContaining("the log starts after");
    }

    @Test
    void aMislabelledSegmentIsCorruption() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path seg = LogFiles.segments(dir).get(0);
        Files.move(seg, dir.resolve(Segments.fileName(0)));

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { })).isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("named for 0x0");
    }

    @Test
    void aForeignOrNewerFormatFileIsCorruptionNotATornEnd() throws IOException {
        write(dir, SMALL.withSegmentBytes(1 << 20), 1, 10);
        Path seg = LogFiles.segments(dir).get(0);
        LogFiles.overwrite(seg, 4, new byte[] {0, 0, 0, 2});

        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.offset()).isEqualTo(4))
                .hasMessageContaining("version 2");

        LogFiles.overwrite(seg, 0, "ZKLG".getBytes());
        assertThatThrownBy(() -> TxnLog.read(dir, -1, e -> { }))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.offset()).isZero())
                .hasMessageContaining("magic");
    }

    @Test
    void otherFilesInTheDirectoryAreLeftAlone() throws IOException {
        Files.writeString(dir.resolve("snapshot.0000000000000005"), "not a log");
        Files.writeString(dir.resolve("log.tmp"), "not a segment");
        write(dir, SMALL, 1, 5);

        assertThat(readAll(dir, -1)).isEqualTo(expected(1, 5));
        assertThat(TxnLog.purge(dir, 1000)).isEmpty();
        assertThat(dir.resolve("log.tmp")).exists();
    }

    @Test
    void purgeKeepsTheSegmentHoldingTheFirstTxnAfterTheSnapshot() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL.withSegmentBytes(1 << 20))) {
            for (long z = 1; z <= 40; z++) {
                if (z > 1 && z % 10 == 1) {
                    log.roll();
                }
                log.append(Txns.header(z), Txns.txn(z));
            }
        }
        Path s1 = dir.resolve(Segments.fileName(1));
        Path s11 = dir.resolve(Segments.fileName(11));
        Path s21 = dir.resolve(Segments.fileName(21));
        Path s31 = dir.resolve(Segments.fileName(31));
        assertThat(LogFiles.segments(dir)).containsExactly(s1, s11, s21, s31);

        assertThat(TxnLog.purge(dir, 9)).isEmpty();
        assertThat(TxnLog.purge(dir, 15)).containsExactly(s1);
        assertThat(TxnLog.purge(dir, 20)).containsExactly(s11);
        assertThat(LogFiles.segments(dir)).containsExactly(s21, s31);
        assertThat(readAll(dir, 20)).isEqualTo(expected(21, 40));
        assertThatThrownBy(() -> TxnLog.read(dir, 15, e -> { })).isInstanceOf(CorruptLogException.class);

        assertThat(TxnLog.purge(dir, 1000)).containsExactly(s21);
        assertThat(LogFiles.segments(dir)).containsExactly(s31);
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            assertThat(log.lastZxid()).isEqualTo(40);
        }
    }

    @Test
    void aSlowFsyncIsLoggedWithItsDuration() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(TxnLog.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            try (TxnLog log = TxnLog.open(dir, SMALL.withSlowSyncWarning(Duration.ofHours(1)))) {
                log.append(Txns.header(1), Txns.txn(1));
                log.sync();
                assertThat(log.syncStats().slowCount()).isZero();
            }
            assertThat(events.list).noneMatch(e -> e.getLevel() == Level.WARN);

            try (TxnLog log = TxnLog.open(dir, SMALL.withSlowSyncWarning(Duration.ZERO))) {
                log.append(Txns.header(2), Txns.txn(2));
                log.sync();
                assertThat(log.syncStats().slowCount()).isEqualTo(1);
            }
            assertThat(events.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("fsync").contains(" ms"));
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void afterAFailedFsyncTheLogAcceptsNothingMore() throws IOException {
        IOException diskGone = new IOException("disk gone");
        AtomicInteger calls = new AtomicInteger();
        Options failing = SMALL.withSyncer(ch -> {
            if (calls.incrementAndGet() == 2) {
                throw diskGone;
            }
            ch.force(false);
        });
        TxnLog log = TxnLog.open(dir, failing);
        log.append(Txns.header(1), Txns.txn(1));
        log.sync();
        log.append(Txns.header(2), Txns.txn(2));

        assertThatThrownBy(log::sync).isSameAs(diskGone);
        assertThatThrownBy(log::sync).isInstanceOf(IOException.class).hasCause(diskGone);
        assertThatThrownBy(() -> log.append(Txns.header(3), Txns.txn(3))).hasCause(diskGone);
        assertThat(log.durableZxid()).isEqualTo(1);
        log.close();
        assertThat(calls).hasValue(2);
    }

    @Test
    void optionsRejectSizesTheFormatCannotHold() {
        Options d = Options.defaults();
        assertThat(d.preallocBytes()).isEqualTo(64L << 20);
        assertThat(d.segmentBytes()).isEqualTo(64L << 20);
        assertThat(d.forceSync()).isTrue();
        assertThat(d.slowSyncWarning()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> d.withPreallocBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withSegmentBytes(2L << 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withSegmentBytes(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withSlowSyncWarning(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
